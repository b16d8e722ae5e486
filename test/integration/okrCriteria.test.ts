import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceRef } from '../../src/domain/sources.js';
import type { MappedItem } from '../../src/gitlab/mapping.js';
import type { ContainerInfo, SourceFetchResult } from '../../src/gitlab/sources.js';
import { silentLogger } from '../../src/logger.js';
import { canonicalSourceUrl } from '../../src/gitlab/urls.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { StatusService } from '../../src/services/status.js';
import { criteriaView } from '../../src/slack/views/lists.js';
import { applyKeyResults } from '../../src/services/sync/okrCriteria.js';
import { applyFetched } from '../../src/services/sync/writeGroup.js';
import type { StoredSource } from '../../src/store/repositories/gitlabSources.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../helpers/store.js';

/**
 * OKRs as exit criteria (#14.3), against sync results put together by hand in the shape the Work Items
 * source gives (`ContainerInfo.progress/health`, `MappedItem.progress/health`): the GraphQL source itself is
 * built elsewhere.
 */
const SLUG = 'latency';
const PAGE = `# Latency

## Exit Criteria

1. p95 under 200 ms => 20%
1. Dashboards for every service => 50%
`;
const GITLAB = 'https://gitlab.example.com';

let store: Store;
let cleanup: () => void;
let now: Date;

beforeEach(() => {
  now = new Date('2026-11-23T09:00:00Z');
  ({ store, cleanup } = tempStore(() => now));
  new ImportService(store, () => now).importText(PAGE, { slug: SLUG });
});
afterEach(() => cleanup());

const group = () => store.groups.getBySlug(SLUG)!;
const report = () => new StatusService(store, () => now).report(group());

function link(ref: SourceRef, criterionId: number | null): StoredSource {
  const url = canonicalSourceUrl(ref, GITLAB);
  return store.transaction(() => store.sources.add(group().id, ref, url, criterionId, now).source);
}

function container(fields: Partial<ContainerInfo>): ContainerInfo {
  return {
    title: 'Objective',
    description: null,
    state: 'opened',
    webUrl: `${GITLAB}/groups/acme/-/work_items/1`,
    externalId: 'work_item:1',
    dueDate: null,
    updatedAt: now.toISOString(),
    ...fields,
  };
}

function fetched(
  source: StoredSource,
  c: ContainerInfo,
): { source: StoredSource; result: SourceFetchResult } {
  return {
    source,
    result: {
      mode: 'full',
      container: c,
      issues: [],
      complete: true,
      childEpics: [],
      iterations: null,
      cursor: { updatedAt: now.toISOString(), containerUpdatedAt: null, lastFullAt: now.toISOString() },
    },
  };
}

function keyResult(
  id: number,
  title: string,
  progress: number | null,
  health: MappedItem['health'] = null,
  confidential = false,
): MappedItem {
  return {
    source: 'gitlab_epic',
    sourceKey: `work_item:${id}`,
    externalId: `work_item:${id}`,
    title,
    state: 'open',
    sprint: null,
    assignees: [],
    dueDate: null,
    url: `${GITLAB}/groups/acme/-/work_items/${id}`,
    storyRef: null,
    confidential,
    weight: null,
    labels: [],
    closedAt: null,
    updatedAt: now.toISOString(),
    tasksCompleted: null,
    tasksTotal: null,
    gitlabPath: 'acme',
    gitlabIid: id,
    health,
    progress,
  };
}

const context = () => ({ store, logger: silentLogger, now });
const epicRef = (iid: number): SourceRef => ({ kind: 'epic', namespaceKind: 'group', path: 'acme', iid });

