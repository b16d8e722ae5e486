import { timingSentence } from '../../domain/exitTiming.js';
import { formatOverall, formatPercent, plural } from '../../format.js';
import type { ExitReport } from '../../services/exitReport.js';
import { type Block, context, fitBlocks, header, lineSections, section } from './blocks.js';
import { esc, link } from './mrkdwn.js';
import type { MessageView } from './status.js';

const MAX_ITEMS = 25;
const MAX_PEOPLE = 20;

const HEADLINE = {
  complete: 'reached 100 %',
  ended: 'has ended',
  open: 'so far',
} as const;

/** The closing summary posted once to a group's channel: criteria with dates, items, people, timing. */
export function exitReportView(report: ExitReport): MessageView {
  const headline = HEADLINE[report.reason ?? 'open'];
  const criteria = report.criteria.map(
    (c) =>
      `${c.percent !== null && c.percent >= 100 ? ':white_check_mark:' : ':white_circle:'} ${c.path}. ${esc(c.title)} — ${formatPercent(c.percent)}${c.reachedOn ? `, done ${c.reachedOn}` : ''}`,
  );
  // A channel is no place for a confidential item's title or link: they are counted, not named.
  const hidden = report.closedItems.filter((i) => i.confidential).length;
  const items = report.closedItems
    .filter((i) => !i.confidential)
    .map(
      (i) =>
        `• ${i.url ? link(i.url, i.title) : esc(i.title)}${i.owners.length > 0 ? ` — ${esc(i.owners.join(', '))}` : ''}${i.closedOn ? ` (${i.closedOn})` : ''}`,
    );
  if (hidden > 0) items.push(`:lock: ${plural(hidden, 'confidential item', 'confidential items')}`);
  const people = report.people.map((p) => `• ${esc(p.name)}: ${plural(p.closed, 'item', 'items')} closed`);
  const blocks: Block[] = [
    header(`${report.group.name} ${headline}`),
    section(`*${esc(timingSentence(report.timing))}*`),
    ...lineSections(
      `*Exit criteria* (${formatOverall(report.overall, report.coverage)})`,
      criteria,
      30,
      (n) => `…and ${n} more`,
    ),
    ...lineSections(
      `*${plural(report.closedItems.length, 'item', 'items')} closed*${report.openItems > 0 ? `, ${report.openItems} left open` : ''}`,
      items,
      MAX_ITEMS,
      (n) => `…and ${n} more`,
    ),
    ...(people.length > 0 ? lineSections('*Who did what*', people, MAX_PEOPLE, (n) => `…and ${n} more`) : []),
    context(`\`wgbot report ${esc(report.group.slug)} --md\` gives this as markdown for the handbook page.`),
  ];
  return {
    text: `${report.group.name} ${headline}: exit report`,
    blocks: fitBlocks(blocks, 50, (n) => context(`${n} more blocks left out`)),
  };
}
