import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { allGroups, type GroupSummary, groupPage } from '../../src/services/groupList.js';
import { type StatusItem, type StatusReport, StatusService } from '../../src/services/status.js';
import { LIMITS } from '../../src/slack/views/blocks.js';
import type { Viewer } from '../../src/slack/views/common.js';
import { createGroupModal } from '../../src/slack/views/createModal.js';
import { SUBCOMMANDS } from '../../src/slack/commands/registry.js';
import { helpView, refusedView, usageErrorView, whichGroupView } from '../../src/slack/views/feedback.js';
import { homeView, statusModal } from '../../src/slack/views/home.js';
import { criteriaView, groupListView, itemsView } from '../../src/slack/views/lists.js';
import { esc, link, mention, truncate, truncateMrkdwn } from '../../src/slack/views/mrkdwn.js';
import { statusView } from '../../src/slack/views/status.js';
import type { Store } from '../../src/store/store.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

const clock = new ManualClock('2026-11-23T09:00:00Z');
let store: Store;
let cleanup: () => void;
let report: StatusReport;
let summary: GroupSummary;

const privateViewer: Viewer = {
  slackUserId: 'U0THOR',
  timeZone: 'Europe/Berlin',
  now: clock.now(),
  audience: 'private',
};
const channelViewer: Viewer = { ...privateViewer, slackUserId: null, audience: 'channel' };

beforeAll(() => {
  ({ store, cleanup } = tempStore(() => clock.now()));
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed(), { channel: 'C0WG' });
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  const group = store.groups.getBySlug('improve-ops-quality')!;
  store.transaction(() => {
    store.groups.update(
      group.id,
      { name: group.name, cadence: { lengthDays: 14, anchorNumber: 21, anchorDate: '2026-11-16' } },
      clock.now(),
    );
    const thor = store.people.findByName('Thor')!;
    store.people.linkSlackUser(thor.id, 'U0THOR', 'Europe/Oslo', clock.now());
    store.syncState.recordSuccess(group.id, new Date('2026-11-23T08:56:00Z'), {});
  });
  report = new StatusService(store, () => clock.now()).status('improve-ops-quality');
  summary = allGroups(store, clock.now())[0]!;
});
afterAll(() => cleanup());

/** Every Block Kit payload must stay inside Slack's limits. */
function checkLimits(blocks: { type: string; text?: { text: string }; elements?: unknown[] }[], max: number) {
  expect(blocks.length).toBeLessThanOrEqual(max);
  for (const b of blocks) {
    if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    if (b.type === 'context') expect(b.elements!.length).toBeLessThanOrEqual(LIMITS.contextElements);
  }
}

describe('views (snapshots)', () => {
  it('status, private', () => {
    const view = statusView(report, privateViewer);
    checkLimits(view.blocks as never, LIMITS.messageBlocks);
    expect(view).toMatchSnapshot();
  });

  it('status, shared in the channel', () => {
    expect(statusView(report, channelViewer)).toMatchSnapshot();
  });

  it('criteria', () => {
    expect(criteriaView(report, privateViewer)).toMatchSnapshot();
  });

  it('overdue items', () => {
    expect(
      itemsView(
        report,
        'overdue items',
        report.items.filter((i) => i.overdue),
        privateViewer,
        'none',
      ),
    ).toMatchSnapshot();
  });

  it('group list', () => {
    expect(groupListView(groupPage(store, clock.now(), 1))).toMatchSnapshot();
  });

  it('help, usage error, refusal, which group', () => {
    expect(helpView(SUBCOMMANDS)).toMatchSnapshot();
    expect(usageErrorView('`stauts` is not a `/wg` command.', '/wg status')).toMatchSnapshot();
    expect(
      refusedView('change roles of Improve Ops Quality', [
        { slackUserId: 'U0JOANNA', name: 'Joanna Shih' },
        { slackUserId: null, name: 'Pat <!channel> & Co' },
      ]),
    ).toMatchSnapshot();
    expect(
      refusedView('mark this item done', [{ slackUserId: 'U0JOANNA', name: 'Joanna Shih' }], ['Thor']),
    ).toMatchSnapshot();
    expect(usageErrorView('`a`<!here>` is not a working-group slug.', null).blocks).toEqual([
      expect.objectContaining({
        text: expect.objectContaining({ text: expect.stringContaining('`a`&lt;!here&gt;`') }),
      }),
    ]);
    expect(whichGroupView(['devops-cicd', 'improve-ops-quality'])).toMatchSnapshot();
  });

  it('App Home and the status modal', () => {
    const items = report.items
      .filter((i) => i.owners.includes('Thor'))
      .map((item) => ({ group: { slug: report.slug, name: report.name }, item }));
    const home = homeView(items, [summary], privateViewer);
    checkLimits(home.blocks as never, LIMITS.surfaceBlocks);
    expect(home).toMatchSnapshot();
    expect(statusModal(report, privateViewer)).toMatchSnapshot();
  });

  it('create form', () => {
    expect(createGroupModal({ channelId: 'C0WG', userId: 'U0ADA' })).toMatchSnapshot();
  });
});

