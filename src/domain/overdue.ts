import type { IsoDate, ItemState, Sprint } from './types.js';

/**
 * An item is overdue when it is still open after its due date, or after the last day of its sprint.
 * Both are calendar dates in the group's zone: an item due today is not overdue until tomorrow.
 */
export function isOverdue(
  item: { state: ItemState; dueDate: IsoDate | null },
  sprint: Sprint | null,
  today: IsoDate,
): boolean {
  if (item.state !== 'open') return false;
  if (item.dueDate !== null && item.dueDate < today) return true;
  return sprint?.endDate != null && sprint.endDate < today;
}

/** The date an overdue item became due: the earlier of its due date and its sprint's end. */
export function effectiveDueDate(dueDate: IsoDate | null, sprint: Sprint | null): IsoDate | null {
  const sprintEnd = sprint?.endDate ?? null;
  if (dueDate === null) return sprintEnd;
  if (sprintEnd === null) return dueDate;
  return dueDate < sprintEnd ? dueDate : sprintEnd;
}
