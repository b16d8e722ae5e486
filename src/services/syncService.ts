import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { linkedPercent, type MemberFigures } from '../domain/progress.js';
import type { WorkingGroup } from '../domain/types.js';
import type { GitlabClient } from '../gitlab/client.js';
import {
  GitlabAbortedError,
  GitlabHttpError,
  GitlabLimitError,
  GitlabUnavailableError,
  withRequestScope,
} from '../gitlab/http.js';
import { type MappedItem, mapChildEpic, mapIssue, sprintsFrom } from '../gitlab/mapping.js';
import { SourceAccessError, type SourceFetchResult, sourceFor } from '../gitlab/sources.js';
import { epicTaskSourceKey, parseEpicDescription } from '../import/epic.js';
import { ImportError } from '../import/errors.js';
import { parseMarkdown } from '../import/markdown.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { StoredSource } from '../store/repositories/gitlabSources.js';
import type { Store } from '../store/store.js';
import { recordProgress } from './groupState.js';

export interface SourceOutcome {
  sourceId: number;
  url: string;
  mode: 'full' | 'incremental';
  issues: number;
  complete: boolean;
  /** Why this link's fetch failed (what it holds stays as its last good fetch left it); null when it worked. */
  error: string | null;
  /**
   * `access`: GitLab answered 403/404 — no such object, or the token cannot see it; `unavailable`: GitLab
   * did not answer through the retries; `limit`: the sync stopped at a bound of wgbot's own (more pages than
   * GITLAB_MAX_PAGES, an answer too large, SYNC_BUDGET_SECONDS used up); `other`: anything else (garbage in
   * the answer, say).
   */
  errorKind: 'access' | 'unavailable' | 'limit' | 'other' | null;
}

export interface SyncOutcome {
  slug: string;
  status: 'synced' | 'failed' | 'busy' | 'no-sources' | 'no-gitlab';
  sources: SourceOutcome[];
  /** HTTP requests this sync made (retries included). */
  requests: number;
  removed: number;
  error: string | null;
  ms: number;
  /** `busy`: the other process's lease this sync found (`owner` names host and process id) and its end. */
  heldBy?: { owner: string; until: string };
  /** A lease left by a process that stopped mid-sync (a crash), expired and taken over by this sync. */
  tookOver?: { owner: string; expiredAt: string };
}

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

type Outcome = (status: SyncOutcome['status'], fields?: Partial<SyncOutcome>) => SyncOutcome;

/** One link's fetch: what GitLab returned, or why it could not. */
type Fetched =
  | { source: StoredSource; result: SourceFetchResult; error?: undefined }
  | { source: StoredSource; error: unknown; result?: undefined };