describe('views never let GitLab text act on Slack', () => {
  const hostile = '<!channel> ship it <@U0BOSS> & <https://evil.example|click> @here';

  it('escapes mentions, broadcasts and links in titles', () => {
    expect(esc(hostile)).toBe(
      '&lt;!channel&gt; ship it &lt;@U0BOSS&gt; &amp; &lt;https://evil.example|click&gt; @\u2060here',
    );
    expect(link('https://gitlab.example.com/x', 'a|b>c')).toBe('<https://gitlab.example.com/x|a│b&gt;c>');
    expect(link('javascript:alert(1)', 'x')).toBe('x');
    expect(link('/handbook/relative', 'x')).toBe('x');
    expect(mention('U0ADA', 'Ada')).toBe('<@U0ADA>');
    expect(mention(null, '<!here>')).toBe('&lt;!here&gt;');
  });

  it('escapes them in every message view', () => {
    const evil: StatusReport = {
      ...report,
      name: hostile,
      criteria: [
        {
          title: hostile,
          percent: 10,
          source: 'manual',
          children: [],
          url: null,
          owner: hostile,
          flag: null,
        },
      ],
      items: report.items.map((i) => ({
        ...i,
        title: hostile,
        owners: ['<!everyone>'],
        ownerSlackUserIds: [null],
      })),
    };
    const payloads = [
      statusView(evil, channelViewer),
      criteriaView(evil, channelViewer),
      itemsView(evil, 'all', evil.items, channelViewer, 'none'),
      groupListView({ groups: [{ ...summary, name: hostile }], page: 1, pages: 1, pageSize: 40, total: 1 }),
    ];
    // mrkdwn is parsed for mentions and links: the fallback `text` and every mrkdwn field must be escaped.
    // (plain_text — headers, buttons — is never parsed, so it may show the characters as they are.)
    const mrkdwn = (value: unknown): string[] => {
      if (Array.isArray(value)) return value.flatMap(mrkdwn);
      if (value && typeof value === 'object') {
        const o = value as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') return [o.text];
        return Object.values(o).flatMap(mrkdwn);
      }
      return [];
    };
    for (const payload of payloads) {
      for (const text of [payload.text, ...mrkdwn(payload.blocks)]) {
        expect(text).not.toMatch(/<!channel>|<!everyone>|<!here>|<@U0BOSS>|<https:\/\/evil/);
      }
    }
  });
});

