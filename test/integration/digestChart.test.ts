import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { WorkingGroup } from '../../src/domain/types.js';
import { DigestService } from '../../src/services/digestService.js';
import { recordProgress } from '../../src/services/groupState.js';
import { ImportService } from '../../src/services/importService.js';
import { CHART_IN_POST, SlackDigestPoster } from '../../src/slack/digestPoster.js';
import type { Store } from '../../src/store/store.js';
import { FakeSlack } from '../fakes/slack.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let clock: ManualClock;
let slack: FakeSlack;
let store: Store;
let cleanup: () => void;
let group: WorkingGroup;

beforeEach(async () => {
  // Three weeks of history: the group's figures recorded on Nov 2, the digest on Nov 23.
  clock = new ManualClock('2026-11-02T09:00:00Z');
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  ({ store, cleanup } = tempStore(() => clock.now()));
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  group = store.groups.getBySlug('improve-ops-quality')!;
  store.transaction(() => {
    store.groups.update(group.id, { name: group.name, slackChannelId: 'C0WG' }, clock.now());
    recordProgress(store, group, clock.now());
  });
  group = store.groups.getById(group.id)!;
  clock.advance(21 * 86_400_000);
});

afterEach(async () => {
  cleanup();
  await slack.close();
});

const client = () =>
  new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
const service = () => new DigestService(store, new SlackDigestPoster(client()), () => clock.now());
const mainPosts = () => slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts);
const blockTypes = (call: { args: Record<string, unknown> }) =>
  (call.args.blocks as { type: string }[]).map((b) => b.type);

it('puts Slack’s chart block in the post, with the chart in words under it, and uploads no image', async () => {
  expect((await service().post(group, '2026-W48')).status).toBe('posted');
  const [post] = mainPosts();
  expect(post!.status).toBe(200);
  expect((post!.response as { ok: boolean }).ok).toBe(true);
  const blocks = post!.args.blocks as { type: string; chart?: { axis_config: { categories: string[] } } }[];
  const chart = blocks.find((b) => b.type === 'data_visualization')!;
  expect(chart.chart!.axis_config.categories).toEqual(['Nov 2', 'Nov 9', 'Nov 16', 'Nov 23']);
  expect(JSON.stringify(blocks)).toContain('Chart: overall 100% on Nov 2 → 100% on Nov 23');
  expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(0);
  expect(store.digests.get(group.id, '2026-W48')!.chartFileId).toBe(CHART_IN_POST);
});

it('posts once more without the chart block when Slack refuses it, and the chart follows as a PNG', async () => {
  slack.refuseChartBlocks = true;
  expect((await service().post(group, '2026-W48')).status).toBe('posted');
  const posts = mainPosts();
  expect(posts.map((p) => (p.response as { ok: boolean; error?: string }).error ?? 'ok')).toEqual([
    'invalid_blocks',
    'ok',
  ]);
  expect(blockTypes(posts[0]!)).toContain('data_visualization');
  expect(blockTypes(posts[1]!)).not.toContain('data_visualization');
  expect(JSON.stringify(posts[1]!.args.blocks)).not.toContain('Chart: overall');
  expect(slack.uploads).toHaveLength(1);
  expect(slack.uploads[0]!.threadTs).toBe((posts[1]!.response as { ts: string }).ts);
  expect(store.digests.get(group.id, '2026-W48')!.chartFileId).toBe(slack.uploads[0]!.fileId);
});

it('does not retry a post Slack refused for another reason', async () => {
  slack.failNext('chat.postMessage', { error: 'channel_not_found' });
  const outcome = await service().post(group, '2026-W48');
  expect(outcome).toMatchObject({ status: 'failed', error: 'channel_not_found' });
  expect(mainPosts()).toHaveLength(1);
});

it('after a restart, reads the post back to see its chart is in it, and uploads nothing', async () => {
  const crashing = new DigestService(store, new SlackDigestPoster(client()), () => clock.now(), {
    hooks: { afterPart: (part) => (part === 'post' ? new Promise(() => {}) : undefined) },
  });
  void crashing.post(group, '2026-W48');
  for (let i = 0; i < 100 && mainPosts().length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  clock.advance(11 * 60_000); // the dead run's claim lapses
  const outcome = await service().post(group, '2026-W48');
  expect(outcome.status).toBe('recovered');
  expect(mainPosts()).toHaveLength(1);
  expect(slack.uploads).toHaveLength(0);
  expect(store.digests.get(group.id, '2026-W48')!.chartFileId).toBe(CHART_IN_POST);
});
