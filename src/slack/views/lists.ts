import { formatDaysLeft, formatOverall } from '../../format.js';
import type { StatusItem, StatusReport } from '../../services/status.js';
import { type Block, context, fitBlocks, header, LIMITS, lineSections, section } from './blocks.js';
import {
  criterionLines,
  groupFigure,
  itemLines,
  longDate,
  overallLine,
  timeLine,
  type Viewer,
} from './common.js';
import { esc } from './mrkdwn.js';
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
  const lines = criterionLines(report.criteria);
  const blocks: Block[] = [
    section(`*${esc(report.name)} — exit criteria* · ${overallLine(report).replace('*Overall*', 'overall')}`),
    ...syncWarning(report, viewer),
    ...(lines.length === 0
      ? [section('_No exit criteria yet: import the handbook page with `wgbot import <page.md>`._')]
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

/** `/wg list`: every group shown, its overall figure and time to target; `hidden` ended groups are counted. */
export function groupListView(reports: StatusReport[], hidden = 0): MessageView {
  const endedHint =
    hidden > 0
      ? `${hidden} ended group${hidden === 1 ? ' is' : 's are'} not listed (\`wgbot list --all\` shows ${hidden === 1 ? 'it' : 'them'}; \`/wg status <slug>\` still answers).`
      : '';
  if (reports.length === 0) {
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
  const lines = reports.map((r) => {
    const target =
      r.lifecycle !== 'active'
        ? timeLine(r)
        : r.targetEndDate
          ? `${longDate(r.targetEndDate)} · ${formatDaysLeft(r.daysLeft)}`
          : 'no target date';
    const overdue = r.counts.overdue > 0 ? ` · :red_circle: ${r.counts.overdue} overdue` : '';
    return `${groupFigure(r)}  *${esc(r.name)}* \`${r.slug}\` — ${target}${overdue}`;
  });
  return {
    text: `${reports.length} working groups`,
    blocks: fitBlocks(
      [
        header('Working groups'),
        ...lineSections('', lines, 150, (n) => `…and ${n} more`),
        context(['`/wg status <slug>` for one group', endedHint].filter(Boolean).join(' · ')),
      ],
      LIMITS.messageBlocks,
      () => context('…and more: `wgbot list` shows them all'),
    ),
  };
}
