import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient, type GitlabApiMode } from '../../src/gitlab/client.js';
import { mapIssue } from '../../src/gitlab/mapping.js';
import { sourceFor } from '../../src/gitlab/sources.js';
import { FULL_SYNC_EVERY_MS } from '../../src/gitlab/sourceTypes.js';
import { parseSourceUrl } from '../../src/gitlab/urls.js';
import { LinkService } from '../../src/services/linkService.js';
import { ImportService } from '../../src/services/importService.js';
import { StatusService } from '../../src/services/status.js';
import { SyncService } from '../../src/services/syncService.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

// The Work Items source against the fake GitLab's GraphQL endpoint, which serves the same epics and issues
// as its REST API (test/fakes/gitlabGraphql.ts), with every query run against GitLab's published schema.

const SLUG = 'improve-ops-quality';
let fake: FakeGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let status: StatusService;

beforeEach(async () => {
  clock = new ManualClock('2026-11-16T08:00:00Z');
  fake = await FakeGitlab.start({ now: () => clock.now() });
  fake.graphql.enabled = true;
  ({ store, cleanup } = tempStore(() => clock.now()));
  status = new StatusService(store, () => clock.now());
  new ImportService(store, () => clock.now()).importText(handbookSeed());
});

afterEach(async () => {
  cleanup();
  await fake.close();
});

function syncService(api: GitlabApiMode) {
  const client = createGitlabClient({
    url: fake.url,
    token: fake.token,
    api,
    deps: { sleep: async () => undefined, now: () => clock.now(), random: () => 0.5 },
  });
  return new SyncService(store, client, () => clock.now());
}

const link = (url: string, criterion: string | null = null) =>
  new LinkService(store, fake.url, () => clock.now()).link(SLUG, url, criterion);
const group = () => store.groups.getBySlug(SLUG)!;
const graphqlRequests = () => fake.requests.filter((r) => r.path === '/api/graphql');

/** An epic with two child epics and three issues, last touched yesterday. */
function seedTree() {
  clock.set('2026-11-15T08:00:00Z');
  fake.addGroup('g');
  fake.addProject('g/app');
  const epic = fake.addEpic('g', { title: 'DevOps CI/CD', due_date: '2026-12-18' });
  const children = ['Pipeline', 'Runners'].map((title) =>
    fake.addChildEpic('g', epic.iid, { title, due_date: '2026-12-01' }),
  );
  const alice = fake.user('alice', 'Alice');
  const issues = ['Story 1', 'Story 2', 'Story 3'].map((title, i) =>
    fake.addIssue('g/app', {
      title,
      epic: { groupPath: 'g', iid: epic.iid },
      assignees: i === 0 ? [alice] : [],
      labels: i === 1 ? ['wg::ops'] : [],
      weight: i === 2 ? 2 : null,
      health_status: i === 0 ? 'at_risk' : null,
      due_date: '2026-11-30',
    }),
  );
  clock.set('2026-11-16T08:00:00Z');
  return { epic, children, issues };
}

