import type { SourceRef } from '../../domain/sources.js';
import type { GitlabClient } from '../client.js';
import { GitlabHttpError } from '../errors.js';
import {
  EpicSource,
  SourceAccessError,
  type SourceFetchInput,
  type SourceFetchResult,
  type WorkSource,
} from '../sources.js';
import type { SyncMemo } from '../syncMemo.js';
import { PROBE_QUERY } from './documents.js';
import { GraphqlSourceError } from './query.js';
import { WorkItemSource } from './workItemSource.js';

// Which API an epic link is read through (GITLAB_API): 'rest' the epics REST API (deprecated since GitLab
// 17.0), 'graphql' the Work Items GraphQL API, 'auto' GraphQL where the instance offers work items and REST
// elsewhere — GraphQL for a link whose REST epic answers 404/410 while its work item exists, and REST for a
// link not yet synced through GraphQL whose GraphQL query this GitLab refuses.

const probes = new WeakMap<GitlabClient, Promise<boolean>>();
/** The epic links (group path &iid) whose GraphQL read failed in this process and that REST reads now. */
const restFallbacks = new WeakMap<GitlabClient, Set<string>>();

/** Whether this GitLab's namespaces offer work items; asked once per client (a process has one). */
export function offersWorkItems(client: GitlabClient): Promise<boolean> {
  let answer = probes.get(client);
  if (!answer) {
    answer = probe(client);
    probes.set(client, answer);
    // GitLab down is no answer: the next sync asks again.
    answer.catch(() => probes.delete(client));
  }
  return answer;
}

async function probe(client: GitlabClient): Promise<boolean> {
  if (!client.graphql) return false;
  try {
    const { data } = await client.graphql(PROBE_QUERY, {}, { get: true });
    const fields = (data as { namespaceType?: { fields?: { name?: unknown }[] | null } | null } | null)
      ?.namespaceType?.fields;
    const names = new Set((fields ?? []).map((f) => f?.name));
    return names.has('workItem') && names.has('workItems');
  } catch (error) {
    // A GitLab without the GraphQL API, or one that refuses this token there: REST it is.
    if (error instanceof GitlabHttpError && error.status >= 400 && error.status < 500 && error.status !== 429)
      return false;
    throw error;
  }
}

/** GitLab's status when the REST epic is gone (404 Not Found, 410 Gone); null for any other failure. */
function goneStatus(error: unknown): number | null {
  if (error instanceof SourceAccessError && (error.status === 404 || error.status === 410))
    return error.status;
  if (error instanceof GitlabHttpError && (error.status === 404 || error.status === 410)) return error.status;
  return null;
}

class AutoEpicSource implements WorkSource {
  constructor(
    private readonly client: GitlabClient,
    private readonly ref: Extract<SourceRef, { kind: 'epic' }>,
    private readonly rest: WorkSource,
    private readonly graphql: WorkSource,
  ) {}

  async fetch(input: SourceFetchInput): Promise<SourceFetchResult> {
    if (input.cursor?.api === 'graphql') return this.graphql.fetch(input);
    const key = `${this.ref.path}&${this.ref.iid}`;
    const fellBack = restFallbacks.get(this.client)?.has(key) ?? false;
    if (!fellBack && (await offersWorkItems(this.client))) return this.graphqlOrRest(input, key);
    return this.restOrGraphql(input);
  }

  /**
   * The probe only saw the schema's names: GitLab may still refuse this link's queries (a validation
   * error, an enum value or argument it does not have). A link not yet synced through GraphQL is then
   * read through REST, said once; this process keeps it on REST.
   */
  private async graphqlOrRest(input: SourceFetchInput, key: string): Promise<SourceFetchResult> {
    try {
      return await this.graphql.fetch(input);
    } catch (error) {
      if (!(error instanceof GraphqlSourceError || error instanceof SourceAccessError)) throw error;
      const result = await this.rest.fetch(input);
      const links = restFallbacks.get(this.client) ?? new Set<string>();
      links.add(key);
      restFallbacks.set(this.client, links);
      const notice = `GitLab's GraphQL Work Items API could not read epic &${this.ref.iid} in ${this.ref.path} (${error.message.slice(0, 200)}): this link syncs through GitLab's REST epics API.`;
      return { ...result, warnings: [notice, ...(result.warnings ?? [])] };
    }
  }

  private async restOrGraphql(input: SourceFetchInput): Promise<SourceFetchResult> {
    try {
      return await this.rest.fetch(input);
    } catch (error) {
      const status = goneStatus(error);
      if (status === null) throw error;
      let result: SourceFetchResult;
      try {
        result = await this.graphql.fetch({ ...input, full: true });
      } catch {
        throw error;
      }
      // Said once: the cursor now remembers the switch, so later fetches go to GraphQL without a word.
      const notice = `GitLab's REST epics API answered ${status} for epic &${this.ref.iid} in ${this.ref.path}, but its work item exists: this link now syncs through GitLab's GraphQL Work Items API.`;
      return { ...result, warnings: [notice, ...(result.warnings ?? [])] };
    }
  }
}

export function epicSourceFor(
  client: GitlabClient,
  ref: Extract<SourceRef, { kind: 'epic' }>,
  memo: SyncMemo,
): WorkSource {
  const graphql = new WorkItemSource(client, { ...ref, label: `epic &${ref.iid} in ${ref.path}` }, memo);
  switch (client.api ?? 'auto') {
    case 'rest':
      return new EpicSource(client, ref, memo);
    case 'graphql':
      return graphql;
    case 'auto':
      return new AutoEpicSource(client, ref, new EpicSource(client, ref, memo), graphql);
  }
}

/** A work item link (…/-/work_items/<iid>): always GraphQL, whatever GITLAB_API says (REST has no work items). */
export function workItemSourceFor(
  client: GitlabClient,
  ref: Extract<SourceRef, { kind: 'work_item' }>,
  memo: SyncMemo,
): WorkSource {
  const label = `work item ${ref.path}${ref.namespaceKind === 'group' ? '&' : '#'}${ref.iid}`;
  return new WorkItemSource(client, { ...ref, label }, memo);
}
