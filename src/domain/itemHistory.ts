import type { IsoDate, ItemState } from './types.js';

/**
 * Item history as events instead of copies: the store keeps each item's last recorded facts and one
 * event per change (added, removed, state, sprint, due date). What the items looked like at an earlier
 * moment is the last recorded facts with the later events undone, newest first.
 */
export interface ItemFacts {
  itemId: number;
  state: ItemState;
  sprintNumber: number | null;
  sprintTitle: string | null;
  dueDate: IsoDate | null;
}

/** An item's last recorded facts; `present` is false once it left the group (gone from GitLab). */
export interface TrackedItem extends ItemFacts {
  present: boolean;
}

export type ItemEventKind = 'added' | 'removed' | 'state' | 'sprint_number' | 'sprint_title' | 'due_date';

export type FactValue = string | number | null;

export interface ItemEvent {
  itemId: number;
  at: string;
  kind: ItemEventKind;
  from: FactValue;
  to: FactValue;
}

const FIELDS = {
  state: 'state',
  sprint_number: 'sprintNumber',
  sprint_title: 'sprintTitle',
  due_date: 'dueDate',
} as const satisfies Partial<Record<ItemEventKind, keyof ItemFacts>>;

type FieldKind = keyof typeof FIELDS;

/**
 * The events that turn the recorded items into `current` at `at`, and the rows to record afterwards (only
 * those that changed). An item missing from `current` is removed; one that comes back is added again.
 */
export function itemChanges(
  recorded: TrackedItem[],
  current: ItemFacts[],
  at: string,
): { events: ItemEvent[]; changed: TrackedItem[] } {
  const before = new Map(recorded.map((r) => [r.itemId, r]));
  const events: ItemEvent[] = [];
  const changed: TrackedItem[] = [];
  const seen = new Set<number>();
  for (const facts of current) {
    seen.add(facts.itemId);
    const old = before.get(facts.itemId);
    const fieldEvents = old ? fieldChanges(old, facts, at) : [];
    const comesBack = !old || !old.present;
    if (comesBack) events.push({ itemId: facts.itemId, at, kind: 'added', from: null, to: null });
    events.push(...fieldEvents);
    if (comesBack || fieldEvents.length > 0) changed.push({ ...facts, present: true });
  }
  for (const old of recorded) {
    if (!old.present || seen.has(old.itemId)) continue;
    events.push({ itemId: old.itemId, at, kind: 'removed', from: null, to: null });
    changed.push({ ...old, present: false });
  }
  return { events, changed };
}

function fieldChanges(old: ItemFacts, now: ItemFacts, at: string): ItemEvent[] {
  const events: ItemEvent[] = [];
  for (const [kind, field] of Object.entries(FIELDS) as [FieldKind, keyof ItemFacts][]) {
    if (old[field] !== now[field])
      events.push({ itemId: now.itemId, at, kind, from: old[field], to: now[field] });
  }
  return events;
}

/**
 * The items as they were before `laterEvents` happened: `recorded` with each event undone, newest first.
 * Events about items not recorded (a forgiving reader: rows lost by hand) are skipped.
 */
export function rewind(recorded: TrackedItem[], laterEvents: ItemEvent[]): TrackedItem[] {
  const items = new Map(recorded.map((r) => [r.itemId, { ...r }]));
  // Given oldest first (as stored); reversed, then a stable sort keeps ties newest first.
  const newestFirst = [...laterEvents].reverse().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  for (const event of newestFirst) {
    const item = items.get(event.itemId);
    if (!item) continue;
    if (event.kind === 'added') item.present = false;
    else if (event.kind === 'removed') item.present = true;
    else undoField(item, event.kind, event.from);
  }
  return [...items.values()];
}

function undoField(item: TrackedItem, kind: FieldKind, from: FactValue): void {
  if (kind === 'state') {
    if (from === 'open' || from === 'done') item.state = from;
  } else if (kind === 'sprint_number') item.sprintNumber = typeof from === 'number' ? from : null;
  else if (kind === 'sprint_title') item.sprintTitle = typeof from === 'string' ? from : null;
  else item.dueDate = typeof from === 'string' ? from : null;
}

/** How many items a group had, and how many of them were done, at the end of a day. */
export interface DayCounts {
  day: IsoDate;
  items: number;
  done: number;
}

/**
 * The burn-up's scope and done lines: for each of `days` (calendar days, UTC as the events' `at`), the
 * items present and done at the end of that day — `recorded` with every later event undone, newest
 * first, counting as it goes (one pass over the events, whatever the number of days).
 */
export function countsByDay(recorded: TrackedItem[], events: ItemEvent[], days: IsoDate[]): DayCounts[] {
  const items = new Map(recorded.map((r) => [r.itemId, { ...r }]));
  let present = 0;
  let done = 0;
  for (const item of items.values()) {
    if (!item.present) continue;
    present += 1;
    if (item.state === 'done') done += 1;
  }
  const newestFirst = [...events].reverse().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const result: DayCounts[] = [];
  let next = 0;
  for (const day of [...new Set(days)].sort().reverse()) {
    for (; next < newestFirst.length && newestFirst[next]!.at.slice(0, 10) > day; next += 1) {
      const event = newestFirst[next]!;
      const item = items.get(event.itemId);
      if (!item) continue;
      const wasDone = item.present && item.state === 'done';
      const wasPresent = item.present;
      if (event.kind === 'added') item.present = false;
      else if (event.kind === 'removed') item.present = true;
      else undoField(item, event.kind, event.from);
      present += Number(item.present) - Number(wasPresent);
      done += Number(item.present && item.state === 'done') - Number(wasDone);
    }
    result.push({ day, items: present, done });
  }
  return result.reverse();
}
