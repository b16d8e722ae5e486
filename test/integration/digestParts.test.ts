import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { WorkingGroup } from '../../src/domain/types.js';
import { type DigestHooks, DigestService } from '../../src/services/digestService.js';
import { ImportService } from '../../src/services/importService.js';
import type { Delivered, DigestDraft } from '../../src/services/ports.js';
import { SlackDigestPoster } from '../../src/slack/digestPoster.js';
import type { Store } from '../../src/store/store.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

/**
 * Each part of a digest — the post, the thread reply, the chart — is recorded pending before it is sent
 * and confirmed with Slack's answer after. A run cut off between Slack's answer and the record (a throw,
 * or a process that never comes back) is finished by the next run, which looks for the part in the
 * thread first: no part is sent twice, none is lost.
 */
let clock: ManualClock;
let slack: FakeSlack;
let store: Store;
let cleanup: () => void;
let group: WorkingGroup;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  ({ store, cleanup } = tempStore(() => clock.now()));
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed(), { channel: 'C0WG' });
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  sprintsFromNov16(store, clock.now());
  group = store.groups.getBySlug('improve-ops-quality')!;
});

afterEach(async () => {
  cleanup();
  await slack.close();
});

const client = () =>
  new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
const service = (options: { hooks?: DigestHooks; ownerGone?: (owner: string) => boolean } = {}) =>
  new DigestService(store, new SlackDigestPoster(client()), () => clock.now(), options);

/** What the channel holds: top-level digests, text replies and charts in their threads. */
function channelCounts() {
  const messages = slack.history('C0WG');
  const inThread = messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts);
  return {
    posts: messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts).length,
    replies: inThread.filter((m) => !m.files).length,
    charts: inThread.filter((m) => m.files?.some((f) => f.name.endsWith('-burnup.png'))).length,
  };
}

const crashAfter =
  (crashing: 'post' | 'thread' | 'chart'): DigestHooks['afterPart'] =>
  (part) => {
    if (part === crashing) throw new Error(`cut off after Slack took the ${part}`);
  };

it('a run cut off between the reply and its record: the next run finds the reply and does not post it again', async () => {
  const first = await service({ hooks: { afterPart: crashAfter('thread') } }).post(group, '2026-W48');
  expect(first.status).toBe('posted');
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 0 });
  const cut = store.digests.get(group.id, '2026-W48')!;
  expect(cut).toMatchObject({ state: 'posted', threadTs: null, chartFileId: null });
  expect(cut.threadPendingAt).not.toBeNull();

  const again = await service().post(store.groups.getById(group.id)!, '2026-W48');
  expect(again.status).toBe('already-posted');
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 1 });
  const reply = slack.history('C0WG').find((m) => m.thread_ts && m.thread_ts !== m.ts && !m.files)!;
  expect(store.digests.get(group.id, '2026-W48')).toMatchObject({
    threadTs: reply.ts,
    threadPendingAt: null,
    chartPendingAt: null,
  });
  // Looked up in the thread, not sent: one reply call in all.
  expect(slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts)).toHaveLength(1);
  expect(slack.callsTo('conversations.replies').length).toBeGreaterThan(0);
});

it('a run cut off between the chart upload and its record: the chart is found, not uploaded again', async () => {
  await service({ hooks: { afterPart: crashAfter('chart') } }).post(group, '2026-W48');
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 1 });
  expect(store.digests.get(group.id, '2026-W48')!.chartFileId).toBeNull();

  await service().post(store.groups.getById(group.id)!, '2026-W48');
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 1 });
  expect(slack.uploads).toHaveLength(1);
  expect(store.digests.get(group.id, '2026-W48')!.chartFileId).toBe(slack.uploads[0]!.fileId);
});

it('a process that died after the reply: a restart takes its claim at once and finishes without doubling', async () => {
  // The first process never comes back from the reply (a promise that never settles is a dead process).
  void service({
    hooks: { afterPart: (part) => (part === 'thread' ? new Promise(() => {}) : undefined) },
  }).post(group, '2026-W48');
  for (let i = 0; i < 200 && channelCounts().replies === 0; i += 1)
    await new Promise((r) => setTimeout(r, 10));
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 0 });

  // Its claim still runs for ten minutes; a live owner's claim is waited out…
  const waiting = await service({ ownerGone: () => false }).post(store.groups.getById(group.id)!, '2026-W48');
  expect(waiting.status).toBe('already-posted');
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 0 });
  // …a dead owner's is taken over at once.
  await service({ ownerGone: () => true }).post(store.groups.getById(group.id)!, '2026-W48');
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 1 });
  expect(store.digests.get(group.id, '2026-W48')).toMatchObject({ claimedBy: null });
});

it('a reply that never reached Slack is not lost: the next run finds nothing in the thread and sends it', async () => {
  class FailingReply extends SlackDigestPoster {
    override async postThread(_message: Delivered, _digest: DigestDraft): Promise<string | null> {
      throw new Error('connection reset before Slack answered');
    }
  }
  const failing = new DigestService(store, new FailingReply(client()), () => clock.now());
  expect((await failing.post(group, '2026-W48')).status).toBe('posted');
  expect(channelCounts()).toEqual({ posts: 1, replies: 0, charts: 0 });
  expect(store.digests.get(group.id, '2026-W48')!.threadPendingAt).not.toBeNull();

  await service().post(store.groups.getById(group.id)!, '2026-W48');
  expect(channelCounts()).toEqual({ posts: 1, replies: 1, charts: 1 });
});

it('the reply and the chart carry what finds them: the marker on the reply, the group and period on the chart', async () => {
  await service().post(group, '2026-W48');
  const record = store.digests.get(group.id, '2026-W48')!;
  const inThread = slack.history('C0WG').filter((m) => m.thread_ts && m.thread_ts !== m.ts);
  const reply = inThread.find((m) => !m.files)!;
  expect(JSON.stringify(reply.blocks)).toContain(`"block_id":"wgbot-digest-thread|${record.marker}"`);
  expect(reply.metadata).toMatchObject({ event_payload: { marker: record.marker } });
  expect(inThread.find((m) => m.files)!.files![0]!.name).toBe('improve-ops-quality-2026-W48-burnup.png');
});
