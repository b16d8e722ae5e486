import { describe, expect, it } from 'vitest';
import { criteriaChanges, criterionFacts, type CriterionFacts } from '../../src/domain/criteriaHistory.js';
import { clampPercent, type KeyResult, planOkrCriteria } from '../../src/domain/okr.js';
import type { Criterion } from '../../src/domain/types.js';

const facts = (id: number, fields: Partial<CriterionFacts> = {}): CriterionFacts => ({
  id,
  title: `C${id}`,
  percent: null,
  source: null,
  owner: null,
  ...fields,
});

const criterion = (id: number, fields: Partial<Criterion> = {}): Criterion => ({
  id,
  section: 'exit',
  title: `C${id}`,
  url: null,
  gitlabPercent: null,
  handbookPercent: null,
  manualPercent: null,
  weight: null,
  sourceLine: null,
  owner: null,
  children: [],
  ...fields,
});

describe('criteria changes', () => {
  it('one change per field that differs, from → to', () => {
    const before = [facts(1, { percent: 40, source: 'handbook' }), facts(2, { owner: 'Ada' })];
    const after = [
      facts(1, { percent: 100, source: 'gitlab' }),
      facts(2, { owner: 'Ada', title: 'Renamed' }),
    ];
    expect(criteriaChanges(before, after)).toEqual([
      { criterionId: 1, criterionTitle: 'C1', field: 'percent', from: 40, to: 100 },
      { criterionId: 1, criterionTitle: 'C1', field: 'source', from: 'handbook', to: 'gitlab' },
      { criterionId: 2, criterionTitle: 'Renamed', field: 'title', from: 'C2', to: 'Renamed' },
    ]);
  });

  it('nothing when nothing changed; a new criterion from nothing; a removed one once, by its title', () => {
    expect(criteriaChanges([facts(1, { percent: 5 })], [facts(1, { percent: 5 })])).toEqual([]);
    expect(criteriaChanges([], [facts(3, { percent: 10, source: 'manual' })])).toEqual([
      { criterionId: 3, criterionTitle: 'C3', field: 'title', from: null, to: 'C3' },
      { criterionId: 3, criterionTitle: 'C3', field: 'percent', from: null, to: 10 },
      { criterionId: 3, criterionTitle: 'C3', field: 'source', from: null, to: 'manual' },
    ]);
    expect(criteriaChanges([facts(4, { percent: 10, owner: 'Ada' })], [])).toEqual([
      { criterionId: 4, criterionTitle: 'C4', field: 'title', from: 'C4', to: null },
    ]);
  });

  it('follows the figure shown: a sub-item changing moves its parent’s roll-up too', () => {
    const tree = (child: number) => [
      criterion(1, {
        children: [criterion(2, { handbookPercent: child }), criterion(3, { handbookPercent: 100 })],
      }),
    ];
    const changes = criteriaChanges(criterionFacts(tree(0)), criterionFacts(tree(50)));
    expect(changes.map((c) => [c.criterionId, c.field, c.from, c.to])).toEqual([
      [1, 'percent', 50, 75],
      [2, 'percent', 0, 50],
    ]);
  });
});

const kr = (id: number, title = `KR ${id}`, progress = 10 * id): KeyResult => ({
  key: `kr:1:${id}`,
  title,
  url: `https://gitlab.example.com/g/-/work_items/${id}`,
  progress,
  health: null,
});

describe('key results as criteria', () => {
  it('creates criteria for new key results, updates the known ones by key (renamed too), retires the gone', () => {
    const existing = [
      { id: 11, okrKey: 'kr:1:1', title: 'KR 1' },
      { id: 12, okrKey: 'kr:1:2', title: 'KR 2' },
    ];
    const plan = planOkrCriteria(existing, [kr(1, 'KR one, renamed'), kr(3)]);
    expect(plan.create.map((k) => k.key)).toEqual(['kr:1:3']);
    expect(plan.update).toEqual([{ id: 11, keyResult: kr(1, 'KR one, renamed') }]);
    expect(plan.retire).toEqual([12]);
    expect(plan.leftOut).toBe(0);
  });

  it('keeps at most `max`, counts the rest, and takes a key result listed twice once', () => {
    const plan = planOkrCriteria([], [kr(1), kr(1), kr(2), kr(3)], 2);
    expect(plan.create.map((k) => k.key)).toEqual(['kr:1:1', 'kr:1:2']);
    expect(plan.leftOut).toBe(1);
  });

  it('holds a figure within 0–100 and reads no number as none', () => {
    expect([
      clampPercent(120),
      clampPercent(-3),
      clampPercent(42.5),
      clampPercent(NaN),
      clampPercent(null),
    ]).toEqual([100, 0, 42.5, null, null]);
  });
});
