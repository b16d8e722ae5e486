import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { ImportService } from '../../src/services/importService.js';
import { LifecycleService } from '../../src/services/lifecycle.js';
import { openStore } from '../../src/store/store.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

/**
 * A digest due while wgbot was down is posted when it comes back — within the catch-up window, marked
 * late — or recorded as skipped beyond it; never posted twice, never days late. Time is the test's clock.
 */
let clock: ManualClock;
let slack: FakeSlack;
let databasePath: string;
let cleanupDir: () => void;
let running: Wgbot | null = null;
let logLines: string[];

const MONDAY_0800 = '2026-11-23T08:00:00Z';

beforeEach(async () => {
  clock = new ManualClock(MONDAY_0800);
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'Europe/London' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  const dir = tempDir();
  cleanupDir = dir.cleanup;
  databasePath = `${dir.dir}/wgbot.db`;
  // The group exists at 08:00 on Monday with its digest on Mondays at 09:00 UTC; then wgbot is down.
  const store = openStore(databasePath, () => clock.now());
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed(), { channel: 'C0WG' });
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  sprintsFromNov16(store, clock.now());
  const group = store.groups.getBySlug('improve-ops-quality')!;
  store.transaction(() =>
    store.groups.update(
      group.id,
      { name: group.name, digestCron: '0 9 * * 1', digestTimezone: 'UTC' },
      clock.now(),
    ),
  );
  store.close();
  logLines = [];
});

afterEach(async () => {
  await running?.stop();
  running = null;
  await slack.close();
  cleanupDir();
});

/** Starts wgbot on the prepared database at `at` and waits for its start-up recovery. */
async function startAt(at: string, env: Record<string, string> = {}): Promise<Wgbot> {
  clock.set(at);
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  running = await startWgbot({ clock, slack, logger, env: { DATABASE_PATH: databasePath, ...env } });
  await running.server.recovery;
  return running;
}

async function restartAt(at: string): Promise<Wgbot> {
  await running?.stop();
  running = null;
  return startAt(at);
}

const topLevel = () =>
  slack.history('C0WG').filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && m.bot_id);
const replies = () => slack.history('C0WG').filter((m) => m.thread_ts && m.thread_ts !== m.ts);
const digestRow = (wgbot: Wgbot) =>
  wgbot.server.store.digests.all(wgbot.server.store.groups.getBySlug('improve-ops-quality')!.id);

describe('a digest missed while wgbot was down', () => {
  it('is posted once at start-up within the window, saying it is late and why', async () => {
    const wgbot = await startAt('2026-11-23T11:00:00Z');
    expect(topLevel()).toHaveLength(1);
    const text = JSON.stringify(topLevel()[0]!.blocks);
    expect(text).toContain('Posted late: due Mon, Nov 23, 09:00 UTC, wgbot was not running');
    expect(replies().length).toBe(2); // the details reply and the chart
    expect(digestRow(wgbot)).toMatchObject([
      { period: '2026-W48', state: 'posted', kind: 'scheduled', dueAt: '2026-11-23T09:00:00.000Z' },
    ]);
    expect(logLines.join('')).toContain('missed digest caught up');

    // Another restart, and the every-minute pass, find it posted: nothing more is sent.
    const again = await restartAt('2026-11-23T11:05:00Z');
    await again.server.scheduler.tick(new Date('2026-11-23T11:06:00Z'));
    expect(topLevel()).toHaveLength(1);
    expect(replies()).toHaveLength(2);
  });

  it('beyond the window is recorded as skipped — in the log and /healthz — and never posted', async () => {
    const wgbot = await startAt('2026-11-23T15:01:00Z');
    expect(topLevel()).toHaveLength(0);
    expect(digestRow(wgbot)).toMatchObject([{ period: '2026-W48', state: 'skipped' }]);
    const health = (await fetch(`${wgbot.url}/healthz`).then((r) => r.json())) as {
      digests: Record<string, { state: string; dueAt: string; error: string }>;
    };
    expect(health.digests['improve-ops-quality']).toMatchObject({
      state: 'skipped',
      dueAt: '2026-11-23T09:00:00.000Z',
    });
    expect(health.digests['improve-ops-quality']!.error).toContain('catch-up window');
    expect(logLines.find((l) => l.includes('missed digest skipped'))).toContain('2026-W48');

    // Days later, a restart still posts nothing for it; next Monday's digest goes out on time.
    await restartAt('2026-11-25T10:00:00Z');
    expect(topLevel()).toHaveLength(0);
    clock.set('2026-11-30T09:00:00Z');
    await running!.server.scheduler.tick(clock.now());
    expect(topLevel()).toHaveLength(1);
    expect(JSON.stringify(topLevel()[0]!.blocks)).not.toContain('Posted late');
  });

  it('a shorter DIGEST_CATCHUP_HOURS skips sooner', async () => {
    const wgbot = await startAt('2026-11-23T10:01:00Z', { DIGEST_CATCHUP_HOURS: '1' });
    expect(topLevel()).toHaveLength(0);
    expect(digestRow(wgbot)).toMatchObject([{ state: 'skipped' }]);
  });

  it('not for a paused or ended group, nor one whose schedule was set after the minute', async () => {
    const store = openStore(databasePath, () => clock.now());
    const group = store.groups.getBySlug('improve-ops-quality')!;
    new LifecycleService(store, () => new Date('2026-11-23T08:30:00Z')).archive(group);
    store.close();
    const wgbot = await startAt('2026-11-23T10:00:00Z');
    expect(topLevel()).toHaveLength(0);
    expect(digestRow(wgbot)).toEqual([]);

    // Made active again at 10:00, after the 09:00 minute: this week's digest was never owed.
    new LifecycleService(wgbot.server.store, () => clock.now()).unarchive(
      wgbot.server.store.groups.getBySlug('improve-ops-quality')!,
    );
    await restartAt('2026-11-23T10:30:00Z');
    expect(topLevel()).toHaveLength(0);
    expect(digestRow(running!)).toEqual([]);
  });
});

