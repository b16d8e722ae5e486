import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient, type GitlabClient } from '../../src/gitlab/client.js';
import { silentLogger } from '../../src/logger.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { StatusService } from '../../src/services/status.js';
import { SyncService } from '../../src/services/syncService.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let fake: FakeGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let sleeps: number[];
let client: GitlabClient;
let sync: SyncService;
let status: StatusService;

const EPIC_DESCRIPTION = `Overview.

- [x] Sprint 20: Workshop w. Roland (Thor)
- [ ] Sprint 21: Update DoD (Waldemar)
`;

function newClient(): GitlabClient {
  return createGitlabClient({
    url: fake.url,
    token: fake.token,
    // Waits are recorded and skipped: a test checks how long the client would have waited, in no time.
    deps: { sleep: async (ms) => void sleeps.push(ms), now: () => clock.now(), random: () => 0.5 },
  });
}

beforeEach(async () => {
  clock = new ManualClock('2026-11-16T08:00:00Z');
  fake = await FakeGitlab.start({ now: () => clock.now() });
  ({ store, cleanup } = tempStore(() => clock.now()));
  sleeps = [];
  client = newClient();
  sync = new SyncService(store, client, () => clock.now());
  status = new StatusService(store, () => clock.now());
  new ImportService(store, () => clock.now()).importText(handbookSeed());
});

afterEach(async () => {
  cleanup();
  await fake.close();
});

function seedEpic(issueCount: number) {
  fake.addGroup('g');
  fake.addProject('g/app');
  const iteration = fake.addIteration('g', {
    title: null,
    sequence: 21,
    start_date: '2026-11-16',
    due_date: '2026-11-27',
    state: 2,
  });
  const epic = fake.addEpic('g', {
    title: 'DevOps CI/CD',
    description: EPIC_DESCRIPTION,
    due_date: '2026-12-18',
  });
  const issues = Array.from({ length: issueCount }, (_, i) =>
    fake.addIssue('g/app', {
      title: `Story ${i + 1}`,
      epic: { groupPath: 'g', iid: epic.iid },
      assignees: [
        {
          id: 100 + (i % 3),
          username: `user${i % 3}`,
          name: `User ${i % 3}`,
          state: 'active',
          avatar_url: '',
          web_url: '',
        },
      ],
      iteration: i % 2 === 0 ? iteration : null,
      weight: i === 0 ? 3 : null,
    } as never),
  );
  return { epic, issues, iteration };
}

function link(url: string, criterion: string | null = null) {
  return new LinkService(store, fake.url, () => clock.now()).link('improve-ops-quality', url, criterion);
}

const group = () => store.groups.getBySlug('improve-ops-quality')!;

