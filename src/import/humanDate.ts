import type { IsoDate } from '../domain/types.js';

/**
 * Which end of a period a date stands for. 'July 2021' or 'Q3 FY24' is a span of days: as a start date it
 * means the span's first day, as an end or target date its last day — the latest the writer can have meant,
 * so a group is never called late before its own page says so.
 */
export type DateRole = 'start' | 'end';

export interface HumanDateOptions {
  role?: DateRole;
  /**
   * The month (1–12) a fiscal year starts in. A fiscal year is named after the calendar year it ends in:
   * with the default, February (GitLab's convention), FY24 runs from 1 February 2023 to 31 January 2024.
   */
  fiscalYearStartMonth?: number;
}

export type HumanDate =
  { ok: true; date: IsoDate | null; note: string | null } | { ok: false; reason: string };

export const DEFAULT_FISCAL_YEAR_START_MONTH = 2;

const EMPTY = /^(|-+|—|–|tbd|tba|tbc|n\/?a|none|null|ongoing|open|unknown|not set|to be determined|\?+)$/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const YEAR = String.raw`(\d{4})`;
const FY = String.raw`fy\s*'?(\d{2}|\d{4})`;

/** One day or a span of days, as [first, last] (year, month 1–12, day). */
type Span = [first: [number, number, number], last: [number, number, number]];

interface Form {
  pattern: RegExp;
  span: (m: RegExpExecArray, fyStart: number) => Span | 'invalid';
}

const monthIndex = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase() as never) + 1;
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

function day(year: number, month: number, d: number): Span | 'invalid' {
  if (month < 1 || month > 12 || d < 1 || d > daysIn(year, month)) return 'invalid';
  return [
    [year, month, d],
    [year, month, d],
  ];
}

/** `count` months from `month` of `year` (months may run past December). */
function months(year: number, month: number, count: number): Span {
  const lastMonthAbs = year * 12 + (month - 1) + count - 1;
  const ly = Math.floor(lastMonthAbs / 12);
  const lm = (lastMonthAbs % 12) + 1;
  const fy = year + Math.floor((month - 1) / 12);
  const fm = ((month - 1) % 12) + 1;
  return [
    [fy, fm, 1],
    [ly, lm, daysIn(ly, lm)],
  ];
}

/** The first month of fiscal year `fy` (named after the year it ends in) as [year, month]. */
function fiscalStart(fy: number, fyStart: number): [number, number] {
  return fyStart === 1 ? [fy, 1] : [fy - 1, fyStart];
}

function fiscalPart(fyText: string, part: 'year' | 'quarter' | 'half', n: number, fyStart: number): Span {
  const [y, m] = fiscalStart(fullYear(fyText), fyStart);
  if (part === 'year') return months(y, m, 12);
  const length = part === 'quarter' ? 3 : 6;
  return months(y, m + (n - 1) * length, length);
}

