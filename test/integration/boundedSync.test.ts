import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient, type GitlabClient } from '../../src/gitlab/client.js';
import { createLogger } from '../../src/logger.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { SyncService } from '../../src/services/syncService.js';
import { openStore, type Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { wgbot } from '../helpers/cli.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';
import { startWgbot } from '../helpers/wgbot.js';

/** A GitLab (or proxy) that pages without end must not keep a sync, or the other groups' syncs, going. */

const SLUG = 'improve-ops-quality';
const EPIC_ISSUES = /\/epics\/\d+\/issues$/;

let fake: FakeGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let epicUrl: string;

function client(policy: { maxPages?: number } = {}, now: () => Date = () => clock.now()): GitlabClient {
  return createGitlabClient({
    url: fake.url,
    token: fake.token,
    policy,
    deps: { sleep: async () => {}, now, random: () => 0.5 },
  });
}

const group = () => store.groups.getBySlug(SLUG)!;
const titles = () =>
  store.items
    .listByWg(group().id)
    .map((i) => i.title)
    .sort();

beforeEach(async () => {
  clock = new ManualClock('2026-11-16T08:00:00Z');
  fake = await FakeGitlab.start({ now: () => clock.now() });
  ({ store, cleanup } = tempStore(() => clock.now()));
  fake.addGroup('g');
  fake.addProject('g/app');
  const epic = fake.addEpic('g', { title: 'Ops quality' });
  for (let i = 0; i < 3; i += 1)
    fake.addIssue('g/app', { title: `Story ${i + 1}`, epic: { groupPath: 'g', iid: epic.iid } } as never);
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  epicUrl = `${fake.url}/groups/g/-/epics/${epic.iid}`;
  new LinkService(store, fake.url, () => clock.now()).link(SLUG, epicUrl);
  // The last good data: what every failed sync below must leave as it is.
  expect((await new SyncService(store, client(), () => clock.now()).syncGroup(group())).status).toBe(
    'synced',
  );
});

afterEach(async () => {
  cleanup();
  await fake.close();
});

describe('a listing that never ends', () => {
  it('stops at the page cap, records why and where, and keeps the last good data', async () => {
    const before = titles();
    fake.endlessPages(EPIC_ISSUES);
    fake.resetLog();
    const outcome = await new SyncService(store, client({ maxPages: 5 }), () => clock.now()).syncGroup(
      group(),
      { full: true },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.sources[0]).toMatchObject({ errorKind: 'limit' });
    expect(outcome.error).toContain(epicUrl);
    expect(outcome.error).toContain('GITLAB_MAX_PAGES (5)');
    expect(fake.requestsTo(EPIC_ISSUES)).toHaveLength(5);
    expect(fake.requestsTo(EPIC_ISSUES).map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3', '4', '5']);
    const state = store.syncState.get(group().id);
    expect(state.lastError).toContain('GITLAB_MAX_PAGES (5)');
    expect(state.lastError).toContain(epicUrl);
    expect(store.sources.listByWg(group().id)[0]!.lastError).toContain('GITLAB_MAX_PAGES');
    expect(titles()).toEqual(before);
  });

  it('stops where GitLab’s own x-total-pages says the listing ends', async () => {
    // Each answer says "2 pages" yet offers a third: GitLab's own count is held to.
    fake.endlessPages(EPIC_ISSUES, { claimTotalPages: 2 });
    fake.resetLog();
    const outcome = await new SyncService(store, client({ maxPages: 500 }), () => clock.now()).syncGroup(
      group(),
      { full: true },
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('GitLab said there are 2 pages but offered another');
    expect(fake.requestsTo(EPIC_ISSUES)).toHaveLength(2);
  });

  it('stops when the time budget is used up (on the injected clock), naming SYNC_BUDGET_SECONDS', async () => {
    const before = titles();
    fake.endlessPages(EPIC_ISSUES);
    fake.resetLog();
    // Every look at the clock is a second later: a slow GitLab, in no time.
    const ticking = () => {
      clock.advance(1_000);
      return clock.now();
    };
    const outcome = await new SyncService(store, client({ maxPages: 100_000 }, ticking), ticking, undefined, {
      budgetMs: 60_000,
    }).syncGroup(group(), { full: true });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('SYNC_BUDGET_SECONDS (60 s)');
    expect(outcome.error).toContain(epicUrl);
    expect(fake.requestsTo(EPIC_ISSUES).length).toBeLessThan(60);
    expect(store.syncState.get(group().id).lastError).toContain('time budget');
    expect(titles()).toEqual(before);
  });

  it('refuses an answer larger than the size cap, as a limit', async () => {
    const small = createGitlabClient({
      url: fake.url,
      token: fake.token,
      policy: { maxResponseBytes: 200 },
      deps: { sleep: async () => {}, now: () => clock.now() },
    });
    const outcome = await new SyncService(store, small, () => clock.now()).syncGroup(group(), { full: true });
    expect(outcome.status).toBe('failed');
    expect(outcome.sources[0]).toMatchObject({ errorKind: 'limit' });
    expect(outcome.error).toContain('larger than 200 bytes');
  });
});

describe('the sync lease', () => {
  it('takes over an expired lease of a process that stopped mid-sync, and logs it', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    store.db
      .prepare('UPDATE sync_state SET lease_owner = ?, lease_until = ? WHERE wg_id = ?')
      .run('crashed-host:4242:deadbeef', new Date(clock.now().getTime() - 60_000).toISOString(), group().id);
    const outcome = await new SyncService(store, client(), () => clock.now(), logger).syncGroup(group());
    expect(outcome.status).toBe('synced');
    expect(outcome.tookOver).toEqual({
      owner: 'crashed-host:4242:deadbeef',
      expiredAt: '2026-11-16T07:59:00.000Z',
    });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 40,
        wg: SLUG,
        previousOwner: 'crashed-host:4242:deadbeef',
        msg: expect.stringContaining('took over an expired sync lease') as unknown,
      }),
    );
  });

  it('leaves a live lease alone and says who holds it', async () => {
    const until = new Date(clock.now().getTime() + 5 * 60_000).toISOString();
    store.db
      .prepare('UPDATE sync_state SET lease_owner = ?, lease_until = ? WHERE wg_id = ?')
      .run('other-host:777:cafe0001', until, group().id);
    fake.resetLog();
    const outcome = await new SyncService(store, client(), () => clock.now()).syncGroup(group());
    expect(outcome).toMatchObject({ status: 'busy', heldBy: { owner: 'other-host:777:cafe0001', until } });
    expect(fake.requests).toEqual([]);
  });
});