describe('confidential items', () => {
  const secret = (over: Partial<StatusItem>): StatusItem => ({
    ...report.items[0]!,
    title: 'CVE-2026-1234 fix',
    confidential: true,
    overdue: true,
    owners: ['Thor'],
    ownerSlackUserIds: ['U0THOR'],
    ...over,
  });

  it('are never shown with their title in a channel, only counted', () => {
    const evilReport = { ...report, items: [...report.items, secret({}), secret({ id: 999 })] };
    for (const view of [
      statusView(evilReport, channelViewer),
      itemsView(evilReport, 'all', evilReport.items, channelViewer, ''),
    ]) {
      const json = JSON.stringify(view);
      expect(json).not.toContain('CVE-2026-1234');
      expect(json).toContain('2 confidential items');
    }
  });

  it('are shown privately to their owner, and to nobody else', () => {
    const evilReport = { ...report, items: [secret({})] };
    expect(JSON.stringify(itemsView(evilReport, 'mine', evilReport.items, privateViewer, ''))).toContain(
      'CVE-2026-1234',
    );
    const someoneElse = { ...privateViewer, slackUserId: 'U0ADA' };
    expect(JSON.stringify(itemsView(evilReport, 'all', evilReport.items, someoneElse, ''))).not.toContain(
      'CVE-2026-1234',
    );
  });
});

describe('items in GitLab the reader cannot read', () => {
  it('never show their titles to that reader, in any private view: a stand-in, or a count in lists', () => {
    const [first, ...rest] = report.items;
    const hidden = { ...privateViewer, unreadable: new Set([first!.id]) };
    const views = [
      statusView(report, hidden),
      itemsView(report, 'all', report.items, hidden, ''),
      homeView([{ group: { slug: report.slug, name: report.name }, item: first! }], [], hidden),
    ];
    for (const view of views) expect(JSON.stringify(view)).not.toContain(esc(first!.title));
    expect(JSON.stringify(views[1])).toContain('an item you cannot see in GitLab');
    expect(JSON.stringify(views[2])).toContain('an item you cannot see in GitLab');
    // Everything else is drawn as before.
    expect(JSON.stringify(views[1])).toContain(esc(rest[0]!.title));
  });
});

describe('views stay within Slack limits for a big group', () => {
  it('40 criteria and 500 items fit one message, long lists cut with "and N more"', () => {
    const big: StatusReport = {
      ...report,
      criteria: Array.from({ length: 40 }, (_, i) => ({
        title: `Criterion ${i + 1} ${'with a rather long description '.repeat(4)}`,
        percent: i * 2,
        source: 'gitlab' as const,
        url: `https://gitlab.example.com/g/p/-/issues/${i}`,
        owner: null,
        flag: null,
        children: [],
      })),
      items: Array.from({ length: 500 }, (_, i) => ({
        ...report.items[0]!,
        id: i + 1,
        title: `Item ${i + 1} ${'x'.repeat(80)}`,
        sprint: 'Sprint 21',
        overdue: i % 3 === 0,
      })),
    };
    big.currentSprint = { title: 'Sprint 21', number: 21, startDate: '2026-11-16', endDate: '2026-11-29' };
    for (const view of [
      statusView(big, privateViewer),
      itemsView(big, 'all', big.items, privateViewer, ''),
    ]) {
      checkLimits(view.blocks as never, LIMITS.messageBlocks);
      expect(JSON.stringify(view.blocks)).toMatch(/and \d+ more/);
    }
    const criteria = criteriaView(big, privateViewer);
    checkLimits(criteria.blocks as never, LIMITS.messageBlocks);
    expect(JSON.stringify(criteria.blocks)).toContain('40. ');
    const home = homeView(
      big.items.map((item) => ({
        group: { slug: big.slug, name: big.name },
        item: { ...item, ownerSlackUserIds: ['U0THOR'] },
      })),
      [summary],
      privateViewer,
    );
    checkLimits(home.blocks as never, LIMITS.surfaceBlocks);
    // Items past those with buttons are listed, then counted: none vanish without a word.
    expect(JSON.stringify(home.blocks)).toMatch(/…and \d+ more: `\/wg items mine`/);
  });

  it('cuts long text where Slack can still read it, and lists many roles with "and N more"', () => {
    expect(truncate(`${'a'.repeat(148)}😀b`, 150)).toBe(`${'a'.repeat(148)}…`);
    const links = Array.from({ length: 60 }, (_, i) =>
      link(`https://gitlab.example.com/g/p/-/issues/${i}`, `Issue & ${i}`),
    );
    const cut = truncateMrkdwn(links.join(' '), 3_000);
    expect(cut.length).toBeLessThanOrEqual(3_000);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.lastIndexOf('<')).toBeLessThan(cut.lastIndexOf('>'));
    expect(truncateMrkdwn(`${'a'.repeat(2_997)} &amp; b`, 3_000)).toBe(`${'a'.repeat(2_997)}…`);

    const many: StatusReport = {
      ...report,
      roles: Array.from({ length: 40 }, (_, i) => ({
        ...report.roles[0]!,
        role: `DRI for workstream ${i + 1} ${'with a long label '.repeat(3)}`,
        name: `Person ${i + 1}`,
        slackUserId: `U0PERSON${i}`,
      })),
    };
    const view = statusView(many, privateViewer);
    checkLimits(view.blocks as never, LIMITS.messageBlocks);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('DRI for workstream 20 ');
    expect(text).toContain('…and 20 more roles: `/wg role list`');
  });
});

