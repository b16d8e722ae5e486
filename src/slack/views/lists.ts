import { formatDaysLeft, formatOverall, plural } from '../../format.js';
import type { GroupPage } from '../../services/groupList.js';
import type { StatusItem, StatusReport } from '../../services/status.js';
import { ACTIONS } from './actionIds.js';
import {
  actions,
  type Block,
  button,
  context,
  fitBlocks,
  header,
  LIMITS,
  lineSections,
  section,
} from './blocks.js';
import {
  criterionLines,
  groupFigure,
  itemLines,
  longDate,
  overallLine,
  timeLine,
  verdictBadge,
  type Viewer,
} from './common.js';
import { mrkdwn, esc } from './mrkdwn.js';
import type { MessageView } from './status.js';
import { freshness, syncWarning } from './status.js';

const MAX_LINES = 60;

/** `/wg items …`: one titled list of items. */
export function itemsView(
  report: StatusReport,
  title: string,
  items: StatusItem[],
  viewer: Viewer,
  empty: string,
): MessageView {
  const open = items.filter((i) => i.state === 'open');
  const ordered = [
    ...open.filter((i) => i.overdue),
    ...open.filter((i) => !i.overdue),
    ...items.filter((i) => i.state === 'done'),
  ];
  const blocks: Block[] = [
    section(`*${esc(report.name)} — ${esc(title)}* (${items.length})`),
    ...syncWarning(report, viewer),
    ...(items.length === 0
      ? [section(empty)]
      : lineSections(
          '',
          itemLines(ordered, viewer, { limit: MAX_LINES, more: (n) => `…and ${n} more in GitLab` }),
          MAX_LINES + 2,
          () => '',
        )),
    context(freshness(report, viewer)),
  ];
  return {
    text: `${esc(report.name)} — ${esc(title)}: ${items.length}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…list cut to fit one message')),
  };
}

/** `/wg criteria`: every exit criterion with its figure and where it comes from. */
export function criteriaView(report: StatusReport, viewer: Viewer): MessageView {
  const lines = criterionLines(report.criteria, viewer.now);
  const blocks: Block[] = [
    section(`*${esc(report.name)} — exit criteria* · ${overallLine(report).replace('*Overall*', 'overall')}`),
    ...syncWarning(report, viewer),
    ...(lines.length === 0
      ? [section(mrkdwn`_No exit criteria yet: import the handbook page with \`wgbot import <page.md>\`._`)]
      : lineSections('', lines, 200, (n) => `…and ${n} more`)),
    context(
      'Figures come from a linked GitLab issue or epic first, then the handbook page, then a value set in Slack; a criterion without one rolls up its sub-items.',
      freshness(report, viewer),
    ),
  ];
  return {
    text: `${esc(report.name)}: ${report.criteria.length} exit criteria, ${formatOverall(report.overall, report.coverage)}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…cut to fit one message')),
  };
}

/**
 * `/wg list`: a page of the groups shown, each with its overall figure, time to target and overdue items;
 * `hidden` ended groups are counted, not listed.
 */
export function groupListView(list: GroupPage, hidden = 0): MessageView {
  const endedHint =
    hidden > 0
      ? mrkdwn`${hidden} ended group${hidden === 1 ? mrkdwn` is` : mrkdwn`s are`} not listed (\`wgbot list --all\` shows ${hidden === 1 ? mrkdwn`it` : mrkdwn`them`}; \`/wg status <slug>\` still answers).`
      : '';
  if (list.total === 0) {
    return {
      text: 'No working groups yet',
      blocks: [
        section(
          hidden > 0
            ? 'No active or paused working groups. Start one with `/wg create`.'
            : 'No working groups yet. Start one with `/wg create`, or import a handbook page with `wgbot import`.',
        ),
        ...(endedHint ? [context(endedHint)] : []),
      ],
    };
  }
  const lines = list.groups.map((g) => {
    const target =
      g.lifecycle !== 'active'
        ? timeLine(g)
        : g.targetEndDate
          ? `${longDate(g.targetEndDate)} · ${formatDaysLeft(g.daysLeft)}`
          : 'no target date';
    const overdue = g.counts.overdue > 0 ? ` · :red_circle: ${g.counts.overdue} overdue` : '';
    const verdict = g.forecast ? ` · ${verdictBadge(g.forecast)}` : '';
    return `${groupFigure(g)}  *${esc(g.name)}* \`${g.slug}\` — ${target}${overdue}${verdict}`;
  });
  const first = (list.page - 1) * list.pageSize + 1;
  const range =
    list.pages > 1
      ? `${first}–${first + list.groups.length - 1} of ${count(list.total)} · page ${list.page} of ${list.pages}`
      : `${count(list.total)}`;
  const next = list.page < list.pages ? `\`/wg list ${list.page + 1}\` for the next page` : '';
  const blocks: Block[] = [
    header('Working groups'),
    ...lineSections('', lines, list.pageSize, (n) => `…and ${n} more`),
    context(
      [range, mrkdwn`\`/wg status <slug>\` for one group`, next, endedHint].filter(Boolean).join(' · '),
    ),
  ];
  const turn = [
    ...(list.page > 1 ? [button(ACTIONS.listPrevious, '← Previous', { value: String(list.page - 1) })] : []),
    ...(list.page < list.pages
      ? [button(ACTIONS.listNext, 'Next page →', { value: String(list.page + 1) })]
      : []),
  ];
  if (turn.length > 0) blocks.push(actions('list_pages', turn));
  return {
    text: `Working groups: ${range}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…cut to fit one message')),
  };
}

function count(n: number): string {
  return plural(n, 'group', 'groups');
}
