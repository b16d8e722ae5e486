import { TZDate } from '@date-fns/tz';
// Per-function entry points: the package index pulls in every date-fns module, a cost each CLI run pays.
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import type { IsoDate } from './types.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && isValid(parseISO(value)) && format(parseISO(value), 'yyyy-MM-dd') === value;
}

/** The calendar day it is at `now` in the IANA zone `timeZone`. */
export function localDate(now: Date, timeZone: string): IsoDate {
  return format(new TZDate(now.getTime(), timeZone), 'yyyy-MM-dd');
}

const DAY_MS = 86_400_000;

/** Midnight UTC of a calendar date: calendar arithmetic in UTC has no daylight-saving steps. */
function utcDay(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((utcDay(to) - utcDay(from)) / DAY_MS);
}

// Plain arithmetic rather than date-fns here: sprint dates are computed for every item of every answer.
export function addDaysIso(date: IsoDate, days: number): IsoDate {
  return new Date(utcDay(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** How far from today a date picked in Slack may be: the years a working group's plans can span. */
export const PICKED_DATE_YEARS_BACK = 5;
export const PICKED_DATE_YEARS_AHEAD = 10;

/**
 * A date from a Slack date picker (`selected_date`), checked before use: Slack sends `YYYY-MM-DD`, but the
 * payload comes over the network and a forged or broken one may carry anything. Accepted: a real calendar
 * date within PICKED_DATE_YEARS_BACK years before `today` and PICKED_DATE_YEARS_AHEAD after.
 */
export function checkPickedDate(
  value: unknown,
  today: IsoDate,
): { ok: true; date: IsoDate } | { ok: false; reason: string } {
  const year = Number(today.slice(0, 4));
  const earliest = `${year - PICKED_DATE_YEARS_BACK}${today.slice(4)}`;
  const latest = `${year + PICKED_DATE_YEARS_AHEAD}${today.slice(4)}`;
  const range = `pick a day between ${earliest} and ${latest}`;
  if (typeof value !== 'string' || !isIsoDate(value))
    return { ok: false, reason: `That is not a date; ${range}.` };
  if (value < earliest || value > latest) return { ok: false, reason: `${value} is too far off; ${range}.` };
  return { ok: true, date: value };
}
