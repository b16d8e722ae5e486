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
import { CHANGES_QUERY, EPIC_LIKE_TYPES, ITEM_TYPES, PAGE_SIZE, TREE_QUERY } from './documents.js';
import { isEpicLike, toContainer, toEpic, toIssue, type WorkItemNode } from './mapWorkItem.js';
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

  private async fetchFull(input: SourceFetchInput): Promise<SourceFetchResult> {
    const warnings: string[] = [];
    const vars = { fullPath: this.target.path, iid: String(this.target.iid), first: PAGE_SIZE };
    let root: WorkItemNode | null = null;
    let startedAt: string | null = null;
    const children: WorkItemNode[] = [];
    let after: string | null = null;
    for (let page = 1; ; page += 1) {
      if (page > MAX_PAGES) throw this.tooManyPages();
      const data = await queryOnce(this.client, TREE_QUERY, { ...vars, after }, warnings);
      startedAt ??= this.client.stats.serverTime;
      const item = nodesOf(data, ['namespace', 'workItem'], warnings, this.target.label)[0] ?? this.missing();
      root ??= item;
      const childList: Connection | null = hierarchyChildren(data);
      children.push(...nodesOf(childList, ['nodes'], warnings, `children of ${this.target.label}`));
      if (!childList?.pageInfo?.hasNextPage || !childList.pageInfo.endCursor) break;
      after = childList.pageInfo.endCursor;
    }
    const issues = children.filter((c) => !isEpicLike(c)).map(toIssue);
    return {
      mode: 'full',
      container: toContainer(root),
      issues,
      complete: true,
      childEpics: children.filter(isEpicLike).map(toEpic),
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

  private async fetchChanges(input: SourceFetchInput): Promise<SourceFetchResult> {
    const cursor = input.cursor!;
    const warnings: string[] = [];
    const from = cursor.updatedAt ?? cursor.lastFullAt!;
    const since = new Date(new Date(from).getTime() - OVERLAP_MS).toISOString();
    const parentIds = [cursor.workItemId!];
    const data = await queryOnce(
      this.client,
      CHANGES_QUERY,
      {
        fullPath: this.target.path,
        iid: String(this.target.iid),
        parentIds,
        since,
        itemTypes: ITEM_TYPES,
        epicTypes: EPIC_LIKE_TYPES,
        first: PAGE_SIZE,
      },
      warnings,
    );
    const startedAt = this.client.stats.serverTime;
    const root = nodesOf(data, ['namespace', 'workItem'], warnings, this.target.label)[0] ?? this.missing();
    const list = (first: unknown, vars: Record<string, unknown>, what: string) =>
      listing(
        this.client,
        first,
        { ...vars, fullPath: this.target.path, parentIds, first: PAGE_SIZE },
        {
          warnings,
          what,
          maxPages: MAX_PAGES,
        },
      );
    const ns = (data as { namespace?: Record<string, unknown> } | null)?.namespace ?? {};
    const changed = await list(ns.changed, { since }, `changed children of ${this.target.label}`);
    const epics = await list(ns.epics, { types: EPIC_LIKE_TYPES }, `child epics of ${this.target.label}`);
    let issues = changed.filter((c) => !isEpicLike(c)).map(toIssue);
    const expected = new Set(input.known);
    for (const issue of issues) expected.add(`issue:${issue.id}`);
    const count = (ns.members as { count?: unknown } | null | undefined)?.count;
    const complete = count !== expected.size;
    // A child left (moved, deleted, hidden): only the whole list says which, as with REST.
    if (complete) {
      const all = await list(null, { types: ITEM_TYPES }, `children of ${this.target.label}`);
      issues = all.map(toIssue);
    }
    return {
      mode: 'incremental',
      container: toContainer(root),
      issues,
      complete,
      childEpics: epics.map(toEpic),
      iterations: null,
      cursor: {
        updatedAt: newest(issues, startedAt ?? cursor.updatedAt),
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

/** The children connection in a TREE_QUERY answer. */
function hierarchyChildren(data: unknown): Connection | null {
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