describe('while wgbot runs', () => {
  it('posts on time at the minute, and the every-minute pass adds nothing', async () => {
    const wgbot = await startAt('2026-11-23T08:58:00Z');
    for (let minute = 0; minute < 8; minute += 1) {
      clock.set(new Date(Date.parse('2026-11-23T08:59:00Z') + minute * 60_000));
      await wgbot.server.scheduler.tick(clock.now());
    }
    expect(topLevel()).toHaveLength(1);
    expect(JSON.stringify(topLevel()[0]!.blocks)).not.toContain('Posted late');
    expect(digestRow(wgbot)).toMatchObject([{ dueAt: '2026-11-23T09:00:00.000Z', state: 'posted' }]);
  });

  it('a missed cron tick is caught up by the every-minute pass, marked late', async () => {
    const wgbot = await startAt('2026-11-23T08:58:00Z');
    // The 09:00 tick never fires (an event loop stalled past it); the pass runs at 09:01 and 09:10.
    for (const at of ['2026-11-23T09:01:00Z', '2026-11-23T09:10:00Z']) {
      clock.set(at);
      await wgbot.server.schedules.catchUp(clock.now());
      if (at.endsWith('09:01:00Z')) expect(topLevel()).toHaveLength(0); // the on-time run's grace
    }
    expect(topLevel()).toHaveLength(1);
    expect(JSON.stringify(topLevel()[0]!.blocks)).toContain(
      'Posted late: due Mon, Nov 23, 09:00 UTC, the scheduled run was missed',
    );
  });
});

describe('/wg digest now that failed', () => {
  it('is told to the user and left failed: the retry job does not post it later', async () => {
    const wgbot = await startAt('2026-11-23T08:10:00Z');
    slack.failNext('chat.postMessage', { error: 'internal_error' });
    await wgbot.slash('digest now', { user: 'U0JOANNA', responseUrl: slack.responseUrl('now') });
    const told = await slack.waitForCall('response_url', (c) => c.path.endsWith('/now'));
    expect(JSON.stringify(told.args)).toContain('The digest could not be posted');
    const failed = digestRow(wgbot).find((r) => r.kind === 'manual')!;
    expect(failed).toMatchObject({ state: 'failed', kind: 'manual' });

    // The retry job runs (with the nudges at :15 and :30): nothing is posted behind the user's back.
    for (const at of ['2026-11-23T08:15:00Z', '2026-11-23T08:30:00Z']) {
      clock.set(at);
      await wgbot.server.scheduler.tick(clock.now());
    }
    expect(await wgbot.server.schedules.retryFailed(clock.now())).toEqual([]);
    expect(topLevel()).toHaveLength(0);
    expect(digestRow(wgbot).find((r) => r.id === failed.id)).toMatchObject({ state: 'failed' });

    // Asking again posts it.
    await wgbot.slash('digest now', { user: 'U0JOANNA', responseUrl: slack.responseUrl('again') });
    await slack.waitForCall('response_url', (c) => c.path.endsWith('/again'));
    expect(topLevel()).toHaveLength(1);
  });
});