describe('Work Items source (GraphQL)', () => {
  it('full sync: the epic, its child epics and issues, through GraphQL only', async () => {
    const { epic } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const outcome = await syncService('graphql').syncGroup(group());
    expect(outcome).toMatchObject({ status: 'synced', error: null });
    expect(outcome.sources[0]).toMatchObject({ mode: 'full', issues: 3, complete: true });
    // One GraphQL request for the tree, one REST request for the group's open iterations.
    expect(graphqlRequests()).toHaveLength(1);
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/graphql', '/api/v4/groups/g/iterations']);

    const items = status.status(SLUG).items.filter((i) => i.source !== 'epic_task');
    expect(items.map((i) => [i.title, i.source, i.state])).toEqual([
      ['Pipeline', 'gitlab_epic', 'open'],
      ['Runners', 'gitlab_epic', 'open'],
      ['Story 1', 'gitlab_issue', 'open'],
      ['Story 2', 'gitlab_issue', 'open'],
      ['Story 3', 'gitlab_issue', 'open'],
    ]);
    const story1 = status.status(SLUG).items.find((i) => i.title === 'Story 1')!;
    expect(story1).toMatchObject({ owner: 'Alice', url: `${fake.url}/g/app/-/issues/1` });
    expect(store.sources.listAll()[0]).toMatchObject({ title: 'DevOps CI/CD', state: 'opened' });
  });

  it('incremental sync sees a child epic closing, moving the criterion, in at most 3 requests', async () => {
    const { epic, children } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`, '2');
    const sync = syncService('graphql');
    await sync.syncGroup(group());
    expect(status.status(SLUG).criteria[1]).toMatchObject({ percent: 0, source: 'gitlab' });

    clock.advance(15 * 60_000);
    fake.updateEpic('g', children[0]!.iid, { state: 'closed' });
    fake.resetLog();
    const outcome = await sync.syncGroup(group());
    expect(outcome.sources[0]).toMatchObject({ mode: 'incremental', complete: false });
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    expect(graphqlRequests()).toHaveLength(1);
    const variables = (graphqlRequests()[0]!.body as { variables: Record<string, unknown> }).variables;
    expect(variables.since).toBe('2026-11-16T07:55:00.000Z');
    // Two child epics (1 each) and three issues (1, 1, 2): the closed child epic is 1 of 6.
    expect(status.status(SLUG).criteria[1]).toMatchObject({ percent: 16.7, source: 'gitlab' });
  });

  it('incremental sync: a changed issue is fetched alone; one that left makes it list all once', async () => {
    const { epic, issues } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const sync = syncService('graphql');
    await sync.syncGroup(group());
    clock.advance(60_000);
    fake.updateIssue('g/app', issues[1]!.iid, { title: 'Story 2 renamed' });
    let outcome = await sync.syncGroup(group());
    expect(outcome.sources[0]).toMatchObject({ mode: 'incremental', complete: false, issues: 1 });
    expect(status.status(SLUG).items.map((i) => i.title)).toContain('Story 2 renamed');

    clock.advance(60_000);
    fake.deleteIssue('g/app', issues[2]!.iid);
    fake.resetLog();
    outcome = await sync.syncGroup(group());
    expect(outcome.sources[0]).toMatchObject({ mode: 'incremental', complete: true, issues: 2 });
    expect(outcome.removed).toBe(1);
    expect(graphqlRequests()).toHaveLength(2);
  });

  it('auto: a REST epic answering 404 whose work item exists switches to GraphQL, said once', async () => {
    const { epic } = seedTree();
    fake.graphql.offerWorkItems = false;
    fake.failNext(`/groups/g/epics/${epic.iid}`, { status: 404 }, 10);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const sync = syncService('auto');
    const first = await sync.syncGroup(group());
    expect(first).toMatchObject({ status: 'synced' });
    expect(first.sources[0]!.warnings).toEqual([
      `GitLab's REST epics API answered 404 for epic &${epic.iid} in g, but its work item exists: this link now syncs through GitLab's GraphQL Work Items API.`,
    ]);
    expect(status.status(SLUG).items.map((i) => i.title)).toContain('Story 3');

    clock.advance(60_000);
    fake.resetLog();
    const second = await sync.syncGroup(group());
    expect(second.sources[0]!.warnings).toEqual([]);
    expect(second.sources[0]!.mode).toBe('incremental');
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/graphql']);
  });

  it('auto: a GitLab that offers work items is read through GraphQL, probed once per process', async () => {
    const { epic } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const sync = syncService('auto');
    await sync.syncGroup(group());
    clock.advance(60_000);
    await sync.syncGroup(group());
    const probes = graphqlRequests().filter(
      (r) => r.method === 'GET' && String(r.query.query).includes('WgbotProbe'),
    );
    expect(probes).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path.includes('/epics/'))).toEqual([]);
  });

  it("GitLab's GraphQL errors: none of the data is a source error in GitLab's words; partial data warns", async () => {
    const { epic } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const sync = syncService('graphql');
    fake.graphql.failNext(['Query has complexity of 310, which exceeds max complexity of 250']);
    const failed = await sync.syncGroup(group());
    expect(failed.status).toBe('failed');
    expect(failed.sources[0]!.error).toBe(
      "GitLab's GraphQL API answered: Query has complexity of 310, which exceeds max complexity of 250",
    );

    fake.graphql.failNext(['Timeout on WorkItem.widgets'], { keepData: true });
    const partial = await sync.syncGroup(group());
    expect(partial.status).toBe('synced');
    expect(partial.sources[0]!.warnings).toEqual([
      "GitLab's GraphQL API warned: Timeout on WorkItem.widgets",
    ]);
  });

  it('a 429 on /api/graphql waits as REST does, then answers', async () => {
    const { epic } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    fake.failNext('/api/graphql', { status: 429, retryAfter: 2 });
    const outcome = await syncService('graphql').syncGroup(group());
    expect(outcome.status).toBe('synced');
    expect(graphqlRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('an objective linked by its work item URL: its key results are items with progress and health', async () => {
    fake.addGroup('g');
    fake.addProject('g/okr');
    const objective = fake.graphql.addWorkItem('g/okr', {
      type: 'Objective',
      title: 'Ship faster',
      progress: 40,
    });
    fake.graphql.addWorkItem('g/okr', {
      type: 'Key Result',
      title: 'Lead time under a day',
      parent: objective.gid,
      progress: 60,
      healthStatus: 'needsAttention',
    });
    fake.graphql.addWorkItem('g/okr', {
      type: 'Key Result',
      title: 'Deploys daily',
      parent: objective.gid,
      progress: 20,
    });
    const client = createGitlabClient({ url: fake.url, token: fake.token, api: 'rest' });
    const ref = parseSourceUrl(`${fake.url}/g/okr/-/work_items/${objective.iid}`, fake.url);
    expect(ref).toEqual({ kind: 'work_item', namespaceKind: 'project', path: 'g/okr', iid: objective.iid });
    const result = await sourceFor(client, ref).fetch({
      cursor: null,
      known: new Set(),
      full: false,
      now: clock.now(),
    });
    // Whatever GITLAB_API says, a work item link is read through GraphQL.
    expect(fake.requests.map((r) => r.path)).toEqual(['/api/graphql', '/api/v4/projects/g%2Fokr/iterations']);
    expect(result.container).toMatchObject({
      title: 'Ship faster',
      progress: 40,
      health: null,
      state: 'opened',
    });
    expect(result.issues.map(mapIssue).map((i) => [i.title, i.progress, i.health, i.storyRef])).toEqual([
      ['Lead time under a day', 60, 'needs_attention', `g/okr#${objective.iid + 1}`],
      ['Deploys daily', 20, null, `g/okr#${objective.iid + 2}`],
    ]);
  });

  it('a full fetch whose children connection GitLab answered null (with an error) removes nobody', async () => {
    const { epic } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const sync = syncService('graphql');
    await sync.syncGroup(group());
    clock.advance(FULL_SYNC_EVERY_MS);
    fake.graphql.failNext(['Timeout on WorkItemWidgetHierarchy.children'], {
      keepData: true,
      edit: (data) => {
        for (const w of data.namespace.workItem.widgets) if ('children' in w) w.children = null;
      },
    });
    const outcome = await sync.syncGroup(group());
    expect(outcome.sources[0]).toMatchObject({ mode: 'full', complete: false, issues: 0 });
    expect(outcome.removed).toBe(0);
    expect(status.status(SLUG).items.filter((i) => i.source !== 'epic_task')).toHaveLength(5);
  });

  it('a child node GitLab sent null is a skipped record: the full fetch does not mark it removed', async () => {
    const { epic } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const sync = syncService('graphql');
    await sync.syncGroup(group());
    clock.advance(FULL_SYNC_EVERY_MS);
    fake.graphql.editNext((data) => {
      for (const w of data.namespace.workItem.widgets) if ('children' in w) w.children.nodes[4] = null;
    });
    const outcome = await sync.syncGroup(group());
    expect(outcome.sources[0]).toMatchObject({ mode: 'full', complete: false, issues: 2 });
    expect(outcome.removed).toBe(0);
    expect(outcome.sources[0]!.skipped).toBeGreaterThan(0);
    expect(status.status(SLUG).items.map((i) => i.title)).toContain('Story 3');
  });

  it("incremental: a child outside the link's group counts as the full fetch sees it, in one request", async () => {
    const { epic } = seedTree();
    fake.addGroup('other');
    fake.addProject('other/app');
    fake.addIssue('other/app', { title: 'Elsewhere', epic: { groupPath: 'g', iid: epic.iid } });
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const sync = syncService('graphql');
    const first = await sync.syncGroup(group());
    expect(first.sources[0]).toMatchObject({ mode: 'full', issues: 4 });
    clock.advance(60_000);
    fake.resetLog();
    const outcome = await sync.syncGroup(group());
    expect(outcome.sources[0]).toMatchObject({ mode: 'incremental', complete: false });
    expect(outcome.removed).toBe(0);
    expect(graphqlRequests()).toHaveLength(1);
    expect(status.status(SLUG).items.map((i) => i.title)).toContain('Elsewhere');
  });

  it('auto: a GitLab whose schema names work items but refuses this query falls back to REST, said once', async () => {
    const { epic } = seedTree();
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    // The probe's answer (its data kept), then the tree query refused as a GitLab without the argument does.
    fake.graphql.failNext(['harmless'], { keepData: true });
    fake.graphql.failNext(["Field 'workItem' doesn't accept argument 'iid'"]);
    const sync = syncService('auto');
    const first = await sync.syncGroup(group());
    expect(first).toMatchObject({ status: 'synced' });
    expect(first.sources[0]!.warnings).toEqual([
      `GitLab's GraphQL Work Items API could not read epic &${epic.iid} in g (GitLab's GraphQL API answered: Field 'workItem' doesn't accept argument 'iid'): this link syncs through GitLab's REST epics API.`,
    ]);
    expect(status.status(SLUG).items.map((i) => i.title)).toContain('Story 3');

    clock.advance(60_000);
    fake.resetLog();
    const second = await sync.syncGroup(group());
    expect(second).toMatchObject({ status: 'synced' });
    expect(second.sources[0]!.warnings).toEqual([]);
    expect(graphqlRequests()).toEqual([]);
  });
});
