import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { allGroups, groupPage, groupsByIds } from '../../src/services/groupList.js';
import { loadGroupState } from '../../src/services/groupState.js';
import { homeData } from '../../src/services/home.js';
import { ImportService } from '../../src/services/importService.js';
import { ItemActionService } from '../../src/services/itemActions.js';
import { LinkService } from '../../src/services/linkService.js';
import { statusReport } from '../../src/services/status.js';
import { SyncService } from '../../src/services/syncService.js';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { openStore, type Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { tempDir, tempStore } from '../helpers/store.js';

let clock: ManualClock;
let store: Store;
let cleanup: () => void;

beforeEach(() => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  ({ store, cleanup } = tempStore(() => clock.now()));
});
afterEach(() => cleanup());

const SLUG = 'improve-ops-quality';
const group = (slug = SLUG) => store.groups.getBySlug(slug)!;

/** What `/wg status` computes from every item, in the shape the lists show. */
function fullComputation(slug: string) {
  const report = statusReport(loadGroupState(store, group(slug), clock.now()));
  return {
    slug: report.slug,
    name: report.name,
    lifecycle: report.lifecycle,
    endedOn: report.endedOn,
    channel: report.channel,
    targetEndDate: report.targetEndDate,
    today: report.today,
    daysLeft: report.daysLeft,
    overall: report.overall,
    coverage: report.coverage,
    counts: report.counts,
    syncedAt: report.syncedAt,
    forecast: report.forecast,
  };
}

/** The summary as listed, and that it was written by the transaction itself (nothing left stale). */
function summaryOf(slug: string) {
  const stale = store.db.prepare('SELECT count(*) AS n FROM group_summaries WHERE stale = 1').get() as {
    n: number;
  };
  expect(stale.n).toBe(0);
  const { updatedAt, ...summary } = allGroups(store, clock.now()).find((g) => g.slug === slug)!;
  expect(updatedAt).not.toBeNull();
  return summary;
}

function expectSummaryIsFull(slug = SLUG) {
  expect(summaryOf(slug)).toEqual(fullComputation(slug));
}

function importSeeds() {
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed(), { channel: 'C0WG' });
  importer.importText(epicSeed(), { slug: SLUG });
}

