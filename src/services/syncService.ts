import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WorkingGroup } from '../domain/types.js';
import type { GitlabClient } from '../gitlab/client.js';
import { GitlabAbortedError, withRequestScope } from '../gitlab/http.js';
import { SyncMemo } from '../gitlab/syncMemo.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { StoredSource } from '../store/repositories/gitlabSources.js';
import type { Store } from '../store/store.js';
import { collectRecordWarnings, describeWarning, type RecordWarning } from '../gitlab/tolerance.js';
import { fetchEach, fetchSource } from './sync/fetchSources.js';
import {
  errorKind,
  type Fetched,
  messageOf,
  type Outcome,
  type SyncOutcome,
  sourceOutcome,
  WARNINGS_SHOWN,
} from './sync/outcomes.js';
import { driftReport } from './drift.js';
import { recordProgressInBatches } from './progressBatches.js';
import { removeOrphans } from './sync/orphans.js';
import { writeBigListings } from './sync/writeBatches.js';
import { applyFetched } from './sync/writeGroup.js';

export type { SourceOutcome, SyncOutcome } from './sync/outcomes.js';

export interface SyncServiceOptions {
  /** How long one group's sync may take (SYNC_BUDGET_SECONDS); past it, it stops and records why. */
  budgetMs?: number;
}

export interface SyncOptions {
  full?: boolean;
  /** Aborts the sync's GitLab requests (the sync queue's stop); the sync then writes nothing. */
  signal?: AbortSignal;
  /** Called before each group of `syncAll` (the CLI's progress line). */
  onGroup?: (group: WorkingGroup, index: number, total: number) => void;
}

/**
 * A full listing that left out an issue it could not read is not the whole membership: taken as it is,
 * it would mark that issue removed though GitLab still has it. The skipped issues (named by id in their
 * warnings) stay members, and the others missing from the listing are still found removed; a skipped
 * issue without an id keeps every member, for that sync only. Child epics are replaced as a whole, so a
 * listing with one unreadable child epic keeps the stored ones instead, until the next.
 */
function keepUnreadable(
  fetched: Omit<Fetched, 'source'>,
  warnings: RecordWarning[],
): Omit<Fetched, 'source'> {
  const { result } = fetched;
  if (!result) return fetched;
  const skipped = (kind: string) => warnings.filter((w) => w.skipped && w.kind === kind);
  const skippedIssues = result.complete ? skipped('issue') : [];
  const keepChildEpics = result.childEpics !== null && skipped('epic').length > 0;
  if (skippedIssues.length === 0 && !keepChildEpics) return fetched;
  const named = skippedIssues.every((w) => w.id !== null);
  const issues =
    skippedIssues.length === 0
      ? {}
      : named
        ? { issuesKept: skippedIssues.map((w) => `issue:${w.id}`) }
        : { complete: false };
  return {
    ...fetched,
    result: { ...result, ...issues, ...(keepChildEpics ? { childEpics: null } : {}) },
  };
}

/**
 * How long a sync's lease lasts; renewed after each source. Longer than the default budget, so a live sync
 * keeps it; a sync given a longer budget that outlives it writes nothing (see #fetchAll).
 */
const LEASE_MS = 10 * 60 * 1000;
export const DEFAULT_SYNC_BUDGET_MS = 5 * 60 * 1000;

/**
 * Brings a working group's GitLab-backed data up to date. Network first, then one transaction per group.
 * Each linked source is fetched on its own: one that fails (an epic deleted, access revoked, GitLab down)
 * gets its error recorded and keeps what it held, while the others are written. When every source fails,
 * nothing but the errors is written, and the last good data (with its age) keeps being served.
 */
export class SyncService {
  /** Names the process, so an operator told "busy" (or reading a takeover) knows which one held the lease. */
  readonly #owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #inFlight = new Map<number, Promise<SyncOutcome>>();
  readonly #budgetMs: number;

  constructor(
    private readonly store: Store,
    private readonly client: GitlabClient | null,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
    options: SyncServiceOptions = {},
  ) {
    this.#budgetMs = options.budgetMs ?? DEFAULT_SYNC_BUDGET_MS;
  }

