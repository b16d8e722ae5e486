import { roundPercent } from './criteria.js';
import { addDaysIso, daysBetween } from './dates.js';
import type { IsoDate } from './types.js';

/**
 * Where a group is going, from where it has been: the pace of its overall figure over the last weeks,
 * the day 100 % is reached at that pace, and a verdict against the target date.
 *
 * - `on track`   the forecast day is on or before the target;
 * - `at risk`    it is at most two weeks after the target (or progress stopped less than three weeks ago);
 * - `off track`  later than that, or no progress for three weeks;
 * - `done`       the overall figure is 100 %;
 * - `no target`  a pace and a forecast, but no target date to hold them against;
 * - `unknown`    no exit criterion has a figure: there is no pace to measure (unknown is not zero);
 * - `not enough history`  less than a week of recorded figures: any pace would be made up.
 */
export type Verdict =
  'on track' | 'at risk' | 'off track' | 'done' | 'no target' | 'unknown' | 'not enough history';

/** The overall figure recorded on a day (null: no criterion had a figure then). */
export interface ProgressPoint {
  day: IsoDate;
  overall: number | null;
}

export interface Forecast {
  /**
   * The day 100 % is reached at `pace`; for `done`, the day it was (null when not recorded); null when no
   * such day can be said (no progress, unknown).
   */
  date: IsoDate | null;
  /** Percentage points of the overall figure per week, over `basisDays`; null when unknown. */
  pace: number | null;
  verdict: Verdict;
  /** How many days the pace was measured over (up to the window); 0 when there was no pace. */
  basisDays: number;
  /** No progress for at least STALLED_DAYS: the reason an `off track` has no date. */
  stalled: boolean;
}

export interface ForecastInput {
  /**
   * Recorded figures, in any order: each day's last, as kept in progress_days. A day without a row had
   * the figure of the row before it (rows are written only when something changed), so the caller passes
   * the rows of the window and the last row before it.
   */
  history: ProgressPoint[];
  /** The figure now (it wins over a row recorded today). */
  overall: number | null;
  today: IsoDate;
  targetEndDate: IsoDate | null;
}

/** The pace is measured over the last FORECAST_WEEKS weeks unless told otherwise. */
export const FORECAST_WEEKS = 4;
/** Less history than this and there is no pace, only `not enough history`. */
export const MIN_HISTORY_DAYS = 7;
/** No progress for this long is `off track`, whatever the target. */
export const STALLED_DAYS = 21;
/** A forecast day up to this many days after the target is `at risk`, later `off track`. */
export const AT_RISK_DAYS = 14;
/** Beyond this many days a forecast is no date anyone plans with: the date is null (and `off track`). */
const MAX_FORECAST_DAYS = 5 * 366;

/**
 * The first day of the last run of recorded figures at 100 %; null when only the figure now is (the day
 * it got there is not known).
 */
function doneSince(points: ProgressPoint[]): IsoDate | null {
  let since: IsoDate | null = null;
  for (let i = points.length - 2; i >= 0; i -= 1) {
    const p = points[i]!;
    if (p.overall === null || p.overall < 100) break;
    since = p.day;
  }
  return since;
}

/**
 * The figure and the day the pace is measured from: the figure held at the window's start (the last
 * row on or before it), or, when the history starts later or the figure was unknown then, the first
 * known figure inside the window.
 */
function paceStart(points: ProgressPoint[], windowStart: IsoDate): { day: IsoDate; overall: number } | null {
  let held: ProgressPoint | null = null;
  for (const p of points) {
    if (p.day > windowStart) break;
    held = p;
  }
  if (held !== null && held.overall !== null) return { day: windowStart, overall: held.overall };
  const first = points.find((p) => p.day > windowStart && p.overall !== null);
  return first ? { day: first.day, overall: first.overall! } : null;
}

/** Whether the figure now is no higher than the figure held STALLED_DAYS ago (known only with that much history). */
function isStalled(points: ProgressPoint[], overall: number, today: IsoDate): boolean {
  const then = addDaysIso(today, -STALLED_DAYS);
  let held: ProgressPoint | null = null;
  for (const p of points) {
    if (p.day > then) break;
    held = p;
  }
  return held !== null && held.overall !== null && overall <= held.overall;
}

function verdictFor(
  target: IsoDate | null,
  date: IsoDate | null,
  pace: number,
  basisDays: number,
  stalled: boolean,
): Verdict {
  if (target === null) return 'no target';
  if (stalled) return 'off track';
  // No progress yet, but for less than STALLED_DAYS: the target cannot be met at this pace, not yet a verdict.
  if (pace <= 0) return basisDays >= STALLED_DAYS ? 'off track' : 'at risk';
  if (date === null) return 'off track';
  const late = daysBetween(target, date);
  if (late <= 0) return 'on track';
  return late <= AT_RISK_DAYS ? 'at risk' : 'off track';
}

/** The forecast of a group's overall figure (see {@link Verdict}); `weeks` is the pace's window. */
export function forecast(input: ForecastInput, weeks = FORECAST_WEEKS): Forecast {
  const { overall, today, targetEndDate } = input;
  const none = (verdict: Verdict): Forecast => ({
    date: null,
    pace: null,
    verdict,
    basisDays: 0,
    stalled: false,
  });
  if (overall === null) return none('unknown');
  const points = input.history
    .filter((p) => p.day < today)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  points.push({ day: today, overall });
  if (overall >= 100) {
    return { date: doneSince(points), pace: null, verdict: 'done', basisDays: 0, stalled: false };
  }

  const start = paceStart(points, addDaysIso(today, -weeks * 7));
  const basisDays = start ? daysBetween(start.day, today) : 0;
  if (!start || basisDays < MIN_HISTORY_DAYS) return none('not enough history');

  const perDay = (overall - start.overall) / basisDays;
  const stalled = isStalled(points, overall, today);
  const daysToGo = perDay > 0 ? Math.ceil((100 - overall) / perDay) : null;
  const date = daysToGo !== null && daysToGo <= MAX_FORECAST_DAYS ? addDaysIso(today, daysToGo) : null;
  return {
    date,
    pace: roundPercent(perDay * 7),
    verdict: verdictFor(targetEndDate, date, perDay, basisDays, stalled),
    basisDays,
    stalled,
  };
}
