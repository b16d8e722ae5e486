import { describe, expect, it } from 'vitest';
import type { GitlabClient, GraphqlAnswer } from '../../src/gitlab/client.js';
import { emptyStats } from '../../src/gitlab/http.js';
import { GitlabLimitError } from '../../src/gitlab/errors.js';
import { PAGE_SIZE } from '../../src/gitlab/graphql/documents.js';
import { toContainer, toEpic, toIssue, WorkItemNode } from '../../src/gitlab/graphql/mapWorkItem.js';
import { GraphqlSourceError, listing, nodesOf, queryOnce } from '../../src/gitlab/graphql/query.js';
import { MAX_PAGES, WorkItemSource } from '../../src/gitlab/graphql/workItemSource.js';
import { mapChildEpic, mapIssue } from '../../src/gitlab/mapping.js';
import { SyncMemo } from '../../src/gitlab/syncMemo.js';
import { collectRecordWarnings } from '../../src/gitlab/tolerance.js';

const NOW = new Date('2026-11-16T08:00:00Z');

/** A work item node as GitLab answers WorkItemFields (widgets without their `type`, as asked). */
function node(fields: Partial<Record<string, unknown>> = {}, widgets: Record<string, unknown>[] = []) {
  return WorkItemNode.parse({
    id: 'gid://gitlab/WorkItem/501',
    iid: '7',
    title: 'Lead time under a day',
    state: 'OPEN',
    confidential: false,
    webUrl: 'https://gitlab.example.com/acme/okr/-/work_items/7',
    reference: 'acme/okr#7',
    createdAt: '2026-11-01T10:00:00Z',
    updatedAt: '2026-11-15T10:00:00Z',
    closedAt: null,
    workItemType: { name: 'Key Result' },
    widgets: [{}, ...widgets],
    ...fields,
  });
}

/** A client whose GraphQL answers come from `answer` (the request count is kept). */
function graphqlClient(answer: (query: string, variables: Record<string, unknown>) => GraphqlAnswer) {
  const stats = emptyStats();
  return {
    stats,
    graphql: async (query: string, variables: Record<string, unknown>) => {
      stats.requests += 1;
      return answer(query, variables);
    },
    listOpenIterations: async () => null,
  } as unknown as GitlabClient;
}

describe('work items as the REST shapes', () => {
  it('maps every widget wgbot reads onto an item', () => {
    const item = mapIssue(
      toIssue(
        node({}, [
          { assignees: { nodes: [{ id: 'gid://gitlab/User/5', username: 'alice', name: 'Alice' }, null] } },
          { startDate: '2026-11-01', dueDate: '2026-11-30' },
          { labels: { nodes: [{ title: 'okr' }, { title: 'wg::ops' }] } },
          {
            milestone: {
              id: 'gid://gitlab/Milestone/40',
              iid: '3',
              title: 'Sprint 21',
              state: 'active',
              startDate: '2026-11-16T00:00:00Z',
              dueDate: '2026-11-27T00:00:00Z',
              webPath: '/groups/acme/-/milestones/3',
            },
          },
          { taskCompletionStatus: { count: 4, completedCount: 1 } },
          { weight: 3 },
          { healthStatus: 'needsAttention' },
          { progress: 60 },
        ]),
      ),
    );
    expect(item).toMatchObject({
      source: 'gitlab_issue',
      externalId: 'issue:501',
      title: 'Lead time under a day',
      state: 'open',
      assignees: [{ username: 'alice', name: 'Alice' }],
      dueDate: '2026-11-30',
      labels: ['okr', 'wg::ops'],
      sprint: { number: 21, title: 'Sprint 21', source: 'milestone' },
      storyRef: 'acme/okr#7',
      gitlabPath: 'acme/okr',
      gitlabIid: 7,
      weight: 3,
      tasksCompleted: 1,
      tasksTotal: 4,
      health: 'needs_attention',
      progress: 60,
      url: 'https://gitlab.example.com/acme/okr/-/work_items/7',
    });
  });

  it('reads an iteration as REST words it, and leaves out what is missing or odd', () => {
    const issue = toIssue(
      node({ state: 'CLOSED', closedAt: '2026-11-15T10:00:00Z' }, [
        {
          iteration: {
            id: 'gid://gitlab/Iteration/3000',
            iid: '4',
            sequence: 4,
            title: null,
            state: 'started',
            startDate: '2026-11-16T00:00:00Z',
            dueDate: '2026-11-29T00:00:00Z',
            webUrl: 'https://gitlab.example.com/groups/acme/-/iterations/3000',
          },
        },
        { progress: 140 },
        { weight: 'heavy' },
      ]),
    );
    expect(issue.iteration).toMatchObject({ id: 3000, state: 'current', start_date: '2026-11-16' });
    expect(issue).toMatchObject({
      state: 'closed',
      closed_at: '2026-11-15T10:00:00Z',
      weight: null,
      progress: null,
    });
    // An untitled iteration has no sprint number (never an invented 'Sprint <sequence>'): it is named by its dates.
    expect(mapIssue(issue).sprint).toMatchObject({ number: null, source: 'iteration' });
  });

  it('maps child epics and the container, with health and progress', () => {
    const epic = node(
      { id: 'gid://gitlab/WorkItem/900', iid: '3', reference: 'acme&3', workItemType: { name: 'Epic' } },
      [{ dueDate: '2026-12-18' }],
    );
    expect(mapChildEpic(toEpic(epic), 'acme')).toMatchObject({
      source: 'gitlab_epic',
      externalId: 'epic:900',
      storyRef: 'acme&3',
      dueDate: '2026-12-18',
      gitlabPath: 'acme',
    });
    const objective = node({ workItemType: { name: 'Objective' } }, [
      { healthStatus: 'atRisk' },
      { progress: 40 },
    ]);
    expect(toContainer(objective)).toMatchObject({
      externalId: 'work_item:501',
      health: 'at_risk',
      progress: 40,
    });
  });

  it('skips a node it cannot read, with a warning naming it, and keeps the rest', async () => {
    const warnings: string[] = [];
    const good = { ...node(), id: 'gid://gitlab/WorkItem/2' };
    const badEpic = { id: 'gid://gitlab/WorkItem/4', title: 'no iid', workItemType: { name: 'Epic' } };
    const { value: nodes, warnings: records } = await collectRecordWarnings(async () =>
      nodesOf(
        { nodes: [good, { id: 'gid://gitlab/WorkItem/3', title: 'no iid' }, null, badEpic] },
        ['nodes'],
        warnings,
        'children of epic &1 in acme',
      ),
    );
    expect(nodes.map((n) => n.id)).toEqual(['gid://gitlab/WorkItem/2']);
    expect(warnings).toEqual([
      'skipped children of epic &1 in acme[1] (gid://gitlab/WorkItem/3): not a readable work item',
      'skipped children of epic &1 in acme[2]: not a readable work item',
      'skipped children of epic &1 in acme[3] (gid://gitlab/WorkItem/4): not a readable work item',
    ]);
    // Each skipped node counts as a skipped record of its kind, so its listing is not taken as complete;
    // one whose type cannot be read protects both the members and the child epics.
    expect(records.map((r) => [r.id, r.kind, r.skipped])).toEqual([
      [3, 'issue', true],
      [3, 'epic', true],
      [null, 'issue', true],
      [null, 'epic', true],
      [4, 'epic', true],
    ]);
  });
});

