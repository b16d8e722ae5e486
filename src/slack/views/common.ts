import { localDate } from '../../domain/dates.js';
import {
  formatAge,
  formatCoverage,
  formatDay,
  formatDaysLate,
  formatDaysLeft,
  formatPercent,
  forecastWords,
  healthWords,
  plural,
  progressBar,
} from '../../format.js';
import type { Forecast } from '../../services/forecast.js';
import type { Viewer } from '../../services/ports.js';
import type { StatusCriterion, StatusItem, StatusReport } from '../../services/status.js';
import { esc, link, mention } from './mrkdwn.js';

/** Who is reading: defined beside the services, which say who a message is for. */
export type { Viewer } from '../../services/ports.js';

/** What stands for a title the reader may not see in GitLab. */
export const UNREADABLE_TITLE = '_an item you cannot see in GitLab_';

/** Whether the reader's own GitLab account cannot read where the item lives. */
export function unreadableFor(item: StatusItem, viewer: Viewer): boolean {
  return viewer.unreadable?.has(item.id) === true;
}

/**
 * A confidential item's title is shown only privately and only to one of its owners; no title is shown to
 * a reader whose GitLab account cannot read the item's group or project.
 */
export function canSeeTitle(item: StatusItem, viewer: Viewer): boolean {
  if (unreadableFor(item, viewer)) return false;
  if (!item.confidential) return true;
  return (
    viewer.audience === 'private' &&
    viewer.slackUserId !== null &&
    item.ownerSlackUserIds.includes(viewer.slackUserId)
  );
}

export function bar(percent: number | null): string {
  return `\`${progressBar(percent, 10)}\``;
}

export function percentText(percent: number | null): string {
  return `*${formatPercent(percent)}*`;
}

const SOURCE_LABEL = {
  gitlab: 'GitLab',
  handbook: 'handbook',
  manual: 'set in Slack',
  rollup: 'from sub-items',
} as const;

/**
 * GitLab's health status, when it gives one: an emoji whose shape says it (thumbs up, eyes, siren), so it
 * reads without colour, and the words. Nothing when GitLab gives none: unknown is not "on track".
 */
const HEALTH_EMOJI = {
  on_track: ':thumbsup:',
  needs_attention: ':eyes:',
  at_risk: ':rotating_light:',
} as const;

export function healthNote(health: StatusItem['health']): string {
  return health ? ` · ${HEALTH_EMOJI[health]} _${healthWords(health)}_` : '';
}

/** What follows a criterion's title: its owner, its health in GitLab and, when its figure and its sub-items disagree, a flag. */
export function criterionNotes(c: Pick<StatusCriterion, 'owner' | 'flag' | 'health'>): string {
  return `${c.owner ? ` · ${esc(c.owner)}` : ''}${healthNote(c.health)}${c.flag ? ` :warning: _${esc(c.flag)}_` : ''}`;
}

/** Where a criterion's figure comes from: '(GitLab: Key result A, synced 2 hours ago)', '(handbook)'. */
export function figureSource(c: StatusCriterion, now: Date | null): string {
  if (!c.source) return ' _(no figure yet)_';
  if (c.source !== 'gitlab' || !c.gitlabFrom) return ` _(${SOURCE_LABEL[c.source]})_`;
  const age = now ? `, synced ${formatAge(c.gitlabFrom.syncedAt, now)}` : '';
  // A key result's criterion bears its name already.
  if (c.fromOkr) return ` _(GitLab key result${age})_`;
  return ` _(GitLab: ${esc(c.gitlabFrom.name)}${age})_`;
}

export function criterionLines(
  criteria: StatusCriterion[],
  now: Date | null = null,
  prefix = '',
  depth = 0,
): string[] {
  return criteria.flatMap((c, i) => {
    const path = prefix ? `${prefix}.${i + 1}` : `${i + 1}`;
    const indent = '\u2003'.repeat(depth);
    const line = `${indent}${path}. ${bar(c.percent)} ${percentText(c.percent)}  ${link(c.url, c.title)}${figureSource(c, now)}${criterionNotes(c)}`;
    return [line, ...criterionLines(c.children, now, path, depth + 1)];
  });
}

