import type { GitlabClient, IssueFilters, Scope } from './client.js';
import { GitlabHttpError } from './http.js';
import type { GlEpic, GlIssue, GlIteration } from './schemas.js';
import type { SourceCursor, SourceRef } from '../domain/sources.js';

export type { SourceCursor } from '../domain/sources.js';

export interface ContainerInfo {
  title: string;
  description: string | null;
  state: string | null;
  webUrl: string | null;
  externalId: string;
  dueDate: string | null;
  updatedAt: string | null;
  /** GitLab's health status of the container (work items), when it has one. */
  health?: 'on_track' | 'needs_attention' | 'at_risk' | null;
  /** An objective's or key result's progress 0–100 (work items' progress widget); absent otherwise. */
  progress?: number | null;
}

export interface SourceFetchInput {
  cursor: SourceCursor | null;
  /** External ids ('issue:<id>') of the issues this source held after its last sync. */
  known: ReadonlySet<string>;
  full: boolean;
  now: Date;
}

export interface SourceFetchResult {
  mode: 'full' | 'incremental';
  container: ContainerInfo | null;
  issues: GlIssue[];
  /** True when `issues` is every member of the source; false when it is only what changed. */
  complete: boolean;
  /** Child epics, or null when not fetched this time (the stored ones stay). */
  childEpics: GlEpic[] | null;
  iterations: GlIteration[] | null;
  cursor: SourceCursor;
}

/**
 * One kind of GitLab object that holds a working group's work. REST sources live here; a Work Items
 * (GraphQL) source for epics after the REST epics API is removed implements the same interface.
 */
export interface WorkSource {
  fetch(input: SourceFetchInput): Promise<SourceFetchResult>;
}

/** The source exists but this token or this GitLab cannot read it: the message says what to link instead. */
export class SourceAccessError extends Error {
  override name = 'SourceAccessError';
}

/** A full fetch at least this often catches what incremental fetches cannot see (deleted issues, lost events). */
export const FULL_SYNC_EVERY_MS = 24 * 60 * 60 * 1000;
/** Incremental fetches start this far before the cursor: GitLab's updated_at has one-second steps. */
export const OVERLAP_MS = 5 * 60 * 1000;

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
 * how many members there are now. Every issue that joined shows up as changed, so if the count matches
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

function accessError(error: unknown, what: string, hint: string): never {
  if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 404)) {
    throw new SourceAccessError(
      `GitLab answered ${error.status} for ${what}: ${error.status === 403 ? 'epics and iterations need GitLab Premium, or the token lacks access' : 'it does not exist, was removed, or the token cannot see it'}. ${hint}`,
    );
  }
  throw error;
}

const LINK_INSTEAD =
  'Link a milestone (…/-/milestones/<iid>) or a labelled issue list (…/-/issues?label_name[]=<label>) instead, or give the token read_api access to the group.';

class EpicSource implements WorkSource {
  constructor(
    private readonly client: GitlabClient,
    private readonly ref: Extract<SourceRef, { kind: 'epic' }>,
  ) {}

  async fetch(input: SourceFetchInput): Promise<SourceFetchResult> {
    const { path, iid } = this.ref;
    const epic = await this.client
      .getEpic(path, iid)
      .catch((e) => accessError(e, `epic &${iid} in ${path}`, LINK_INSTEAD));
    const startedAt = this.client.stats.serverTime;
    const container: ContainerInfo = {
      title: epic.title,
      description: epic.description ?? null,
      state: epic.state,
      webUrl: epic.web_url,
      externalId: `epic:${epic.id}`,
      dueDate: epic.due_date ?? epic.end_date ?? null,
      updatedAt: epic.updated_at,
    };
    const listAll = () => this.client.listEpicIssues(path, iid);
    if (needsFull(input)) {
      const [issues, childEpics, iterations] = [
        await listAll(),
        await this.client.listChildEpics(path, iid),
        await this.client.listOpenIterations({ group: path }),
      ];
      return {
        mode: 'full',
        container,
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
    const { issues, complete } = await changedMembers(
      input,
      (updatedAfter) => this.client.listIssues({ group: path }, { epicId: epic.id, updatedAfter }),
      () => this.client.countEpicIssues(path, iid),
      listAll,
    );
    // Child epics change rarely; their link to this epic changes the epic, so only then are they fetched.
    const childEpics =
      epic.updated_at !== input.cursor!.containerUpdatedAt || input.cursor!.refetchChildren
        ? await this.client.listChildEpics(path, iid)
        : null;
    return {
      mode: 'incremental',
      container,
      issues,
      complete,
      childEpics,
      iterations: null,
      cursor: {
        updatedAt: nextCursor(startedAt, issues, input.cursor!.updatedAt),
        containerUpdatedAt: epic.updated_at,
        lastFullAt: input.cursor!.lastFullAt,
      },
    };
  }
}

/** Issues selected by a filter (a milestone's title or labels) in a project or group. */
class FilteredIssuesSource implements WorkSource {
  constructor(
    private readonly client: GitlabClient,
    private readonly scope: Scope,
    private readonly resolve: () => Promise<{ filters: IssueFilters; container: ContainerInfo | null }>,
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
      const iterations = await this.client.listOpenIterations(this.scope);
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

export function sourceFor(client: GitlabClient, ref: SourceRef): WorkSource {
  switch (ref.kind) {
    case 'epic':
      return new EpicSource(client, ref);
    case 'issue':
      return new SingleIssueSource(client, ref);
    case 'milestone': {
      const scope: Scope = ref.namespaceKind === 'group' ? { group: ref.path } : { project: ref.path };
      return new FilteredIssuesSource(client, scope, async () => {
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
      });
    }
    case 'issues': {
      const scope: Scope = ref.namespaceKind === 'group' ? { group: ref.path } : { project: ref.path };
      return new FilteredIssuesSource(client, scope, async () => ({
        filters: { labels: ref.labels, milestone: ref.milestone },
        container: null,
      }));
    }
  }
}
