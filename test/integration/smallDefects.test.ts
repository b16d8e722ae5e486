import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import type { Store } from '../../src/store/store.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

const SECRET_TITLE = 'CVE-2026-4242 embargoed fix for the payment gateway';

let slack: FakeSlack;
let clock: ManualClock;
let wgbot: Wgbot;
let store: Store;
let logLines: string[];
let thorItem: number;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Europe/Oslo' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  logLines = [];
  const logger = createLogger(
    'trace',
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  wgbot = await startWgbot({ clock, slack, logger, env: { LOG_LEVEL: 'trace' } });
  store = wgbot.server.store;
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed());
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  const group = store.groups.getBySlug('improve-ops-quality')!;
  thorItem = store.items.listByWg(group.id).find((i) => i.owners.includes('Thor') && i.state === 'open')!.id;
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

const blockAction = (user: string, action: Record<string, unknown>, responseUrl: string, extra = {}) =>
  wgbot.interact({
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trigger-action',
    team: { id: 'T0FAKE', domain: 'fake' },
    channel: { id: 'C0WG', name: 'wg_improve-ops-quality' },
    container: { type: 'message', message_ts: '1.1', channel_id: 'C0WG', is_ephemeral: true },
    response_url: responseUrl,
    actions: [{ action_ts: '1', ...action }],
    ...extra,
  });

const answerAt = async (id: string) =>
  JSON.stringify((await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args);

describe('selected_date from a date picker', () => {
  const pick = (date: unknown, id: string) =>
    blockAction(
      'U0THOR',
      {
        type: 'datepicker',
        action_id: 'item_due_date',
        block_id: `item|${thorItem}|items|improve-ops-quality|all`,
        selected_date: date,
      },
      slack.responseUrl(id),
    );

  it('is refused unless it is a real YYYY-MM-DD within a sane range, and nothing changes', async () => {
    const before = store.items.getById(thorItem)!.dueDate;
    const cases: [unknown, string][] = [
      ['2026-02-30', 'That is not a date'],
      ['27-01-2026', 'That is not a date'],
      ['2026-12-01T00:00:00Z', 'That is not a date'],
      ["2026-12-01'; DROP TABLE action_items;--", 'That is not a date'],
      [20261201, 'That is not a date'],
      ['9999-12-31', '9999-12-31 is too far off; pick a day between 2021-11-23 and 2036-11-23'],
      ['1970-01-01', '1970-01-01 is too far off'],
    ];
    for (const [i, [date, expected]] of cases.entries()) {
      expect((await pick(date, `bad-${i}`)).status).toBe(200);
      expect(await answerAt(`bad-${i}`)).toContain(expected);
    }
    expect(store.items.getById(thorItem)!.dueDate).toBe(before);
    await pick('2027-01-15', 'good');
    await slack.waitForCall('response_url', (c) => c.path.endsWith('/good'));
    expect(store.items.getById(thorItem)!.dueDate).toBe('2027-01-15');
  });
});

describe('/wg sync', () => {
  it('runs once a minute per group; a second call says when it can run again', async () => {
    new LinkService(store, 'https://gitlab.example.com', () => clock.now()).link(
      'improve-ops-quality',
      'https://gitlab.example.com/groups/g/-/epics/1',
    );
    await wgbot.slash('sync', { responseUrl: slack.responseUrl('first') });
    expect(await answerAt('first')).toContain('queued');
    clock.advance(18_000);
    await wgbot.slash('sync', { user: 'U0THOR', responseUrl: slack.responseUrl('second') });
    const second = await answerAt('second');
    expect(second).toContain('`/wg sync` can run again in 42 seconds');
    expect(second).not.toContain('queued');
    clock.advance(42_000);
    await wgbot.slash('sync', { responseUrl: slack.responseUrl('third') });
    expect(await answerAt('third')).toContain('queued');
  });
});

describe('request bodies are never logged', () => {
  it('at trace level, no confidential title from a request, an answer or a Web API call reaches the log', async () => {
    store.db
      .prepare('UPDATE action_items SET title = ?, confidential = 1 WHERE id = ?')
      .run(SECRET_TITLE, thorItem);
    const thor = store.people.findByName('Thor')!;
    store.transaction(() => store.people.linkSlackUser(thor.id, 'U0THOR', 'Europe/Oslo', clock.now()));

    // An answer that carries the title (Thor owns the item; the answer is his alone).
    const items = await wgbot.slash('items all', { user: 'U0THOR', channel: 'C0WG' });
    expect(JSON.stringify(items.json)).toContain(SECRET_TITLE);
    // A request whose body carries it: a click on a message that shows it.
    await blockAction(
      'U0THOR',
      {
        type: 'button',
        action_id: 'item_snooze',
        block_id: `item|${thorItem}|items|improve-ops-quality|all`,
        value: String(thorItem),
      },
      slack.responseUrl('snooze'),
      {
        message: {
          ts: '1.1',
          text: SECRET_TITLE,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: SECRET_TITLE } }],
        },
      },
    );
    await slack.waitForCall('response_url', (c) => c.path.endsWith('/snooze'));
    // A Web API call whose body carries it: Thor's App Home lists his items.
    await wgbot.event({ type: 'app_home_opened', user: 'U0THOR', tab: 'home', channel: 'D0THOR' });
    const published = await slack.waitForCall('views.publish');
    expect(JSON.stringify(published.args)).toContain(SECRET_TITLE);

    const log = logLines.join('');
    // Bolt's own debug lines were written (the level really was trace) …
    expect(log).toMatch(/"level":20,[^\n]*"component":"bolt"[^\n]*apiCall\('views\.publish'\) start/);
    expect(log).toContain('[payload not logged]');
    // … and none of them, nor anything else, holds the title or a part of it.
    expect(log).not.toContain('CVE-2026-4242');
    expect(log).not.toContain('embargoed');
  });
});

