import type { GitlabClient, IssueFilters, Scope } from './client.js';
import { GONE, NO_PREMIUM, REST_EPICS_GONE } from './errors.js';
import { GitlabHttpError } from './http.js';
import type { GlEpic, GlIssue } from './schemas.js';
import { SyncMemo } from './syncMemo.js';
import type { SourceCursor, SourceRef } from '../domain/sources.js';
import { epicSourceFor, workItemSourceFor } from './graphql/choose.js';

import {
  type ContainerInfo,
  FULL_SYNC_EVERY_MS,
  OVERLAP_MS,
  SourceAccessError,
  type SourceFetchInput,
  type SourceFetchResult,
  type WorkSource,
} from './sourceTypes.js';

export type { SourceCursor } from '../domain/sources.js';
export * from './sourceTypes.js';

function needsFull(input: SourceFetchInput): boolean {
  const last = input.cursor?.lastFullAt;
  return input.full || !last || input.now.getTime() - new Date(last).getTime() >= FULL_SYNC_EVERY_MS;
}

function since(cursor: SourceCursor): string {
  const from = cursor.updatedAt ?? cursor.lastFullAt!;
  return new Date(new Date(from).getTime() - OVERLAP_MS).toISOString();
}

function newestUpdate(issues: GlIssue[], previous: string | null): string | null {
  return issues.reduce<string | null>(
    (max, i) => (max === null || i.updated_at > max ? i.updated_at : max),
    previous,
  );
}

/** The cursor after a fetch that began at GitLab time `startedAt` (null when GitLab sent no Date). */
function nextCursor(startedAt: string | null, issues: GlIssue[], previous: string | null): string | null {
  const newest = newestUpdate(issues, previous);
  if (startedAt === null) return newest;
  return newest !== null && newest > startedAt ? newest : startedAt;
}

/**
 * The incremental part every issue source shares: fetch what changed since the cursor, then ask GitLab
 * how many members there are now — from its issues statistics, which count at any size, where a listing's
 * x-total stops beyond 10,000 rows (and a probe without a count would relist everything). Every issue that joined shows up as changed, so if the count matches
 * the known members plus the changed ones, nobody left; if not, someone left (moved, deleted, hidden)
 * and the full list is fetched once to find out who. Three requests when nothing left, whatever the size.
 */
async function changedMembers(
  input: SourceFetchInput,
  fetchChanged: (updatedAfter: string) => Promise<GlIssue[]>,
  countAll: () => Promise<number | null>,
  listAll: () => Promise<GlIssue[]>,
): Promise<{ issues: GlIssue[]; complete: boolean }> {
  const changed = await fetchChanged(since(input.cursor!));
  const expected = new Set(input.known);
  for (const issue of changed) expected.add(`issue:${issue.id}`);
  const count = await countAll();
  if (count !== null && count === expected.size) return { issues: changed, complete: false };
  return { issues: await listAll(), complete: true };
}

/** GitLab's listings stop sending x-total beyond this many rows. */
const LISTING_COUNT_LIMIT = 10_000;

function accessError(error: unknown, what: string, hint: string, epic = false): never {
  if (error instanceof GitlabHttpError && [403, 404, 410].includes(error.status)) {
    const why = error.status === 403 ? `${NO_PREMIUM}. ${hint}` : epic ? REST_EPICS_GONE : `${GONE}. ${hint}`;
    throw Object.assign(new SourceAccessError(`GitLab answered ${error.status} for ${what}: ${why}`), {
      status: error.status,
    });
  }
  throw error;
}

const LINK_INSTEAD =
  'Link a milestone (…/-/milestones/<iid>) or a labelled issue list (…/-/issues?label_name[]=<label>) instead, or give the token read_api access to the group.';

function epicContainer(epic: GlEpic): ContainerInfo {
  return {
    title: epic.title,
    description: epic.description ?? null,
    state: epic.state,
    webUrl: epic.web_url,
    externalId: `epic:${epic.id}`,
    dueDate: epic.due_date ?? epic.end_date ?? null,
    updatedAt: epic.updated_at,
  };
}

/** The GitLab id in an external id such as 'epic:42'; null when it is not of that kind. */
function idOf(externalId: string | null | undefined, kind: 'epic'): number | null {
  const match = externalId ? new RegExp(`^${kind}:(\\d+)$`).exec(externalId) : null;
  return match ? Number(match[1]) : null;
}

