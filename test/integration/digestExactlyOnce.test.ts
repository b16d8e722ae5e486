import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { WorkingGroup } from '../../src/domain/types.js';
import { DigestService } from '../../src/services/digestService.js';
import { ImportService } from '../../src/services/importService.js';
import type { Store } from '../../src/store/store.js';
import { SlackDigestPoster } from '../../src/slack/digestPoster.js';
import { digestWebClient } from '../../src/slack/webClients.js';
import { FakeSlack } from '../fakes/slack.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';
import { waitUntil } from '../helpers/waitUntil.js';

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
  // The page names the channel (#wg_improve-ops-quality); nothing has bound it to an ID yet.
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  group = store.groups.getBySlug('improve-ops-quality')!;
  expect(group.slackChannelId).toBeNull();
});

afterEach(async () => {
  cleanup();
  await slack.close();
});

const client = () =>
  new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
const posts = () =>
  slack
    .callsTo('chat.postMessage')
    .filter((c) => c.status === 200 && !c.args.thread_ts && (c.response as { ok?: boolean }).ok);

it('posts once when one process is asked twice at the same moment (a double /wg digest now)', async () => {
  const digests = new DigestService(store, new SlackDigestPoster(client()), () => clock.now());
  const outcomes = await Promise.all([digests.post(group, 'manual'), digests.post(group, 'manual')]);
  expect(outcomes.map((o) => o.status).sort()).toEqual(['busy', 'posted']);
  expect(posts()).toHaveLength(1);
});

it('recovers a digest posted to a channel named only on the page, after a crash before recording', async () => {
  const crashing = new DigestService(store, new SlackDigestPoster(client()), () => clock.now(), {
    hooks: { afterPart: (part) => (part === 'post' ? new Promise(() => {}) : undefined) },
  });
  void crashing.post(group, '2026-W48');
  await waitUntil(() => posts().length > 0, 'the crashing run to post');
  expect(posts()).toHaveLength(1);
  // The channel was looked up by name before posting, so the group knows its ID for the search.
  expect(store.groups.getById(group.id)!.slackChannelId).toBe('C0WG');

  clock.advance(11 * 60_000); // the dead run's claim lapses
  const restarted = new DigestService(store, new SlackDigestPoster(client()), () => clock.now());
  const outcome = await restarted.post(store.groups.getById(group.id)!, '2026-W48');
  expect(outcome).toMatchObject({ status: 'recovered', channel: 'C0WG' });
  expect(posts()).toHaveLength(1);
  expect(store.digests.get(group.id, '2026-W48')).toMatchObject({ state: 'posted', channel: 'C0WG' });
});

it('retries a failed chart upload later without posting the thread reply again', async () => {
  const digests = new DigestService(store, new SlackDigestPoster(client()), () => clock.now());
  slack.failNext('files.getUploadURLExternal', { error: 'internal_error' });
  expect((await digests.post(group, '2026-W48')).status).toBe('posted');
  const replies = () => slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts);
  const repliesAfterFirst = replies().length;
  expect(store.digests.get(group.id, '2026-W48')!.chartFileId).toBeNull();
  // The retry job finds the unfinished details once the run that posted has had its time, and finishes them.
  const since = new Date(clock.now().getTime() - 86_400_000);
  expect(store.digests.retryable(since, 6, new Date(clock.now().getTime() - 10 * 60_000))).toEqual([]);
  clock.advance(11 * 60_000);
  const pending = store.digests.retryable(since, 6, new Date(clock.now().getTime() - 10 * 60_000));
  expect(pending.map((r) => r.period)).toEqual(['2026-W48']);
  expect((await digests.post(group, '2026-W48')).status).toBe('already-posted');
  expect(slack.uploads).toHaveLength(1);
  expect(replies()).toHaveLength(repliesAfterFirst);
  expect(posts()).toHaveLength(1);
  expect(store.digests.retryable(since, 6, clock.now())).toEqual([]);
});

it('waits out a 429 and posts once; a 5xx is not retried blindly but left to the next run', async () => {
  const waits: number[] = [];
  const production = digestWebClient(slack.botToken, { apiUrl: slack.apiUrl });
  const poster = new SlackDigestPoster(production, { sleep: async (ms) => void waits.push(ms) });
  const digests = new DigestService(store, poster, () => clock.now());
  slack.failNext('chat.postMessage', { status: 429, retryAfter: 3 });
  expect((await digests.post(group, '2026-W48')).status).toBe('posted');
  expect(waits).toEqual([3_000]);
  expect(posts()).toHaveLength(1);

  slack.reset();
  slack.failNext('chat.postMessage', { status: 503 });
  expect((await digests.post(group, '2026-W49')).status).toBe('failed');
  // One attempt only: had Slack posted it before the 503, a blind retry would have posted it twice.
  expect(slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts)).toHaveLength(1);
  expect((await digests.post(group, '2026-W49')).status).toBe('posted');
  expect(posts()).toHaveLength(1);
});
