import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { burnupSvg } from '../../src/charts/burnup.js';
import { renderListText, renderStatusText } from '../../src/cli/statusText.js';
import { ManualClock } from '../../src/clock.js';
import { digestData } from '../../src/services/digestData.js';
import { allGroups, groupPage } from '../../src/services/groupList.js';
import { homeData } from '../../src/services/home.js';
import { ImportService } from '../../src/services/importService.js';
import { StatusService } from '../../src/services/status.js';
import type { Viewer } from '../../src/slack/views/common.js';
import { digestView } from '../../src/slack/views/digest.js';
import { homeView } from '../../src/slack/views/home.js';
import { criteriaView, groupListView } from '../../src/slack/views/lists.js';
import { statusView } from '../../src/slack/views/status.js';
import type { Store } from '../../src/store/store.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

const clock = new ManualClock('2026-11-23T09:00:00Z');
const viewer: Viewer = { slackUserId: null, timeZone: 'UTC', now: clock.now(), audience: 'channel' };
const SLUG = 'improve-ops-quality';
let store: Store;
let cleanup: () => void;

beforeEach(() => {
  ({ store, cleanup } = tempStore(() => clock.now()));
});
afterEach(() => cleanup());

function importPage(text: string) {
  new ImportService(store, () => clock.now()).importText(text);
  return new StatusService(store, () => clock.now()).status(SLUG);
}

const textOf = (blocks: unknown[]) => JSON.stringify(blocks);

describe('a group with no figure at all', () => {
  const page = () => handbookSeed().replaceAll(' `=> 100%`', '');

  it('reports overall null with 0 of 6 measured, never 0 %', () => {
    const report = importPage(page());
    expect(report).toMatchObject({ overall: null, coverage: { measured: 0, total: 6 } });
    expect(report.criteria.every((c) => c.percent === null && c.source === null)).toBe(true);
  });

  it('says "no figure yet" in the status, the list, the CLI and the digest instead of posting 0 %', () => {
    const report = importPage(page());
    const status = statusView(report, viewer);
    expect(status.text).toBe('Improve Ops Quality: no figure yet, 0 overdue, 1965 days past target');
    expect(textOf(status.blocks)).toContain(
      '*Overall* — no figure yet: no exit criterion has a figure yet (0 of 6 measured)',
    );
    expect(textOf(criteriaView(report, viewer).blocks)).toContain('_(no figure yet)_');
    expect(textOf(groupListView(groupPage(store, clock.now(), 1)).blocks)).toContain(
      '`░░░░░░░░░░` *—*  *Improve Ops Quality*',
    );
    expect(renderStatusText(report, clock.now())).toContain(
      'Overall  — no figure yet: no exit criterion has a figure yet (0 of 6 measured)',
    );
    expect(renderListText(allGroups(store, clock.now()))).toMatch(/improve-ops-quality +active +—/);

    const group = store.groups.getBySlug(SLUG)!;
    const digest = digestView(digestData(store, group, clock.now()), viewer, { marker: 'm', metrics: null });
    expect(digest.main.text).toBe(
      'Weekly digest — Improve Ops Quality: no figure yet, 0 overdue, 1965 days past target',
    );
    expect(textOf(digest.main.blocks)).toContain('no exit criterion has a figure yet');
    expect(textOf(digest.main.blocks)).not.toMatch(/\*0%\*/);
  });

  it('draws no overall point on the burn-up chart rather than one at 0 %', () => {
    const svg = burnupSvg({
      title: 'g',
      points: [{ at: clock.now(), overall: null, criteria: { '1': null }, items: 3, done: 0 }],
      criteriaTitles: { '1': 'one' },
      targetEndDate: null,
      startDate: null,
      todayDate: clock.now().toISOString().slice(0, 10),
      forecast: null,
      today: clock.now(),
    });
    expect(svg).not.toContain('NaN');
    expect(svg).not.toMatch(/>0%<\/text><\/svg>|font-weight="bold" fill="#1d1c1d">0%/);
  });
});

describe('a group with some criteria measured', () => {
  it('averages the measured ones and says how many are', () => {
    const page = handbookSeed()
      .replace(
        'Add runner executable E2E test environment `=> 100%`',
        'Add runner executable E2E test environment',
      )
      .replace(
        'Add test coverage for high risk runner functionality `=> 100%`',
        'Add test coverage for high risk runner functionality `=> 40%`',
      )
      .replace(
        'Address critical test gaps with new smoke tests for Package group `=> 100%`',
        'Address critical test gaps with new smoke tests for Package group',
      );
    const report = importPage(page);
    expect(report).toMatchObject({ overall: 85, coverage: { measured: 4, total: 6 } });
    expect(statusView(report, viewer).text).toMatch(
      /^Improve Ops Quality: 85% overall · 4 of 6 criteria measured,/,
    );
    expect(textOf(statusView(report, viewer).blocks)).toContain(
      '*Overall* `█████████░` *85%* · 4 of 6 criteria measured',
    );
    expect(textOf(groupListView(groupPage(store, clock.now(), 1)).blocks)).toContain('*85%* (4/6 measured)');
    expect(renderStatusText(report, clock.now())).toContain('85%  (4 of 6 criteria measured)');
  });
});

