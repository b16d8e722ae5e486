import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { historyOf } from '../../src/services/criteriaHistory.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { StatusService } from '../../src/services/status.js';
import { SyncService } from '../../src/services/syncService.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { wgbot } from '../helpers/cli.js';
import { HANDBOOK_SEED, handbookSeed } from '../helpers/seeds.js';
import { tempDir, tempStore } from '../helpers/store.js';

// OKRs as exit criteria (#14.3) end to end: the fake GitLab's GraphQL endpoint serves an objective and its
// key results; the group links them through the link service, syncs through the real sync service, and the
// status and history services show what came of it.

const SLUG = 'improve-ops-quality';
let fake: FakeGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;

beforeEach(async () => {
  clock = new ManualClock('2026-11-16T08:00:00Z');
  fake = await FakeGitlab.start({ now: () => clock.now() });
  fake.graphql.enabled = true;
  ({ store, cleanup } = tempStore(() => clock.now()));
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  fake.addGroup('g');
});

afterEach(async () => {
  cleanup();
  await fake.close();
});

function syncService() {
  const client = createGitlabClient({
    url: fake.url,
    token: fake.token,
    api: 'auto',
    deps: { sleep: async () => undefined, now: () => clock.now(), random: () => 0.5 },
  });
  return new SyncService(store, client, () => clock.now());
}

const link = (url: string, criterion: string | null = null) =>
  new LinkService(store, fake.url, () => clock.now()).link(SLUG, url, criterion);
const group = () => store.groups.getBySlug(SLUG)!;
const criteria = () => new StatusService(store, () => clock.now()).status(SLUG).criteria;
const okrCriteria = () => criteria().filter((c) => c.fromOkr);

/** A group objective with three key results (20, 50 and 100 %), the second at risk. */
function seedObjective() {
  clock.set('2026-11-15T08:00:00Z');
  const objective = fake.graphql.addWorkItem('g', {
    type: 'Objective',
    title: 'Faster incident response',
    progress: 57,
  });
  const kr = (title: string, progress: number, healthStatus: 'atRisk' | null = null) =>
    fake.graphql.addWorkItem('g', {
      type: 'Key Result',
      title,
      parent: objective.gid,
      progress,
      healthStatus,
    });
  const keyResults = [
    kr('MTTR under an hour', 20),
    kr('Runbooks for every alert', 50, 'atRisk'),
    kr('Paging rota staffed', 100),
  ];
  clock.set('2026-11-16T08:00:00Z');
  return { objective, keyResults };
}

describe('OKRs as exit criteria, end to end over GraphQL', () => {
  it('an objective linked to a group: its key results become criteria, re-measured, then retired', async () => {
    const { objective, keyResults } = seedObjective();
    const before = criteria().length;
    const sync = syncService();
    // As `wgbot link` does: linked, then synced at once, kept because the first sync reached it.
    const linked = await new LinkService(store, fake.url, () => clock.now()).linkAndSync(
      SLUG,
      `${fake.url}/groups/g/-/work_items/${objective.iid}`,
      null,
      (g) => sync.syncGroup(g),
    );
    expect(linked).toMatchObject({ kept: true, created: true });
    const first = linked.sync;
    expect(first).toMatchObject({ status: 'synced', error: null });
    expect(first.sources[0]).toMatchObject({ mode: 'full', complete: true, warnings: [] });

    expect(criteria()).toHaveLength(before + 3);
    expect(okrCriteria().map((c) => [c.title, c.percent, c.source, c.health])).toEqual([
      ['MTTR under an hour', 20, 'gitlab', null],
      ['Runbooks for every alert', 50, 'gitlab', 'at_risk'],
      ['Paging rota staffed', 100, 'gitlab', null],
    ]);
    expect(okrCriteria()[0]!.gitlabFrom).toEqual({
      name: 'MTTR under an hour',
      syncedAt: '2026-11-16T08:00:00.000Z',
    });

    // One key result moves: an incremental sync re-measures its criterion, recorded as the sync's change.
    clock.advance(15 * 60_000);
    fake.graphql.updateWorkItem(keyResults[0]!.id, { progress: 35 });
    const second = await sync.syncGroup(group());
    expect(second.sources[0]).toMatchObject({ mode: 'incremental' });
    expect(okrCriteria().map((c) => [c.title, c.percent])).toEqual([
      ['MTTR under an hour', 35],
      ['Runbooks for every alert', 50],
      ['Paging rota staffed', 100],
    ]);
    const changes = historyOf(store, group(), null).changes.filter((c) => c.by === 'sync');
    expect(
      changes.find((c) => c.field === 'percent' && c.criterionTitle === 'MTTR under an hour'),
    ).toMatchObject({
      from: 20,
      to: 35,
      by: 'sync',
    });

    // One key result leaves the objective: a full sync retires its criterion.
    clock.advance(15 * 60_000);
    fake.graphql.updateWorkItem(keyResults[2]!.id, { parent: null });
    const third = await sync.syncGroup(group(), { full: true });
    expect(third).toMatchObject({ status: 'synced' });
    expect(okrCriteria().map((c) => c.title)).toEqual(['MTTR under an hour', 'Runbooks for every alert']);
    expect(criteria()).toHaveLength(before + 2);
  });

  it('a handbook criterion linked to one key result takes its progress and health', async () => {
    const { keyResults } = seedObjective();
    const kr = keyResults[1]!;
    const criteriaSeedPercent = criteria()[0]!.percent;
    link(`${fake.url}/groups/g/-/work_items/${kr.iid}`, '1');
    const sync = syncService();
    const outcome = await sync.syncGroup(group());
    expect(outcome).toMatchObject({ status: 'synced', error: null });
    expect(outcome.sources[0]).toMatchObject({ warnings: [] });
    expect(criteria()[0]).toMatchObject({
      percent: 50,
      source: 'gitlab',
      health: 'at_risk',
      fromOkr: false,
      gitlabFrom: { name: 'Runbooks for every alert', syncedAt: '2026-11-16T08:00:00.000Z' },
    });
    expect(okrCriteria()).toEqual([]);

    // The key result moves and is back on track: an incremental sync follows both.
    clock.advance(15 * 60_000);
    fake.graphql.updateWorkItem(kr.id, { progress: 80, healthStatus: 'onTrack' });
    const second = await sync.syncGroup(group());
    expect(second.sources[0]).toMatchObject({ mode: 'incremental', warnings: [] });
    expect(criteria()[0]).toMatchObject({ percent: 80, source: 'gitlab', health: 'on_track' });
    const changes = historyOf(store, group(), '1').changes.filter((c) => c.by === 'sync');
    expect(changes.filter((c) => c.field === 'percent').map((c) => [c.from, c.to, c.by])).toEqual([
      [50, 80, 'sync'],
      [criteriaSeedPercent, 50, 'sync'],
    ]);
  });
});

