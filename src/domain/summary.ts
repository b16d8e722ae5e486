import { effectiveDueDate } from './overdue.js';
import { resolveSprint } from './sprints.js';
import type { IsoDate, Sprint, SprintCadence, SprintRef } from './types.js';

/** Open items that share a due date and a sprint, counted: what a group's figures need of its items. */
export interface OpenItemBatch {
  dueDate: IsoDate | null;
  sprint: SprintRef | null;
  count: number;
}

/** How many open items fall due each day, in date order: `[day, count]`. */
export type OpenDue = [IsoDate, number][];

/**
 * The days open items fall due (the earlier of their due date and their sprint's end, as `isOverdue`
 * reads it), counted per day. Items with neither never fall due and are left out.
 */
export function openDueDays(
  batches: OpenItemBatch[],
  sprints: Sprint[],
  cadence: SprintCadence | null,
): OpenDue {
  const perDay = new Map<IsoDate, number>();
  for (const batch of batches) {
    const day = effectiveDueDate(batch.dueDate, resolveSprint(batch.sprint, sprints, cadence));
    if (day !== null) perDay.set(day, (perDay.get(day) ?? 0) + batch.count);
  }
  return [...perDay].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Open items overdue on `today`: those that fell due on an earlier day. */
export function overdueOn(openDue: OpenDue, today: IsoDate): number {
  let overdue = 0;
  for (const [day, count] of openDue) {
    if (day >= today) break;
    overdue += count;
  }
  return overdue;
}