describe('a criterion linked to a key result', () => {
  it('takes its figure from the key result’s progress, source gitlab, with its name, sync time and health', () => {
    const first = store.criteria.of(group().id)[0]!;
    const source = link(epicRef(7), first.id);
    const kr = container({ title: 'KR: p95 < 200 ms', progress: 65, health: 'at_risk' });
    store.transaction(() => applyFetched(context(), group(), [fetched(source, kr)]));

    const criterion = report().criteria[0]!;
    expect(criterion).toMatchObject({
      title: 'p95 under 200 ms',
      percent: 65,
      source: 'gitlab',
      health: 'at_risk',
      gitlabFrom: { name: 'KR: p95 < 200 ms', syncedAt: '2026-11-23T09:00:00.000Z' },
      fromOkr: false,
    });
    expect(store.sources.getById(source.id)).toMatchObject({ progress: 65, health: 'at_risk' });
    const history = store.criterionChanges.latest(group().id, 10).filter((c) => c.by === 'sync');
    expect(history.map((c) => [c.field, c.from, c.to])).toEqual([
      ['source', 'handbook', 'gitlab'],
      ['percent', 20, 65],
    ]);
  });

  it('a progress beyond 0–100 is held within it, never failing the sync', () => {
    const source = link(epicRef(8), store.criteria.of(group().id)[1]!.id);
    store.transaction(() =>
      applyFetched(context(), group(), [fetched(source, container({ progress: 140 }))]),
    );
    expect(report().criteria[1]!.percent).toBe(100);
  });
});

