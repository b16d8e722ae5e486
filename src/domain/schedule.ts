import { TZDate } from '@date-fns/tz';
import { CronExpressionParser } from 'cron-parser';
import { format } from 'date-fns/format';
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';

/** Mondays at 09:00, the digest schedule every group starts with. */
export const DEFAULT_DIGEST_CRON = '0 9 * * 1';

export interface DigestSchedule {
  cron: string;
  timeZone: string;
}

/** The cron of a group's digest: its own, the default, or null when turned off. */
export function digestCron(stored: string | null): string | null {
  if (stored === 'off') return null;
  return stored ?? DEFAULT_DIGEST_CRON;
}

const DAY_NAMES = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];

/**
 * A digest schedule in words: "Mondays at 09:00 Europe/Berlin", "weekdays at 08:30 UTC", "off". Schedules
 * are stored as `M H * * D[,D…]` (what `/wg schedule` and `wgbot schedule` write); any other cron is shown
 * as it is.
 */
export function describeSchedule(stored: string | null, timeZone: string): string {
  const cron = digestCron(stored);
  if (cron === null) return 'off';
  const match = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-6](?:,[0-6])*)$/.exec(cron);
  if (!match) return `cron '${cron}' ${timeZone}`;
  const time = `${match[2]!.padStart(2, '0')}:${match[1]!.padStart(2, '0')}`;
  const days = match[3] === '*' ? [0, 1, 2, 3, 4, 5, 6] : [...new Set(match[3]!.split(',').map(Number))];
  days.sort((a, b) => a - b);
  const words =
    days.length === 7
      ? 'every day'
      : days.join(',') === '1,2,3,4,5'
        ? 'weekdays'
        : days
            .map((d) => DAY_NAMES[d]!)
            .reduce(
              (text, day, i, all) =>
                i === 0 ? day : `${text}${i === all.length - 1 ? ' and ' : ', '}${day}`,
              '',
            );
  return `${words} at ${time} ${timeZone}`;
}

/** Days of the week a cron's day field names ('1', '1,3', '1-5', '*'). */
function cronDays(cron: string): number {
  const field = cron.trim().split(/\s+/)[4] ?? '*';
  if (field === '*') return 7;
  return field.split(',').reduce((n, part) => {
    const range = /^(\d)-(\d)$/.exec(part);
    return n + (range ? Number(range[2]) - Number(range[1]) + 1 : 1);
  }, 0);
}

/**
 * The period a scheduled digest belongs to: its ISO week for a weekly schedule ('2026-W48'), its local
 * day for one that posts on several days ('2026-11-23'). One digest per group and period, ever.
 */
export function digestPeriod(cron: string, now: Date, timeZone: string): string {
  const local = new TZDate(now.getTime(), timeZone);
  if (cronDays(cron) > 1) return format(local, 'yyyy-MM-dd');
  return `${getISOWeekYear(local)}-W${String(getISOWeek(local)).padStart(2, '0')}`;
}

/** A digest posted by hand (`/wg digest now`): one per minute, so a double click or a retry posts once. */
export function manualPeriod(now: Date, timeZone: string): string {
  return `manual-${format(new TZDate(now.getTime(), timeZone), "yyyy-MM-dd'T'HH:mm")}`;
}

/** What asked for a digest: a schedule (retried, caught up) or a person (`manual-…` periods: never retried). */
export function digestKind(period: string): 'scheduled' | 'manual' {
  return period.startsWith('manual-') ? 'manual' : 'scheduled';
}

/** The last minute at or before `now` that a cron matched in `timeZone`, and the next one after it. */
export function cronAround(cron: string, now: Date, timeZone: string): { last: Date; next: Date } | null {
  try {
    const options = { currentDate: now, tz: timeZone };
    // cron-parser's prev() is strictly before currentDate: a cron matching this very minute is due now.
    const minuteEnd = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 1);
    const last = CronExpressionParser.parse(cron, { ...options, currentDate: minuteEnd })
      .prev()
      .toDate();
    const next = CronExpressionParser.parse(cron, options).next().toDate();
    return { last, next };
  } catch {
    return null;
  }
}

/** A scheduled digest whose minute passed with no record of it: post it late, or record it skipped. */
export interface MissedDigest {
  dueAt: Date;
  period: string;
  action: 'post-late' | 'skip';
}

export interface CatchUpRule {
  /** How long after its minute a missed digest is still posted (DIGEST_CATCHUP_HOURS). */
  windowMs: number;
  /** How long the on-time run has before its digest counts as missed. */
  graceMs: number;
}

/**
 * The digest a group missed as of `now`: its schedule's last minute, if that is past the grace the on-time
 * run has, and after `dueFrom` (when the group was created, got this schedule or became active again: a
 * digest due before then was never owed). Within the window it is posted late, beyond it skipped. Only
 * the latest minute counts: an older one is superseded by it. `recorded` says whether a period has a row.
 */
export function missedDigest(
  schedule: DigestSchedule,
  now: Date,
  dueFrom: Date,
  rule: CatchUpRule,
  recorded: (period: string) => boolean,
): MissedDigest | null {
  const around = cronAround(schedule.cron, now, schedule.timeZone);
  if (!around) return null;
  const dueAt = around.last;
  const age = now.getTime() - dueAt.getTime();
  if (dueAt < dueFrom || age < rule.graceMs) return null;
  const period = digestPeriod(schedule.cron, dueAt, schedule.timeZone);
  if (recorded(period)) return null;
  return { dueAt, period, action: age <= rule.windowMs ? 'post-late' : 'skip' };
}

/** The local hour and weekday (0 Sunday … 6 Saturday) at `now` in a zone. */
export function localClock(
  now: Date,
  timeZone: string,
): { hour: number; minute: number; weekday: number; date: string } {
  const local = new TZDate(now.getTime(), timeZone);
  return {
    hour: local.getHours(),
    minute: local.getMinutes(),
    weekday: local.getDay(),
    date: format(local, 'yyyy-MM-dd'),
  };
}

/** Working hours: Monday to Friday, 09:00–17:00 local time — when a reminder is welcome. */
export function isWorkingHours(
  now: Date,
  timeZone: string,
  hours: { start: number; end: number } = { start: 9, end: 17 },
): boolean {
  const { hour, weekday } = localClock(now, timeZone);
  return weekday >= 1 && weekday <= 5 && hour >= hours.start && hour < hours.end;
}
