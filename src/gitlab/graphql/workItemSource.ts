import type { GitlabClient } from '../client.js';
import { GitlabLimitError } from '../errors.js';
import type { GlEpic, GlIssue, GlIteration } from '../schemas.js';
import type { SyncMemo } from '../syncMemo.js';
import {
  FULL_SYNC_EVERY_MS,
  OVERLAP_MS,
  SourceAccessError,
  type SourceFetchInput,
  type SourceFetchResult,
  type WorkSource,
} from '../sources.js';
import { CHANGES_QUERY, PAGE_SIZE, TREE_QUERY } from './documents.js';
import { isEpicLike, numericId, toContainer, toEpic, toIssue, type WorkItemNode } from './mapWorkItem.js';
import { type Connection, listing, nodesOf, queryOnce } from './query.js';

/** What a work item source reads: a group's or project's work item by iid. */
export interface WorkItemTarget {
  namespaceKind: 'group' | 'project';
  path: string;
  iid: number;
  /** How messages name it: 'epic &3 in g', 'work item g/p#7'. */
  label: string;
}

/**
 * The most pages one listing of children may take. A GitLab (or proxy) that keeps offering a next page
 * must not keep a sync going for ever; 500 pages of 50 is 25,000 children.
 */
export const MAX_PAGES = 500;

/**
 * A work item and its direct children (any type: child epics and objectives become child epics; issues,
 * tasks and key results become items) through GitLab's GraphQL Work Items API. A full fetch pages the
 * hierarchy widget; an incremental one asks in one request for what changed since the cursor, child epics
 * included, and whether any child left.
 */
export class WorkItemSource implements WorkSource {
  constructor(
    private readonly client: GitlabClient,
    private readonly target: WorkItemTarget,
    /** Shares the open iterations between a sync's links. */
    private readonly memo: SyncMemo,
  ) {}

  async fetch(input: SourceFetchInput): Promise<SourceFetchResult> {
    const cursor = input.cursor;
    const last = cursor?.lastFullAt;
    const full =
      input.full ||
      !last ||
      input.now.getTime() - new Date(last).getTime() >= FULL_SYNC_EVERY_MS ||
      cursor?.api !== 'graphql' ||
      !cursor.workItemId;
    return full ? this.fetchFull(input) : this.fetchChanges(input);
  }

  private missing(): never {
    const message = `GitLab has no ${this.target.label} that this token can see (GraphQL work items): check the URL and the token's access.`;
    throw Object.assign(new SourceAccessError(message), { status: 404 });
  }

  /**
   * Every direct child through the hierarchy widget, page by page. `complete` is false when a page's
   * children connection came back null or with GitLab's errors: such a listing is never the membership.
   */
  private async hierarchy(warnings: string[]) {
    const vars = { fullPath: this.target.path, iid: String(this.target.iid), first: PAGE_SIZE };
    let root: WorkItemNode | null = null;
    let startedAt: string | null = null;
    let complete = true;
    const children: WorkItemNode[] = [];
    let after: string | null = null;
    for (let page = 1; ; page += 1) {
      if (page > MAX_PAGES) throw this.tooManyPages();
      const { data, partial } = await queryOnce(this.client, TREE_QUERY, { ...vars, after }, warnings);
      startedAt ??= this.client.stats.serverTime;
      const item = nodesOf(data, ['namespace', 'workItem'], warnings, this.target.label)[0] ?? this.missing();
      root ??= item;
      const childList: Connection | null = hierarchyChildren(data);
      if (childList === null || partial) complete = false;
      children.push(...nodesOf(childList, ['nodes'], warnings, `children of ${this.target.label}`));
      if (!childList?.pageInfo?.hasNextPage || !childList.pageInfo.endCursor) break;
      after = childList.pageInfo.endCursor;
    }
    return { root, children, complete, startedAt };
  }

