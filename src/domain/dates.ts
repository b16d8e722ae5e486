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
