import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { digestData } from '../../src/services/digestData.js';
import { allGroups } from '../../src/services/groupList.js';
import { ImportService } from '../../src/services/importService.js';
import { type StatusReport, StatusService } from '../../src/services/status.js';
import type { Viewer } from '../../src/slack/views/common.js';
import { digestView } from '../../src/slack/views/digest.js';
import { homeView, statusModal } from '../../src/slack/views/home.js';
import { criteriaView, groupListView, itemsView } from '../../src/slack/views/lists.js';
import { esc, link, plain, stripUnsafe, truncate, truncateMrkdwn } from '../../src/slack/views/mrkdwn.js';
import { ladderBoardView, ladderStepView } from '../../src/slack/views/ladder.js';
import { escalationView, nudgeView, unreachableView } from '../../src/slack/views/nudge.js';
import { statusView } from '../../src/slack/views/status.js';
import type { Store } from '../../src/store/store.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
// A NUL, a bell, an escape sequence, a carriage return, an RTL override and an isolate.
const hostile = 'Fix\u0000 the\u0007 \u001b[31mbuild\r \u202Efdp.exe\u202C and \u2066isolate\u2069 done';

const clock = new ManualClock('2026-11-23T09:00:00Z');
const viewer: Viewer = { slackUserId: 'U0THOR', timeZone: 'UTC', now: clock.now(), audience: 'private' };
let store: Store;
let cleanup: () => void;
let report: StatusReport;

beforeAll(() => {
  ({ store, cleanup } = tempStore(() => clock.now()));
  new ImportService(store, () => clock.now()).importText(handbookSeed(), { channel: 'C0WG' });
  report = new StatusService(store, () => clock.now()).status('improve-ops-quality');
});
afterAll(() => cleanup());

describe('control and bidi-override characters never reach Slack', () => {
  it('are stripped by every text helper, keeping tabs, newlines and everything else', () => {
    expect(stripUnsafe(hostile)).toBe('Fix the [31mbuild fdp.exe and isolate done');
    expect(stripUnsafe('a\tb\nc — ünïcødé 🎉 עברית')).toBe('a\tb\nc — ünïcødé 🎉 עברית');
    for (const text of [
      esc(hostile),
      plain(hostile, 150),
      truncate(hostile, 20),
      truncateMrkdwn(hostile, 20),
      link('https://gitlab.example.com/x', hostile),
    ]) {
      expect(text).not.toMatch(UNSAFE);
    }
    // A URL that carries them is not made a link.
    expect(link('https://gitlab.example.com/\u202Eexe', 'x')).toBe('x');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(esc(text)).not.toMatch(UNSAFE);
        expect(truncateMrkdwn(text, 50)).not.toMatch(UNSAFE);
      }),
    );
  });

  it('are absent from every view built from hostile titles, names and owners', () => {
    const evil: StatusReport = {
      ...report,
      name: hostile,
      criteria: report.criteria.map((c) => ({ ...c, title: hostile, owner: hostile })),
      items: report.items.map((i) => ({ ...i, title: hostile, owners: [hostile], notes: hostile })),
      roles: report.roles.map((r) => ({ ...r, name: hostile })),
    };
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const data = digestData(store, group, clock.now());
    const digest = digestView(
      { ...data, report: { ...data.report, name: hostile, items: evil.items } },
      viewer,
      { marker: 'm1', metrics: hostile },
    );
    const summary = { ...allGroups(store, clock.now())[0]!, name: hostile };
    const overdue = evil.items.slice(0, 3);
    const payloads: unknown[] = [
      statusView(evil, viewer),
      criteriaView(evil, viewer),
      itemsView(evil, 'all', evil.items, viewer, 'none'),
      groupListView({ groups: [summary], page: 1, pages: 1, pageSize: 40, total: 1 }),
      statusModal(evil, viewer),
      homeView(
        overdue.map((item) => ({ group: { slug: 'x', name: hostile }, item })),
        [summary],
        viewer,
      ),
      digest,
      nudgeView(
        overdue.map((item) => ({ group: { slug: 'x', name: hostile }, item })),
        viewer,
      ),
      escalationView(
        hostile,
        overdue.map((item) => ({ item, reminders: 3 })),
        viewer,
      ),
      unreachableView(hostile, [{ name: hostile, items: overdue }], viewer),
      ...ladderViews(hostile, overdue, viewer),
    ];
    for (const payload of payloads)
      expect(JSON.stringify(payload)).not.toMatch(/\\u0000|\\u0007|\\u001b|\\r/);
    for (const payload of payloads) expect(JSON.stringify(payload)).not.toMatch(UNSAFE);
  });
});

/** The escalation ladder's message and `/wg ladder`, with a hostile group, names and an owner's note. */
function ladderViews(hostile: string, items: StatusReport['items'], viewer: Viewer): unknown[] {
  const asked = [{ step: 'owner' as const, name: hostile, slackUserId: 'U0THOR', at: viewer.now }];
  const group = { slug: 'x', name: hostile };
  const step = ladderStepView(
    {
      group,
      step: 'sponsor',
      items: items.map((item) => ({ item, reason: 'blocked', note: hostile, asked, next: null })),
    },
    viewer,
  );
  const board = ladderBoardView(
    {
      group: { ...group, id: 1 } as never,
      settings: { afterNudges: 3, afterLateDays: 5, sponsorAfterDays: 10, custom: false },
      items: items.map((item) => ({
        item,
        step: 'owner',
        asked,
        waiting: [{ step: 'facilitators', name: hostile }],
        state: { kind: 'climbing', due: [], next: { step: 'facilitators', on: '2026-12-01' } },
      })),
      unreachable: [{ kind: 'executive_sponsor', name: hostile }],
    },
    viewer,
  );
  return [step, board];
}
