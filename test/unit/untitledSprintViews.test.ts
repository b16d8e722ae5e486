import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { type StatusReport, StatusService } from '../../src/services/status.js';
import type { Viewer } from '../../src/slack/views/common.js';
import { itemListView } from '../../src/slack/views/itemList.js';
import { statusView } from '../../src/slack/views/status.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

// A GitLab iteration without a title has no sprint number ('Iteration · Nov 16–27'): the views that took
// one for granted still render it, and `/wg items sprint` lists its items.

const clock = new ManualClock('2026-11-23T09:00:00Z');
const viewer: Viewer = {
  slackUserId: 'U0THOR',
  timeZone: 'Europe/Berlin',
  now: clock.now(),
  audience: 'private',
};
const TITLE = 'Iteration · Nov 16–27';
let report: StatusReport;
let cleanup: () => void;

beforeAll(() => {
  const made = tempStore(() => clock.now());
  cleanup = made.cleanup;
  const importer = new ImportService(made.store, () => clock.now());
  importer.importText(handbookSeed(), { channel: 'C0WG' });
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  const base = new StatusService(made.store, () => clock.now()).status('improve-ops-quality');
  // Many items in the iteration, so the status view's "…and N more" line shows too.
  const items = Array.from({ length: 30 }, (_, i) => ({
    ...base.items[0]!,
    id: 9000 + i,
    title: `Story ${i + 1}`,
    sprint: TITLE,
  }));
  report = {
    ...base,
    items,
    currentSprint: { title: TITLE, number: null, startDate: '2026-11-16', endDate: '2026-11-27' },
  };
});
afterAll(() => cleanup());

describe('an untitled iteration as the current sprint', () => {
  it('the status view names it and points at `/wg items sprint` without a number', () => {
    const text = JSON.stringify(statusView(report, viewer).blocks);
    expect(text).toContain(`This sprint — ${TITLE}`);
    expect(text).toContain('more — `/wg items sprint`');
    expect(text).not.toMatch(/items sprint (null|undefined| `)/);
  });

  it('`/wg items sprint` lists its items by its title', () => {
    const text = JSON.stringify(itemListView(report, { kind: 'sprint', number: null }, viewer).blocks);
    expect(text).toContain(`this sprint (${TITLE})`);
    expect(text).toContain('Story 1');
    expect(text).not.toContain('No current sprint is known');
  });
});