// Most specific first: a full date before a month alone, a fiscal quarter before a fiscal year.
const FORMS: Form[] = [
  { pattern: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/, span: (m) => day(+m[1]!, +m[2]!, +m[3]!) },
  // Japanese pages: '2021 年 3 月 3 日', '2021年3月'.
  {
    pattern: /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/,
    span: (m) => day(+m[1]!, +m[2]!, +m[3]!),
  },
  {
    pattern: /(\d{4})\s*年\s*(\d{1,2})\s*月/,
    span: (m) => (+m[2]! >= 1 && +m[2]! <= 12 ? months(+m[1]!, +m[2]!, 1) : 'invalid'),
  },
  {
    pattern: new RegExp(String.raw`\b${MONTH}\s+${DAY}(?:\s*,)?\s+${YEAR}\b`, 'i'),
    span: (m) => day(+m[3]!, monthIndex(m[1]!), +m[2]!),
  },
  {
    pattern: new RegExp(String.raw`\b${DAY}(?:\s+of)?\s+${MONTH}(?:\s*,)?\s+${YEAR}\b`, 'i'),
    span: (m) => day(+m[3]!, monthIndex(m[2]!), +m[1]!),
  },
  {
    pattern: new RegExp(String.raw`\b(?:q([1-4])\s*[-/ ]?\s*${FY}|${FY}\s*[-/ ]?\s*q([1-4]))\b`, 'i'),
    span: (m, s) => fiscalPart(m[2] ?? m[3]!, 'quarter', +(m[1] ?? m[4]!), s),
  },
  {
    pattern: new RegExp(String.raw`\b(?:h([12])\s*[-/ ]?\s*${FY}|${FY}\s*[-/ ]?\s*h([12]))\b`, 'i'),
    span: (m, s) => fiscalPart(m[2] ?? m[3]!, 'half', +(m[1] ?? m[4]!), s),
  },
  { pattern: new RegExp(String.raw`\b${FY}\b`, 'i'), span: (m, s) => fiscalPart(m[1]!, 'year', 0, s) },
  {
    pattern: /\b(?:q([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*[-/ ]?\s*q([1-4]))\b/i,
    span: (m) => months(+(m[2] ?? m[3]!), (+(m[1] ?? m[4]!) - 1) * 3 + 1, 3),
  },
  {
    pattern: new RegExp(String.raw`\b${MONTH}(?:\s*,)?\s+${YEAR}\b`, 'i'),
    span: (m) => months(+m[2]!, monthIndex(m[1]!), 1),
  },
  {
    pattern: /\b(\d{4})-(\d{2})\b(?!-)/,
    span: (m) => (+m[2]! >= 1 && +m[2]! <= 12 ? months(+m[1]!, +m[2]!, 1) : 'invalid'),
  },
  // A year alone only when nothing else is said ('2022', 'end of 2022'): a year inside other words is no date.
  {
    pattern: /(?<=^(?:(?:by|eoy|cy|(?:by\s+)?end\s+of|start\s+of|beginning\s+of)\s*)?)((?:19|20|21)\d{2})$/i,
    span: (m) => months(+m[1]!, 1, 12),
  },
];

const END_OF = /\b(?:eo|eoy|end\s+of(?:\s+the)?|by\s+(?:the\s+)?end\s+of)\s*$/i;
const START_OF = /\b(?:start|beginning|begin)\s+of(?:\s+the)?\s*$/i;

const iso = ([y, m, d]: [number, number, number]): IsoDate =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function cleanNote(text: string): string | null {
  const note = text
    .replace(/^[\s,;:\-–—(]+|[\s,;:\-–—)]+$/g, '')
    .replace(/\(\s*\)/g, '')
    .trim();
  return /[\p{L}\d]/u.test(note) ? note : null;
}

/**
 * Reads the dates people write on handbook pages: '2021-03-03', 'March 3rd, 2021', '3 March 2021',
 * 'July 2021', '2021 年 7 月 14 日', 'Q3 2023', 'Q3 FY24', 'FY24 Q3', 'H2 FY24', 'FY23', 'EO FY23' / 'end of FY23'. A span
 * (a month, a quarter, a fiscal year) gives its first day for a start date and its last day for an end
 * date; 'end of' always gives the last day. Words around the date ('2021-07-14 (Paused from …)') are
 * kept as a note. 'TBD', '-' and blanks are no date at all, not an error; an impossible day
 * ('2023-04-31') or text with no date in it is one. Numeric forms other than ISO (03/07/2021) are
 * ambiguous and read as no date.
 */
export function parseHumanDate(text: string, options: HumanDateOptions = {}): HumanDate {
  const role = options.role ?? 'end';
  const fyStart = options.fiscalYearStartMonth ?? DEFAULT_FISCAL_YEAR_START_MONTH;
  const cleaned = text
    .replace(/[*_`~]/g, '')
    .replace(/\beo(fy|q)/gi, 'end of $1')
    .replace(/\s+/g, ' ')
    .trim();
  if (EMPTY.test(cleaned)) return { ok: true, date: null, note: null };
  for (const form of FORMS) {
    const match = form.pattern.exec(cleaned);
    if (!match) continue;
    const span = form.span(match, fyStart);
    if (span === 'invalid') return { ok: false, reason: `there is no such day as '${match[0]}'` };
    const before = cleaned.slice(0, match.index);
    const useEnd = END_OF.test(before) || (role === 'end' && !START_OF.test(before));
    const chosen = useEnd ? span[1] : span[0];
    if (chosen[0] < 1970 || chosen[0] > 2200)
      return { ok: false, reason: `the year ${chosen[0]} is out of range` };
    const rest =
      before.replace(END_OF, '').replace(START_OF, '') + ' ' + cleaned.slice(match.index + match[0].length);
    return { ok: true, date: iso(chosen), note: cleanNote(rest) };
  }
  return { ok: false, reason: 'no date in it' };
}
