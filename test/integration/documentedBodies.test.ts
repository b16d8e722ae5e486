import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { createGitlabWebhookHandler } from '../../src/gitlab/webhook.js';
import { createHealthHandler } from '../../src/http/health.js';
import { silentLogger } from '../../src/logger.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { StatusService } from '../../src/services/status.js';
import { SyncService } from '../../src/services/syncService.js';
import type { Store } from '../../src/store/store.js';
import { DocumentedGitlab, documentedBody } from '../fakes/gitlabDocs.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

// GitLab's own example bodies (test/fixtures/gitlab-docs/, with where each comes from), served as written:
// every documented body syncs, every readable record is stored, every skipped one is named.

const SLUG = 'improve-ops-quality';
let docs: DocumentedGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let sync: SyncService;

beforeEach(async () => {
  clock = new ManualClock('2026-11-16T08:00:00Z');
  docs = await DocumentedGitlab.start();
  ({ store, cleanup } = tempStore(() => clock.now()));
  const client = createGitlabClient({
    url: docs.url,
    token: docs.token,
    deps: { sleep: async () => {}, now: () => clock.now(), random: () => 0.5 },
  });
  sync = new SyncService(store, client, () => clock.now());
  new ImportService(store, () => clock.now()).importText(handbookSeed());
});

afterEach(async () => {
  cleanup();
  await docs.close();
});

const link = (url: string) => new LinkService(store, docs.url, () => clock.now()).link(SLUG, url);
const group = () => store.groups.getBySlug(SLUG)!;
const items = () => new StatusService(store, () => clock.now()).status(SLUG).items;
const gitlabItems = () => items().filter((i) => i.source === 'gitlab_issue' || i.source === 'gitlab_epic');

/** The documented epic &5 of group 'test', with its documented issues, child epics and iterations. */
function serveDocumentedEpic(issues: unknown = 'epic_issues.list.json'): void {
  docs
    .on(/^\/groups\/test\/epics\/5$/, 'epics.single.json')
    .on(/^\/groups\/test\/epics\/5\/issues$/, issues)
    .on(/^\/groups\/test\/epics\/5\/epics$/, 'epic_links.list.json')
    .on(/^\/groups\/test\/iterations$/, 'group_iterations.list.json');
}

