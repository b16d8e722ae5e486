import { describe, expect, it } from 'vitest';
import { effectiveDueDate, isOverdue } from '../../src/domain/overdue.js';
import {
  cadenceSprint,
  cadenceSprintAt,
  currentSprint,
  resolveSprint,
  sprintNumberFromTitle,
} from '../../src/domain/sprints.js';
import type { Sprint, SprintCadence } from '../../src/domain/types.js';

const cadence: SprintCadence = { lengthDays: 14, anchorNumber: 20, anchorDate: '2026-11-02' };
const iteration21: Sprint = {
  number: 21,
  title: 'Sprint 21',
  startDate: '2026-11-16',
  endDate: '2026-11-27',
  source: 'iteration',
};
const milestone21: Sprint = {
  number: 21,
  title: 'Sprint 21',
  startDate: '2026-11-16',
  endDate: '2026-11-30',
  source: 'milestone',
};
const milestone22: Sprint = {
  number: 22,
  title: 'Sprint 22 (Dec)',
  startDate: '2026-12-01',
  endDate: '2026-12-14',
  source: 'milestone',
};
const release: Sprint = {
  number: null,
  title: 'Release 17.0',
  startDate: '2026-11-01',
  endDate: '2026-12-31',
  source: 'milestone',
};

describe('sprint numbers from titles', () => {
  it.each([
    ['Sprint 21', 21],
    ['sprint #7', 7],
    ['Platform Sprint 3 (Nov)', 3],
    ['Release 17.0', null],
    ['Sprinter 4', null],
  ])('%s → %s', (title, number) => {
    expect(sprintNumberFromTitle(title)).toBe(number);
  });
});

describe('cadence', () => {
  it('lays sprints end to end from the anchor', () => {
    expect(cadenceSprint(cadence, 20)).toMatchObject({ startDate: '2026-11-02', endDate: '2026-11-15' });
    expect(cadenceSprint(cadence, 22)).toMatchObject({ startDate: '2026-11-30', endDate: '2026-12-13' });
    expect(cadenceSprint(cadence, 19)).toMatchObject({ startDate: '2026-10-19', endDate: '2026-11-01' });
  });

  it('finds the sprint containing a date, before the anchor too', () => {
    expect(cadenceSprintAt(cadence, '2026-11-15').number).toBe(20);
    expect(cadenceSprintAt(cadence, '2026-11-16').number).toBe(21);
    expect(cadenceSprintAt(cadence, '2026-11-01').number).toBe(19);
  });
});

describe('resolveSprint: iteration, then "Sprint N" milestone, then cadence', () => {
  const ref = (n: number) => ({ number: n, title: `Sprint ${n}`, source: 'text' as const });

  it('takes the iteration when there is one', () => {
    expect(resolveSprint(ref(21), [milestone21, iteration21], cadence)).toBe(iteration21);
  });

  it('takes a milestone titled "Sprint N" when there is no iteration', () => {
    expect(resolveSprint(ref(22), [iteration21, milestone22, release], cadence)).toBe(milestone22);
  });

  it('falls back to the cadence', () => {
    expect(resolveSprint(ref(23), [iteration21], cadence)).toMatchObject({
      source: 'cadence',
      startDate: '2026-12-14',
      endDate: '2026-12-27',
    });
  });

  it('keeps a sprint nobody knows, without dates', () => {
    expect(resolveSprint(ref(23), [], null)).toEqual({
      number: 23,
      title: 'Sprint 23',
      startDate: null,
      endDate: null,
      source: 'cadence',
    });
  });

  it('matches an issue milestone by title first', () => {
    expect(
      resolveSprint({ number: null, title: 'Release 17.0', source: 'milestone' }, [release], cadence),
    ).toBe(release);
  });

  it('is null for an item with no sprint', () => {
    expect(resolveSprint(null, [iteration21], cadence)).toBeNull();
  });
});

describe('currentSprint', () => {
  it('prefers the running iteration, then a numbered milestone, then the cadence', () => {
    expect(currentSprint('2026-11-20', [milestone21, iteration21], cadence)).toBe(iteration21);
    expect(currentSprint('2026-11-29', [milestone21, iteration21], cadence)).toBe(milestone21);
    expect(currentSprint('2026-11-20', [release], cadence)?.source).toBe('cadence');
    expect(currentSprint('2026-11-20', [release], null)).toBeNull();
  });
});

describe('overdue', () => {
  const open = { state: 'open' as const, dueDate: null };

  it('is an open item past its due date (not on the day itself)', () => {
    expect(isOverdue({ state: 'open', dueDate: '2026-11-20' }, null, '2026-11-20')).toBe(false);
    expect(isOverdue({ state: 'open', dueDate: '2026-11-20' }, null, '2026-11-21')).toBe(true);
  });

  it('is an open item past the end of its sprint', () => {
    expect(isOverdue(open, iteration21, '2026-11-27')).toBe(false);
    expect(isOverdue(open, iteration21, '2026-11-28')).toBe(true);
  });

  it('is never a done item', () => {
    expect(isOverdue({ state: 'done', dueDate: '2020-01-01' }, iteration21, '2026-12-31')).toBe(false);
  });

  it('needs a date to be late against', () => {
    expect(isOverdue(open, { ...iteration21, endDate: null }, '2030-01-01')).toBe(false);
  });

  it('became due on the earlier of due date and sprint end', () => {
    expect(effectiveDueDate('2026-11-20', iteration21)).toBe('2026-11-20');
    expect(effectiveDueDate('2026-12-20', iteration21)).toBe('2026-11-27');
    expect(effectiveDueDate(null, iteration21)).toBe('2026-11-27');
    expect(effectiveDueDate(null, null)).toBeNull();
  });
});
