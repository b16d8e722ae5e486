import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { localClock } from '../../src/domain/schedule.js';
import { DigestService } from '../../src/services/digestService.js';
import { SlackDigestPoster } from '../../src/slack/digestPoster.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack, type SlackCall } from '../fakes/slack.js';
import { handbookSeed } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

/**
 * Six weeks of a working group in milliseconds: the clock moves an hour at a time, the scheduler's jobs run
 * as cron would run them, GitLab changes under the group (items close, slip, get snoozed), and we check
 * what reached Slack: one digest each Monday at 09:00 in the facilitator's zone, nudges only in owners'
 * working hours and never twice a day, one escalation after three unanswered nudges, charts as PNGs.
 */
const START = new Date('2026-11-02T00:00:00Z'); // Monday
const HOUR = 3_600_000;

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;
let simulationMs = 0;
const epicIid = { value: 0 };
const issue: Record<string, number> = {};

const TZ: Record<string, string> = {
  U0THOR: 'Europe/Oslo',
  U0WALD: 'America/New_York',
  U0JOANNA: 'America/Los_Angeles',
};

beforeAll(async () => {
  clock = new ManualClock(START);
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: TZ.U0THOR });
  slack.addUser({ id: 'U0WALD', name: 'waldemar', realName: 'Waldemar', tz: TZ.U0WALD });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: TZ.U0JOANNA });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });

  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const sprints = [20, 21, 22, 23].map((n, i) =>
    gitlab.addIteration('g', {
      title: `Sprint ${n}`,
      sequence: n,
      start_date: new Date(START.getTime() + i * 14 * 24 * HOUR).toISOString().slice(0, 10),
      due_date: new Date(START.getTime() + (i * 14 + 13) * 24 * HOUR).toISOString().slice(0, 10),
    }),
  );
  const epic = gitlab.addEpic('g', { title: 'Improve Ops Quality', due_date: '2026-12-18' });
  epicIid.value = epic.iid;
  const user = (username: string, name: string) => gitlab.user(username, name);
  const add = (key: string, fields: Record<string, unknown>) => {
    issue[key] = gitlab.addIssue('g/app', {
      epic: { groupPath: 'g', iid: epic.iid },
      ...fields,
    } as never).iid;
  };
  add('workshop', {
    title: 'Workshop with Roland',
    assignees: [user('thor', 'Thor')],
    iteration: sprints[0],
  });
  add('assessment', {
    title: 'SRE DevOps assessment',
    assignees: [user('thor', 'Thor')],
    iteration: sprints[0],
  });
  add('dod', { title: 'Update DoD', assignees: [user('waldemar', 'Waldemar')], iteration: sprints[1] });
  add('integration', {
    title: 'Integration tests in stories',
    assignees: [user('waldemar', 'Waldemar')],
    iteration: sprints[2],
  });
  add('ghost', {
    title: 'Runbook for staging',
    assignees: [user('ghost', 'Gus Host')],
    due_date: '2026-11-10',
  });
  add('metrics', {
    title: 'Track key metrics',
    assignees: [user('thor', 'Thor')],
    iteration: sprints[1],
    weight: 3,
  });

  wgbot = await startWgbot({
    clock,
    slack,
    gitlabUrl: gitlab.url,
    gitlabToken: gitlab.token,
    env: { SYNC_INTERVAL_MINUTES: '120' },
    syncQueue: { debounceMs: 0, maxWaitMs: 0 },
  });
  const store = wgbot.server.store;
  new ImportService(store, () => clock.now()).importText(handbookSeed(), { channel: 'C0WG' });
  new LinkService(store, gitlab.url, () => clock.now()).link(
    'improve-ops-quality',
    `${gitlab.url}/groups/g/-/epics/${epic.iid}`,
  );
  new LinkService(store, gitlab.url, () => clock.now()).link(
    'improve-ops-quality',
    `${gitlab.url}/groups/g/-/epics/${epic.iid}`,
    '2',
  );
  // The page's criterion 2 gets its figure from GitLab from now on.
  const group = store.groups.getBySlug('improve-ops-quality')!;
  store.transaction(() => {
    const tree = store.criteria.of(group.id);
    tree[1]!.handbookPercent = null;
    store.criteria.save(group.id, 'exit', tree);
  });
  // The facilitator sets the schedule from Slack, which also links her Slack user to the page's name.
  const answer = await wgbot.slash('schedule "MON 09:00"', {
    user: 'U0JOANNA',
    responseUrl: slack.responseUrl('schedule'),
  });
  expect(answer.status).toBe(200);
  await slack.waitForCall('response_url', (c) => c.path.endsWith('/schedule'));

  const started = performance.now();
  const events: Record<string, () => Promise<void> | void> = {
    // Week 1, Thursday: the workshop happens.
    '2026-11-05T15:00': () => void gitlab.updateIssue('g/app', issue.workshop!, { state: 'closed' }),
    // Week 3, Monday: the assessment slips to sprint 21 — before the digest.
    '2026-11-16T10:00': () =>
      void gitlab.updateIssue('g/app', issue.assessment!, { iteration: sprintsAt(1) } as never),
    // Week 3, Tuesday: Thor snoozes "Track key metrics"... it is not overdue yet; he snoozes the assessment.
    '2026-11-17T12:00': async () => {
      const store = wgbot.server.store;
      const item = store.items.listByWg(group.id).find((i) => i.title === 'SRE DevOps assessment')!;
      await wgbot.interact(blockAction('U0THOR', 'item_snooze', item.id, `item|${item.id}|home`));
    },
    // Week 4: the DoD is done late.
    '2026-12-02T16:00': () => void gitlab.updateIssue('g/app', issue.dod!, { state: 'closed' }),
  };
  function sprintsAt(i: number) {
    return sprints[i];
  }
  for (let t = START.getTime(); t < START.getTime() + 42 * 24 * HOUR; t += HOUR) {
    clock.set(new Date(t));
    const key = new Date(t).toISOString().slice(0, 16);
    await events[key]?.();
    await wgbot.server.scheduler.tick(new Date(t));
    await wgbot.server.syncQueue.idle();
  }
  simulationMs = performance.now() - started;
}, 60_000);