describe('GraphQL answers and bounds', () => {
  it("errors without data are the source's error in GitLab's words; with data, warnings", async () => {
    const failing = graphqlClient(() => ({ data: null, errors: [{ message: 'Internal server error' }] }));
    await expect(queryOnce(failing, '{ x }', {}, [])).rejects.toThrow(
      new GraphqlSourceError("GitLab's GraphQL API answered: Internal server error"),
    );
    const warnings: string[] = [];
    const partial = graphqlClient(() => ({
      data: { namespace: null },
      errors: [{ message: 'Field timed out', path: ['namespace', 'workItems'] }],
    }));
    expect(await queryOnce(partial, '{ x }', {}, warnings)).toEqual({
      data: { namespace: null },
      partial: true,
    });
    expect(warnings).toEqual(["GitLab's GraphQL API warned: Field timed out (at namespace.workItems)"]);
  });

  it('a listing that never ends stops at its page cap', async () => {
    const endless = graphqlClient(() => ({
      data: {
        namespace: {
          workItems: { pageInfo: { hasNextPage: true, endCursor: 'more' }, nodes: [{ ...node() }] },
        },
      },
      errors: [],
    }));
    const bounds = { warnings: [], what: 'changed children of epic &1', maxPages: 5 };
    await expect(listing(endless, undefined, {}, bounds)).rejects.toThrow(GitlabLimitError);
    expect(endless.stats.requests).toBe(5);
  });

  it('a hierarchy that keeps offering pages stops at MAX_PAGES, asking PAGE_SIZE at a time', async () => {
    const firsts = new Set<unknown>();
    const endless = graphqlClient((_query, variables) => {
      firsts.add(variables.first);
      return {
        data: {
          namespace: {
            workItem: {
              ...node({ workItemType: { name: 'Epic' } }),
              widgets: [{ children: { pageInfo: { hasNextPage: true, endCursor: 'again' }, nodes: [] } }],
            },
          },
        },
        errors: [],
      };
    });
    const source = new WorkItemSource(
      endless,
      {
        namespaceKind: 'group',
        path: 'acme',
        iid: 1,
        label: 'epic &1 in acme',
      },
      new SyncMemo(endless),
    );
    await expect(source.fetch({ cursor: null, known: new Set(), full: true, now: NOW })).rejects.toThrow(
      `the children of epic &1 in acme run past ${MAX_PAGES} pages of ${PAGE_SIZE}: stopped there`,
    );
    expect(endless.stats.requests).toBe(MAX_PAGES);
    expect([...firsts]).toEqual([PAGE_SIZE]);
  });
});
