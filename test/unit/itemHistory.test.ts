import { describe, expect, it } from 'vitest';
import {
  countsByDay,
  type ItemFacts,
  itemChanges,
  rewind,
  type TrackedItem,
} from '../../src/domain/itemHistory.js';

function facts(itemId: number, fields: Partial<ItemFacts> = {}): ItemFacts {
  return { itemId, state: 'open', sprintNumber: 20, sprintTitle: 'Sprint 20', dueDate: null, ...fields };
}

const T1 = '2026-11-16T09:00:00.000Z';
const T2 = '2026-11-17T09:00:00.000Z';
const T3 = '2026-11-18T09:00:00.000Z';

/** Applies one record the way recordProgress does: events appended, changed rows replaced. */
function record(
  state: { tracked: TrackedItem[]; events: ReturnType<typeof itemChanges>['events'] },
  now: ItemFacts[],
  at: string,
) {
  const { events, changed } = itemChanges(state.tracked, now, at);
  const byId = new Map(state.tracked.map((t) => [t.itemId, t]));
  for (const c of changed) byId.set(c.itemId, c);
  return { tracked: [...byId.values()], events: [...state.events, ...events] };
}

describe('item history', () => {
  it('records one event per change, and nothing when nothing changed', () => {
    const first = itemChanges([], [facts(1), facts(2)], T1);
    expect(first.events.map((e) => [e.itemId, e.kind])).toEqual([
      [1, 'added'],
      [2, 'added'],
    ]);
    const tracked = first.changed;
    expect(itemChanges(tracked, [facts(1), facts(2)], T2)).toEqual({ events: [], changed: [] });

    const second = itemChanges(tracked, [facts(1, { state: 'done', dueDate: '2026-12-01' }), facts(3)], T2);
    expect(second.events).toEqual([
      { itemId: 1, at: T2, kind: 'state', from: 'open', to: 'done' },
      { itemId: 1, at: T2, kind: 'due_date', from: null, to: '2026-12-01' },
      { itemId: 3, at: T2, kind: 'added', from: null, to: null },
      { itemId: 2, at: T2, kind: 'removed', from: null, to: null },
    ]);
    expect(second.changed.find((c) => c.itemId === 2)).toMatchObject({ present: false, state: 'open' });
  });

  it('rewinds to any earlier moment: the facts then, and only the items present then', () => {
    let h = record({ tracked: [], events: [] }, [facts(1), facts(2)], T1);
    h = record(
      h,
      [facts(1, { state: 'done' }), facts(2, { sprintNumber: 21, sprintTitle: 'Sprint 21' }), facts(3)],
      T2,
    );
    h = record(h, [facts(1, { state: 'open' }), facts(3, { dueDate: '2026-12-24' })], T3);

    const at = (t: string) =>
      rewind(
        h.tracked,
        h.events.filter((e) => e.at > t),
      )
        .filter((i) => i.present)
        .map(({ present, ...rest }) => (void present, rest))
        .sort((a, b) => a.itemId - b.itemId);

    expect(at(T1)).toEqual([facts(1), facts(2)]);
    expect(at(T2)).toEqual([
      facts(1, { state: 'done' }),
      facts(2, { sprintNumber: 21, sprintTitle: 'Sprint 21' }),
      facts(3),
    ]);
    expect(at(T3)).toEqual([facts(1), facts(3, { dueDate: '2026-12-24' })]);
    expect(at('2026-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('brings back an item that left and returned, with what changed meanwhile', () => {
    let h = record({ tracked: [], events: [] }, [facts(1)], T1);
    h = record(h, [], T2);
    h = record(h, [facts(1, { state: 'done' })], T3);
    expect(h.events.filter((e) => e.at === T3).map((e) => e.kind)).toEqual(['added', 'state']);
    const at = (t: string) =>
      rewind(
        h.tracked,
        h.events.filter((e) => e.at > t),
      ).filter((i) => i.present);
    expect(at(T2)).toEqual([]);
    expect(at(T1)).toEqual([{ ...facts(1), present: true }]);
  });
});

describe('countsByDay', () => {
  it('gives the items present and done at the end of each day, undoing later events', () => {
    const recorded = [
      {
        itemId: 1,
        present: true,
        state: 'done' as const,
        sprintNumber: null,
        sprintTitle: null,
        dueDate: null,
      },
      {
        itemId: 2,
        present: true,
        state: 'open' as const,
        sprintNumber: null,
        sprintTitle: null,
        dueDate: null,
      },
      {
        itemId: 3,
        present: false,
        state: 'open' as const,
        sprintNumber: null,
        sprintTitle: null,
        dueDate: null,
      },
    ];
    const events = [
      { itemId: 1, at: '2026-11-02T10:00:00Z', kind: 'added' as const, from: null, to: null },
      { itemId: 3, at: '2026-11-02T10:00:00Z', kind: 'added' as const, from: null, to: null },
      { itemId: 2, at: '2026-11-05T10:00:00Z', kind: 'added' as const, from: null, to: null },
      { itemId: 1, at: '2026-11-06T09:00:00Z', kind: 'state' as const, from: 'open', to: 'done' },
      { itemId: 3, at: '2026-11-07T09:00:00Z', kind: 'removed' as const, from: null, to: null },
      { itemId: 99, at: '2026-11-07T09:00:00Z', kind: 'added' as const, from: null, to: null },
    ];
    expect(
      countsByDay(recorded, events, ['2026-11-01', '2026-11-02', '2026-11-05', '2026-11-06', '2026-11-08']),
    ).toEqual([
      { day: '2026-11-01', items: 0, done: 0 },
      { day: '2026-11-02', items: 2, done: 0 },
      { day: '2026-11-05', items: 3, done: 0 },
      { day: '2026-11-06', items: 3, done: 1 },
      { day: '2026-11-08', items: 2, done: 1 },
    ]);
  });
});