/**
 * '*Overall* `██████░░░░` *62%* · 4 of 6 criteria measured', or, when no exit criterion has a figure,
 * a line that says so instead of a 0%.
 */
export function overallLine(report: Pick<StatusReport, 'overall' | 'coverage'>): string {
  if (report.overall === null) {
    return report.coverage.total === 0
      ? '*Overall* — no exit criteria yet'
      : `*Overall* — no figure yet: no exit criterion has a figure yet (0 of ${report.coverage.total} measured)`;
  }
  const partial =
    report.coverage.measured < report.coverage.total ? ` · ${formatCoverage(report.coverage)}` : '';
  return `*Overall* ${bar(report.overall)} ${percentText(report.overall)}${partial}`;
}

/** A group's figure in a list line: '`██████░░░░` *62%* (4/6)' — the share measured when not all are. */
export function groupFigure(report: Pick<StatusReport, 'overall' | 'coverage'>): string {
  const partial =
    report.overall !== null && report.coverage.measured < report.coverage.total
      ? ` (${report.coverage.measured}/${report.coverage.total} measured)`
      : '';
  return `${bar(report.overall)} ${percentText(report.overall)}${partial}`;
}

/**
 * The context line about the group's time: ':dart: Target Nov 30, 2026 (12 days left)' while active;
 * ':checkered_flag: Ended on Mar 1, 2024' or ':double_vertical_bar: Paused' otherwise (no days past target).
 */
export function timeLine(
  report: Pick<StatusReport, 'lifecycle' | 'endedOn' | 'targetEndDate' | 'daysLeft'>,
): string {
  if (report.lifecycle === 'ended')
    return `:checkered_flag: ${report.endedOn ? `Ended on ${longDate(report.endedOn)}` : 'Ended'}`;
  const target = report.targetEndDate ? `target ${longDate(report.targetEndDate)}` : 'no target end date';
  if (report.lifecycle === 'paused') return `:double_vertical_bar: Paused (${target})`;
  return report.targetEndDate
    ? `:dart: Target ${longDate(report.targetEndDate)} (${formatDaysLeft(report.daysLeft)})`
    : ':dart: No target end date';
}

export function owners(item: StatusItem): string {
  if (item.owners.length === 0) return '_no owner_';
  return item.owners.map((name, i) => mention(item.ownerSlackUserIds[i], name)).join(', ');
}

/** The reader's calendar day: what "this year" means for the dates they read. */
export function viewerToday(viewer: Viewer): string {
  return localDate(viewer.now, viewer.timeZone);
}

/**
 * 'Nov 20' for a calendar date in the year of `today`, 'Nov 20, 2025' for another year (no zone involved:
 * the date is the date).
 */
export function shortDate(iso: string, today: string): string {
  return formatDay(iso, today);
}

/** 'Nov 20, 2026'. */
export function longDate(iso: string): string {
  return formatDay(iso);
}

const VERDICT_MARK = {
  'on track': ':large_green_circle:',
  'at risk': ':large_yellow_circle:',
  'off track': ':red_circle:',
  done: ':white_check_mark:',
  'no target': ':white_circle:',
  unknown: ':grey_question:',
  'not enough history': ':hourglass_flowing_sand:',
} as const;

/**
 * The forecast on one line: ':large_green_circle: *On track* · 100% around Jan 3 at +5.5 points a week
 * (last 4 weeks) · target Jan 31'. Null for a paused or ended group (no forecast).
 */
export function forecastLine(
  report: { forecast: Forecast | null; targetEndDate: string | null },
  today: string,
): string | null {
  if (!report.forecast) return null;
  const { label, detail } = forecastWords(report.forecast, report.targetEndDate, (iso) =>
    formatDay(iso, today),
  );
  return `${VERDICT_MARK[report.forecast.verdict]} *${label}*${detail ? ` · ${esc(detail)}` : ''}`;
}

