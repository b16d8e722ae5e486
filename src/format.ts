import { daysBetween } from './domain/dates.js';
import type { Forecast, Verdict } from './domain/forecast.js';

/** Small text helpers shared by the CLI report, the Slack views and the demo page. */

/** '██████░░░░' for a percentage; unknown progress is all light. */
export function progressBar(percent: number | null, width = 10): string {
  const filled = percent === null ? 0 : Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** '100%', '62.5%', or '—' when nobody knows. */
export function formatPercent(percent: number | null): string {
  return percent === null ? '—' : `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

/** 'just now', '4 min ago', '3 h ago', '2 days ago'. */
export function formatAge(from: string | Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - new Date(from).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** '12 days left', 'due today', '3 days past target'. */
export function formatDaysLeft(daysLeft: number | null): string {
  if (daysLeft === null) return 'no target date';
  if (daysLeft === 0) return 'due today';
  if (daysLeft === 1) return '1 day left';
  if (daysLeft > 0) return `${daysLeft} days left`;
  return daysLeft === -1 ? '1 day past target' : `${-daysLeft} days past target`;
}

/** Cuts text to `max` characters, ending in '…' when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** '4 of 6 criteria measured'. */
export function formatCoverage(coverage: { measured: number; total: number }): string {
  return `${coverage.measured} of ${coverage.total} ${coverage.total === 1 ? 'criterion' : 'criteria'} measured`;
}

/**
 * The overall figure in words for plain text: '62% overall · 4 of 6 criteria measured', or 'no figure yet'
 * when no exit criterion has one (a group nobody measured is not at 0%).
 */
export function formatOverall(overall: number | null, coverage: { measured: number; total: number }): string {
  if (overall === null) return 'no figure yet';
  const partial = coverage.measured < coverage.total ? ` · ${formatCoverage(coverage)}` : '';
  return `${formatPercent(overall)} overall${partial}`;
}

/** 'Ended on 2024-03-01', 'Ended', 'Paused', or null for an active group. */
export function formatLifecycle(
  lifecycle: 'active' | 'paused' | 'ended',
  endedOn: string | null,
): string | null {
  if (lifecycle === 'paused') return 'Paused';
  if (lifecycle === 'ended') return endedOn ? `Ended on ${endedOn}` : 'Ended';
  return null;
}

/** '1 criterion', '3 criteria', '0 items': the count and the word that goes with it. */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A calendar date for people: 'Nov 18', with the year when it is not `today`'s ('Nov 18, 2025'); without
 * `today`, always with the year. The date is the date: no zone is involved.
 */
export function formatDay(iso: string, today?: string): string {
  const day = `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${Number(iso.slice(8, 10))}`;
  return today !== undefined && today.slice(0, 4) === iso.slice(0, 4) ? day : `${day}, ${iso.slice(0, 4)}`;
}

/** '11 days late', '1 day late'. */
export function formatDaysLate(days: number): string {
  return `${plural(days, 'day', 'days')} late`;
}

const VERDICT_LABEL: Record<Verdict, string> = {
  'on track': 'On track',
  'at risk': 'At risk',
  'off track': 'Off track',
  done: 'Done',
  'no target': 'No target date',
  unknown: 'Forecast unknown',
  'not enough history': 'No forecast yet',
};

/** '+4.2 points a week', '−1 point a week', '0 points a week': the same rounding as every percent. */
export function formatPace(pace: number): string {
  const size = formatPercent(Math.abs(pace)).slice(0, -1);
  const sign = pace > 0 ? '+' : pace < 0 ? '−' : '';
  return `${sign}${size} ${Math.abs(pace) === 1 ? 'point' : 'points'} a week`;
}

/** 'last 4 weeks', 'last 10 days'. */
function basisWords(days: number): string {
  return days % 7 === 0 ? `last ${plural(days / 7, 'week', 'weeks')}` : `last ${plural(days, 'day', 'days')}`;
}

/** How far after the target a day is: '10 days', '5 weeks', '7 months'. */
function lateness(days: number): string {
  if (days < 28) return plural(days, 'day', 'days');
  if (days < 120) return plural(Math.round(days / 7), 'week', 'weeks');
  return plural(Math.round(days / 30.4), 'month', 'months');
}

/**
 * The forecast in words, shared by Slack, the CLI, the chart and the demo: `label` ('On track') and
 * `detail` ('100% around Mar 3 at +4.2 points a week (last 4 weeks) · target Mar 31'). `day` formats a
 * date for the reader.
 */
export function forecastWords(
  f: Forecast,
  target: string | null,
  day: (iso: string) => string,
): { label: string; detail: string } {
  const label = VERDICT_LABEL[f.verdict];
  const targetText = target ? `target ${day(target)}` : null;
  const join = (...parts: (string | null)[]) => parts.filter(Boolean).join(' · ');
  if (f.verdict === 'unknown') return { label, detail: 'no exit criterion has a figure yet' };
  if (f.verdict === 'not enough history') return { label, detail: 'less than a week of recorded progress' };
  if (f.verdict === 'done') return { label, detail: f.date ? `100% since ${day(f.date)}` : '100%' };
  if (f.pace === null) return { label, detail: targetText ?? '' };
  if (f.stalled) return { label, detail: join('no progress in the last 3 weeks', targetText) };
  const basis = basisWords(f.basisDays);
  if (f.pace <= 0) return { label, detail: join(`no progress in the ${basis}`, targetText) };
  const pace = `${formatPace(f.pace)} (${basis})`;
  if (!f.date) return { label, detail: join(`at ${pace}, 100% is years away`, targetText) };
  const late = target ? daysBetween(target, f.date) : 0;
  const after = target && late > 0 ? `${lateness(late)} after the target (${day(target)})` : targetText;
  return { label, detail: join(`100% around ${day(f.date)} at ${pace}`, after) };
}

/** GitLab's health status as words: 'on track', 'needs attention', 'at risk'. */
export function healthWords(health: 'on_track' | 'needs_attention' | 'at_risk'): string {
  return { on_track: 'on track', needs_attention: 'needs attention', at_risk: 'at risk' }[health];
}