describe('wgbot sync and the lease', () => {
  const setLease = (owner: string, until: Date) =>
    store.db
      .prepare('UPDATE sync_state SET lease_owner = ?, lease_until = ? WHERE wg_id = ?')
      .run(owner, until.toISOString(), group().id);
  const env = () => ({ DATABASE_PATH: store.db.name, GITLAB_URL: fake.url, GITLAB_TOKEN: fake.token });

  it('exits 1 naming the process that holds a live lease, and syncs nothing', async () => {
    const until = new Date(Date.now() + 5 * 60_000);
    setLease('other-host:777:cafe0001', until);
    fake.resetLog();
    const run = await wgbot(['sync', SLUG], env());
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`wgbot sync: ${SLUG}: not synced: another wgbot process is syncing it`);
    expect(run.stderr).toContain('pid 777 on other-host');
    expect(run.stdout).toBe('');
    expect(fake.requests).toEqual([]);
    const json = await wgbot(['sync', '--json'], env());
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        slug: SLUG,
        status: 'busy',
        heldBy: { owner: 'other-host:777:cafe0001', until: until.toISOString() },
      }),
    ]);
  });

  it('takes over an expired lease, says so on stderr, syncs and exits 0', async () => {
    setLease('crashed-host:4242:deadbeef', new Date(Date.now() - 60_000));
    const run = await wgbot(['sync', SLUG], env());
    expect(run.stderr).toContain(
      'took over the sync lease of pid 4242 on crashed-host, which stopped mid-sync',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${SLUG}: synced`);
    const lease = store.db
      .prepare('SELECT lease_owner FROM sync_state WHERE wg_id = ?')
      .pluck()
      .get(group().id);
    expect(lease).toBeNull();
  });
});

describe('the sync queue in the server', () => {
  it('syncs another group while one pages without end, and a stop aborts the endless one', async () => {
    const slack = await FakeSlack.start();
    const wgbot = await startWgbot({
      clock,
      slack,
      gitlabUrl: fake.url,
      gitlabToken: fake.token,
      env: { GITLAB_MAX_PAGES: '100000' },
      gitlabPolicy: { requestsPerMinute: 1_000_000 },
    });
    try {
      const served = wgbot.server.store;
      new ImportService(served, () => clock.now()).importText(handbookSeed());
      new ImportService(served, () => clock.now()).importText(handbookSeed(), { slug: 'other-group' });
      const links = new LinkService(served, fake.url, () => clock.now());
      links.link(SLUG, epicUrl);
      const otherEpic = fake.addEpic('g', { title: 'Other' });
      fake.addIssue('g/app', { title: 'Other story', epic: { groupPath: 'g', iid: otherEpic.iid } } as never);
      links.link('other-group', `${fake.url}/groups/g/-/epics/${otherEpic.iid}`);
      const endless = new RegExp(`/epics/${epicUrl.split('/').pop()}/issues$`);
      fake.endlessPages(endless);
      // Each endless page takes a while to come, so the endless sync is still going when the other ends.
      fake.failNext(endless, { hang: 20 }, 1_000_000);
      const runaway = served.groups.getBySlug(SLUG)!.id;
      const other = served.groups.getBySlug('other-group')!.id;
      wgbot.server.syncQueue.request(runaway, 'cron');
      while (fake.requestsTo(endless).length < 3) await new Promise((r) => setTimeout(r, 10));
      wgbot.server.syncQueue.request(other, 'webhook');
      // Done means recorded and let go by the queue: the queue drops a group a few awaits after its write.
      const otherDone = () =>
        served.syncState.get(other).lastSuccessAt !== null &&
        !wgbot.server.syncQueue.runningGroups.includes(other);
      while (!otherDone()) await new Promise((r) => setTimeout(r, 10));
      expect(served.items.listByWg(other).map((i) => i.title)).toContain('Other story');
      expect(wgbot.server.syncQueue.runningGroups).toEqual([runaway]);

      const path = served.db.name;
      await wgbot.server.stop();
      const after = fake.requests.length;
      await new Promise((r) => setTimeout(r, 100));
      expect(fake.requests.length).toBe(after);
      // Stopped, not failed: nothing is recorded against the group, and its last good data stays.
      const reopened = openStore(path);
      expect(reopened.syncState.get(runaway).lastError).toBeNull();
      expect(reopened.sources.listByWg(runaway)[0]!.lastError).toBeNull();
      reopened.close();
    } finally {
      await wgbot.stop();
      await slack.close();
    }
  });
});
