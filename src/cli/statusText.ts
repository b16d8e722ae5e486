import { formatAge, formatDaysLeft, formatPercent, progressBar, truncate } from '../format.js';
import type { StatusCriterion, StatusItem, StatusReport } from '../services/status.js';

const BAR = 20;

function criterionLines(criteria: StatusCriterion[], width: number, prefix = '', depth = 0): string[] {
  return criteria.flatMap((c, i) => {
    const path = prefix ? `${prefix}.${i + 1}` : `${i + 1}`;
    const source = c.source ? `  [${c.source}]` : '';
    const head = `  ${`${'  '.repeat(depth)}${path}`.padEnd(8)} ${progressBar(c.percent, BAR)} ${formatPercent(c.percent).padStart(6)}  `;
    const room = Math.max(20, width - head.length - source.length);
    return [
      `${head}${truncate(c.title, room)}${source}`,
      ...criterionLines(c.children, width, path, depth + 1),
    ];
  });
}

function itemLine(item: StatusItem, width: number): string {
  const box = item.state === 'done' ? '[x]' : item.overdue ? '[!]' : '[ ]';
  const sprint = (item.sprint ?? '').padEnd(10);
  const extras = [
    item.owner ? `(${item.owner})` : '(no owner)',
    item.story,
    item.dueDate ? `due ${item.dueDate}` : null,
    item.confidential ? 'confidential' : null,
  ]
    .filter(Boolean)
    .join(' ');
  const head = `  ${box} ${sprint} `;
  return `${head}${truncate(item.title, Math.max(20, width - head.length - extras.length - 1))} ${extras}`;
}

/** The human form of `wgbot status`: fits an 80–120 column terminal, no colour needed to read it. */
export function renderStatusText(report: StatusReport, now: Date, width: number = 100): string {
  const lines: string[] = [];
  lines.push(`${report.name}  (${report.slug})`);
  const facts = [
    report.targetEndDate
      ? `target ${report.targetEndDate} (${formatDaysLeft(report.daysLeft)})`
      : 'no target date',
    report.channel ?? 'no Slack channel',
    report.syncedAt ? `synced ${formatAge(report.syncedAt, now)}` : 'never synced from GitLab',
  ];
  lines.push(facts.join(' · '));
  if (report.syncError)
    lines.push(`! last sync failed ${formatAge(report.syncError.at, now)}: ${report.syncError.message}`);
  lines.push('');
  lines.push(`Overall  ${progressBar(report.overall, BAR)} ${formatPercent(report.overall)}`);
  lines.push('');
  lines.push(`Exit criteria (${report.criteria.length})`);
  lines.push(...(report.criteria.length > 0 ? criterionLines(report.criteria, width) : ['  none yet']));

  if (report.roles.length > 0) {
    lines.push('', `Roles (${report.roles.length})`);
    const roleWidth = Math.min(24, Math.max(...report.roles.map((r) => r.role.length)) + 2);
    const nameWidth = Math.min(26, Math.max(...report.roles.map((r) => r.name.length)) + 2);
    for (const r of report.roles) {
      lines.push(
        `  ${r.role.padEnd(roleWidth)}${r.name.padEnd(nameWidth)}${truncate(r.title ?? '', width - roleWidth - nameWidth - 2)}`.trimEnd(),
      );
    }
  }

  const { open, done, overdue } = report.counts;
  lines.push('', `Action items (${open} open, ${done} done, ${overdue} overdue)`);
  if (report.currentSprint) {
    const s = report.currentSprint;
    lines.push(
      `  current sprint: ${s.title}${s.startDate && s.endDate ? ` (${s.startDate} – ${s.endDate})` : ''}`,
    );
  }
  const openItems = report.items.filter((i) => i.state === 'open');
  const doneItems = report.items.filter((i) => i.state === 'done');
  if (report.items.length === 0) lines.push('  none yet');
  for (const item of [
    ...openItems.filter((i) => i.overdue),
    ...openItems.filter((i) => !i.overdue),
    ...doneItems,
  ]) {
    lines.push(itemLine(item, width));
  }
  return `${lines.join('\n')}\n`;
}

/** `wgbot list`: one line per group. */
export function renderListText(reports: StatusReport[]): string {
  if (reports.length === 0) return "No working groups yet. Import one with 'wgbot import <page.md>'.\n";
  const slugWidth = Math.max(4, ...reports.map((r) => r.slug.length)) + 2;
  const rows = reports.map(
    (r) =>
      `${r.slug.padEnd(slugWidth)}${formatPercent(r.overall).padStart(6)}  ${progressBar(r.overall, 10)}  ${(r.targetEndDate ?? '—').padEnd(10)}  ${formatDaysLeft(r.daysLeft).padEnd(20)}  ${String(r.counts.open).padStart(4)} open ${String(r.counts.overdue).padStart(3)} overdue  ${r.name}`,
  );
  const header = `${'SLUG'.padEnd(slugWidth)}${'DONE'.padStart(6)}  ${''.padEnd(10)}  ${'TARGET'.padEnd(10)}  ${''.padEnd(20)}  ITEMS`;
  return `${[header, ...rows].join('\n')}\n`;
}
