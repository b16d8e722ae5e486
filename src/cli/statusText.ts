import {
  formatAge,
  formatCoverage,
  formatDaysLate,
  formatDaysLeft,
  formatLifecycle,
  formatPercent,
  forecastWords,
  healthWords,
  progressBar,
  truncate,
} from '../format.js';
import type { Forecast } from '../services/forecast.js';
import type { GroupSummary } from '../services/groupList.js';
import type { StatusCriterion, StatusItem, StatusReport } from '../services/status.js';

const BAR = 20;

function criterionLines(criteria: StatusCriterion[], width: number, prefix = '', depth = 0): string[] {
  return criteria.flatMap((c, i) => {
    const path = prefix ? `${prefix}.${i + 1}` : `${i + 1}`;
    const source = c.source ? `  [${sourceText(c)}]` : '  [no figure yet]';
    const health = c.health ? `  {${healthWords(c.health)}}` : '';
    const notes = `${c.owner ? `  (${c.owner})` : ''}${health}${c.flag ? `  ! ${c.flag}` : ''}`;
    const head = `  ${`${'  '.repeat(depth)}${path}`.padEnd(8)} ${progressBar(c.percent, BAR)} ${formatPercent(c.percent).padStart(6)}  `;
    const room = Math.max(20, width - head.length - source.length);
    return [
      `${head}${truncate(c.title, room)}${source}${notes}`,
      ...criterionLines(c.children, width, path, depth + 1),
    ];
  });
}

/** 'gitlab: Key result A, 2026-11-30 09:15Z' for a GitLab figure whose origin is known; else the source. */
function sourceText(c: StatusCriterion): string {
  if (c.source !== 'gitlab' || !c.gitlabFrom) return c.source ?? '';
  const at = `${c.gitlabFrom.syncedAt.slice(0, 16).replace('T', ' ')}Z`;
  return c.fromOkr ? `gitlab key result, ${at}` : `gitlab: ${c.gitlabFrom.name}, ${at}`;
}

function itemLine(item: StatusItem, width: number): string {
  const box = item.state === 'done' ? '[x]' : item.overdue ? '[!]' : '[ ]';
  const sprint = (item.sprint ?? '').padEnd(10);
  const extras = [
    item.owner ? `(${item.owner})` : '(no owner)',
    item.story,
    item.dueDate ? `due ${item.dueDate}` : null,
    item.overdue && item.daysLate ? formatDaysLate(item.daysLate) : null,
    item.confidential ? 'confidential' : null,
    item.health && item.state === 'open' ? `{${healthWords(item.health)}}` : null,
  ]
    .filter(Boolean)
    .join(' ');
  const head = `  ${box} ${sprint} `;
  return `${head}${truncate(item.title, Math.max(20, width - head.length - extras.length - 1))} ${extras}`;
}

/** 'target 2026-12-01 (12 days left)' while active; 'Ended on 2024-03-01' or 'Paused (target …)' otherwise. */
function timeFact(report: StatusReport): string {
  const target = report.targetEndDate ? `target ${report.targetEndDate}` : 'no target date';
  if (report.lifecycle === 'ended') return formatLifecycle(report.lifecycle, report.endedOn)!;
  if (report.lifecycle === 'paused') return `Paused (${target})`;
  return report.targetEndDate ? `${target} (${formatDaysLeft(report.daysLeft)})` : target;
}

/** 'Overall  ████…░░ 62%  (4 of 6 criteria measured)', or a line saying there is no figure yet. */
function overallText(report: StatusReport): string {
  if (report.overall === null) {
    return report.coverage.total === 0
      ? 'Overall  — (no exit criteria yet)'
      : `Overall  — no figure yet: no exit criterion has a figure yet (0 of ${report.coverage.total} measured)`;
  }
  const partial =
    report.coverage.measured < report.coverage.total ? `  (${formatCoverage(report.coverage)})` : '';
  return `Overall  ${progressBar(report.overall, BAR)} ${formatPercent(report.overall)}${partial}`;
}