describe('GitLab’s documented bodies, replayed as written', () => {
  it('an epic with its issues, child epics and iterations: synced, every record stored', async () => {
    serveDocumentedEpic();
    link(`${docs.url}/groups/test/-/epics/5`);
    const outcome = await sync.syncGroup(group());
    expect(outcome).toMatchObject({ status: 'synced', error: null, skipped: 0 });
    expect(outcome.sources[0]).toMatchObject({ issues: 1, skipped: 0, error: null });

    const [issue, child] = [
      gitlabItems().find((i) => i.source === 'gitlab_issue')!,
      gitlabItems().find((i) => i.source === 'gitlab_epic')!,
    ];
    // No `references` in the epic-issues example: the story is named from the web URL's project path.
    expect(issue).toMatchObject({
      title: 'Consequatur vero maxime deserunt laboriosam est voluptas dolorem.',
      state: 'open',
      story: 'h5bp/html5-boilerplate#6',
      url: 'http://localhost:3001/h5bp/html5-boilerplate/issues/6',
      owner: 'Pamella Huel',
    });
    // The epic-links example has no state and no web_url: open (said so), and a URL from group and iid —
    // a guess said so too, as the documented child (group id 1) is not in the documented parent's group (7).
    expect(child).toMatchObject({
      title: 'Accusamus iste et ullam ratione voluptatem omnis debitis dolor est.',
      state: 'open',
      url: `${docs.url}/groups/test/-/epics/6`,
    });
    // Neither the documented single epic nor the epic-links child has `confidential`: nobody can say they
    // are public, so both are read as confidential (the safe reading), each with a guess naming it.
    expect(outcome.sources[0]!.warnings).toEqual([
      'epic &5 of test (id 30, iid 5): field confidential absent: taken as confidential; read anyway',
      'child epics of &5 in test (id 29, iid 6): field state no state, state_id or closed_at given: taken as open; read anyway',
      'child epics of &5 in test (id 29, iid 6): field confidential absent: taken as confidential; read anyway',
      'child epics of &5 in test (id 29, iid 6): field web_url absent: built from test, though the epic is in group id 1; read anyway',
    ]);
    expect(store.sprints.list(group().id).map((s) => [s.title, s.number])).toContainEqual([
      'Iteration II',
      1,
    ]);
  });

  it('the "update epic" example, with "confidential": "false" as a string', async () => {
    docs
      .on(/^\/groups\/test\/epics\/6$/, 'epics.update.json')
      .on(/^\/groups\/test\/epics\/6\/(issues|epics)$/, []);
    link(`${docs.url}/groups/test/-/epics/6`);
    const outcome = await sync.syncGroup(group());
    expect(outcome).toMatchObject({ status: 'synced', skipped: 0 });
    expect(store.sources.listByWg(group().id)[0]).toMatchObject({ title: 'New Title', state: 'opened' });
  });

  it('a group milestone and its issues (issues API example)', async () => {
    docs
      .on(/^\/groups\/gitlab-org\/milestones$/, 'group_milestones.list.json')
      .on(/^\/groups\/gitlab-org\/issues$/, 'issues.group-list.json');
    link(`${docs.url}/groups/gitlab-org/-/milestones/3`);
    const outcome = await sync.syncGroup(group());
    expect(outcome).toMatchObject({ status: 'synced', skipped: 0 });
    expect(docs.requests.find((r) => r.path.endsWith('/issues'))!.query.get('milestone')).toBe('10.0');
    expect(gitlabItems()).toMatchObject([
      {
        title: 'Ut commodi ullam eos dolores perferendis nihil sunt.',
        state: 'done',
        story: 'my-group/my-project#1',
      },
    ]);
  });

  it('a labelled issue list (issues API example)', async () => {
    docs.on(/^\/groups\/my-group\/issues$/, 'issues.group-list.json');
    link(`${docs.url}/groups/my-group/-/issues?label_name[]=foo`);
    const outcome = await sync.syncGroup(group());
    expect(outcome).toMatchObject({ status: 'synced', skipped: 0 });
    expect(gitlabItems().map((i) => i.story)).toEqual(['my-group/my-project#1']);
  });

  it('an odd record among documented ones is skipped with one warning naming it; the rest is stored', async () => {
    const [documented] = documentedBody('epic_issues.list.json') as Record<string, unknown>[];
    const loose = {
      ...documented,
      id: '77',
      iid: '7',
      confidential: 'true',
      labels: null,
      assignees: null,
      web_url: 'http://localhost:3001/h5bp/html5-boilerplate/issues/7',
    };
    const unreadable = { ...documented, id: 78, iid: 8, title: { text: 'not a title' } };
    serveDocumentedEpic([documented, loose, unreadable]);
    link(`${docs.url}/groups/test/-/epics/5`);
    const outcome = await sync.syncGroup(group());

    expect(outcome).toMatchObject({ status: 'synced', skipped: 1 });
    expect(outcome.sources[0]).toMatchObject({ issues: 2, skipped: 1 });
    expect(outcome.sources[0]!.warnings).toContain(
      'issues of epic &5 in test (id 78, iid 8): field title Invalid input: expected string, received object; skipped',
    );
    const stored = gitlabItems().filter((i) => i.source === 'gitlab_issue');
    expect(stored.map((i) => [i.story, i.confidential])).toEqual([
      ['h5bp/html5-boilerplate#6', false],
      ['h5bp/html5-boilerplate#7', true],
    ]);
    expect(store.sources.listByWg(group().id)[0]).toMatchObject({
      lastSkipped: 1,
      lastSkippedRecords: [expect.stringContaining('(id 78, iid 8)')],
    });

    const health = await getJson(
      createHealthHandler({
        store,
        now: () => clock.now(),
        scheduler: () => ({ running: true }),
        staleAfterMs: 3_600_000,
      }),
    );
    const groupHealth = (health.lastSync as Record<string, { skipped: number; links: unknown[] }>)[SLUG]!;
    expect(groupHealth.skipped).toBe(1);
    expect(groupHealth.links[0]).toMatchObject({
      skipped: 1,
      skippedRecords: [expect.stringContaining('id 78')],
    });
  });

  it('an issue that turns unreadable is not taken for removed from GitLab', async () => {
    const [documented] = documentedBody('epic_issues.list.json') as Record<string, unknown>[];
    const second = { ...documented, id: 77, iid: 7 };
    let body: unknown[] = [documented, second];
    // The first matching route wins: this one answers whatever `body` holds at the time of the request.
    docs.onDynamic(/^\/groups\/test\/epics\/5\/issues$/, () => body);
    serveDocumentedEpic();
    link(`${docs.url}/groups/test/-/epics/5`);
    expect(await sync.syncGroup(group())).toMatchObject({ status: 'synced', skipped: 0 });
    expect(gitlabItems().filter((i) => i.source === 'gitlab_issue')).toHaveLength(2);

    body = [documented, { ...second, updated_at: 42 }];
    const outcome = await sync.syncGroup(group(), { full: true });
    expect(outcome).toMatchObject({ status: 'synced', skipped: 1, removed: 0 });
    expect(
      gitlabItems()
        .filter((i) => i.source === 'gitlab_issue')
        .map((i) => i.story),
    ).toEqual(['h5bp/html5-boilerplate#6', 'h5bp/html5-boilerplate#7']);
  });

  it('an issue GitLab keeps sending unreadable does not hide another that left the epic', async () => {
    const [documented] = documentedBody('epic_issues.list.json') as Record<string, unknown>[];
    const second = { ...documented, id: 77, iid: 7 };
    const third = { ...documented, id: 79, iid: 9 };
    let body: unknown[] = [documented, second, third];
    docs.onDynamic(/^\/groups\/test\/epics\/5\/issues$/, () => body);
    serveDocumentedEpic();
    link(`${docs.url}/groups/test/-/epics/5`);
    await sync.syncGroup(group());
    body = [documented, { ...second, updated_at: 42 }];
    const outcome = await sync.syncGroup(group(), { full: true });
    expect(outcome).toMatchObject({ status: 'synced', skipped: 1, removed: 1 });
    const stories = () =>
      gitlabItems()
        .filter((i) => i.source === 'gitlab_issue')
        .map((i) => i.story);
    expect(stories()).toEqual(['h5bp/html5-boilerplate#6', 'h5bp/html5-boilerplate#7']);
    clock.advance(60_000);
    expect(await sync.syncGroup(group(), { full: true })).toMatchObject({ skipped: 1, removed: 0 });
    expect(stories()).toEqual(['h5bp/html5-boilerplate#6', 'h5bp/html5-boilerplate#7']);
  });

  it('a child epic that turns unreadable keeps the stored child epics', async () => {
    const [child] = documentedBody('epic_links.list.json') as Record<string, unknown>[];
    let children: unknown[] = [child];
    docs.onDynamic(/^\/groups\/test\/epics\/5\/epics$/, () => children);
    serveDocumentedEpic();
    link(`${docs.url}/groups/test/-/epics/5`);
    await sync.syncGroup(group());
    children = [{ ...child, iid: 'six' }];
    const outcome = await sync.syncGroup(group(), { full: true });
    expect(outcome).toMatchObject({ status: 'synced', skipped: 1, removed: 0 });
    expect(gitlabItems().filter((i) => i.source === 'gitlab_epic')).toHaveLength(1);
  });

  it('a list answer that is not a list is still the link’s error, not an odd record', async () => {
    serveDocumentedEpic({ message: 'something else' });
    link(`${docs.url}/groups/test/-/epics/5`);
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/issues of epic &5 in test is not a list/);
  });

  it('a REST epic answering 404 points at the Work Items API, not at a removed epic', async () => {
    link(`${docs.url}/groups/test/-/epics/9`);
    const outcome = await sync.syncGroup(group());
    expect(outcome.error).toMatch(/REST epics API may be unavailable here \(deprecated since GitLab 17\.0\)/);
    expect(outcome.error).toMatch(/GITLAB_API=graphql reads epics as work items/);
    expect(outcome.error).not.toMatch(/does not exist, was removed/);
  });
});

