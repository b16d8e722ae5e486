import type { GitlabClient } from '../client.js';
import { GitlabLimitError } from '../errors.js';
import { CHILDREN_PAGE_QUERY } from './documents.js';
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
 * with partial data, each error is a warning and the data is used.
 */
export async function queryOnce(
  client: GitlabClient,
  document: string,
  variables: Record<string, unknown>,
  warnings: string[],
): Promise<unknown> {
  if (!client.graphql) throw new GraphqlSourceError('this GitLab client cannot send GraphQL queries');
  const answer = await client.graphql(document, variables);
  const messages = answer.errors.map((e) => (e.path ? `${e.message} (at ${e.path.join('.')})` : e.message));
  if (answer.data === null || answer.data === undefined) {
    throw new GraphqlSourceError(
      `GitLab's GraphQL API answered: ${messages.join('; ') || 'no data and no error'}`.slice(0, 500),
    );
  }
  for (const m of messages) warnings.push(`GitLab's GraphQL API warned: ${m}`.slice(0, 300));
  return answer.data;
}

/**
 * The work item nodes at `path` in `data` (one object, or a list), each read on its own: one that cannot
 * be read is skipped with a warning naming it, never failing the rest.
 */
export function nodesOf(data: unknown, path: string[], warnings: string[], what: string): WorkItemNode[] {
  let at: unknown = data;
  for (const key of path) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : null;
  const raw = Array.isArray(at) ? at : at == null ? [] : [at];
  const out: WorkItemNode[] = [];
  raw.forEach((value, i) => {
    if (value == null) return;
    const parsed = WorkItemNode.safeParse(value);
    if (parsed.success && Number.isFinite(Number(parsed.data.iid))) out.push(parsed.data);
    else {
      const id = (value as { id?: unknown }).id;
      warnings.push(
        `skipped ${what}[${i}]${typeof id === 'string' ? ` (${id})` : ''}: not a readable work item`,
      );
    }
  });
  return out;
}

/**
 * Every node of a `namespace.workItems` listing: `first` is its first page when another query already
 * fetched it (null: fetch it here), further pages come from CHILDREN_PAGE_QUERY with `variables`.
 */
export async function listing(
  client: GitlabClient,
  first: unknown,
  variables: Record<string, unknown>,
  bounds: { warnings: string[]; what: string; maxPages: number },
): Promise<WorkItemNode[]> {
  const { warnings, what, maxPages } = bounds;
  const out: WorkItemNode[] = [];
  let page = (first ?? null) as Connection | null;
  let after: string | null = null;
  for (let n = 1; ; n += 1) {
    if (n > maxPages)
      throw new GitlabLimitError('pages', 'graphql', `${what} run past ${maxPages} pages: stopped there`);
    if (page === null) {
      const data = await queryOnce(client, CHILDREN_PAGE_QUERY, { ...variables, after }, warnings);
      page = ((data as { namespace?: { workItems?: Connection } }).namespace?.workItems ??
        null) as Connection | null;
    }
    out.push(...nodesOf(page, ['nodes'], warnings, what));
    if (!page?.pageInfo?.hasNextPage || !page.pageInfo.endCursor) return out;
    after = page.pageInfo.endCursor;
    page = null;
  }
}