describe('group summaries equal the full computation after every kind of write', () => {
  it('after an import, a re-import, a cadence that makes sprint items overdue, and the days turning', () => {
    importSeeds();
    expectSummaryIsFull();
    expect(summaryOf(SLUG).overall).toBe(100);
    expect(summaryOf(SLUG).counts.open).toBeGreaterThan(0);

    const g = group();
    store.transaction(() =>
      store.groups.update(
        g.id,
        { name: g.name, cadence: { lengthDays: 14, anchorNumber: 21, anchorDate: '2026-11-16' } },
        clock.now(),
      ),
    );
    expectSummaryIsFull();
    const overdueNow = summaryOf(SLUG).counts.overdue;
    expect(overdueNow).toBeGreaterThan(0);

    // Nothing is written when a day passes, yet the overdue count moves with it.
    clock.set('2026-12-20T09:00:00Z');
    expectSummaryIsFull();
    expect(summaryOf(SLUG).counts.overdue).toBeGreaterThan(overdueNow);

    new ImportService(store, () => clock.now()).importText(handbookSeed(), { channel: 'C0WG' });
    expectSummaryIsFull();
  });

  it('after marking an item done, a new due date, and a criterion percent set by hand', async () => {
    importSeeds();
    const actions = new ItemActionService(store, null, () => clock.now());
    const open = store.items.listByWg(group().id).filter((i) => i.state === 'open');
    const before = summaryOf(SLUG).counts;

    const fileItem = open.find((i) => i.source === 'epic_task' && !i.sourceKey.startsWith('s'));
    const target = fileItem ?? open[0]!;
    store.transaction(() => store.items.setState(target.id, 'done', clock.now()));
    expectSummaryIsFull();
    expect(summaryOf(SLUG).counts.open).toBe(before.open - 1);

    await actions.setDueDate(open[1]!.id, '2026-11-01');
    expectSummaryIsFull();
    expect(summaryOf(SLUG).counts.overdue).toBeGreaterThanOrEqual(1);

    const criteria = store.criteria.of(group().id, 'exit');
    store.transaction(() =>
      store.criteria.save(group().id, 'exit', [
        { ...criteria[0]!, handbookPercent: null, gitlabPercent: null, manualPercent: 40 },
        ...criteria.slice(1),
      ]),
    );
    expectSummaryIsFull();
    expect(summaryOf(SLUG).overall).toBeLessThan(100);

    // A criterion without any figure: left out of the overall, and the coverage says so.
    store.transaction(() =>
      store.criteria.save(group().id, 'exit', [
        { ...criteria[0]!, handbookPercent: null, gitlabPercent: null, manualPercent: null, children: [] },
        ...criteria.slice(1),
      ]),
    );
    expectSummaryIsFull();
    expect(summaryOf(SLUG).coverage).toEqual({ measured: criteria.length - 1, total: criteria.length });
  });

  it('after a sync from (fake) GitLab: issues, iterations, closing and removing', async () => {
    const gitlab = await FakeGitlab.start({ now: () => clock.now() });
    try {
      new ImportService(store, () => clock.now()).importText(handbookSeed());
      gitlab.addGroup('g');
      gitlab.addProject('g/app');
      const iteration = gitlab.addIteration('g', {
        title: null,
        sequence: 20,
        start_date: '2026-11-02',
        due_date: '2026-11-13',
        state: 3,
      });
      const epic = gitlab.addEpic('g', { title: 'Ops', description: '- [ ] Sprint 21: Write it (Thor)' });
      const issues = Array.from({ length: 12 }, (_, i) =>
        gitlab.addIssue('g/app', {
          title: `Story ${i + 1}`,
          epic: { groupPath: 'g', iid: epic.iid },
          iteration: i % 3 === 0 ? iteration : null,
          due_date: i % 4 === 1 ? '2026-11-20' : null,
        } as never),
      );
      new LinkService(store, gitlab.url, () => clock.now()).link(SLUG, `${gitlab.url}/groups/g/-/epics/1`);
      const client = createGitlabClient({ url: gitlab.url, token: gitlab.token });
      const sync = new SyncService(store, client, () => clock.now());
      expect((await sync.syncGroup(group())).status).toBe('synced');
      expectSummaryIsFull();
      expect(summaryOf(SLUG).counts).toMatchObject({ open: 13, overdue: 6 });
      expect(summaryOf(SLUG).syncedAt).toBe('2026-11-23T09:00:00.000Z');

      clock.advance(30 * 60_000);
      gitlab.updateIssue('g/app', issues[0]!.iid, { state: 'closed' });
      gitlab.updateIssue('g/app', issues[1]!.iid, { epic: null } as never);
      expect((await sync.syncGroup(group(), { full: true })).status).toBe('synced');
      expectSummaryIsFull();
      expect(summaryOf(SLUG).counts).toMatchObject({ open: 11, overdue: 4 });
    } finally {
      await gitlab.close();
    }
  });

  it('reads a row left stale by a write outside a transaction afresh, and filters by lifecycle', () => {
    importSeeds();
    new ImportService(store, () => clock.now()).importText(epicSeed(), { slug: 'devops-cicd' });
    const item = store.items.listByWg(group('devops-cicd').id).find((i) => i.state === 'open')!;
    // A repository call outside Store.transaction: the trigger marks the row, nobody recomputes it.
    store.items.setState(item.id, 'done', clock.now());
    expect(allGroups(store, clock.now()).find((g) => g.slug === 'devops-cicd')).toMatchObject(
      fullComputation('devops-cicd'),
    );
    const ended = group('devops-cicd');
    store.transaction(() =>
      store.groups.update(
        ended.id,
        { name: ended.name, lifecycle: 'ended', endedOn: '2026-11-20', lifecycleSource: 'command' },
        clock.now(),
      ),
    );
    expectSummaryIsFull('devops-cicd');
    expect(summaryOf('devops-cicd')).toMatchObject({ lifecycle: 'ended', endedOn: '2026-11-20' });
    expect(allGroups(store, clock.now()).map((g) => g.slug)).toEqual(['devops-cicd', SLUG]);
    expect(allGroups(store, clock.now(), ['active', 'paused']).map((g) => g.slug)).toEqual([SLUG]);
    const ids = [ended.id, group().id];
    expect(groupsByIds(store, clock.now(), ids, ['ended']).map((g) => g.slug)).toEqual(['devops-cicd']);
    expect(groupPage(store, clock.now(), 1, ['active'])).toMatchObject({ total: 1, pages: 1 });
  });
});

