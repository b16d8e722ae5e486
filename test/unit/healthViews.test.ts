import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStatusText } from '../../src/cli/statusText.js';
import { renderHistoryText } from '../../src/cli/historyText.js';
import { ManualClock } from '../../src/clock.js';
import { digestData } from '../../src/services/digestData.js';
import { editCriterion, historyOf } from '../../src/services/criteriaHistory.js';
import { homeData } from '../../src/services/home.js';
import { ImportService } from '../../src/services/importService.js';
import { type StatusReport, StatusService } from '../../src/services/status.js';
import type { Viewer } from '../../src/slack/views/common.js';
import { digestView } from '../../src/slack/views/digest.js';
import { historyView } from '../../src/slack/views/history.js';
import { homeView, statusModal } from '../../src/slack/views/home.js';
import { criteriaView } from '../../src/slack/views/lists.js';
import { statusView } from '../../src/slack/views/status.js';
import type { Store } from '../../src/store/store.js';
import { tempStore } from '../helpers/store.js';

/**
 * GitLab's health beside a criterion or an item (#14.4) in every view that lists them, with an emoji that
 * reads without colour and the words; nothing where GitLab gives none. And where a GitLab figure comes from.
 */
const clock = new ManualClock('2026-11-23T09:00:00Z');
const PAGE = `# Latency

## Exit Criteria

1. p95 under 200 ms => 20%
1. Dashboards for every service => 50%

## Roles and Responsibilities

| Role | Person |
|---|---|
| Facilitator | Ada Lovelace |
`;
const EPIC = `- [ ] Sprint 21: Tune the cache (Ada)
- [ ] Sprint 21: Write the runbook (Ada)
`;

let store: Store;
let cleanup: () => void;
let report: StatusReport;
const viewer: Viewer = {
  slackUserId: 'U0ADA',
  timeZone: 'Europe/Berlin',
  now: clock.now(),
  audience: 'private',
};

beforeAll(() => {
  ({ store, cleanup } = tempStore(() => clock.now()));
  const importer = new ImportService(store, () => clock.now());
  importer.importText(PAGE, { slug: 'latency' });
  importer.importText(EPIC, { slug: 'latency' });
  const group = store.groups.getBySlug('latency')!;
  store.transaction(() => {
    const [first] = store.criteria.of(group.id);
    store.criteria.setGitlabFigure(group.id, first!.id!, {
      percent: 65,
      from: 'KR: p95 < 200 ms',
      syncedAt: '2026-11-23T07:00:00.000Z',
      health: 'needs_attention',
    });
    store.db
      .prepare(
        "UPDATE action_items SET health = 'at_risk', due_date = '2026-11-20' WHERE title = 'Tune the cache'",
      )
      .run();
    store.people.linkSlackUser(store.people.findByName('Ada')!.id, 'U0ADA', 'Europe/Berlin', clock.now());
  });
  report = new StatusService(store, () => clock.now()).report(group);
});
afterAll(() => cleanup());

/** The blocks' text with real line breaks, so a pattern can keep to one line. */
const textOf = (blocks: unknown[]) => JSON.stringify(blocks).replace(/\\n/g, '\n');

describe('health in the views', () => {
  it('the status report carries it: criteria and items, null where GitLab gives none', () => {
    expect(report.criteria.map((c) => c.health)).toEqual(['needs_attention', null]);
    expect(report.items.map((i) => [i.title, i.health])).toEqual([
      ['Tune the cache', 'at_risk'],
      ['Write the runbook', null],
    ]);
  });

  it('/wg status, /wg criteria and the status modal: beside the criterion and the item, words with the emoji', () => {
    for (const blocks of [
      statusView(report, viewer).blocks,
      criteriaView(report, viewer).blocks,
      statusModal(report, viewer).blocks,
    ]) {
      const text = textOf(blocks);
      expect(text).toMatch(/p95 under 200 ms[^\n]*:eyes: _needs attention_/);
      expect(text).not.toMatch(/Dashboards for every service[^\n]*(on track|needs attention|at risk)/);
    }
    expect(textOf(statusView(report, viewer).blocks)).toMatch(
      /Tune the cache[^\n]*:rotating_light: _at risk_/,
    );
  });

  it('says where a GitLab figure comes from and how old it is', () => {
    const text = textOf(criteriaView(report, viewer).blocks);
    expect(text).toContain(
      '*65%*  p95 under 200 ms _(GitLab: KR: p95 &lt; 200 ms, synced 2 h ago)_ · :eyes: _needs attention_',
    );
    expect(text).toContain('Dashboards for every service _(handbook)_');
  });

  it('the digest: beside the criterion and the item', () => {
    const group = store.groups.getBySlug('latency')!;
    const view = digestView(
      digestData(store, group, clock.now()),
      { ...viewer, audience: 'channel' },
      {
        marker: 'h1',
        metrics: null,
      },
    );
    const text = textOf([...view.main.blocks, ...(view.thread?.blocks ?? [])]);
    expect(text).toMatch(/p95 under 200 ms[^\n]*:eyes: _needs attention_/);
    expect(text).toMatch(/Tune the cache[^\n]*:rotating_light: _at risk_/);
  });

  it('the App Home: beside my item', () => {
    const ada = store.people.findByName('Ada')!;
    const data = homeData(store, ada, clock.now());
    const text = textOf(homeView(data.items, data.groups, viewer, data.changes).blocks);
    expect(text).toMatch(/Tune the cache[^\n]*:rotating_light: _at risk_/);
    expect(text).not.toMatch(/Write the runbook[^"]*(on track|needs attention|at risk)/);
  });

  it('the CLI status text: in words, with the figure’s origin', () => {
    const text = renderStatusText(report, clock.now(), 160);
    expect(text).toMatch(
      /p95 under 200 ms {2}\[gitlab: KR: p95 < 200 ms, 2026-11-23 07:00Z\] {2}\{needs attention\}/,
    );
    expect(text).toMatch(/Tune the cache.*\{at risk\}/);
    expect(text).not.toMatch(/Write the runbook.*\{/);
  });
});

describe('criteria history in the views', () => {
  it('/wg history, wgbot history and the App Home list the changes, newest first, with who made them', () => {
    const group = store.groups.getBySlug('latency')!;
    clock.set(new Date('2026-11-23T10:00:00Z'));
    editCriterion(store, group, '2', { owner: 'Grace Hopper' }, 'slack:U0ADA', clock.now());
    const answer = historyOf(store, group, null);
    const slack = textOf(historyView(answer, { ...viewer, now: clock.now() }).blocks);
    expect(slack).toContain(
      '*Dashboards for every service*: owner _none_ → “Grace Hopper” — <@U0ADA>, Nov 23, 11:00 GMT+1 (just now)',
    );
    expect(slack).toContain(
      '*p95 under 200 ms*: added as “p95 under 200 ms” — a page import, Nov 23, 10:00 GMT+1 (1 h ago)',
    );
    expect(slack).toContain('Newest first.');
    expect(renderHistoryText(answer, clock.now()).split('\n')[1]).toBe(
      '  2026-11-23 10:00Z  Dashboards for every service: owner — → Grace Hopper  (slack:U0ADA, just now)',
    );
    const ada = store.people.findByName('Ada')!;
    const data = homeData(store, ada, clock.now());
    expect(data.changes[0]).toMatchObject({ field: 'owner', by: 'slack:U0ADA', groupName: 'Latency' });
    expect(textOf(homeView(data.items, data.groups, viewer, data.changes).blocks)).toContain(
      'Latest criteria changes',
    );
  });
});