  /** Syncs one group; a second call while one runs for the same group waits for that one. */
  syncGroup(group: WorkingGroup, options: SyncOptions = {}): Promise<SyncOutcome> {
    const running = this.#inFlight.get(group.id);
    if (running) return running;
    const promise = this.#sync(group, options).finally(() => this.#inFlight.delete(group.id));
    this.#inFlight.set(group.id, promise);
    return promise;
  }

  /**
   * Every group with sources that has not ended, one at a time (GitLab's rate limit is per user, not per
   * group). Ended groups are left alone; `syncGroup` still syncs one when asked by name.
   */
  async syncAll(options: SyncOptions = {}): Promise<SyncOutcome[]> {
    const outcomes: SyncOutcome[] = [];
    const linked = this.store.groups
      .list()
      .filter((group) => group.lifecycle !== 'ended' && this.store.sources.listByWg(group.id).length > 0);
    for (const [index, group] of linked.entries()) {
      options.onGroup?.(group, index, linked.length);
      outcomes.push(await this.syncGroup(group, options));
    }
    return outcomes;
  }

  get isBusy(): boolean {
    return this.#inFlight.size > 0;
  }

  async #sync(group: WorkingGroup, options: SyncOptions): Promise<SyncOutcome> {
    const started = this.now();
    const requestsBefore = this.client?.stats.requests ?? 0;
    const outcome: Outcome = (status, fields = {}) => ({
      slug: group.slug,
      status,
      sources: [],
      requests: (this.client?.stats.requests ?? 0) - requestsBefore,
      removed: 0,
      error: null,
      ms: this.now().getTime() - started.getTime(),
      skipped: 0,
      ...fields,
    });
    const sources = this.store.sources.listByWg(group.id);
    if (sources.length === 0) return outcome('no-sources');
    if (!this.client) return outcome('no-gitlab', { error: 'GITLAB_TOKEN is not set: wgbot cannot sync' });

    const lease = this.store.transaction(() =>
      this.store.syncState.acquireLease(
        group.id,
        this.#owner,
        started,
        new Date(started.getTime() + LEASE_MS),
      ),
    );
    if (!lease.acquired) return outcome('busy', lease.previous ? { heldBy: lease.previous } : {});
    const tookOver = lease.previous
      ? { tookOver: { owner: lease.previous.owner, expiredAt: lease.previous.until } }
      : {};
    if (lease.previous)
      this.logger.warn(
        { wg: group.slug, previousOwner: lease.previous.owner, expiredAt: lease.previous.until },
        'took over an expired sync lease (its process stopped mid-sync)',
      );
    try {
      const fetched = await withRequestScope(
        {
          ...(options.signal ? { signal: options.signal } : {}),
          remainingMs: () => started.getTime() + this.#budgetMs - this.now().getTime(),
          budget: `SYNC_BUDGET_SECONDS (${Math.round(this.#budgetMs / 1000)} s)`,
        },
        () => this.#fetchAll(group, sources, options),
      );
      if (fetched === null) return outcome('busy', tookOver);
      return await this.#write(group, fetched, options, (status, fields) =>
        outcome(status, { ...tookOver, ...fields }),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.store.transaction(() => this.store.syncState.recordFailure(group.id, this.now(), message));
      this.logger.warn({ wg: group.slug, err: message }, 'sync failed; the last good data stays');
      return outcome('failed', { ...tookOver, error: message });
    } finally {
      this.store.transaction(() => this.store.syncState.releaseLease(group.id, this.#owner));
    }
  }

  /**
   * Every source's fetch, each on its own, within the sync's request scope (its deadline and abort signal).
   * Null when the lease was lost meanwhile. A slow GitLab can stretch one sync past the lease: it is
   * renewed after each source, and checked again in the writing transaction, so a sync that lost it to
   * another process writes nothing.
   */
  async #fetchAll(
    group: WorkingGroup,
    sources: StoredSource[],
    options: SyncOptions,
  ): Promise<Fetched[] | null> {
    const renewLease = () =>
      this.store.syncState.renewLease(group.id, this.#owner, new Date(this.now().getTime() + LEASE_MS));
    const client = this.client!;
    return fetchEach(
      sources,
      (sharing, memo) => this.#fetchOne(group, sharing, options, memo),
      () => this.store.transaction(renewLease),
      new SyncMemo(client),
    );
  }

  /** One source's fetch, with the records GitLab sent that it skipped or guessed at, each logged once. */
  async #fetchOne(group: WorkingGroup, sharing: StoredSource[], options: SyncOptions, memo: SyncMemo) {
    const { value, warnings } = await collectRecordWarnings(() =>
      fetchSource(this.store, this.client!, sharing, { full: options.full ?? false, now: this.now(), memo }),
    );
    for (const w of warnings)
      this.logger.warn(
        { wg: group.slug, source: sharing[0]!.url, record: describeWarning(w) },
        w.skipped ? 'GitLab record skipped' : 'GitLab record read with a guess',
      );
    return { ...keepUnreadable(value, warnings), warnings };
  }