describe('a group linking an objective', () => {
  const objective = () => link(epicRef(1), null);
  const apply = (source: StoredSource, items: MappedItem[], complete = true) =>
    store.transaction(() =>
      applyKeyResults(context(), group(), source, container({ progress: 30 }), { items, complete }),
    );

  it('gets one criterion per key result after the page’s own, named and measured by GitLab', () => {
    const source = objective();
    apply(source, [
      keyResult(21, 'Error budget kept', 40, 'on_track'),
      keyResult(22, 'Cache hit rate 90 %', 75),
    ]);
    const criteria = report().criteria;
    expect(criteria.map((c) => [c.title, c.percent, c.source, c.fromOkr, c.health])).toEqual([
      ['p95 under 200 ms', 20, 'handbook', false, null],
      ['Dashboards for every service', 50, 'handbook', false, null],
      ['Error budget kept', 40, 'gitlab', true, 'on_track'],
      ['Cache hit rate 90 %', 75, 'gitlab', true, null],
    ]);
    expect(criteria[2]!.gitlabFrom).toEqual({
      name: 'Error budget kept',
      syncedAt: '2026-11-23T09:00:00.000Z',
    });
    expect(report().overall).toBe(46.3); // (20 + 50 + 40 + 75) / 4
    const viewer = { slackUserId: null, timeZone: 'UTC', now, audience: 'channel' as const };
    expect(JSON.stringify(criteriaView(report(), viewer).blocks)).toContain(
      '*40%*  <https://gitlab.example.com/groups/acme/-/work_items/21|Error budget kept> _(GitLab key result, synced just now)_ · :thumbsup: _on track_',
    );
  });

  it('renames, re-measures and retires them with their key results; an incremental fetch retires none', () => {
    const source = objective();
    apply(source, [keyResult(21, 'Error budget kept', 40), keyResult(22, 'Cache hit rate', 75)]);
    const ids = store.criteria.of(group().id).map((c) => c.id);
    now = new Date('2026-11-24T09:00:00Z');
    apply(source, [keyResult(21, 'Error budget kept all quarter', 55)], false);
    expect(report().criteria.map((c) => [c.title, c.percent])).toEqual([
      ['p95 under 200 ms', 20],
      ['Dashboards for every service', 50],
      ['Error budget kept all quarter', 55],
      ['Cache hit rate', 75],
    ]);
    expect(store.criteria.of(group().id).map((c) => c.id)).toEqual(ids);
    apply(source, [keyResult(21, 'Error budget kept all quarter', 60)]);
    expect(report().criteria.map((c) => c.title)).toEqual([
      'p95 under 200 ms',
      'Dashboards for every service',
      'Error budget kept all quarter',
    ]);
  });

  it('a page import keeps the key-result criteria and updates the page’s own around them', () => {
    const source = objective();
    apply(source, [keyResult(21, 'Error budget kept', 40)]);
    const krId = store.criteria.of(group().id)[2]!.id;
    new ImportService(store, () => now).importText(PAGE.replace('=> 50%', '=> 70%'), { slug: SLUG });
    const after = store.criteria.of(group().id);
    expect(after.map((c) => [c.title, c.handbookPercent ?? c.gitlabPercent])).toEqual([
      ['p95 under 200 ms', 20],
      ['Dashboards for every service', 70],
      ['Error budget kept', 40],
    ]);
    expect(after[2]!.id).toBe(krId);
  });

  it('go when the objective is unlinked, kept in the history as the unlinker’s change', () => {
    const source = objective();
    apply(source, [keyResult(21, 'Error budget kept', 40)]);
    new LinkService(store, GITLAB, () => now).unlink(SLUG, source.url, 'slack:U0ADA');
    expect(report().criteria.map((c) => c.title)).toEqual([
      'p95 under 200 ms',
      'Dashboards for every service',
    ]);
    expect(store.criterionChanges.latest(group().id, 1)[0]).toMatchObject({
      criterionId: null,
      criterionTitle: 'Error budget kept',
      field: 'title',
      from: 'Error budget kept',
      to: null,
      by: 'slack:U0ADA',
    });
  });

  it('two objectives never retire each other’s key results', () => {
    const first = objective();
    const second = link(epicRef(2), null);
    apply(first, [keyResult(21, 'KR of the first', 40)]);
    apply(second, [keyResult(31, 'KR of the second', 10)]);
    apply(first, [keyResult(21, 'KR of the first', 45)]);
    expect(
      report()
        .criteria.slice(2)
        .map((c) => [c.title, c.percent]),
    ).toEqual([
      ['KR of the first', 45],
      ['KR of the second', 10],
    ]);
  });

  it('a confidential key result counts, named neutrally and without its link wherever criteria are shown', () => {
    const source = objective();
    apply(source, [keyResult(23, 'Acquire Initech quietly', 80, null, true)]);
    const criterion = report().criteria[2]!;
    expect([criterion.title, criterion.url, criterion.percent, criterion.gitlabFrom?.name]).toEqual([
      'Confidential key result',
      null,
      80,
      'Confidential key result',
    ]);
    expect(report().overall).toBe(50); // (20 + 50 + 80) / 3
    const viewer = { slackUserId: null, timeZone: 'UTC', now, audience: 'channel' as const };
    const shown = JSON.stringify(criteriaView(report(), viewer).blocks);
    expect(shown).toContain('Confidential key result');
    expect(shown).not.toContain('Initech');
    expect(shown).not.toContain('work_items/23');
    const history = JSON.stringify(store.criterionChanges.latest(group().id, 20));
    expect(history).not.toContain('Initech');
  });

  it('a listed key result whose progress is unreadable keeps its criterion and last figure, with its age', () => {
    const source = objective();
    apply(source, [keyResult(21, 'Error budget kept', 40)]);
    const id = store.criteria.of(group().id)[2]!.id;
    store.transaction(() => store.criteria.setManual(group().id, id!, { manualPercent: null, owner: 'Ada' }));
    now = new Date('2026-11-24T09:00:00Z');
    apply(source, [keyResult(21, 'Error budget kept', null), keyResult(22, 'Cache hit rate', null)]);
    const after = store.criteria.of(group().id);
    expect(after[2]).toMatchObject({ id, owner: 'Ada' });
    const criteria = report().criteria;
    expect(criteria.slice(2).map((c) => [c.title, c.percent, c.gitlabFrom?.syncedAt ?? null])).toEqual([
      ['Error budget kept', 40, '2026-11-23T09:00:00.000Z'],
      ['Cache hit rate', null, null], // unknown: no figure, not 0
    ]);
    const retired = store.criterionChanges.latest(group().id, 20).filter((c) => c.to === null);
    expect(retired.filter((c) => c.field === 'title')).toEqual([]);
  });
});