describe('digest and nudge views (snapshots)', () => {
  it('weekly digest, first and later', async () => {
    const { digestData } = await import('../../src/services/digestData.js');
    const { digestView } = await import('../../src/slack/views/digest.js');
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const first = digestView(digestData(store, group, clock.now()), channelViewer, {
      marker: 'm1',
      metrics: null,
    });
    expect(first.main.blocks[0]).toMatchObject({ type: 'header', block_id: 'wgbot-digest|m1' });
    expect(JSON.stringify(first.main.blocks)).toContain('*First digest:*');
    checkLimits(first.main.blocks as never, LIMITS.messageBlocks);
    expect(first).toMatchSnapshot();
  });

  it('puts what slipped from a big sprint in the thread, with a count in the post', async () => {
    const { digestData } = await import('../../src/services/digestData.js');
    const { digestView } = await import('../../src/slack/views/digest.js');
    const data = digestData(store, store.groups.getBySlug('improve-ops-quality')!, clock.now());
    const slipped = Array.from({ length: 30 }, (_, i) => ({
      ...report.items[0]!,
      id: 1000 + i,
      title: `Slipped item ${i + 1}`,
    }));
    data.rollovers = [{ sprint: 'Sprint 20', endDate: '2026-11-15', movedOn: [], stillOpen: slipped }];
    const view = digestView(data, channelViewer, { marker: 'm2', metrics: null });
    const main = JSON.stringify(view.main.blocks);
    expect(main).toContain('…and 22 more from Sprint 20 in the thread');
    expect(main).not.toContain('Slipped item 30');
    expect(JSON.stringify(view.thread!.blocks)).toContain('Slipped item 30');
  });

  it('a later digest: forecast and what changed on top, Slack’s chart, days late, counts, other years', async () => {
    const { digestData } = await import('../../src/services/digestData.js');
    const { digestView, draftView } = await import('../../src/slack/views/digest.js');
    const data = digestData(store, store.groups.getBySlug('improve-ops-quality')!, clock.now());
    const base = report.items[0]!;
    const sprint = { title: 'Sprint 21', number: 21, startDate: '2026-11-16', endDate: '2026-11-29' };
    const item = (id: number, fields: Partial<typeof base>) => ({
      ...base,
      id,
      sprint: sprint.title,
      ...fields,
    });
    const items = [
      item(1, { title: 'Open one', state: 'open', overdue: false, dueDate: null, daysLate: null }),
      item(2, { title: 'Secret', state: 'open', overdue: false, confidential: true, daysLate: null }),
      item(3, { title: 'Done one', state: 'done', overdue: false, daysLate: null }),
      item(4, {
        title: 'Late since last year',
        sprint: null,
        overdue: true,
        dueDate: '2025-12-12',
        daysLate: 346,
      }),
    ];
    data.report = {
      ...data.report,
      targetEndDate: '2027-01-08',
      daysLeft: 46,
      overall: 67.5,
      currentSprint: sprint,
      items,
      forecast: { date: '2027-01-18', pace: 5.5, verdict: 'at risk', basisDays: 28, stalled: false },
    };
    const snap = (key: string, title: string) => ({
      key,
      title,
      state: 'open' as const,
      sprintNumber: 20,
      sprintTitle: 'Sprint 20',
      dueDate: null,
      confidential: false,
    });
    data.previous = {
      snapshot: { ...data.snapshot, takenAt: '2026-11-16T09:00:00Z' },
      postedAt: '2026-11-16T09:00:00Z',
    };
    data.diff = {
      overall: { from: 62, to: 67.5, delta: 5.5 },
      criteria: [],
      closed: [snap('i3', 'Done one')],
      reopened: [],
      added: [snap('i1', 'Open one'), snap('i9', 'Another')],
      removed: [],
      slipped: [{ item: snap('i1', 'Open one'), from: 'Sprint 20', to: 'Sprint 21' }],
    };
    const week = 7 * 86_400_000;
    data.chart.points = [0, 1, 2, 3].map((w) => ({
      at: new Date(clock.now().getTime() - (3 - w) * week),
      overall: 51 + w * 5.5,
      criteria: {},
      items: 10 + w,
      done: 3 + w,
    }));
    data.chart.targetEndDate = '2027-01-08';
    data.chart.startDate = '2026-09-01';
    const view = digestView(data, channelViewer, { marker: 'm3', metrics: null });
    const text = JSON.stringify(view.main.blocks);
    expect(text).toContain(
      ':large_yellow_circle: *At risk* · 100% around Jan 18, 2027 at +5.5 points a week (last 4 weeks) · 10 days after the target (Jan 8, 2027)',
    );
    expect(text).toContain('*Since Nov 16:* overall +5.5 points · 1 item closed · 2 added · 1 slipped');
    expect(text).toContain('2 open · 1 done (1 confidential)');
    expect(text).toContain(':lock: 1 confidential item (open)');
    expect(text).toContain('due Dec 12, 2025 · *346 days late*');
    const chart = view.main.blocks.find((b) => b.type === 'data_visualization');
    expect(chart).toMatchObject({
      type: 'data_visualization',
      block_id: 'wgbot-chart|m3',
      chart: {
        type: 'line',
        axis_config: { categories: ['Nov 2', 'Nov 9', 'Nov 16', 'Nov 23'] },
        series: [{ name: 'Overall %' }, { name: 'Ideal %' }],
      },
    });
    expect(text).toContain('Chart: overall 51% on Nov 2 → 67.5% on Nov 23');
    checkLimits(view.main.blocks as never, LIMITS.messageBlocks);
    expect(view.main).toMatchSnapshot();
    // Without Slack's chart block (refused): the same post, less the chart and its words.
    const plain = draftView(
      { data, viewer: channelViewer, marker: 'm3', metrics: null },
      { nativeChart: false },
    );
    expect(plain.main.blocks).toHaveLength(view.main.blocks.length - 2);
    expect(JSON.stringify(plain.main.blocks)).not.toContain('data_visualization');
  });

  it('nudge DM, escalation and unreachable owners', async () => {
    const { escalationView, nudgeView, unreachableView } = await import('../../src/slack/views/nudge.js');
    const overdue = report.items.filter((i) => i.overdue);
    const nudge = nudgeView(
      overdue.map((item) => ({ group: { slug: report.slug, name: report.name }, item })),
      privateViewer,
    );
    expect(nudge.blocks.filter((b) => b.type === 'actions')).toHaveLength(overdue.length);
    expect(JSON.stringify(nudge.blocks)).toContain('"action_id":"item_due_date"');
    expect(nudge).toMatchSnapshot();
    expect(nudgeView([], privateViewer).text).toBe('All caught up');
    expect(
      escalationView(
        report.name,
        overdue.map((item) => ({ item, reminders: 3 })),
        privateViewer,
      ),
    ).toMatchSnapshot();
    expect(
      unreachableView(report.name, [{ name: 'Gus Host', items: overdue }], privateViewer),
    ).toMatchSnapshot();
  });
});