  /** Each link's skipped records, as its last good fetch left them (for /healthz). */
  #recordSkipped(fetched: Fetched[]): void {
    for (const f of fetched) {
      if (f.error !== undefined) continue;
      const skipped = (f.warnings ?? []).filter((w) => w.skipped);
      const named = skipped.slice(0, WARNINGS_SHOWN).map(describeWarning);
      this.store.sources.recordSkipped(f.source.id, skipped.length, named);
    }
  }

  /** Writes what was fetched (or, when every source failed, only the errors) and says how it went. */
  async #write(
    group: WorkingGroup,
    fetched: Fetched[],
    options: SyncOptions,
    outcome: Outcome,
  ): Promise<SyncOutcome> {
    const sourceOutcomes = fetched.map((f) => sourceOutcome(f, options.full ?? false));
    const failed = fetched.filter((f) => f.error !== undefined);
    // Stopped on purpose (wgbot is stopping): nothing is wrong with GitLab, and the next sync redoes this.
    const stopped = failed.find((f) => f.error instanceof GitlabAbortedError);
    if (stopped) {
      this.logger.info({ wg: group.slug }, 'sync stopped: wgbot is stopping; nothing written');
      return outcome('failed', { error: messageOf(stopped.error), sources: sourceOutcomes });
    }
    for (const f of failed)
      this.logger.warn({ wg: group.slug, source: f.source.url, err: messageOf(f.error) }, 'link failed');
    for (const f of fetched)
      for (const warning of f.result?.warnings ?? [])
        this.logger.warn({ wg: group.slug, source: f.source.url, warning }, 'link warning');
    if (failed.length === fetched.length) {
      // A bound of wgbot's own names the link it stopped on, even when it is the only one.
      const message = failed
        .map((f) =>
          failed.length === 1 && errorKind(f.error) !== 'limit'
            ? messageOf(f.error)
            : `${f.source.url}: ${messageOf(f.error)}`,
        )
        .join('; ');
      this.store.transaction(() => {
        this.store.syncState.recordFailure(group.id, this.now(), message);
        for (const f of failed) this.store.sources.recordFailure(f.source.id, messageOf(f.error), this.now());
      });
      this.logger.warn({ wg: group.slug, err: message }, 'sync failed; the last good data stays');
      return outcome('failed', { error: message, sources: sourceOutcomes });
    }
    const renewLease = () =>
      this.store.syncState.renewLease(group.id, this.#owner, new Date(this.now().getTime() + LEASE_MS));
    const context = { store: this.store, logger: this.logger, now: this.now() };
    const written = await writeBigListings(context, group, fetched, renewLease);
    const wrote =
      written !== null &&
      this.store.transaction(
        () =>
          renewLease() &&
          (applyFetched(context, group, fetched, written), this.#recordSkipped(fetched), true),
      );
    if (!wrote) {
      this.logger.warn({ wg: group.slug }, 'sync lease taken over by another process; nothing written');
      return outcome('busy');
    }
    const removed = await removeOrphans(this.store, group.id, context.now);
    await recordProgressInBatches(this.store, group.id, context.now);
    const disagreements = driftReport(this.store, group, this.now()).findings.length;
    // The same object linked twice is fetched once and reported on both links: its records count once.
    const skipped = new Set(
      fetched.flatMap((f) => (f.warnings ?? []).filter((w) => w.skipped).map(describeWarning)),
    ).size;
    const done = outcome('synced', { removed, sources: sourceOutcomes, disagreements, skipped });
    this.logger.info(
      {
        wg: group.slug,
        requests: done.requests,
        ms: done.ms,
        sources: done.sources.length,
        failed: failed.length,
        removed,
        disagreements,
        skipped,
      },
      'sync finished',
    );
    return done;
  }
}
