import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/clock.js';
import { localClock } from '../../src/domain/schedule.js';
import { DigestService } from '../../src/services/digestService.js';
import { SlackDigestPoster } from '../../src/slack/digestPoster.js';
import type { FakeSlack, SlackCall } from '../fakes/slack.js';
import { type SixWeeks, SIX_WEEKS_ZONES, startSixWeeks } from '../helpers/sixWeeks.js';
import { waitUntil } from '../helpers/waitUntil.js';
import type { Wgbot } from '../helpers/wgbot.js';

/**
 * Six weeks of a working group on an injected clock (test/helpers/sixWeeks.ts; `npm run bench` times it),
 * and what reached Slack: one digest each Monday at 09:00 in the facilitator's zone, nudges only in owners'
 * working hours and never twice a day, the facilitator asked once per item by the escalation ladder, charts as PNGs.
 */
const TZ = SIX_WEEKS_ZONES;

let clock: ManualClock;
let slack: FakeSlack;
let wgbot: Wgbot;
let world: SixWeeks;

beforeAll(async () => {
  world = await startSixWeeks();
  ({ clock, slack, wgbot } = world);
  await world.play();
}, 120_000);

afterAll(async () => {
  await world?.close();
});

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

  it('shows a burn-up with every digest: Slack’s chart in the post once there are two weeks, else a PNG', () => {
    const [first, ...later] = digests();
    expect(blocksText(first!)).not.toContain('data_visualization');
    for (const digest of later) {
      const chart = (digest.args.blocks as { type: string; chart?: { series: unknown[] } }[]).find(
        (b) => b.type === 'data_visualization',
      );
      expect(chart?.chart?.series.length).toBeGreaterThanOrEqual(1);
      expect(blocksText(digest)).toContain('Chart: overall ');
    }
    // The forecast leads every digest from the second week on: a verdict, never a made-up pace before.
    expect(blocksText(first!)).toContain('*No forecast yet* · less than a week of recorded progress');
    for (const digest of later.slice(1))
      expect(blocksText(digest)).toMatch(/\*(On track|At risk|Off track|Done)\*/);
    // Only the first digest's chart is an image, in its thread.
    expect(slack.uploads).toHaveLength(1);
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

  it('asks the facilitator once per item (the escalation ladder), and lists owners not in Slack', () => {
    const toJoanna = dms('U0JOANNA');
    const escalations = toJoanna.filter((c) => blocksText(c).includes('you are asked as a facilitator'));
    expect(escalations.length).toBeGreaterThanOrEqual(1);
    const escalatedItems = escalations.flatMap((c) =>
      [...blocksText(c).matchAll(/<https?:[^|>]+\|([^>]+)>/g)].map((m) => m[1]),
    );
    expect(escalatedItems.length).toBeGreaterThanOrEqual(1);
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
      hooks: { afterPart: (part) => (part === 'post' ? new Promise(() => {}) : undefined) },
    });
    const before = digests().length;
    void crashing.post(group, 'crash-test');
    await waitUntil(() => digests().length > before, 'the crashing run to post');
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