describe('the documented work item event', () => {
  it('schedules the groups whose links hold the project, as written and with ids as strings', async () => {
    link(`${docs.url}/gitlabhq/gitlab-test/-/issues?label_name[]=API`);
    const scheduled: number[] = [];
    const handler = createGitlabWebhookHandler({
      store,
      secret: 'hook-secret',
      schedule: (wgId) => scheduled.push(wgId),
      now: () => clock.now(),
      logger: silentLogger,
    });
    const event = documentedBody('webhook.work-item-event.json') as Record<string, unknown>;
    const attrs = event.object_attributes as Record<string, unknown>;
    const loose = { ...event, object_attributes: { ...attrs, id: '301', iid: '23', type: 7 } };
    for (const body of [event, loose]) {
      const answer = await postJson(handler, body, { 'x-gitlab-token': 'hook-secret' });
      expect(answer).toEqual({ status: 202, body: { ok: true, scheduled: 1 } });
    }
    expect(scheduled).toEqual([group().id, group().id]);
  });
});

type Handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => unknown;

async function withServer<T>(handler: Handler, work: (url: string) => Promise<T>): Promise<T> {
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function getJson(handler: Handler): Promise<Record<string, unknown>> {
  return withServer(handler, async (url) => (await (await fetch(url)).json()) as Record<string, unknown>);
}

function postJson(handler: Handler, body: unknown, headers: Record<string, string>) {
  return withServer(handler, async (url) => {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: answer.status, body: (await answer.json()) as unknown };
  });
}
