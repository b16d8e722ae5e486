import type { GitlabClient } from '../client.js';
import { GitlabLimitError } from '../errors.js';
import { type RecordKind, reportRecord } from '../tolerance.js';
import { CHILDREN_PAGE_QUERY, EPIC_LIKE_TYPES } from './documents.js';
import { WorkItemNode } from './mapWorkItem.js';

/** GitLab's GraphQL API answered with errors and no usable data: its own message says why. */
export class GraphqlSourceError extends Error {
  override name = 'GraphqlSourceError';
}

export interface Connection {
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null } | null;
  nodes?: unknown[] | null;
}

/**
 * One GraphQL request. GitLab answers query errors (a field it does not know, a complexity over its limit,
 * a timeout) with 200 and an `errors` array: with no data that is this source's error, in GitLab's words;
 * with partial data, each error is a warning and the data is used — but `partial` says so, because a
 * listing in such an answer may be cut short (a connection GitLab could not resolve comes back null) and
 * must never be taken as the whole membership.
 */
export async function queryOnce(
  client: GitlabClient,
  document: string,
  variables: Record<string, unknown>,
  warnings: string[],
): Promise<{ data: unknown; partial: boolean }> {
  if (!client.graphql) throw new GraphqlSourceError('this GitLab client cannot send GraphQL queries');
  const answer = await client.graphql(document, variables);
  const messages = answer.errors.map((e) => (e.path ? `${e.message} (at ${e.path.join('.')})` : e.message));
  if (answer.data === null || answer.data === undefined) {
    throw new GraphqlSourceError(
      `GitLab's GraphQL API answered: ${messages.join('; ') || 'no data and no error'}`.slice(0, 500),
    );
  }
  for (const m of messages) warnings.push(`GitLab's GraphQL API warned: ${m}`.slice(0, 300));
  return { data: answer.data, partial: messages.length > 0 };
}

/**
 * The work item nodes at `path` in `data` (one object, or a list), each read on its own: one that cannot
 * be read is skipped with a warning naming it, never failing the rest, and reported as a skipped record
 * of its kind, so the listing it came from is not taken as complete (see keepUnreadable in syncService).
 */
export function nodesOf(data: unknown, path: string[], warnings: string[], what: string): WorkItemNode[] {
  let at: unknown = data;
  for (const key of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : null;
  const raw = Array.isArray(at) ? at : at == null ? [] : [at];
  const out: WorkItemNode[] = [];
  raw.forEach((value, i) => {
    const parsed = WorkItemNode.safeParse(value);
    if (value != null && parsed.success && Number.isFinite(Number(parsed.data.iid))) {
      out.push(parsed.data);
      return;
    }
    const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
    warnings.push(
      `skipped ${what}[${i}]${typeof id === 'string' ? ` (${id})` : ''}: not a readable work item`,
    );
    for (const kind of kindsOf(value))
      reportRecord({
        what,
        id: typeof id === 'string' ? numericOrNull(id) : null,
        iid: null,
        field: '',
        problem: value == null ? 'null node' : 'not a readable work item',
        skipped: true,
        kind,
      });
  });
  return out;
}

/** What a skipped node would have been: its type when it says, else both (each listing then stays). */
function kindsOf(value: unknown): RecordKind[] {
  const type = (value as { workItemType?: { name?: unknown } } | null)?.workItemType?.name;
  if (typeof type !== 'string') return ['issue', 'epic'];
  const epicLike = (EPIC_LIKE_TYPES as readonly string[]).includes(type.toUpperCase());
  return [epicLike ? 'epic' : 'issue'];
}

function numericOrNull(gid: string): number | null {
  const match = /(\d+)$/.exec(gid);
  return match ? Number(match[1]) : null;
}

/**
 * Every node of a `namespace.workItems` listing: `first` is its first page when another query already
 * fetched it (undefined: fetch it here), further pages come from CHILDREN_PAGE_QUERY with `variables`.
 * `complete` is false when a page came back missing (null) or with GitLab's errors.
 */
export async function listing(
  client: GitlabClient,
  first: { page: unknown; partial: boolean } | undefined,
  variables: Record<string, unknown>,
  bounds: { warnings: string[]; what: string; maxPages: number },
): Promise<{ nodes: WorkItemNode[]; complete: boolean }> {
  const { warnings, what, maxPages } = bounds;
  const out: WorkItemNode[] = [];
  let complete = true;
  let next = first;
  let after: string | null = null;
  for (let n = 1; ; n += 1) {
    if (n > maxPages)
      throw new GitlabLimitError('pages', 'graphql', `${what} run past ${maxPages} pages: stopped there`);
    if (next === undefined) {
      const { data, partial } = await queryOnce(
        client,
        CHILDREN_PAGE_QUERY,
        { ...variables, after },
        warnings,
      );
      next = { page: (data as { namespace?: { workItems?: unknown } }).namespace?.workItems, partial };
    }
    const page = (next.page ?? null) as Connection | null;
    if (page === null || next.partial) complete = false;
    out.push(...nodesOf(page, ['nodes'], warnings, what));
    if (!page?.pageInfo?.hasNextPage || !page.pageInfo.endCursor) return { nodes: out, complete };
    after = page.pageInfo.endCursor;
    next = undefined;
  }
}
