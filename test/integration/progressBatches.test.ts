// The progress record after a sync reads a big group a page at a time, each page in its own transaction,
// and records exactly what the whole-group record (recordProgress) would. Counts rows and calls, never
// durations (the time a write holds the process is in `npm run bench -- fetch`).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { recordProgress } from '../../src/services/groupState.js';
import { PROGRESS_PAGE } from '../../src/services/progressBatches.js';
import { SyncService } from '../../src/services/syncService.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

const SLUG = 'improve-ops-quality';
const ISSUES = 2 * PROGRESS_PAGE + 300;

let fake: FakeGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let sync: SyncService;

beforeEach(async () => {
  clock = new ManualClock('2026-11-15T08:00:00Z');
  fake = await FakeGitlab.start({ now: () => clock.now() });
  ({ store, cleanup } = tempStore(() => clock.now()));
  const client = createGitlabClient({
    url: fake.url,
    token: fake.token,
    deps: { sleep: async () => {}, now: () => clock.now(), random: () => 0.5 },
  });
  sync = new SyncService(store, client, () => clock.now());
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  fake.addGroup('g');
  fake.addProject('g/app');
  fake.addIteration('g', { title: 'Sprint 21', start_date: '2026-11-16', due_date: '2026-11-27' });
});

afterEach(async () => {
  vi.restoreAllMocks();
  cleanup();
  await fake.close();
});

const group = () => store.groups.getBySlug(SLUG)!;
const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;

/** A big epic synced once in full a day after its issues were last touched, then 3 of them changed. */
async function syncedBigEpic(): Promise<void> {
  const epic = fake.addEpic('g', { title: 'Big epic' });
  for (let i = 0; i < ISSUES; i += 1)
    fake.addIssue('g/app', { title: `Story ${i + 1}`, epic: { groupPath: 'g', iid: epic.iid } });
  clock.set('2026-11-16T08:00:00Z');
  new LinkService(store, fake.url, () => clock.now()).link(
    SLUG,
    `${fake.url}/groups/g/-/epics/${epic.iid}`,
    null,
  );
  expect((await sync.syncGroup(group())).status).toBe('synced');
  clock.advance(15 * 60_000);
  fake.updateIssue('g/app', 1, { state: 'closed' });
  fake.updateIssue('g/app', 2, { state: 'closed' });
  fake.updateIssue('g/app', 3, { due_date: '2026-12-01' });
}

describe('the progress record after an incremental sync of a big group', () => {
  it('reads the group a page at a time, each page in its own transaction, never all of it at once', async () => {
    await syncedBigEpic();
    const items = count('SELECT count(*) AS n FROM action_items WHERE wg_id = 1 AND removed_at IS NULL');
    expect(items).toBeGreaterThanOrEqual(ISSUES);
    // What the bookkeeping read in one statement: every item's recorded facts, every item for orphans.
    const wholeGroup = [vi.spyOn(store.itemHistory, 'recorded'), vi.spyOn(store.sources, 'orphanedItems')];
    // Which transaction each page was read in, and how many rows it read.
    let transactions = 0;
    const transaction = store.transaction.bind(store);
    store.transaction = (<T>(fn: () => T): T => {
      transactions += 1;
      return transaction(fn);
    }) as typeof store.transaction;
    const pages: { transaction: number; rows: number; inTransaction: boolean }[] = [];
    const current = store.progressPages.current.bind(store.progressPages);
    store.progressPages.current = (...args) => {
      const rows = current(...args);
      pages.push({ transaction: transactions, rows: rows.length, inTransaction: store.db.inTransaction });
      return rows;
    };

    const outcome = await sync.syncGroup(group());

    expect(outcome.sources[0]).toMatchObject({ mode: 'incremental', issues: 3, complete: false });
    for (const spy of wholeGroup) expect(spy).not.toHaveBeenCalled();
    const sizes = pages.map((p) => p.rows);
    expect(sizes.every((n) => n <= PROGRESS_PAGE)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(items);
    expect(sizes).toHaveLength(Math.floor(items / PROGRESS_PAGE) + 1);
    // Each page is read in a transaction, one page to a transaction.
    expect(pages.every((p) => p.inTransaction)).toBe(true);
    expect(new Set(pages.map((p) => p.transaction)).size).toBe(pages.length);
    const events = store.itemHistory.eventsAfter(group().id, '2026-11-16T08:00:00.000Z');
    expect(events.map((e) => `${e.kind}:${String(e.from)}→${String(e.to)}`).sort()).toEqual([
      'due_date:null→2026-12-01',
      'state:open→done',
      'state:open→done',
    ]);
  }, 120_000);

  it('records what the whole-group record would: a record right after it finds nothing to add', async () => {
    await syncedBigEpic();
    await sync.syncGroup(group());
    const before = {
      events: count('SELECT count(*) AS n FROM item_events'),
      states: store.db.prepare('SELECT * FROM item_states ORDER BY item_id').all(),
      days: store.db.prepare('SELECT * FROM progress_days').all(),
    };

    clock.advance(60_000);
    store.transaction(() => recordProgress(store, group(), clock.now()));

    // Same facts and same fingerprint: no event, no state, and the day's point stays where the sync put it.
    expect(count('SELECT count(*) AS n FROM item_events')).toBe(before.events);
    expect(store.db.prepare('SELECT * FROM item_states ORDER BY item_id').all()).toEqual(before.states);
    expect(store.db.prepare('SELECT * FROM progress_days').all()).toEqual(before.days);
  }, 120_000);
});