describe('a full disk', () => {
  /** Every write transaction fails as on a full disk, at commit; reads still work. */
  const fillDisk = () => {
    const refresh = store.summaries.refreshStale.bind(store.summaries);
    store.summaries.refreshStale = () => {
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    };
    return () => {
      store.summaries.refreshStale = refresh;
    };
  };
  const health = async () => {
    const response = await fetch(`${wgbot.url}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('is recorded, makes /healthz 503 with the reason, and is what the user is told', async () => {
    expect((await health()).status).toBe(200);
    const freeDisk = fillDisk();

    // A button: the message names the disk, not Slack.
    await blockAction(
      'U0THOR',
      {
        type: 'button',
        action_id: 'item_snooze',
        block_id: `item|${thorItem}|items|improve-ops-quality|all`,
        value: String(thorItem),
      },
      slack.responseUrl('snooze-full'),
    );
    const snooze = await answerAt('snooze-full');
    expect(snooze).toContain('wgbot could not save: the disk is full');
    expect(snooze).not.toContain('Slack did not answer');
    expect(store.items.getById(thorItem)!.snoozedUntil).toBeNull();

    // A command that writes.
    await wgbot.slash('schedule off', { user: 'U0THOR', responseUrl: slack.responseUrl('schedule-full') });
    expect(await answerAt('schedule-full')).toContain('wgbot could not save: the disk is full');

    const unhealthy = await health();
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body).toMatchObject({ ok: false });
    expect(String(unhealthy.body.db)).toMatch(
      /^error: wgbot could not save: the disk is full \(SQLITE_FULL at 2026-11-23T09:00:00\.000Z\)$/,
    );

    // Space freed: the next write succeeds and the check is healthy again.
    freeDisk();
    await blockAction(
      'U0THOR',
      {
        type: 'button',
        action_id: 'item_snooze',
        block_id: `item|${thorItem}|items|improve-ops-quality|all`,
        value: String(thorItem),
      },
      slack.responseUrl('snooze-ok'),
    );
    await slack.waitForCall('response_url', (c) => c.path.endsWith('/snooze-ok'));
    expect(store.items.getById(thorItem)!.snoozedUntil).not.toBeNull();
    expect((await health()).status).toBe(200);
  });

  it('tells I/O errors and a read-only database apart', async () => {
    const { storeFailureReason } = await import('../../src/store/storeErrors.js');
    const error = (code: string) => new Database.SqliteError('x', code);
    expect(storeFailureReason(error('SQLITE_IOERR_WRITE'))?.reason).toBe(
      'the disk could not be read or written',
    );
    expect(storeFailureReason(error('SQLITE_READONLY_DBMOVED'))?.reason).toBe('the database is read-only');
    expect(storeFailureReason(error('SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
    expect(storeFailureReason(new Error('SQLITE_FULL'))).toBeNull();
  });
});

describe('withoutPayload', () => {
  it('keeps the words of Bolt’s and the Web API client’s lines, never the payload they quote', async () => {
    const { withoutPayload } = await import('../../src/slack/boltLogger.js');
    const secret = `{"text":"${SECRET_TITLE}"}`;
    const lines: [string, string][] = [
      [`http request body: ${secret}`, 'http request [payload not logged]'],
      [`http request result: ${secret}`, 'http request [payload not logged]'],
      [`ack() response sent (body: ${secret})`, 'ack() response sent [payload not logged]'],
      [secret, '[payload not logged]'],
      [`Error details: ${secret}, storedResponse: x`, '[payload not logged]'],
      ["apiCall('chat.postMessage') start", "apiCall('chat.postMessage') start"],
      [`first line\n${SECRET_TITLE}`, 'first line'],
    ];
    for (const [line, kept] of lines) expect(withoutPayload(line)).toBe(kept);
  });
});