/** ':large_green_circle: on track' — the verdict alone, for a line in a list; empty without a forecast. */
export function verdictBadge(forecast: Forecast | null): string {
  return forecast ? `${VERDICT_MARK[forecast.verdict]} ${forecast.verdict}` : '';
}

/** '2 open · 1 done (1 confidential)': the counts of a list whose confidential items the reader cannot see. */
export function countsLine(items: StatusItem[], viewer: Viewer): string {
  const open = items.filter((i) => i.state === 'open').length;
  const hidden = items.filter((i) => !canSeeTitle(i, viewer)).length;
  return `${open} open · ${items.length - open} done${hidden > 0 ? ` (${hidden} confidential)` : ''}`;
}

/** A local date-time in the reader's zone, for fallbacks: 'Nov 22, 14:05'. */
export function localDateTime(at: Date, timeZone: string): string {
  return at.toLocaleString('en-US', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  });
}

/** One action item on one line: state, title (or its confidential stand-in), owners, sprint and due date. */
export function itemLine(item: StatusItem, viewer: Viewer, options: { showSprint?: boolean } = {}): string {
  const mark =
    item.state === 'done' ? ':white_check_mark:' : item.overdue ? ':red_circle:' : ':white_circle:';
  const title = canSeeTitle(item, viewer)
    ? link(item.url, item.title)
    : unreadableFor(item, viewer)
      ? UNREADABLE_TITLE
      : '_confidential item_';
  const bits = [owners(item)];
  if (options.showSprint !== false && item.sprint) bits.push(esc(item.sprint));
  const today = viewerToday(viewer);
  if (item.dueDate) bits.push(`due ${shortDate(item.dueDate, today)}`);
  else if (item.overdue && item.sprintEnd) bits.push(`sprint ended ${shortDate(item.sprintEnd, today)}`);
  if (item.overdue && item.daysLate !== null && item.daysLate > 0)
    bits.push(`*${formatDaysLate(item.daysLate)}*`);
  if (item.snoozedUntil && new Date(item.snoozedUntil) > viewer.now) bits.push(':zzz: snoozed');
  return `${mark} ${title} — ${bits.join(' · ')}${item.state === 'open' ? healthNote(item.health) : ''}`;
}

/**
 * Item lines for a list, with confidential items the reader may not see folded into one count
 * ("2 confidential items"), so not even their number of lines gives them away one by one.
 */
export function itemLines(
  items: StatusItem[],
  viewer: Viewer,
  options: { showSprint?: boolean; limit?: number; more?: (hidden: number) => string } = {},
): string[] {
  const visible = items.filter((i) => canSeeTitle(i, viewer));
  const unreadable = items.filter((i) => unreadableFor(i, viewer)).length;
  const hidden = items.length - visible.length - unreadable;
  // Only the lines that will be shown are rendered; the rest are counted ("…and 312 more").
  const limit = options.limit ?? visible.length;
  const lines = visible.slice(0, limit).map((i) => itemLine(i, viewer, options));
  if (visible.length > limit) lines.push((options.more ?? ((n) => `…and ${n} more`))(visible.length - limit));
  const confidential = items.filter((i) => !canSeeTitle(i, viewer) && !unreadableFor(i, viewer));
  if (hidden > 0) lines.push(`:lock: ${confidentialLine(confidential)}`);
  if (unreadable > 0)
    lines.push(`:lock: ${unreadable === 1 ? 'an item' : `${unreadable} items`} you cannot see in GitLab`);
  return lines;
}

/** '1 confidential item (open)', '3 confidential items (2 open, 1 done)': what they are, not which. */
function confidentialLine(hidden: StatusItem[]): string {
  const open = hidden.filter((i) => i.state === 'open').length;
  const done = hidden.length - open;
  const states = open > 0 && done > 0 ? `${open} open, ${done} done` : open > 0 ? 'open' : 'done';
  return `${plural(hidden.length, 'confidential item', 'confidential items')} (${states})`;
}
