import { describe, expect, it } from 'vitest';
import { addDaysIso, daysBetween, isIsoDate, isTimeZone, localDate } from '../../src/domain/dates.js';
import { formatAge, formatDaysLeft, formatPercent, progressBar, truncate } from '../../src/format.js';
import { parseHumanDate } from '../../src/import/humanDate.js';

describe('dates', () => {
  it('reads the calendar day in a zone', () => {
    const now = new Date('2026-11-22T23:30:00Z');
    expect(localDate(now, 'UTC')).toBe('2026-11-22');
    expect(localDate(now, 'Europe/Berlin')).toBe('2026-11-23');
    expect(localDate(now, 'America/Los_Angeles')).toBe('2026-11-22');
  });

  it('counts calendar days and adds them', () => {
    expect(daysBetween('2026-11-22', '2026-12-01')).toBe(9);
    expect(daysBetween('2026-12-01', '2026-11-22')).toBe(-9);
    expect(addDaysIso('2026-12-30', 3)).toBe('2027-01-02');
  });

  it('validates ISO dates and zones', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-2-3')).toBe(false);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('human dates on handbook pages', () => {
  it.each([
    ['March 3rd, 2021', '2021-03-03'],
    ['July 7th, 2021', '2021-07-07'],
    ['Jul 7 2021', '2021-07-07'],
    ['7 July 2021', '2021-07-07'],
    ['2021-07-07', '2021-07-07'],
    ['**July 7th, 2021**', '2021-07-07'],
    ['July 2021', '2021-07-31'],
    ['TBD', null],
    ['-', null],
    ['', null],
  ])('%s → %s', (text, date) => {
    expect(parseHumanDate(text)).toEqual({ ok: true, date, note: null });
  });

  it.each(['03/07/2021', '2021-02-30', 'someday', 'Julember 3rd, 2021', '2023-04-31', 'end of summer'])(
    'refuses %s, saying why',
    (text) => {
      expect(parseHumanDate(text)).toMatchObject({ ok: false, reason: expect.any(String) });
    },
  );

  it.each([
    // GitLab's fiscal year starts in February: FY24 is 1 February 2023 – 31 January 2024.
    ['Q3 FY24', 'end', '2023-10-31'],
    ['Q3 FY24', 'start', '2023-08-01'],
    ['FY24 Q3', 'end', '2023-10-31'],
    ['FY2024-Q1', 'start', '2023-02-01'],
    ['H2 FY24', 'end', '2024-01-31'],
    ['FY24', 'start', '2023-02-01'],
    ['EO FY23', 'start', '2023-01-31'],
    ['end of FY23', 'end', '2023-01-31'],
    ['Q4 2023', 'end', '2023-12-31'],
    ['July 2021', 'start', '2021-07-01'],
    ['2022', 'end', '2022-12-31'],
    ['end of 2022', 'start', '2022-12-31'],
  ] as const)('%s as a %s date → %s', (text, role, date) => {
    expect(parseHumanDate(text, { role })).toEqual({ ok: true, date, note: null });
  });

  it('takes the fiscal year start month as an option', () => {
    expect(parseHumanDate('Q1 FY24', { fiscalYearStartMonth: 1, role: 'start' })).toMatchObject({
      date: '2024-01-01',
    });
    expect(parseHumanDate('FY24', { fiscalYearStartMonth: 7 })).toMatchObject({ date: '2024-06-30' });
    expect(parseHumanDate('Q1 FY24', { fiscalYearStartMonth: 7, role: 'start' })).toMatchObject({
      date: '2023-07-01',
    });
  });

  it('keeps words around a date as a note', () => {
    expect(parseHumanDate('2021-07-14 (Paused from 2022-06-01 to 2023-02-24)')).toEqual({
      ok: true,
      date: '2021-07-14',
      note: 'Paused from 2022-06-01 to 2023-02-24',
    });
  });
});

describe('format', () => {
  it('draws bars and percentages', () => {
    expect(progressBar(100, 10)).toBe('██████████');
    expect(progressBar(34, 10)).toBe('███░░░░░░░');
    expect(progressBar(null, 4)).toBe('░░░░');
    expect(progressBar(150, 4)).toBe('████');
    expect(formatPercent(62.5)).toBe('62.5%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
  });

  it('says how old data is and how many days are left', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(formatAge('2026-11-22T11:59:30Z', now)).toBe('just now');
    expect(formatAge('2026-11-22T11:56:00Z', now)).toBe('4 min ago');
    expect(formatAge('2026-11-22T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge('2026-11-19T12:00:00Z', now)).toBe('3 days ago');
    expect(formatDaysLeft(12)).toBe('12 days left');
    expect(formatDaysLeft(0)).toBe('due today');
    expect(formatDaysLeft(-3)).toBe('3 days past target');
    expect(formatDaysLeft(null)).toBe('no target date');
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});