function errorKind(error: unknown): NonNullable<SourceOutcome['errorKind']> {
  if (error instanceof SourceAccessError) return 'access';
  if (error instanceof GitlabLimitError) return 'limit';
  if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 404)) return 'access';
  if (error instanceof GitlabUnavailableError) return 'unavailable';
  return 'other';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sourceOutcome({ source, result, error }: Fetched, full: boolean): SourceOutcome {
  if (result)
    return {
      sourceId: source.id,
      url: source.url,
      mode: result.mode,
      issues: result.issues.length,
      complete: result.complete,
      error: null,
      errorKind: null,
    };
  return {
    sourceId: source.id,
    url: source.url,
    mode: full || !source.cursor ? 'full' : 'incremental',
    issues: 0,
    complete: false,
    error: messageOf(error),
    errorKind: errorKind(error),
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
      return this.#write(group, fetched, options, (status, fields) =>
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
    const fetched: Fetched[] = [];
    // The same GitLab object linked twice (the group's epic, and behind a criterion) is fetched once.
    const byUrl = new Map<string, { cursor: string; got: Omit<Fetched, 'source'> }>();
    for (const source of sources) {
      const reuse = byUrl.get(source.url);
      if (reuse && reuse.cursor === JSON.stringify(source.cursor)) {
        fetched.push({ source, ...reuse.got } as Fetched);
        continue;
      }
      const got = await this.#fetch(source, options);
      fetched.push({ source, ...got } as Fetched);
      byUrl.set(source.url, { cursor: JSON.stringify(source.cursor), got });
      if (!this.store.transaction(renewLease)) return null;
    }
    return fetched;
  }

  /** Writes what was fetched (or, when every source failed, only the errors) and says how it went. */
  #write(group: WorkingGroup, fetched: Fetched[], options: SyncOptions, outcome: Outcome): SyncOutcome {
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
    const removed = this.store.transaction(() => (renewLease() ? this.#apply(group, fetched) : null));
    if (removed === null) {
      this.logger.warn({ wg: group.slug }, 'sync lease taken over by another process; nothing written');
      return outcome('busy');
    }
    const done = outcome('synced', { removed, sources: sourceOutcomes });
    this.logger.info(
      {
        wg: group.slug,
        requests: done.requests,
        ms: done.ms,
        sources: done.sources.length,
        failed: failed.length,
        removed,
      },
      'sync finished',
    );
    return done;
  }

  /** One source's fetch; its failure is its own, not the group's. */
  async #fetch(source: StoredSource, options: SyncOptions): Promise<Omit<Fetched, 'source'>> {
    const known = new Set(
      this.store.sources
        .members(source.id)
        .filter((m) => m.source === 'gitlab_issue' && m.externalId)
        .map((m) => m.externalId!),
    );
    try {
      const result = await sourceFor(this.client!, source.ref).fetch({
        cursor: source.cursor,
        known,
        full: options.full ?? false,
        now: this.now(),
      });
      return { result };
    } catch (error) {
      return { error };
    }
  }

  /**
   * Writes one group's fetched sources; runs inside the group's transaction. Returns items removed. A
   * source that failed keeps its members, so its items are not taken for gone.
   */
  #apply(group: WorkingGroup, all: Fetched[]): number {
    const now = this.now();
    for (const { source, error } of all)
      if (error !== undefined) this.store.sources.recordFailure(source.id, messageOf(error), now);
    const fetched = all.flatMap((f): [StoredSource, SourceFetchResult][] =>
      f.result ? [[f.source, f.result]] : [],
    );
    const upsert = (item: MappedItem, position: number): number => {
      const ownerPersonIds = item.assignees.map(
        (a) => this.store.people.findOrCreate(a.name, now, a.username).id,
      );
      return this.store.items.upsert(
        group.id,
        {
          source: item.source,
          sourceKey: item.sourceKey,
          title: item.title,
          notes: null,
          state: item.state,
          sprint: item.sprint,
          owners: item.assignees.map((a) => a.name),
          ownerPersonIds,
          dueDate: item.dueDate,
          url: item.url,
          storyRef: item.storyRef,
          confidential: item.confidential,
          weight: item.weight,
          labels: item.labels,
          externalId: item.externalId,
          externalUpdatedAt: item.updatedAt,
          closedAt: item.closedAt,
          position,
          sourceLine: null,
          tasksCompleted: item.tasksCompleted,
          tasksTotal: item.tasksTotal,
          gitlabPath: item.gitlabPath,
          gitlabIid: item.gitlabIid,
        },
        now,
      );
    };

    for (const [source, result] of fetched) {
      const issueIds = result.issues.map((issue, i) => upsert(mapIssue(issue), 1000 + i));
      if (result.complete) this.store.sources.replaceMembers(source.id, 'gitlab_issue', issueIds);
      else this.store.sources.addMembers(source.id, issueIds);
      if (result.childEpics !== null && source.ref.kind === 'epic') {
        const path = source.ref.path;
        const epicIds = result.childEpics.map((epic, i) => upsert(mapChildEpic(epic, path), 500 + i));
        this.store.sources.replaceMembers(source.id, 'gitlab_epic', epicIds);
      }
      if (source.ref.kind === 'epic' && source.criterionId === null) {
        this.#applyTaskLines(group, source, result.container?.description ?? null, now);
      }
      for (const sprint of sprintsFrom(result.issues, result.iterations))
        this.store.sprints.upsert(group.id, sprint);
      // A webhook may have asked for child epics while this fetch ran without them: keep asking.
      const stored = this.store.sources.getById(source.id)?.cursor;
      const cursor =
        stored?.refetchChildren && result.childEpics === null
          ? { ...result.cursor, refetchChildren: true }
          : result.cursor;
      this.store.sources.recordFetch(
        source.id,
        {
          title: result.container?.title ?? null,
          webUrl: result.container?.webUrl ?? null,
          state: result.container?.state ?? null,
          externalId: result.container?.externalId ?? null,
        },
        cursor,
        now,
      );
      if (source.criterionId !== null)
        this.#updateCriterion(group, source, result.container?.description ?? null);
    }

    // Fill what the page left blank from the group's own epic: its end date and where to look.
    const own = fetched.find(([s]) => s.criterionId === null && s.ref.kind === 'epic');
    if (own) {
      const container = own[1].container;
      const blanks = {
        ...(group.targetEndDate === null && container?.dueDate
          ? { targetEndDate: container.dueDate.slice(0, 10) }
          : {}),
        ...(group.taskBoardUrl === null && container?.webUrl ? { taskBoardUrl: container.webUrl } : {}),
      };
      if (Object.keys(blanks).length > 0)
        this.store.groups.update(group.id, { name: group.name, ...blanks }, now);
    }

    const orphans = this.store.sources.orphanedItems(group.id);
    this.store.items.markRemoved(orphans, now);
    this.store.syncState.recordSuccess(group.id, now, {});
    recordProgress(this.store, this.store.groups.getById(group.id)!, now);
    return orphans.length;
  }

  /** The task lines of an epic description; none (and a warning) when it cannot be read. */
  #taskLines(
    group: WorkingGroup,
    description: string | null,
  ): ReturnType<typeof parseEpicDescription>['items'] {
    if (!description?.trim()) return [];
    try {
      return parseEpicDescription(parseMarkdown(description)).items;
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      this.logger.warn({ wg: group.slug, err: error.message }, 'epic description not read');
      return [];
    }
  }

  /** The epic description's task list becomes action items, kept per source so several epics can coexist. */
  #applyTaskLines(group: WorkingGroup, source: StoredSource, description: string | null, now: Date): void {
    const items = this.#taskLines(group, description);
    const groupPath = source.ref.path;
    const ids = items.map((task, position) => {
      const ownerPersonIds = task.owners.map((o) =>
        o.startsWith('@')
          ? this.store.people.findOrCreate(o.slice(1), now, o.slice(1)).id
          : this.store.people.findOrCreate(o, now).id,
      );
      const sourceKey = epicTaskSourceKey(task.key, source.id);
      this.#takeOverImportedLine(group.id, task.key, sourceKey, now);
      const previous = this.store.items.getByKey(group.id, 'epic_task', sourceKey);
      const state = task.done ? 'done' : 'open';
      return this.store.items.upsert(
        group.id,
        {
          source: 'epic_task',
          sourceKey,
          title: task.title,
          notes: task.notes,
          state,
          sprint:
            task.sprintNumber === null
              ? null
              : { number: task.sprintNumber, title: `Sprint ${task.sprintNumber}`, source: 'text' },
          owners: task.owners.map((o) => o.replace(/^@/, '')),
          ownerPersonIds,
          dueDate: task.dueDate,
          url: task.url ?? source.webUrl,
          storyRef: task.storyRef,
          confidential: false,
          weight: null,
          labels: [],
          externalId: null,
          externalUpdatedAt: null,
          closedAt:
            previous?.state === state ? previous.closedAt : state === 'done' ? now.toISOString() : null,
          position,
          sourceLine: task.line,
          gitlabPath: groupPath,
          gitlabIid: 'iid' in source.ref ? source.ref.iid : null,
        },
        now,
      );
    });
    this.store.sources.replaceMembers(source.id, 'epic_task', ids);
  }

  /**
   * The same line imported from the epic's description before the epic was linked becomes this source's
   * item — one item, its history, snoozes and reminders kept. A pair an older wgbot stored twice loses
   * its imported twin.
   */
  #takeOverImportedLine(wgId: number, lineKey: string, sourceKey: string, now: Date): void {
    const imported = this.store.items.getByKey(wgId, 'epic_task', epicTaskSourceKey(lineKey, null));
    if (!imported || imported.removedAt) return;
    if (this.store.items.getByKey(wgId, 'epic_task', sourceKey))
      this.store.items.markRemoved([imported.id], now);
    else this.store.items.rekey(imported.id, sourceKey, now);
  }

  /**
   * A criterion's figure from what its source holds. An epic's own task list counts when it has no child
   * issues or epics; its lines are counted here, not stored as the group's action items, since the same
   * epic may also be the group's source.
   */
  #updateCriterion(group: WorkingGroup, source: StoredSource, description: string | null): void {
    const members: MemberFigures[] = this.store.sources.members(source.id).flatMap((m) => {
      const item = this.store.items.getById(m.itemId);
      return item ? [item] : [];
    });
    if (source.ref.kind === 'epic') {
      for (const task of this.#taskLines(group, description)) {
        members.push({
          source: 'epic_task',
          state: task.done ? 'done' : 'open',
          weight: null,
          tasksCompleted: null,
          tasksTotal: null,
        });
      }
    }
    this.store.criteria.setGitlabPercent(
      group.id,
      source.criterionId!,
      linkedPercent(source.ref.kind, members),
    );
  }
}
