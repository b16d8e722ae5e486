import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { burnupSvg, renderPng } from '../../src/charts/burnup.js';
import { ManualClock } from '../../src/clock.js';
import type { WorkingGroup } from '../../src/domain/types.js';
import { DigestService } from '../../src/services/digestService.js';
import { recordProgress } from '../../src/services/groupState.js';
import { ImportService } from '../../src/services/importService.js';
import { SlackDigestPoster } from '../../src/slack/digestPoster.js';
import type { Store } from '../../src/store/store.js';
import { FakeSlack } from '../fakes/slack.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

/**
 * The digest's one chart (the PNG when Slack refuses its chart block) carries the key metrics panel when
 * the group has stored weekly usage readings, and is the plain burn-up when it has none.
 */
let clock: ManualClock;
let slack: FakeSlack;
let store: Store;
let cleanup: () => void;
let group: WorkingGroup;
const DAY = 86_400_000;

beforeEach(async () => {
  clock = new ManualClock('2026-11-02T09:00:00Z');
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  slack.refuseChartBlocks = true;
  ({ store, cleanup } = tempStore(() => clock.now()));
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  group = store.groups.getBySlug('improve-ops-quality')!;
  store.transaction(() => {
    store.groups.update(group.id, { name: group.name, slackChannelId: 'C0WG' }, clock.now());
    recordProgress(store, group, clock.now());
  });
  group = store.groups.getById(group.id)!;
  clock.advance(21 * DAY);
});

afterEach(async () => {
  cleanup();
  await slack.close();
});

const service = () =>
  new DigestService(
    store,
    new SlackDigestPoster(
      new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
    ),
    () => clock.now(),
  );
/** A PNG's height in pixels, from its IHDR chunk. */
const pngHeight = (png: Buffer) => png.readUInt32BE(20);

function keepUsage(daysAgo: number[], value: (i: number) => number): void {
  store.transaction(() => {
    store.db
      .prepare('INSERT INTO usage_sources (wg_id, url, kind, updated_at) VALUES (?, ?, ?, ?)')
      .run(group.id, 'http://127.0.0.1:9/api/v1/query?query=up', 'prometheus', clock.now().toISOString());
    daysAgo.forEach((d, i) =>
      store.db
        .prepare('INSERT INTO usage_readings (wg_id, read_at, value) VALUES (?, ?, ?)')
        .run(group.id, new Date(clock.now().getTime() - d * DAY).toISOString(), value(i)),
    );
  });
}

it('uploads one chart with the key metrics panel when usage readings exist, gaps left as gaps', async () => {
  // Readings 7, 5, 3, 2 and 1 weeks back and today: the weeks 6 and 4 back have none.
  keepUsage([50, 36, 22, 15, 8, 0], (i) => 1000 + i * 100);
  const built = await service().build(group);
  expect(built.data.chart.metrics).toEqual([
    {
      label: 'Usage',
      source: 'Prometheus at 127.0.0.1:9: up',
      weeks: [1000, null, 1100, null, 1200, 1300, 1400, 1500].map((value, i) => ({
        start: new Date(clock.now().getTime() - (8 - i) * 7 * DAY).toISOString().slice(0, 10),
        value,
      })),
    },
  ]);
  expect(burnupSvg(built.data.chart)).toContain('Key metrics, week by week');

  expect((await service().post(group, '2026-W48')).status).toBe('posted');
  expect(slack.uploads).toHaveLength(1);
  const uploaded = slack.uploads[0]!.bytes;
  const plain = renderPng(burnupSvg({ ...built.data.chart, metrics: [] }));
  expect(pngHeight(uploaded)).toBe(pngHeight(renderPng(burnupSvg(built.data.chart))));
  expect(pngHeight(uploaded)).toBeGreaterThan(pngHeight(plain));
});

it('uploads today’s plain burn-up for a group with no usage readings', async () => {
  const built = await service().build(group);
  expect(built.data.chart.metrics).toEqual([]);
  expect((await service().post(group, '2026-W48')).status).toBe('posted');
  expect(slack.uploads).toHaveLength(1);
  expect(pngHeight(slack.uploads[0]!.bytes)).toBe(
    pngHeight(renderPng(burnupSvg({ ...built.data.chart, metrics: undefined }))),
  );
});

it('uploads the PNG with the panel even when Slack drew its chart block in the post: once, in the thread', async () => {
  slack.refuseChartBlocks = false;
  keepUsage([8, 0], (i) => 10 + i);
  expect((await service().post(group, '2026-W48')).status).toBe('posted');
  expect((await service().post(group, '2026-W48')).status).not.toBe('posted');
  const posts = slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts);
  expect(posts).toHaveLength(1);
  expect(JSON.stringify(posts[0]!.args.blocks)).toContain('data_visualization');
  expect(slack.uploads).toHaveLength(1);
  expect(slack.uploads[0]!.threadTs).toBe((posts[0]!.response as { ts: string }).ts);
  expect(store.digests.get(group.id, '2026-W48')!.chartFileId).toBe(slack.uploads[0]!.fileId);
});