describe('group pages', () => {
  it('pages in slug order, counts every group, and gives the last page for one past the end', () => {
    store.transaction(() => {
      for (let i = 1; i <= 95; i += 1)
        store.groups.insert(`group-${String(i).padStart(3, '0')}`, { name: `Group ${i}` }, clock.now());
    });
    const first = groupPage(store, clock.now(), 1);
    expect(first).toMatchObject({ page: 1, pages: 3, total: 95, pageSize: 40 });
    expect(first.groups.map((g) => g.slug).slice(0, 2)).toEqual(['group-001', 'group-002']);
    const last = groupPage(store, clock.now(), 3);
    expect(last.groups.map((g) => g.slug)).toEqual(
      Array.from({ length: 15 }, (_, i) => `group-${String(81 + i).padStart(3, '0')}`),
    );
    expect(groupPage(store, clock.now(), 99)).toEqual(last);
    // A group with no criteria and no items: nothing to show, nothing invented.
    expect(last.groups[0]).toMatchObject({
      coverage: { measured: 0, total: 0 },
      counts: { items: 0, open: 0, done: 0, overdue: 0 },
      syncedAt: null,
    });
  });

  it('the App Home lists the groups a person is in from the summaries, and only their open items', () => {
    importSeeds();
    const g = group();
    store.transaction(() =>
      store.groups.update(
        g.id,
        { name: g.name, cadence: { lengthDays: 14, anchorNumber: 21, anchorDate: '2026-11-16' } },
        clock.now(),
      ),
    );
    const thor = store.people.findByName('Thor')!;
    store.transaction(() => store.people.linkSlackUser(thor.id, 'U0THOR', 'Europe/Oslo', clock.now()));
    const home = homeData(store, store.people.findByName('Thor')!, clock.now());
    expect(home.groups.map((s) => s.slug)).toEqual([SLUG]);
    const { updatedAt: _, ...listed } = home.groups[0]!;
    expect(listed).toEqual(fullComputation(SLUG));
    const report = statusReport(loadGroupState(store, group(), clock.now()));
    const expected = report.items.filter((i) => i.state === 'open' && i.ownerSlackUserIds.includes('U0THOR'));
    expect(home.items.map((i) => i.item)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);

    // A paused group leaves the Home tab, its items too: nothing there is asking for anyone's work.
    store.transaction(() =>
      store.groups.update(
        g.id,
        { name: g.name, lifecycle: 'paused', lifecycleSource: 'command' },
        clock.now(),
      ),
    );
    expect(homeData(store, store.people.findByName('Thor')!, clock.now())).toEqual({
      items: [],
      groups: [],
      changes: [],
    });
  });
});

describe('migration 0006', () => {
  it('fills the summaries of groups that existed before it, when wgbot next opens the database', () => {
    const { dir, cleanup: remove } = tempDir();
    try {
      const path = join(dir, 'old.db');
      const db = new Database(path);
      const shipped = loadMigrations();
      migrate(
        db,
        shipped.filter((m) => m.version < 6),
        () => clock.now(),
      );
      const at = clock.now().toISOString();
      db.prepare(
        `INSERT INTO working_groups (id, slug, name, timezone, target_end_date, created_at, updated_at)
         VALUES (1, 'old-group', 'Old Group', 'UTC', '2026-12-31', ?, ?)`,
      ).run(at, at);
      db.prepare(
        `INSERT INTO criteria (wg_id, section, position, title, handbook_percent) VALUES (1, 'exit', 0, 'A', 50), (1, 'exit', 1, 'B', NULL)`,
      ).run();
      const item = db.prepare(
        `INSERT INTO action_items (wg_id, source, source_key, title, state, due_date, created_at, updated_at)
         VALUES (1, 'manual', ?, 'Item', ?, ?, ?, ?)`,
      );
      item.run('a', 'open', '2026-11-01', at, at);
      item.run('b', 'open', null, at, at);
      item.run('c', 'done', '2026-11-01', at, at);
      db.close();

      const reopened = openStore(path, () => clock.now());
      try {
        const [old] = allGroups(reopened, clock.now());
        expect(old).toMatchObject({
          slug: 'old-group',
          overall: 50,
          coverage: { measured: 1, total: 2 },
          counts: { items: 3, open: 2, done: 1, overdue: 1 },
          daysLeft: 38,
          updatedAt: clock.now().toISOString(),
        });
        const stale = reopened.db.prepare('SELECT count(*) AS n FROM group_summaries WHERE stale = 1');
        expect(stale.get()).toEqual({ n: 0 });
      } finally {
        reopened.close();
      }
    } finally {
      remove();
    }
  });
});