/** 'Forecast  On track — 100% around 2027-01-03 at +5.5 points a week (last 4 weeks) · target 2027-01-31'. */
function forecastText(forecast: Forecast | null, target: string | null): string | null {
  if (!forecast) return null;
  const { label, detail } = forecastWords(forecast, target, (iso) => iso);
  return `Forecast ${label}${detail ? ` — ${detail}` : ''}`;
}

/** The human form of `wgbot status`: fits an 80–120 column terminal, no colour needed to read it. */
export function renderStatusText(report: StatusReport, now: Date, width: number = 100): string {
  const lines: string[] = [];
  lines.push(`${report.name}  (${report.slug})`);
  const facts = [
    timeFact(report),
    report.channel ?? 'no Slack channel',
    report.syncedAt ? `synced ${formatAge(report.syncedAt, now)}` : 'never synced from GitLab',
  ];
  lines.push(facts.join(' · '));
  if (report.syncError)
    lines.push(`! last sync failed ${formatAge(report.syncError.at, now)}: ${report.syncError.message}`);
  if (report.links.length > 0) {
    lines.push('', `GitLab links (${report.links.length})`);
    for (const link of report.links) {
      const state = link.error
        ? `! failed ${formatAge(link.error.at, now)}: ${link.error.message}${link.lastOkAt ? ` (items from ${formatAge(link.lastOkAt, now)})` : ''}`
        : link.lastOkAt
          ? `ok, synced ${formatAge(link.lastOkAt, now)}`
          : 'not synced yet';
      lines.push(`  ${link.url}`, `      ${state}`);
    }
  }
  lines.push('');
  const forecast = forecastText(report.forecast, report.targetEndDate);
  if (forecast) lines.push(forecast);
  lines.push(overallText(report));
  if (report.outcome) lines.push(`Outcome: ${truncate(report.outcome, width - 9)}`);
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

/** `wgbot list`: one line per group; `hidden` ended groups are mentioned, not listed. */
export function renderListText(reports: GroupSummary[], hidden = 0): string {
  const hint =
    hidden > 0
      ? `${hidden} ended group${hidden === 1 ? '' : 's'} not shown: 'wgbot list --all' lists ${hidden === 1 ? 'it' : 'them'} too.\n`
      : '';
  if (reports.length === 0)
    return hint || "No working groups yet. Import one with 'wgbot import <page.md>'.\n";
  const slugWidth = Math.max(4, ...reports.map((r) => r.slug.length)) + 2;
  const rows = reports.map((r) => {
    const time =
      r.lifecycle === 'active' ? formatDaysLeft(r.daysLeft) : formatLifecycle(r.lifecycle, r.endedOn)!;
    const measured =
      r.coverage.measured < r.coverage.total ? `${r.coverage.measured}/${r.coverage.total}` : '';
    const verdict = r.forecast?.verdict ?? '—';
    return `${r.slug.padEnd(slugWidth)}${r.lifecycle.padEnd(8)}${formatPercent(r.overall).padStart(6)} ${measured.padEnd(6)}${progressBar(r.overall, 10)}  ${(r.targetEndDate ?? '—').padEnd(10)}  ${time.padEnd(20)}  ${verdict.padEnd(18)}  ${String(r.counts.open).padStart(4)} open ${String(r.counts.overdue).padStart(3)} overdue  ${r.name}`;
  });
  const header = `${'SLUG'.padEnd(slugWidth)}${'STATE'.padEnd(8)}${'DONE'.padStart(6)} ${'MEAS'.padEnd(6)}${''.padEnd(10)}  ${'TARGET'.padEnd(10)}  ${''.padEnd(20)}  ${'FORECAST'.padEnd(18)}  ITEMS`;
  return `${[header, ...rows].join('\n')}\n${hint}`;
}