/**
 * An epic, its issues and its child epics.
 *
 * Full fetch: the epic, its issues, its child epics, the group's open iterations (shared by the sync's
 * other links through the memo) — three requests of its own plus one page per 100 issues.
 *
 * Incremental fetch, three requests whatever the size: (1) the group's epics updated since the cursor,
 * which holds the epic itself when it changed (else the stored container stands) and every child epic
 * that changed — closing a child epic changes the child, not its parent, so asking the parent misses it;
 * (2) the epic's issues updated since the cursor; (3) how many issues the epic has (issues statistics,
 * exact beyond 10,000). Child epics in another group hierarchy than the epic's are seen by the daily full
 * fetch, or sooner through the webhook (`refetchChildren`).
 */
export class EpicSource implements WorkSource {
  constructor(
    private readonly client: GitlabClient,
    private readonly ref: Extract<SourceRef, { kind: 'epic' }>,
    private readonly memo: SyncMemo,
  ) {}

  async fetch(input: SourceFetchInput): Promise<SourceFetchResult> {
    const epicId = idOf(input.stored?.externalId, 'epic');
    if (needsFull(input) || epicId === null || !input.stored) return this.#full(input);
    return this.#incremental(input, input.stored, epicId);
  }

  async #full(input: SourceFetchInput): Promise<SourceFetchResult> {
    const { path, iid } = this.ref;
    const epic = await this.client
      .getEpic(path, iid)
      .catch((e) => accessError(e, `epic &${iid} in ${path}`, LINK_INSTEAD, true));
    const startedAt = this.client.stats.serverTime;
    const issues = await this.client.listEpicIssues(path, iid);
    const childEpics = await this.client.listChildEpics(path, iid);
    const iterations = await this.memo.iterations({ group: path });
    return {
      mode: 'full',
      container: epicContainer(epic),
      issues,
      complete: true,
      childEpics,
      iterations,
      cursor: {
        updatedAt: nextCursor(startedAt, issues, null),
        containerUpdatedAt: epic.updated_at,
        lastFullAt: input.now.toISOString(),
      },
    };
  }

  /**
   * The epic's own issue listing counts every member, issues of other group hierarchies included, but says
   * how many only up to 10,000; the group's issues statistics count at any size but only inside the group.
   * So: the listing's count while the epic is small, the statistics once it is past what x-total covers.
   */
  async #countMembers(known: number, epicId: number): Promise<number | null> {
    const { path, iid } = this.ref;
    if (known < LISTING_COUNT_LIMIT) {
      const listed = await this.client.countEpicIssues(path, iid);
      if (listed !== null) return listed;
    }
    return this.client.countIssues({ group: path }, { epicId });
  }

  async #incremental(
    input: SourceFetchInput,
    stored: ContainerInfo,
    epicId: number,
  ): Promise<SourceFetchResult> {
    const { path, iid } = this.ref;
    const cursor = input.cursor!;
    this.client.stats.firstServerTime = null;
    const updatedEpics = await this.client
      .listGroupEpicsUpdated(path, since(cursor))
      .catch((e) => accessError(e, `the epics of ${path}`, LINK_INSTEAD));
    const startedAt = this.client.stats.firstServerTime;
    const self = updatedEpics.find((e) => e.id === epicId);
    const { issues, complete } = await changedMembers(
      input,
      (updatedAfter) => this.client.listIssues({ group: path }, { epicId, updatedAfter }),
      () => this.#countMembers(input.known.size, epicId),
      () => this.client.listEpicIssues(path, iid),
    );
    const children = await this.#childChanges(input, updatedEpics, epicId);
    return {
      mode: 'incremental',
      container: self ? epicContainer(self) : { ...stored, updatedAt: cursor.containerUpdatedAt },
      issues,
      complete,
      ...children,
      iterations: null,
      cursor: {
        updatedAt: nextCursor(startedAt, issues, cursor.updatedAt),
        containerUpdatedAt: self?.updated_at ?? cursor.containerUpdatedAt,
        lastFullAt: cursor.lastFullAt,
      },
    };
  }

  /** The child epics that changed (joined, changed or left), or all of them when a webhook asked. */
  async #childChanges(
    input: SourceFetchInput,
    updatedEpics: GlEpic[],
    epicId: number,
  ): Promise<Pick<SourceFetchResult, 'childEpics' | 'childEpicsComplete' | 'childEpicsGone'>> {
    if (input.cursor!.refetchChildren)
      return { childEpics: await this.client.listChildEpics(this.ref.path, this.ref.iid) };
    const known = input.knownChildEpics ?? new Set<string>();
    const changed = updatedEpics.filter((e) => e.parent_id === epicId);
    const gone = updatedEpics
      .filter((e) => e.parent_id !== epicId && known.has(`epic:${e.id}`))
      .map((e) => e.id);
    if (changed.length === 0 && gone.length === 0) return { childEpics: null };
    return { childEpics: changed, childEpicsComplete: false, childEpicsGone: gone };
  }
}

