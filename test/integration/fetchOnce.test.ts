// One fetch per GitLab object per sync, the fewest requests a full sync can make, incremental syncs that
// stay at three requests beyond 10,000 issues, and a child epic closing seen by the next incremental sync.
// Counts of requests the fake GitLab received, never durations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { LinkService } from '../../src/services/linkService.js';
import { ImportService } from '../../src/services/importService.js';
import { StatusService } from '../../src/services/status.js';
import { SyncService } from '../../src/services/syncService.js';
import { WRITE_BATCH } from '../../src/services/sync/writeBatches.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let fake: FakeGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let sync: SyncService;
let status: StatusService;

beforeEach(async () => {
  clock = new ManualClock('2026-11-16T08:00:00Z');
  fake = await FakeGitlab.start({ now: () => clock.now() });
  ({ store, cleanup } = tempStore(() => clock.now()));
  const client = createGitlabClient({
    url: fake.url,
    token: fake.token,
    deps: { sleep: async () => {}, now: () => clock.now(), random: () => 0.5 },
  });
  sync = new SyncService(store, client, () => clock.now());
  status = new StatusService(store, () => clock.now());
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  fake.addGroup('g');
  fake.addProject('g/app');
  fake.addIteration('g', { title: 'Sprint 21', start_date: '2026-11-16', due_date: '2026-11-27' });
});

afterEach(async () => {
  cleanup();
  await fake.close();
});

const SLUG = 'improve-ops-quality';
const group = () => store.groups.getBySlug(SLUG)!;
const link = (url: string, criterion: string | null = null) =>
  new LinkService(store, fake.url, () => clock.now()).link(SLUG, url, criterion);
const gets = () => fake.requests.map((r) => `${r.path}?${new URLSearchParams(r.query as never)}`);

/** An epic with `issues` issues (in the project g/app) and `children` open child epics. */
function seedEpic(issues: number, children = 0) {
  const epic = fake.addEpic('g', { title: 'The epic', description: '- [ ] A task line (Ada)\n' });
  const childEpics = Array.from({ length: children }, (_, i) =>
    fake.addChildEpic('g', epic.iid, { title: `Child ${i + 1}` }),
  );
  for (let i = 0; i < issues; i += 1)
    fake.addIssue('g/app', { title: `Story ${i + 1}`, epic: { groupPath: 'g', iid: epic.iid } });
  return { epic, childEpics };
}

