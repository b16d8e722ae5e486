import { describe, expect, it } from 'vitest';
import { addDaysIso } from '../../src/domain/dates.js';
import { forecast, type ProgressPoint } from '../../src/domain/forecast.js';

const TODAY = '2026-11-30';

/** One point a week for `weeks` weeks up to (not including) today, from `figure(weeksAgo)`. */
function weekly(weeks: number, figure: (weeksAgo: number) => number | null): ProgressPoint[] {
  return Array.from({ length: weeks }, (_, i) => {
    const weeksAgo = weeks - i;
    return { day: addDaysIso(TODAY, -7 * weeksAgo), overall: figure(weeksAgo) };
  });
}

describe('forecast', () => {
  it('steady: 5 points a week from 60 % reaches 100 % in 8 weeks — on track for a later target', () => {
    const history = weekly(8, (ago) => 60 - 5 * ago);
    const f = forecast({ history, overall: 60, today: TODAY, targetEndDate: '2027-02-01' });
    expect(f).toEqual({
      date: addDaysIso(TODAY, 56),
      pace: 5,
      verdict: 'on track',
      basisDays: 28,
      stalled: false,
    });
  });

  it('steady, but the target is sooner: within two weeks after it is at risk, later off track', () => {
    const history = weekly(8, (ago) => 60 - 5 * ago);
    const forecastDay = addDaysIso(TODAY, 56);
    expect(
      forecast({ history, overall: 60, today: TODAY, targetEndDate: addDaysIso(forecastDay, -14) }).verdict,
    ).toBe('at risk');
    expect(
      forecast({ history, overall: 60, today: TODAY, targetEndDate: addDaysIso(forecastDay, -15) }).verdict,
    ).toBe('off track');
    expect(forecast({ history, overall: 60, today: TODAY, targetEndDate: forecastDay }).verdict).toBe(
      'on track',
    );
  });

  it('stalled: no progress for three weeks is off track, with no forecast day', () => {
    // Rose to 40 % five weeks ago, then nothing: rows stop when nothing changes.
    const history: ProgressPoint[] = [
      { day: addDaysIso(TODAY, -60), overall: 10 },
      { day: addDaysIso(TODAY, -35), overall: 40 },
    ];
    const f = forecast({ history, overall: 40, today: TODAY, targetEndDate: '2030-01-01' });
    expect(f).toMatchObject({ date: null, pace: 0, verdict: 'off track', stalled: true, basisDays: 28 });
  });

  it('accelerating: the pace is the last four weeks’, not the whole history’s', () => {
    // 1 point a week for 20 weeks, then 10 a week for the last 4.
    const history = weekly(24, (ago) => (ago > 4 ? 20 - (ago - 4) : 20 + 10 * (4 - ago)));
    const f = forecast({ history, overall: 60, today: TODAY, targetEndDate: addDaysIso(TODAY, 28) });
    expect(f.pace).toBe(10);
    expect(f.date).toBe(addDaysIso(TODAY, 28));
    expect(f.verdict).toBe('on track');
    // Over the whole history the same group would have been off track.
    const slow = forecast({ history, overall: 60, today: TODAY, targetEndDate: addDaysIso(TODAY, 28) }, 24);
    expect(slow.verdict).toBe('off track');
  });

  it('regressing: a falling figure has no forecast day and is off track', () => {
    const history = weekly(6, (ago) => 40 + 3 * ago);
    const f = forecast({ history, overall: 40, today: TODAY, targetEndDate: '2027-06-01' });
    expect(f.pace).toBe(-12 / 4);
    expect(f.date).toBeNull();
    expect(f.verdict).toBe('off track');
    expect(f.stalled).toBe(true);
  });

  it('a fall within the last weeks only, with less than three weeks of history, is at risk', () => {
    const history: ProgressPoint[] = [{ day: addDaysIso(TODAY, -10), overall: 50 }];
    const f = forecast({ history, overall: 45, today: TODAY, targetEndDate: '2027-06-01' });
    expect(f).toMatchObject({ date: null, verdict: 'at risk', stalled: false, basisDays: 10 });
  });

  it('no target: a pace and a day, and the verdict says there is no target', () => {
    const history = weekly(4, (ago) => 50 - 2.5 * ago);
    const f = forecast({ history, overall: 50, today: TODAY, targetEndDate: null });
    expect(f).toMatchObject({ verdict: 'no target', pace: 2.5, date: addDaysIso(TODAY, 140) });
  });

  it('done: 100 % is done, dated from the day it got there', () => {
    const history: ProgressPoint[] = [
      { day: addDaysIso(TODAY, -20), overall: 90 },
      { day: addDaysIso(TODAY, -12), overall: 100 },
      { day: addDaysIso(TODAY, -3), overall: 100 },
    ];
    const f = forecast({ history, overall: 100, today: TODAY, targetEndDate: '2026-01-01' });
    expect(f).toEqual({
      date: addDaysIso(TODAY, -12),
      pace: null,
      verdict: 'done',
      basisDays: 0,
      stalled: false,
    });
  });

  it('unknown is not zero: no overall figure gives no pace, no day, verdict unknown', () => {
    const history = weekly(8, () => null);
    expect(forecast({ history, overall: null, today: TODAY, targetEndDate: '2027-01-01' })).toEqual({
      date: null,
      pace: null,
      verdict: 'unknown',
      basisDays: 0,
      stalled: false,
    });
  });

  it('less than a week of history is not enough for a pace', () => {
    const history: ProgressPoint[] = [{ day: addDaysIso(TODAY, -6), overall: 10 }];
    expect(forecast({ history, overall: 30, today: TODAY, targetEndDate: '2027-01-01' })).toMatchObject({
      verdict: 'not enough history',
      pace: null,
      date: null,
    });
    expect(forecast({ history: [], overall: 30, today: TODAY, targetEndDate: null }).verdict).toBe(
      'not enough history',
    );
  });

  it('a figure unknown at the window start is measured from the first known one after it', () => {
    const history: ProgressPoint[] = [
      { day: addDaysIso(TODAY, -40), overall: null },
      { day: addDaysIso(TODAY, -14), overall: 20 },
    ];
    const f = forecast({ history, overall: 30, today: TODAY, targetEndDate: null });
    expect(f).toMatchObject({ pace: 5, basisDays: 14, date: addDaysIso(TODAY, 98) });
  });

  it('a forecast years away has no date and is off track', () => {
    const history: ProgressPoint[] = [{ day: addDaysIso(TODAY, -28), overall: 1 }];
    const f = forecast({ history, overall: 1.1, today: TODAY, targetEndDate: '2027-01-01' });
    expect(f.date).toBeNull();
    expect(f.verdict).toBe('off track');
  });

  it('a row recorded today is replaced by the figure now', () => {
    const history: ProgressPoint[] = [
      { day: addDaysIso(TODAY, -28), overall: 40 },
      { day: TODAY, overall: 10 },
    ];
    expect(forecast({ history, overall: 60, today: TODAY, targetEndDate: null }).pace).toBe(5);
  });
});

describe('forecast of a group found at 100 % with no history', () => {
  it('is done, with no day made up for it', () => {
    expect(forecast({ history: [], overall: 100, today: TODAY, targetEndDate: null })).toMatchObject({
      verdict: 'done',
      date: null,
    });
  });
});