describe('GitLab sync', () => {
  it('first sync brings in the epic, its issues, task lines, sprints and owners', async () => {
    const { epic } = seedEpic(5);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const outcome = await sync.syncGroup(group());
    expect(outcome).toMatchObject({ status: 'synced', error: null });
    expect(outcome.sources[0]).toMatchObject({ mode: 'full', issues: 5, complete: true });

    const report = status.status('improve-ops-quality');
    expect(report.syncedAt).toBe('2026-11-16T08:00:00.000Z');
    const gitlabItems = report.items.filter((i) => i.source === 'gitlab_issue');
    expect(gitlabItems.map((i) => i.title)).toEqual(['Story 1', 'Story 2', 'Story 3', 'Story 4', 'Story 5']);
    expect(gitlabItems[0]).toMatchObject({
      owner: 'User 0',
      sprint: 'Iteration · Nov 16–27',
      state: 'open',
      confidential: false,
    });
    expect(gitlabItems[0]!.url).toBe(`${fake.url}/g/app/-/issues/1`);
    expect(gitlabItems[1]!.sprint).toBeNull();
    const tasks = report.items.filter((i) => i.source === 'epic_task');
    expect(tasks.map((t) => [t.title, t.state, t.sprint, t.owner])).toEqual([
      ['Workshop w. Roland', 'done', 'Sprint 20', 'Thor'],
      ['Update DoD', 'open', 'Sprint 21', 'Waldemar'],
    ]);
    expect(report.currentSprint).toMatchObject({
      title: 'Iteration · Nov 16–27',
      number: null,
      startDate: '2026-11-16',
      endDate: '2026-11-27',
    });
    // Pages of 100, as few requests as GitLab allows.
    expect(
      fake.requests.filter((r) => r.path.endsWith('/issues')).every((r) => r.query.per_page === '100'),
    ).toBe(true);
  });

  it('then fetches only what changed, in at most three requests', async () => {
    // The issues were last touched yesterday. The next fetch starts five minutes before GitLab's clock
    // (its Date header) at the start of this one, so it sees them again only if they change.
    clock.set('2026-11-15T08:00:00Z');
    const { epic, issues } = seedEpic(30);
    clock.set('2026-11-16T08:00:00Z');
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    await sync.syncGroup(group());
    clock.advance(10 * 60_000);
    fake.updateIssue('g/app', issues[4]!.iid, { title: 'Story 5 renamed' });
    fake.resetLog();

    const outcome = await sync.syncGroup(group());
    expect(outcome.sources[0]).toMatchObject({ mode: 'incremental', complete: false, issues: 1 });
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    const changed = fake.requests.find((r) => r.path === '/api/v4/groups/g/issues');
    expect(changed?.query).toMatchObject({ epic_id: String(epic.id), per_page: '100' });
    expect(changed?.query.updated_after).toBe('2026-11-16T07:55:00.000Z');
    expect(status.status('improve-ops-quality').items.map((i) => i.title)).toContain('Story 5 renamed');
  });

  it('moves a linked criterion and records a snapshot when an issue closes', async () => {
    const { epic, issues } = seedEpic(4);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`, '2');
    await sync.syncGroup(group());
    // Story 1 has weight 3, the others 1: closing it is 3/6 of the work.
    expect(status.status('improve-ops-quality').criteria[1]).toMatchObject({ percent: 0, source: 'gitlab' });
    const stateEvents = () =>
      store.db.prepare("SELECT from_value, to_value FROM item_events WHERE kind = 'state'").all();
    expect(stateEvents()).toEqual([]);

    clock.advance(60_000);
    fake.updateIssue('g/app', issues[0]!.iid, { state: 'closed', closed_at: clock.now().toISOString() });
    await sync.syncGroup(group());
    const report = status.status('improve-ops-quality');
    expect(report.criteria[1]).toMatchObject({ percent: 50, source: 'gitlab' });
    expect(report.overall).toBeCloseTo((100 * 5 + 50) / 6, 1);
    // History: the closed issue is one event, and today's burn-up point carries the new figure.
    expect(stateEvents()).toEqual([{ from_value: 'open', to_value: 'done' }]);
    const days = store.progressDays.burnup(group().id, '2000-01-01T00:00:00.000Z');
    expect(days.at(-1)!.criteria['2']).toBe(50);
    expect(days.at(-1)!.at).toBe(clock.now().toISOString());
  });

  it('notices an issue moved out of the epic and one deleted', async () => {
    const { epic, issues } = seedEpic(6);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    await sync.syncGroup(group());
    clock.advance(60_000);
    fake.setIssueEpic('g/app', issues[1]!.iid, null);
    fake.deleteIssue('g/app', issues[2]!.iid);

    const outcome = await sync.syncGroup(group());
    expect(outcome.removed).toBe(2);
    // The count no longer matched, so the full list was fetched once to find out who left.
    expect(outcome.sources[0]).toMatchObject({ mode: 'incremental', complete: true });
    const titles = status.status('improve-ops-quality').items.map((i) => i.title);
    expect(titles).not.toContain('Story 2');
    expect(titles).not.toContain('Story 3');
    expect(titles).toContain('Story 4');
  });

  it('keeps confidential issues with their flag and counts them', async () => {
    fake.addGroup('g');
    fake.addProject('g/app');
    const epic = fake.addEpic('g');
    fake.addIssue('g/app', {
      title: 'Secret fix',
      confidential: true,
      state: 'closed',
      epic: { groupPath: 'g', iid: epic.iid },
    } as never);
    fake.addIssue('g/app', { title: 'Public work', epic: { groupPath: 'g', iid: epic.iid } } as never);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`, '3');
    await sync.syncGroup(group());
    const report = status.status('improve-ops-quality');
    expect(report.items.find((i) => i.title === 'Secret fix')).toMatchObject({
      confidential: true,
      state: 'done',
    });
    expect(report.criteria[2]).toMatchObject({ percent: 50, source: 'gitlab' });
  });

  it('honours Retry-After on a 429', async () => {
    const { epic } = seedEpic(3);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    fake.failNext(/\/epics\/\d+$/, { status: 429, retryAfter: 7 });
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('synced');
    expect(sleeps).toContain(7000);
    const epicCalls = fake.requests.filter((r) => /\/epics\/\d+$/.test(r.path));
    expect(epicCalls.map((r) => r.status)).toEqual([429, 200]);
  });

  it('honours RateLimit-Reset when there is no Retry-After', async () => {
    const { epic } = seedEpic(1);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const reset = Math.floor(clock.now().getTime() / 1000) + 42;
    fake.failNext(/\/epics\/\d+$/, { status: 429, rateLimitReset: reset });
    await sync.syncGroup(group());
    expect(sleeps).toContain(42_000);
  });

  it('leaves the database as it was when GitLab fails mid-pagination, and says so', async () => {
    const { epic, issues } = seedEpic(250);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    await sync.syncGroup(group());
    const rows = () =>
      store.db.prepare('SELECT id, title, state, removed_at FROM action_items ORDER BY id').all();
    const before = rows();
    const syncedAt = status.status('improve-ops-quality').syncedAt;

    clock.advance(25 * 60 * 60_000); // a day later: a full sync, three pages
    fake.updateIssue('g/app', issues[0]!.iid, { title: 'Changed in GitLab', state: 'closed' });
    fake.failNext(/\/epics\/\d+\/issues$/, { status: 500 }, 1, { skip: 1 });
    fake.failNext(/\/epics\/\d+\/issues$/, { status: 500 }, 20);
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/GitLab did not answer .*epics\/\d+\/issues.*page=2/);
    expect(rows()).toEqual(before);
    const report = status.status('improve-ops-quality');
    expect(report.syncedAt).toBe(syncedAt);
    expect(report.syncError).toMatchObject({ at: clock.now().toISOString() });
    expect(sleeps.length).toBeGreaterThanOrEqual(5);
  });

  it('turns garbage from GitLab into a sync error, not a crash', async () => {
    const { epic } = seedEpic(2);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    fake.failNext(/\/epics\/\d+$/, { garbage: true }, 10);
    const outcome = await sync.syncGroup(group());
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome.error).toMatch(/invalid JSON/);
  });

  it('tells a GitLab Free user which other source to link', async () => {
    fake.addGroup('free', { tier: 'free' });
    const epic = fake.addEpic('free');
    link(`${fake.url}/groups/free/-/epics/${epic.iid}`);
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(
      /GitLab answered 403 for epic &1 in free: epics and iterations need GitLab Premium/,
    );
    expect(outcome.error).toMatch(/Link a milestone \(…\/-\/milestones\/<iid>\) or a labelled issue list/);
  });

  it('syncs a milestone and a labelled issue list on GitLab Free', async () => {
    fake.addGroup('free', { tier: 'free' });
    fake.addProject('free/app');
    const milestone = fake.addMilestone(
      { projectPath: 'free/app' },
      { title: 'Sprint 21', start_date: '2026-11-16', due_date: '2026-11-27' },
    );
    fake.addIssue('free/app', { title: 'In milestone', milestone } as never);
    fake.addIssue('free/app', { title: 'Labelled', labels: ['wg::ops'] } as never);
    fake.addIssue('free/app', { title: 'Unrelated' } as never);
    link(`${fake.url}/free/app/-/milestones/${milestone.iid}`);
    link(`${fake.url}/free/app/-/issues?label_name[]=wg::ops`);
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('synced');
    const items = status.status('improve-ops-quality').items;
    expect(items.map((i) => [i.title, i.sprint])).toEqual([
      ['In milestone', 'Sprint 21'],
      ['Labelled', null],
    ]);
    expect(items[0]!.sprintEnd).toBe('2026-11-27');
  });

  it('dates a paged listing by its first page, so a change made while it paged comes with the next sync', async () => {
    fake.addGroup('free', { tier: 'free' });
    fake.addProject('free/app');
    const iids: number[] = [];
    for (let i = 0; i < 150; i += 1) {
      clock.advance(1_000); // newest first: the last one added is on page 1
      iids.push(fake.addIssue('free/app', { title: `Item ${i}`, labels: ['wg::ops'] } as never).iid);
    }
    link(`${fake.url}/free/app/-/issues?label_name[]=wg::ops`);
    // Page 2 is rate-limited for ten minutes; two minutes in, someone closes an issue already on page 1.
    const started = clock.now().getTime();
    fake.failNext(/\/issues$/, { status: 429, retryAfter: 600 }, 1, { skip: 1 });
    const waiting = createGitlabClient({
      url: fake.url,
      token: fake.token,
      policy: { maxDelayMs: 15 * 60_000 }, // honour the whole Retry-After
      deps: {
        sleep: async (ms) => {
          clock.set(new Date(started + 2 * 60_000));
          fake.updateIssue('free/app', iids[149]!, { state: 'closed' } as never);
          clock.set(new Date(started + ms));
        },
        now: () => clock.now(),
        random: () => 0.5,
      },
    });
    // A budget past the ten-minute wait (the default five minutes would stop the sync there).
    const paging = new SyncService(store, waiting, () => clock.now(), silentLogger, {
      budgetMs: 20 * 60_000,
    });
    expect((await paging.syncGroup(group())).status).toBe('synced');
    const item = () => status.status('improve-ops-quality').items.find((i) => i.title === 'Item 149')!;
    expect(item().state).toBe('open'); // page 1 was read before the close

    clock.advance(60_000);
    expect((await sync.syncGroup(group())).status).toBe('synced');
    expect(item().state).toBe('done');
  });

  it('a sync that outlived its lease while another process synced writes nothing', async () => {
    const { epic, issues } = seedEpic(3);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const other = new SyncService(store, newClient(), () => clock.now());
    // This process's listing is held up for eleven minutes; meanwhile the lease lapses, an issue closes,
    // and the other process syncs it.
    fake.failNext(/\/epics\/\d+\/issues$/, { status: 429, retryAfter: 660 });
    const slow = createGitlabClient({
      url: fake.url,
      token: fake.token,
      policy: { maxDelayMs: 15 * 60_000 },
      deps: {
        sleep: async (ms) => {
          clock.advance(ms);
          fake.updateIssue('g/app', issues[0]!.iid, { state: 'closed' } as never);
          expect((await other.syncGroup(group())).status).toBe('synced');
        },
        now: () => clock.now(),
        random: () => 0.5,
      },
    });
    const late = await new SyncService(store, slow, () => clock.now(), silentLogger, {
      budgetMs: 20 * 60_000,
    }).syncGroup(group());
    expect(late.status).toBe('busy');
    const closed = status.status('improve-ops-quality').items.find((i) => i.title === issues[0]!.title)!;
    expect(closed.state).toBe('done'); // the other process's newer data stands
  });

  it('never runs two syncs of one group at once, even from two processes', async () => {
    const { epic } = seedEpic(2);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const same = await Promise.all([sync.syncGroup(group()), sync.syncGroup(group())]);
    expect(same[0]).toBe(same[1]);
    const other = new SyncService(store, newClient(), () => clock.now());
    // The first request of the incremental sync: the group's updated epics.
    fake.failNext(/\/epics(\/\d+)?$/, { hang: 300 });
    const [first, second] = await Promise.all([
      sync.syncGroup(group()),
      new Promise((r) => setTimeout(r, 50)).then(() => other.syncGroup(group())),
    ]);
    expect(first.status).toBe('synced');
    expect(second.status).toBe('busy');
  });

  it('a criterion linked to one issue follows its task list', async () => {
    fake.addGroup('g');
    fake.addProject('g/app');
    const issue = fake.addIssue('g/app', {
      task_completion_status: { count: 4, completed_count: 1 },
    } as never);
    link(`${fake.url}/g/app/-/issues/${issue.iid}`, '4');
    await sync.syncGroup(group());
    expect(status.status('improve-ops-quality').criteria[3]).toMatchObject({ percent: 25, source: 'gitlab' });
  });

  it('a criterion linked to an epic with no child issues follows the epic’s task list', async () => {
    fake.addGroup('g');
    const epic = fake.addEpic('g', {
      title: 'Runbooks',
      description:
        '- [x] Staging runbook (Ada)\n- [ ] Production runbook (Ada)\n- [ ] On-call drill (Bob)\n- [x] Review (Cy)\n',
    });
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`, '3');
    expect((await sync.syncGroup(group())).status).toBe('synced');
    const report = status.status('improve-ops-quality');
    expect(report.criteria[2]).toMatchObject({ percent: 50, source: 'gitlab' });
    // Counted for the criterion, not made the group's action items.
    expect(report.items.map((i) => i.title)).not.toContain('Staging runbook');
  });
});