describe('one fetch per GitLab object per sync', () => {
  it('a group with an epic, a milestone and a labelled list, each linked twice, takes the minimum: 7', async () => {
    const { epic } = seedEpic(3);
    const milestone = fake.addMilestone({ groupPath: 'g' }, { title: 'M1' });
    fake.addIssue('g/app', { title: 'In the milestone', milestone });
    fake.addIssue('g/app', { title: 'Labelled', labels: ['wg::ops'] });
    const urls = [
      `${fake.url}/groups/g/-/epics/${epic.iid}`,
      `${fake.url}/groups/g/-/milestones/${milestone.iid}`,
      `${fake.url}/groups/g/-/issues?label_name[]=wg::ops`,
    ];
    urls.forEach((url, i) => {
      link(url);
      link(url, String(i + 2));
    });
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('synced');
    // The epic, its issues, its child epics; the milestone, its issues; the labelled issues; the group's
    // iterations once.
    expect(outcome.requests).toBe(7);
    expect(fake.requests).toHaveLength(7);
    expect(new Set(gets()).size).toBe(7);
    expect(fake.requestsTo('/groups/g/iterations')).toHaveLength(1);
    const report = status.status(SLUG);
    expect(report.items.map((i) => i.title)).toEqual(
      expect.arrayContaining(['Story 1', 'In the milestone', 'Labelled']),
    );
    expect(report.criteria.slice(1, 4).map((c) => c.source)).toEqual(['gitlab', 'gitlab', 'gitlab']);
    // The two links of each object have the same cursor afterwards.
    const sources = store.sources.listByWg(group().id);
    for (const url of new Set(sources.map((s) => s.url))) {
      const cursors = sources.filter((s) => s.url === url).map((s) => JSON.stringify(s.cursor));
      expect(cursors).toHaveLength(2);
      expect(new Set(cursors).size).toBe(1);
    }
  });

  it('a project-level link under a group already asked reuses that group’s iterations', async () => {
    const { epic } = seedEpic(1);
    fake.addIssue('g/app', { title: 'Labelled', labels: ['wg::ops'] });
    link(`${fake.url}/g/app/-/issues?label_name[]=wg::ops`);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const outcome = await sync.syncGroup(group());
    expect(outcome.requests).toBe(5); // epic 3, labelled issues 1, iterations 1
    expect(fake.requestsTo(/iterations$/)).toHaveLength(1);
  });

  it('a link added later to an object already synced shares one fetch, the full one the new link needs', async () => {
    const { epic } = seedEpic(3);
    const url = `${fake.url}/groups/g/-/epics/${epic.iid}`;
    link(url);
    await sync.syncGroup(group());
    clock.advance(15 * 60_000);
    link(url, '2');
    fake.resetLog();
    const outcome = await sync.syncGroup(group());
    expect(outcome.sources.map((s) => s.mode)).toEqual(['full', 'full']);
    expect(fake.requestsTo(/\/epics\/\d+$/)).toHaveLength(1);
    expect(fake.requestsTo(/\/epics\/\d+\/issues$/)).toHaveLength(1);
    expect(status.status(SLUG).criteria[1]).toMatchObject({ percent: 0, source: 'gitlab' });
  });

  it('the links of one object synced at different times resume together from the older cursor', async () => {
    const { epic } = seedEpic(3);
    const url = `${fake.url}/groups/g/-/epics/${epic.iid}`;
    link(url);
    link(url, '2');
    await sync.syncGroup(group());
    // The criterion's link last synced ten minutes later than the group's (say the group's next fetch failed).
    const criterion = store.sources.listByWg(group().id)[1];
    const later = { ...criterion!.cursor!, updatedAt: '2026-11-16T08:10:00.000Z' };
    store.transaction(() =>
      store.sources.recordFetch(criterion!.id, { ...criterion!, description: '' }, later, clock.now()),
    );
    clock.advance(20 * 60_000);
    fake.resetLog();
    await sync.syncGroup(group());
    const changed = fake.requestsTo('/groups/g/issues');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.query.updated_after).toBe('2026-11-16T07:55:00.000Z'); // the older cursor, less 5 min
  });
});