describe('OKRs as exit criteria through the wgbot CLI', () => {
  it('wgbot link, status --json and history --json show key results as criteria, measured by GitLab', async () => {
    const { dir, cleanup: removeDir } = tempDir();
    try {
      const { objective, keyResults } = seedObjective();
      const env = { DATABASE_PATH: join(dir, 'wgbot.db'), GITLAB_URL: fake.url, GITLAB_TOKEN: fake.token };
      expect((await wgbot(['import', HANDBOOK_SEED], env)).code).toBe(0);
      const objectiveUrl = `${fake.url}/groups/g/-/work_items/${objective.iid}`;
      const linked = await wgbot(['link', SLUG, objectiveUrl], env);
      expect(linked).toMatchObject({ code: 0, stderr: '' });
      expect(linked.stdout).toContain(`linked: ${SLUG} ← work item g#${objective.iid}\n`);
      const krUrl = `${fake.url}/groups/g/-/work_items/${keyResults[1]!.iid}`;
      expect(await wgbot(['link', SLUG, krUrl, '--criterion', '1'], env)).toMatchObject({
        code: 0,
        stderr: '',
      });

      type JsonCriterion = {
        title: string;
        percent: number | null;
        source: string;
        health: string | null;
        fromOkr: boolean;
      };
      const statusCriteria = async () =>
        (JSON.parse((await wgbot(['status', SLUG, '--json'], env)).stdout) as { criteria: JsonCriterion[] })
          .criteria;
      const shown = (c: JsonCriterion) => [c.title, c.percent, c.source, c.health, c.fromOkr];
      let criteria = await statusCriteria();
      expect(shown(criteria[0]!).slice(1)).toEqual([50, 'gitlab', 'at_risk', false]);
      expect(criteria.filter((c) => c.fromOkr).map(shown)).toEqual([
        ['MTTR under an hour', 20, 'gitlab', null, true],
        ['Runbooks for every alert', 50, 'gitlab', 'at_risk', true],
        ['Paging rota staffed', 100, 'gitlab', null, true],
      ]);

      // GitLab's time (the fake's clock, in its Date header) moves the sync cursor, not the CLI's.
      clock.advance(60_000);
      fake.graphql.updateWorkItem(keyResults[1]!.id, { progress: 65 });
      expect(await wgbot(['sync', SLUG], env)).toMatchObject({ code: 0, stderr: '' });
      criteria = await statusCriteria();
      expect(criteria[0]!.percent).toBe(65);
      expect(criteria.find((c) => c.title === 'Runbooks for every alert')!.percent).toBe(65);
      const history = JSON.parse((await wgbot(['history', SLUG, '--json'], env)).stdout) as {
        criterionTitle: string;
        field: string;
        from: unknown;
        to: unknown;
        by: string;
      }[];
      expect(
        history
          .filter((c) => c.field === 'percent' && c.from === 50)
          .map((c) => [c.criterionTitle, c.to, c.by]),
      ).toEqual([
        ['Runbooks for every alert', 65, 'sync'],
        [criteria[0]!.title, 65, 'sync'],
      ]);
    } finally {
      removeDir();
    }
  });
});