  private async fetchFull(input: SourceFetchInput): Promise<SourceFetchResult> {
    const warnings: string[] = [];
    const { root, children, complete, startedAt } = await this.hierarchy(warnings);
    const issues = children.filter((c) => !isEpicLike(c)).map(toIssue);
    return {
      mode: 'full',
      container: toContainer(root),
      issues,
      complete,
      childEpics: complete ? children.filter(isEpicLike).map(toEpic) : null,
      iterations: await this.iterations(),
      cursor: {
        updatedAt: newest(issues, startedAt),
        containerUpdatedAt: root.updatedAt,
        lastFullAt: input.now.toISOString(),
        api: 'graphql',
        workItemId: root.id,
      },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  /**
   * What changed since the cursor, in one request when nobody left: the hierarchy widget's count of
   * children against the known members and child epics (plus the changed ones). When they differ, the
   * hierarchy is listed as the full fetch lists it, so both see the same children.
   */
  private async fetchChanges(input: SourceFetchInput): Promise<SourceFetchResult> {
    const cursor = input.cursor!;
    const warnings: string[] = [];
    const from = cursor.updatedAt ?? cursor.lastFullAt!;
    const since = new Date(new Date(from).getTime() - OVERLAP_MS).toISOString();
    const parentIds = [cursor.workItemId!];
    const vars = {
      fullPath: this.target.path,
      iid: String(this.target.iid),
      parentIds,
      since,
      first: PAGE_SIZE,
    };
    const { data, partial } = await queryOnce(this.client, CHANGES_QUERY, vars, warnings);
    const startedAt = this.client.stats.serverTime;
    const root = nodesOf(data, ['namespace', 'workItem'], warnings, this.target.label)[0] ?? this.missing();
    const ns = (data as { namespace?: Record<string, unknown> } | null)?.namespace ?? {};
    const changed = await listing(
      this.client,
      { page: ns.changed, partial },
      { fullPath: this.target.path, parentIds, since, first: PAGE_SIZE },
      { warnings, what: `changed children of ${this.target.label}`, maxPages: MAX_PAGES },
    );
    const expected = new Set([...input.known, ...(input.knownChildEpics ?? [])]);
    for (const c of changed.nodes) expected.add(`${isEpicLike(c) ? 'epic' : 'issue'}:${numericId(c.id)}`);
    const count = hierarchyChildren(data)?.count;
    // A child left or joined unseen (moved, deleted, hidden, or GitLab could not count): list them all.
    if (count !== expected.size || partial) {
      const all = await this.hierarchy(warnings);
      const issues = all.children.filter((c) => !isEpicLike(c)).map(toIssue);
      return this.changes(input, root, startedAt, warnings, {
        issues,
        complete: all.complete,
        childEpics: all.complete ? all.children.filter(isEpicLike).map(toEpic) : null,
      });
    }
    const epics = changed.nodes.filter(isEpicLike).map(toEpic);
    return this.changes(input, root, startedAt, warnings, {
      issues: changed.nodes.filter((c) => !isEpicLike(c)).map(toIssue),
      complete: false,
      ...(epics.length > 0 ? { childEpics: epics, childEpicsComplete: false } : { childEpics: null }),
    });
  }

  private changes(
    input: SourceFetchInput,
    root: WorkItemNode,
    startedAt: string | null,
    warnings: string[],
    found: Pick<SourceFetchResult, 'issues' | 'complete' | 'childEpics' | 'childEpicsComplete'>,
  ): SourceFetchResult {
    const cursor = input.cursor!;
    return {
      mode: 'incremental',
      container: toContainer(root),
      ...found,
      iterations: null,
      cursor: {
        updatedAt: newest(found.issues, startedAt ?? cursor.updatedAt),
        containerUpdatedAt: root.updatedAt,
        lastFullAt: cursor.lastFullAt,
        api: 'graphql',
        workItemId: root.id,
      },
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  }

  private async iterations(): Promise<GlIteration[] | null> {
    const { namespaceKind, path } = this.target;
    return this.memo.iterations(namespaceKind === 'group' ? { group: path } : { project: path });
  }

  private tooManyPages(): GitlabLimitError {
    return new GitlabLimitError(
      'pages',
      'graphql',
      `the children of ${this.target.label} run past ${MAX_PAGES} pages of ${PAGE_SIZE}: stopped there`,
    );
  }
}

/** The children connection in a TREE_QUERY or CHANGES_QUERY answer. */
function hierarchyChildren(data: unknown): (Connection & { count?: unknown }) | null {
  const item = (data as { namespace?: { workItem?: { widgets?: unknown } } } | null)?.namespace?.workItem;
  const widgets = Array.isArray(item?.widgets) ? (item.widgets as Record<string, unknown>[]) : [];
  const hierarchy = widgets.find((w) => w && typeof w === 'object' && 'children' in w);
  return (hierarchy?.children as Connection | null | undefined) ?? null;
}

/** Where the next incremental fetch starts: GitLab's clock at the fetch, or the newest change seen. */
function newest(issues: (GlIssue | GlEpic)[], startedAt: string | null): string | null {
  let max = startedAt;
  for (const i of issues) if (max === null || i.updated_at > max) max = i.updated_at;
  return max;
}