describe('incremental sync', () => {
  it('sees a child epic closed without its parent changing, in three requests', async () => {
    const { epic, childEpics } = seedEpic(2, 2);
    const url = `${fake.url}/groups/g/-/epics/${epic.iid}`;
    link(url);
    link(url, '2');
    await sync.syncGroup(group());
    expect(status.status(SLUG).criteria[1]).toMatchObject({ percent: 0, source: 'gitlab' });
    const epicBefore = fake.getEpic('g', epic.iid).updated_at;

    clock.advance(15 * 60_000);
    fake.updateEpic('g', childEpics[0]!.iid, { state: 'closed' });
    expect(fake.getEpic('g', epic.iid).updated_at).toBe(epicBefore); // the parent did not change
    fake.resetLog();
    const outcome = await sync.syncGroup(group());
    expect(outcome.sources.map((s) => s.mode)).toEqual(['incremental', 'incremental']);
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    // 2 issues and 2 child epics, one closed.
    expect(status.status(SLUG).criteria[1]).toMatchObject({ percent: 25, source: 'gitlab' });
    const report = status.status(SLUG);
    expect(report.items.find((i) => i.title === 'Child 1')).toMatchObject({ state: 'done' });
    // The epic's task line, read from its description by the full sync, stays.
    expect(report.items.map((i) => i.title)).toContain('A task line');
  });

  it('drops a child epic moved to another parent, and keeps the epic’s own changes', async () => {
    const { epic, childEpics } = seedEpic(1, 2);
    const other = fake.addEpic('g', { title: 'Elsewhere' });
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    await sync.syncGroup(group());
    clock.advance(15 * 60_000);
    fake.updateEpic('g', childEpics[1]!.iid, { parent_id: other.id });
    fake.updateEpic('g', epic.iid, { title: 'The epic, renamed' });
    fake.resetLog();
    const outcome = await sync.syncGroup(group());
    expect(outcome.removed).toBe(1);
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    const titles = status.status(SLUG).items.map((i) => i.title);
    expect(titles).toContain('Child 1');
    expect(titles).not.toContain('Child 2');
    expect(store.sources.listByWg(group().id)[0]!.title).toBe('The epic, renamed');
  });

  it('stays at 3 requests + changed pages for an epic of 20,000 issues (no x-total), and sees one leave', async () => {
    clock.set('2026-11-15T08:00:00Z');
    const { epic } = seedEpic(20_000);
    clock.set('2026-11-16T08:00:00Z');
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const full = await sync.syncGroup(group());
    expect(full.sources[0]).toMatchObject({ mode: 'full', issues: 20_000 });
    // GitLab's documented behaviour beyond 10,000 rows: no x-total, no x-total-pages.
    expect(fake.requestsTo(/\/epics\/\d+\/issues$/)).toHaveLength(200);

    clock.advance(15 * 60_000);
    for (let iid = 1; iid <= 10; iid += 1) fake.updateIssue('g/app', iid, { state: 'closed' });
    fake.resetLog();
    const inc = await sync.syncGroup(group());
    expect(inc.sources[0]).toMatchObject({ mode: 'incremental', issues: 10, complete: false });
    // 3 + changed pages, and the 10 changes fit one page: the group's updated epics, the changed issues,
    // the count — not the 200 pages of a full listing.
    expect(fake.requests.length).toBeLessThanOrEqual(3);
    expect(fake.requestsTo('/groups/g/issues_statistics')[0]!.query).toMatchObject({
      epic_id: String(epic.id),
      scope: 'all',
    });

    clock.advance(15 * 60_000);
    fake.setIssueEpic('g/app', 20_000, null);
    fake.resetLog();
    const left = await sync.syncGroup(group());
    // The count said someone left: the full list, once, to find out who.
    expect(left.sources[0]).toMatchObject({ mode: 'incremental', complete: true });
    expect(left.removed).toBe(1);
    expect(status.status(SLUG).items.filter((i) => i.source === 'gitlab_issue')).toHaveLength(19_999);
  }, 120_000);
});

describe('writing a big listing', () => {
  it(`writes at most ${WRITE_BATCH} issues to a transaction`, async () => {
    const { epic } = seedEpic(1_200);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const items = () =>
      (
        store.db.prepare("SELECT count(*) AS n FROM action_items WHERE source = 'gitlab_issue'").get() as {
          n: number;
        }
      ).n;
    const written: number[] = [];
    const transaction = store.transaction.bind(store);
    store.transaction = (<T>(fn: () => T): T => {
      const before = items();
      try {
        return transaction(fn);
      } finally {
        written.push(items() - before);
      }
    }) as typeof store.transaction;
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('synced');
    expect(items()).toBe(1_200);
    expect(written.filter((n) => n > 0)).toEqual([500, 500, 200]);
  });

  it('stops between batches when another process took the lease, and writes nothing more', async () => {
    const { epic } = seedEpic(1_200);
    link(`${fake.url}/groups/g/-/epics/${epic.iid}`);
    const items = () =>
      (
        store.db.prepare("SELECT count(*) AS n FROM action_items WHERE source = 'gitlab_issue'").get() as {
          n: number;
        }
      ).n;
    let batches = 0;
    const transaction = store.transaction.bind(store);
    store.transaction = (<T>(fn: () => T): T => {
      const before = items();
      const value = transaction(fn);
      // After the first batch, another process takes the group's lease (this one's expired, say).
      if (items() > before && ++batches === 1)
        store.db
          .prepare("UPDATE sync_state SET lease_owner = 'other-host:1:abc', lease_until = ? WHERE wg_id = ?")
          .run('2099-01-01T00:00:00.000Z', group().id);
      return value;
    }) as typeof store.transaction;
    const outcome = await sync.syncGroup(group());
    expect(outcome.status).toBe('busy');
    expect(items()).toBe(500);
    expect(store.sources.listByWg(group().id)[0]!.cursor).toBeNull();
  });
});
