import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretMatches } from './secret.js';
import type { Store } from '../store/store.js';

export interface HealthDeps {
  store: Store;
  now: () => Date;
  /** What the scheduler and sync queue report; `running: false` makes the answer 503. */
  scheduler: () => { running: boolean } & Record<string, unknown>;
  /** How old the newest good sync may be before a linked group counts as unhealthy (ms). */
  staleAfterMs: number;
  /**
   * When set, only requests with `Authorization: Bearer <token>` see the details (group slugs, GitLab and
   * Slack errors); anyone else — a load balancer, the Docker HEALTHCHECK — gets the status alone.
   */
  detailsToken?: string;
  /** Socket Mode: whether the WebSocket to Slack is up (false makes the answer 503); null in HTTP mode. */
  slack?: () => boolean | null;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
  return given !== undefined && secretMatches(given, token);
}

interface LinkHealth {
  url: string;
  lastOkAt: string | null;
  error: string | null;
  errorAt: string | null;
  /** Records GitLab sent that the link's last good fetch could not understand and left out, and their names. */
  skipped: number;
  skippedRecords: string[];
}

interface GroupSyncHealth {
  at: string | null;
  error: string | null;
  errorAt: string | null;
  /** Records skipped over the group's links (see LinkHealth). */
  skipped: number;
  links: LinkHealth[];
}

/** Each group's links and how their latest fetches went. */
function linksByGroup(store: Store): Map<number, LinkHealth[]> {
  const linksOf = new Map<number, LinkHealth[]>();
  for (const s of store.sources.listAll()) {
    const link = {
      url: s.url,
      lastOkAt: s.lastOkAt,
      error: s.lastError,
      errorAt: s.lastErrorAt,
      skipped: s.lastSkipped,
      skippedRecords: s.lastSkippedRecords,
    };
    linksOf.set(s.wgId, [...(linksOf.get(s.wgId) ?? []), link]);
  }
  return linksOf;
}

/**
 * `GET /healthz`: 200 when the database answers (and its last write did not fail for a full or failing
 * disk), the scheduler runs and (Socket Mode) the WebSocket to
 * Slack is up, else 503 — with the facts either way: `{ok, db, lastSync: {slug: {at, error, errorAt,
 * skipped, links: [{url, lastOkAt, error, errorAt, skipped, skippedRecords}]}}, stale: [slugs], digests: {slug: {period, state, kind, dueAt,
 * error}} (state 'skipped': a scheduled digest missed beyond its catch-up window),
 * scheduler}`. Each link reports its own failure, while the group's `at` moves on with its other links.
 * GitLab being down
 * makes data stale, not the process unhealthy: a restart would not help, so it does not fail the check.
 */
export function createHealthHandler(deps: HealthDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    let db = 'ok';
    const lastSync: Record<string, GroupSyncHealth> = {};
    const stale: string[] = [];
    const digests: Record<
      string,
      { period: string; state: string; kind: string; dueAt: string | null; error: string | null }
    > = {};
    try {
      deps.store.db.prepare('SELECT 1').get();
      // The database may read fine while writes fail: a full disk makes the process unhealthy too.
      const failure = deps.store.health.failure;
      if (failure) db = `error: wgbot could not save: ${failure.reason} (${failure.code} at ${failure.at})`;
      const states = deps.store.syncState.all();
      const linksOf = linksByGroup(deps.store);
      for (const group of deps.store.groups.list()) {
        const links = linksOf.get(group.id);
        if (!links) continue;
        const state = states.get(group.id);
        lastSync[group.slug] = {
          at: state?.lastSuccessAt ?? null,
          error: state?.lastError ?? null,
          errorAt: state?.lastErrorAt ?? null,
          skipped: links.reduce((sum, l) => sum + l.skipped, 0),
          links,
        };
        const at = state?.lastSuccessAt ? new Date(state.lastSuccessAt).getTime() : null;
        // Stale: the last good sync is too old, or there never was one and the attempts failed.
        if (at !== null ? deps.now().getTime() - at > deps.staleAfterMs : Boolean(state?.lastErrorAt))
          stale.push(group.slug);
      }
      const slugs = new Map(deps.store.groups.list().map((g) => [g.id, g.slug]));
      for (const d of deps.store.digests.latestPerGroup()) {
        const slug = slugs.get(d.wgId);
        if (slug)
          digests[slug] = { period: d.period, state: d.state, kind: d.kind, dueAt: d.dueAt, error: d.error };
      }
    } catch (error) {
      db = `error: ${(error as Error).message}`;
    }
    const scheduler = deps.scheduler();
    const socket = deps.slack?.() ?? null;
    // Without its WebSocket a Socket Mode wgbot hears nothing from Slack: unhealthy, though it keeps trying.
    const slack = socket === null ? {} : { slack: socket ? 'connected' : 'not connected' };
    const ok = db === 'ok' && scheduler.running && socket !== false;
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    const details = !deps.detailsToken || bearerMatches(req.headers.authorization, deps.detailsToken);
    res.end(
      JSON.stringify(
        details
          ? { ok, db, ...slack, lastSync, stale, digests, scheduler }
          : {
              ok,
              db: db === 'ok' ? 'ok' : 'error',
              ...(deps.store.health.failure ? { store: deps.store.health.failure.reason } : {}),
              ...slack,
              scheduler: { running: scheduler.running },
            },
      ),
    );
  };
}
