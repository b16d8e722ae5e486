import { timingSentence } from '../domain/exitTiming.js';
import { formatOverall, formatPercent } from '../format.js';
import type { ExitReport } from '../services/exitReport.js';

const HEADLINE = { complete: 'Reached 100 %', ended: 'Ended', open: 'In progress' } as const;

/** Text safe in markdown prose and table cells: no HTML, no table breaks, no emphasis started by accident. */
function md(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/([\\`*_[\]<>|#])/g, '\\$1')
    .trim();
}

/**
 * The exit report as markdown to paste into the handbook page under its own heading: the same facts as the
 * Slack post (src/slack/views/exitReport.ts), in the page's own forms (a criteria table, lists). Pure.
 */
export function exitReportMarkdown(
  report: ExitReport,
  options: { includeConfidential?: boolean } = {},
): string {
  // The page is public: confidential items are counted, not named, unless the operator asks for them.
  const shown = options.includeConfidential
    ? report.closedItems
    : report.closedItems.filter((i) => !i.confidential);
  const hidden = report.closedItems.length - shown.length;
  const lines = [
    `## Exit report`,
    '',
    `**${HEADLINE[report.reason ?? 'open']}.** ${md(timingSentence(report.timing))}`,
    '',
    '### Exit criteria',
    '',
    `${formatOverall(report.overall, report.coverage)}.`,
    '',
    '| # | Criterion | Progress | Done on |',
    '| --- | --- | --- | --- |',
    ...report.criteria.map(
      (c) => `| ${c.path} | ${md(c.title)} | ${formatPercent(c.percent)} | ${c.reachedOn ?? '—'} |`,
    ),
    '',
    `### Items closed (${report.closedItems.length}${report.openItems > 0 ? `; ${report.openItems} left open` : ''})`,
    '',
    ...(report.closedItems.length > 0
      ? shown.map((i) => {
          const title = i.url ? `[${md(i.title)}](${i.url})` : md(i.title);
          const who = i.owners.length > 0 ? ` — ${md(i.owners.join(', '))}` : '';
          return `- ${title}${who}${i.closedOn ? ` (${i.closedOn})` : ''}`;
        })
      : ['- none']),
    ...(hidden > 0 ? [`- ${hidden} confidential ${hidden === 1 ? 'item' : 'items'}`] : []),
    '',
    '### Who did what',
    '',
    ...(report.people.length > 0
      ? report.people.map((p) => `- ${md(p.name)}: ${p.closed} ${p.closed === 1 ? 'item' : 'items'} closed`)
      : ['- no closed item has an owner']),
    '',
  ];
  return lines.join('\n');
}

/** The report with confidential closed items' titles and links taken out (they stay counted, with owners). */
export function withoutConfidentialDetails(report: ExitReport): ExitReport {
  return {
    ...report,
    closedItems: report.closedItems.map((i) =>
      i.confidential ? { ...i, title: 'confidential item', url: null } : i,
    ),
  };
}

/** The exit report as plain lines for a terminal. */
export function exitReportText(report: ExitReport): string {
  const state = { complete: 'reached 100 %', ended: 'ended', open: 'in progress' }[report.reason ?? 'open'];
  return [
    `${report.group.name} (${report.group.slug}): ${state}. ${timingSentence(report.timing)}`,
    'Exit criteria:',
    ...report.criteria.map(
      (c) =>
        `  ${c.path}. ${c.title} — ${formatPercent(c.percent)}${c.reachedOn ? `, done ${c.reachedOn}` : ''}`,
    ),
    `Items closed: ${report.closedItems.length}${report.openItems > 0 ? ` (${report.openItems} left open)` : ''}`,
    ...report.people.map((p) => `  ${p.name}: ${p.closed}`),
    '',
  ].join('\n');
}