/** Issues selected by a filter (a milestone's title or labels) in a project or group. */
class FilteredIssuesSource implements WorkSource {
  constructor(
    private readonly client: GitlabClient,
    private readonly scope: Scope,
    private readonly resolve: () => Promise<{ filters: IssueFilters; container: ContainerInfo | null }>,
    private readonly memo: SyncMemo,
  ) {}

  async fetch(input: SourceFetchInput): Promise<SourceFetchResult> {
    const { filters, container } = await this.resolve();
    // With no container request first, the first answer of the listing dates it (not the last page's).
    let startedAt = container ? this.client.stats.serverTime : null;
    this.client.stats.firstServerTime = null;
    const listAll = () => this.client.listIssues(this.scope, filters);
    if (needsFull(input)) {
      const issues = await listAll();
      startedAt ??= this.client.stats.firstServerTime;
      const iterations = await this.memo.iterations(this.scope);
      return {
        mode: 'full',
        container,
        issues,
        complete: true,
        childEpics: null,
        iterations,
        cursor: {
          updatedAt: nextCursor(startedAt, issues, null),
          containerUpdatedAt: container?.updatedAt ?? null,
          lastFullAt: input.now.toISOString(),
        },
      };
    }
    const { issues, complete } = await changedMembers(
      input,
      async (updatedAfter) => {
        const changed = await this.client.listIssues(this.scope, { ...filters, updatedAfter });
        startedAt ??= this.client.stats.firstServerTime;
        return changed;
      },
      () => this.client.countIssues(this.scope, filters),
      listAll,
    );
    return {
      mode: 'incremental',
      container,
      issues,
      complete,
      childEpics: null,
      iterations: null,
      cursor: {
        updatedAt: nextCursor(startedAt, issues, input.cursor!.updatedAt),
        containerUpdatedAt: container?.updatedAt ?? null,
        lastFullAt: input.cursor!.lastFullAt,
      },
    };
  }
}

class SingleIssueSource implements WorkSource {
  constructor(
    private readonly client: GitlabClient,
    private readonly ref: Extract<SourceRef, { kind: 'issue' }>,
  ) {}

  async fetch(input: SourceFetchInput): Promise<SourceFetchResult> {
    const { path, iid } = this.ref;
    const issue = await this.client
      .getIssue(path, iid)
      .catch((e) =>
        accessError(e, `issue ${path}#${iid}`, 'Check the URL and that the token can read the project.'),
      );
    return {
      mode: 'full',
      container: null,
      issues: [issue],
      complete: true,
      childEpics: null,
      iterations: null,
      cursor: { updatedAt: issue.updated_at, containerUpdatedAt: null, lastFullAt: input.now.toISOString() },
    };
  }
}

/** The source for a link; `memo` shares what one sync asks GitLab once (iterations) between its links. */
export function sourceFor(client: GitlabClient, ref: SourceRef, memo = new SyncMemo(client)): WorkSource {
  switch (ref.kind) {
    case 'epic':
      return epicSourceFor(client, ref, memo);
    case 'work_item':
      return workItemSourceFor(client, ref, memo);
    case 'issue':
      return new SingleIssueSource(client, ref);
    case 'milestone': {
      const scope: Scope = ref.namespaceKind === 'group' ? { group: ref.path } : { project: ref.path };
      return new FilteredIssuesSource(
        client,
        scope,
        async () => {
          const milestone = await client
            .getMilestone(scope, ref.iid)
            .catch((e) =>
              accessError(e, `milestone %${ref.iid} in ${ref.path}`, 'Check the URL and the token.'),
            );
          if (!milestone) {
            throw new SourceAccessError(
              `GitLab has no milestone %${ref.iid} in ${ref.path} that this token can see`,
            );
          }
          return {
            filters: { milestone: milestone.title },
            container: {
              title: milestone.title,
              description: null,
              state: milestone.state ?? null,
              webUrl: milestone.web_url ?? null,
              externalId: `milestone:${milestone.id}`,
              dueDate: milestone.due_date ?? null,
              updatedAt: null,
            },
          };
        },
        memo,
      );
    }
    case 'issues': {
      const scope: Scope = ref.namespaceKind === 'group' ? { group: ref.path } : { project: ref.path };
      return new FilteredIssuesSource(
        client,
        scope,
        async () => ({
          filters: { labels: ref.labels, milestone: ref.milestone },
          container: null,
        }),
        memo,
      );
    }
  }
}