describe('a parent whose own figure and its sub-items disagree', () => {
  it('is flagged in the status, the CLI and the digest', () => {
    const page = handbookSeed()
      .replace(
        'Create 3 end-to-end overview videos for training `=> 100%`',
        'Create 3 end-to-end overview videos for training `=> 0%`',
      )
      .replace(
        'Train 1 maintainer each for Package, Runner, PE on end-to-end testing `=> 100%`',
        'Train 1 maintainer each for Package, Runner, PE on end-to-end testing `=> 0%`',
      )
      .replace(
        'Create generalized risk mapping framework](https://gitlab.com/gitlab-com/www-gitlab-com/-/merge_requests/83300) `=> 100%`',
        'Create generalized risk mapping framework](https://gitlab.com/gitlab-com/www-gitlab-com/-/merge_requests/83300) `=> 0%`',
      );
    const report = importPage(page);
    expect(report.criteria[5]).toMatchObject({
      percent: 100,
      source: 'handbook',
      flag: 'page says 100 %, sub-items say 25 %',
    });
    expect(report.criteria[0]!.flag).toBeNull();
    expect(report.overall).toBe(100);
    const flag = ':warning: _page says 100 %, sub-items say 25 %_';
    expect(textOf(statusView(report, viewer).blocks)).toContain(flag);
    const group = store.groups.getBySlug(SLUG)!;
    const digest = digestView(digestData(store, group, clock.now()), viewer, { marker: 'm', metrics: null });
    expect(textOf(digest.main.blocks)).toContain(flag);
    expect(renderStatusText(report, clock.now(), 200)).toContain('! page says 100 %, sub-items say 25 %');
  });
});

describe('ended and paused groups in views', () => {
  it('show "Ended on …" or "Paused" and no days past target; the App Home shows only active groups', () => {
    importPage(handbookSeed());
    const group = store.groups.getBySlug(SLUG)!;
    const person = store.people.findByName('Joanna Shih')!;
    expect(homeData(store, { id: person.id, slackUserId: null }, clock.now()).groups).toHaveLength(1);

    store.transaction(() =>
      store.groups.update(
        group.id,
        { name: group.name, lifecycle: 'ended', endedOn: '2021-07-30' },
        clock.now(),
      ),
    );
    const ended = new StatusService(store, () => clock.now()).status(SLUG);
    const view = statusView(ended, viewer);
    expect(view.text).toBe('Improve Ops Quality: 100% overall, 0 overdue, Ended on 2021-07-30');
    expect(textOf(view.blocks)).toContain(':checkered_flag: Ended on Jul 30, 2021');
    expect(textOf(view.blocks)).not.toContain('past target');
    expect(renderStatusText(ended, clock.now())).toMatch(/^Improve Ops Quality .*\nEnded on 2021-07-30 · /);
    expect(homeData(store, { id: person.id, slackUserId: null }, clock.now()).groups).toHaveLength(0);
    expect(textOf(homeView([], [], viewer).blocks)).toContain('You have no role in a working group yet');

    store.transaction(() =>
      store.groups.update(group.id, { name: group.name, lifecycle: 'paused', endedOn: null }, clock.now()),
    );
    const paused = new StatusService(store, () => clock.now()).status(SLUG);
    expect(paused).toMatchObject({ lifecycle: 'paused', endedOn: null, daysLeft: null });
    expect(textOf(statusView(paused, viewer).blocks)).toContain(
      ':double_vertical_bar: Paused (target Jul 7, 2021)',
    );
    expect(renderStatusText(paused, clock.now())).toContain('Paused (target 2021-07-07)');
  });
});

describe('roles in the report', () => {
  it('carry the person’s GitLab handle when the page links their profile, else null', () => {
    const report = importPage(
      handbookSeed().replace('| Joanna Shih           |', '| [Joanna Shih](https://gitlab.com/jshih) |'),
    );
    expect(report.roles.find((r) => r.name === 'Joanna Shih')).toMatchObject({
      kind: 'facilitator',
      handle: 'jshih',
    });
    expect(report.roles.filter((r) => r.handle === null)).toHaveLength(15);
  });
});