afterAll(async () => {
  await wgbot?.stop();
  await slack?.close();
  await gitlab?.close();
});

function blockAction(user: string, actionId: string, itemId: number, blockId: string) {
  return {
    type: 'block_actions',
    user: { id: user, username: user, team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trigger',
    team: { id: 'T0FAKE', domain: 'fake' },
    view: { id: 'VHOME', type: 'home' },
    actions: [
      { type: 'button', action_id: actionId, block_id: blockId, value: String(itemId), action_ts: '1' },
    ],
  };
}

const digests = () =>
  slack
    .callsTo('chat.postMessage')
    .filter(
      (c) =>
        c.args.channel === 'C0WG' && !c.args.thread_ts && String(c.args.text).startsWith('Weekly digest'),
    );
const dms = (user: string) => slack.callsTo('chat.postMessage').filter((c) => c.args.channel === user);
const blocksText = (call: SlackCall) => JSON.stringify(call.args.blocks);
/** When Slack got the message, by the simulated clock (the message ts, not the wall clock). */
const at = (call: SlackCall) => Number((call.response as { ts: string }).ts) * 1000;

describe('six weeks of a working group', () => {
  it('runs in under 10 seconds', () => {
    expect(simulationMs).toBeLessThan(10_000);
  });

  it('posts exactly one digest each Monday at 09:00 in the facilitator’s zone', () => {
    const posted = digests();
    expect(posted).toHaveLength(6);
    const times = posted.map((c) => {
      const local = localClock(new Date(at(c)), TZ.U0JOANNA!);
      return `${local.date} ${local.weekday} ${local.hour}`;
    });
    expect(times).toEqual([
      '2026-11-02 1 9',
      '2026-11-09 1 9',
      '2026-11-16 1 9',
      '2026-11-23 1 9',
      '2026-11-30 1 9',
      '2026-12-07 1 9',
    ]);
    const log = wgbot.server.store.digests.all(
      wgbot.server.store.groups.getBySlug('improve-ops-quality')!.id,
    );
    expect(log.map((d) => [d.period, d.state])).toEqual([
      ['2026-W45', 'posted'],
      ['2026-W46', 'posted'],
      ['2026-W47', 'posted'],
      ['2026-W48', 'posted'],
      ['2026-W49', 'posted'],
      ['2026-W50', 'posted'],
    ]);
  });

  it('says what changed: the first digest, a closed item, a slipped one, sprint roll-over', () => {
    const [first, second, third] = digests();
    expect(blocksText(first!)).toContain('*First digest:* tracking');
    expect(blocksText(second!)).toContain(':white_check_mark: closed: <');
    expect(blocksText(second!)).toContain('Workshop with Roland');
    expect(blocksText(third!)).toContain('Sprint 20 ended Nov 15');
    expect(blocksText(third!)).toMatch(/SRE DevOps assessment.*→ Sprint 21/);
    expect(blocksText(third!)).toContain(':turtle: slipped:');
    for (const digest of digests()) {
      expect((digest.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
      expect(blocksText(digest)).toMatch(/\*Overall\* `[█░]{10}` \*\d+(\.\d)?%\*/);
    }
  });

  it('attaches a burn-up chart, a valid PNG of sane size, to every digest', () => {
    expect(slack.uploads).toHaveLength(6);
    for (const upload of slack.uploads) {
      expect(upload.bytes.subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      );
      expect(upload.bytes.length).toBeGreaterThan(5_000);
      expect(upload.bytes.length).toBeLessThan(500_000);
      expect(upload.channelId).toBe('C0WG');
      expect(upload.threadTs).toBeTruthy();
    }
  });

  it('nudges owners only in their working hours, at most once per local day', () => {
    for (const user of ['U0THOR', 'U0WALD']) {
      const sent = dms(user).filter((c) => String(c.args.text).includes('overdue action item'));
      expect(sent.length, user).toBeGreaterThan(0);
      const days = sent.map((c) => localClock(new Date(at(c)), TZ[user]!));
      for (const day of days) {
        expect(day.weekday, user).toBeGreaterThanOrEqual(1);
        expect(day.weekday, user).toBeLessThanOrEqual(5);
        expect(day.hour, user).toBeGreaterThanOrEqual(9);
        expect(day.hour, user).toBeLessThan(17);
      }
      expect(new Set(days.map((d) => d.date)).size, user).toBe(days.length);
    }
    // Thor's first nudge comes the Monday after sprint 20 ended, with the assessment overdue.
    const firstThor = dms('U0THOR').find((c) => String(c.args.text).includes('overdue'))!;
    expect(localClock(new Date(at(firstThor)), TZ.U0THOR!).date).toBe('2026-11-16');
    expect(blocksText(firstThor)).toContain('SRE DevOps assessment');
  });

  it('respects a snooze', () => {
    const thor = dms('U0THOR').filter((c) => String(c.args.text).includes('overdue'));
    const during = thor.filter(
      (c) => at(c) > Date.parse('2026-11-17T12:00:00Z') && at(c) < Date.parse('2026-11-19T12:00:00Z'),
    );
    for (const call of during) expect(blocksText(call)).not.toContain('SRE DevOps assessment');
  });

  it('tells the facilitator once, after three unanswered nudges, and lists owners not in Slack', () => {
    const toJoanna = dms('U0JOANNA');
    const escalations = toJoanna.filter((c) => blocksText(c).includes('reminded about three times'));
    expect(escalations.length).toBeGreaterThanOrEqual(1);
    const escalatedItems = escalations.flatMap((c) =>
      [...blocksText(c).matchAll(/\|([^>]+)>/g)].map((m) => m[1]),
    );
    expect(new Set(escalatedItems).size).toBe(escalatedItems.length);
    const unreachable = toJoanna.filter((c) => blocksText(c).includes('could not remind these owners'));
    expect(unreachable.length).toBeGreaterThan(0);
    expect(blocksText(unreachable[0]!)).toContain('Gus Host');
    // One notice a day, and everything to the facilitator arrives in her working hours in Los Angeles.
    const days = unreachable.map((c) => localClock(new Date(at(c)), TZ.U0JOANNA!).date);
    expect(new Set(days).size).toBe(days.length);
    for (const call of [...unreachable, ...escalations]) {
      const local = localClock(new Date(at(call)), TZ.U0JOANNA!);
      expect(local.weekday).toBeGreaterThanOrEqual(1);
      expect(local.weekday).toBeLessThanOrEqual(5);
      expect(local.hour).toBeGreaterThanOrEqual(9);
      expect(local.hour).toBeLessThan(17);
    }
  });
});

describe('exactly once, even when things go wrong', () => {
  it('does not post twice after a crash between posting and recording', async () => {
    const store = wgbot.server.store;
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const client = () =>
      new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    // The first process posts and then dies before it can record that it did.
    const crashing = new DigestService(store, new SlackDigestPoster(client()), () => clock.now(), {
      hooks: { afterPost: () => new Promise(() => {}) },
    });
    const before = digests().length;
    void crashing.post(group, 'crash-test');
    for (let i = 0; i < 100 && digests().length === before; i += 1)
      await new Promise((r) => setTimeout(r, 20));
    expect(digests().length).toBe(before + 1);
    expect(store.digests.get(group.id, 'crash-test')?.state).toBe('intent');

    // A second process, while the first's claim holds, does not post.
    const second = new DigestService(store, new SlackDigestPoster(client()), () => clock.now());
    expect((await second.post(group, 'crash-test')).status).toBe('busy');
    // After the claim expires, it finds the post in the channel and records it instead of posting again.
    clock.advance(11 * 60_000);
    const outcome = await second.post(group, 'crash-test');
    expect(outcome.status).toBe('recovered');
    expect(digests().length).toBe(before + 1);
    expect(store.digests.get(group.id, 'crash-test')).toMatchObject({ state: 'posted', channel: 'C0WG' });
    expect((await second.post(group, 'crash-test')).status).toBe('already-posted');
  });

  it('posts once when two processes run the same digest at the same time', async () => {
    const store = wgbot.server.store;
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const make = () =>
      new DigestService(
        store,
        new SlackDigestPoster(new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl })),
        () => clock.now(),
      );
    const before = digests().length;
    const outcomes = await Promise.all([make().post(group, 'twins'), make().post(group, 'twins')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['busy', 'posted']);
    expect(digests().length).toBe(before + 1);
  });
});
