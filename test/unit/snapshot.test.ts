import { describe, expect, it } from 'vitest';
import {
  diffSnapshots,
  isEmptyDiff,
  type ProgressSnapshot,
  type SnapshotItem,
} from '../../src/domain/snapshot.js';

function item(key: string, fields: Partial<SnapshotItem> = {}): SnapshotItem {
  return {
    key,
    title: `Item ${key}`,
    state: 'open',
    sprintNumber: 20,
    sprintTitle: 'Sprint 20',
    dueDate: null,
    confidential: false,
    ...fields,
  };
}

function snap(
  overall: number,
  items: SnapshotItem[],
  criteria: [string, number | null][] = [],
): ProgressSnapshot {
  return {
    takenAt: '2026-11-16T09:00:00.000Z',
    overall,
    criteria: criteria.map(([key, percent], i) => ({
      key,
      path: String(i + 1),
      title: `Criterion ${key}`,
      percent,
    })),
    items,
  };
}

describe('diffSnapshots', () => {
  it('reports closed, reopened, added, removed and slipped items, and criteria that moved', () => {
    const before = snap(
      40,
      [
        item('a'),
        item('b', { state: 'done' }),
        item('c'),
        item('d'),
        item('e', { dueDate: '2026-11-20' }),
        item('f'),
      ],
      [
        ['c1', 50],
        ['c2', 30],
      ],
    );
    const after = snap(
      55,
      [
        item('a', { state: 'done' }),
        item('b'),
        item('d', { sprintNumber: 21, sprintTitle: 'Sprint 21' }),
        item('e', { dueDate: '2026-11-27' }),
        item('f'),
        item('g'),
      ],
      [
        ['c1', 80],
        ['c2', 30],
      ],
    );
    const diff = diffSnapshots(before, after);
    expect(diff.overall).toEqual({ from: 40, to: 55, delta: 15 });
    expect(diff.criteria).toEqual([{ key: 'c1', title: 'Criterion c1', from: 50, to: 80 }]);
    expect(diff.closed.map((i) => i.key)).toEqual(['a']);
    expect(diff.reopened.map((i) => i.key)).toEqual(['b']);
    expect(diff.added.map((i) => i.key)).toEqual(['g']);
    expect(diff.removed.map((i) => i.key)).toEqual(['c']);
    expect(diff.slipped.map((s) => [s.item.key, s.from, s.to])).toEqual([
      ['d', 'Sprint 20', 'Sprint 21'],
      ['e', 'due 2026-11-20', 'due 2026-11-27'],
    ]);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it('does not call a done item that moved sprint a slip', () => {
    const diff = diffSnapshots(
      snap(0, [item('a')]),
      snap(0, [item('a', { state: 'done', sprintNumber: 21, sprintTitle: 'Sprint 21' })]),
    );
    expect(diff.slipped).toEqual([]);
    expect(diff.closed).toHaveLength(1);
  });

  it('treats everything as added when there is no earlier snapshot', () => {
    const diff = diffSnapshots(null, snap(20, [item('a'), item('b')], [['c1', 20]]));
    expect(diff.added).toHaveLength(2);
    expect(diff.criteria).toEqual([]);
    expect(diff.overall).toEqual({ from: null, to: 20, delta: null });
  });

  it('is empty when nothing changed', () => {
    const s = snap(30, [item('a')], [['c1', 30]]);
    expect(isEmptyDiff(diffSnapshots(s, { ...s, takenAt: '2026-11-23T09:00:00.000Z' }))).toBe(true);
  });

  it('notices a criterion losing its figure', () => {
    const diff = diffSnapshots(snap(0, [], [['c1', 50]]), snap(0, [], [['c1', null]]));
    expect(diff.criteria).toEqual([{ key: 'c1', title: 'Criterion c1', from: 50, to: null }]);
  });
});
