import { localDate } from '../domain/dates.js';
import type { LadderFacts } from '../domain/ladder.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { loadGroupState } from './groupState.js';
import type { LadderAsked } from './ports.js';
import { type StatusItem, type StatusReport, statusReport } from './status.js';

/** A group at one moment, as the ladder reads it: its status report (what the views show), items by id. */
export interface GroupNow {
  group: WorkingGroup;
  report: StatusReport;
  items: Map<number, StatusItem>;
}

/** From a report already made (the nudge run's), so the ladder does not go over every group twice. */
export function fromReport(group: WorkingGroup, report: StatusReport): GroupNow {
  return { group, report, items: new Map(report.items.map((i) => [i.id, i])) };
}

export function groupNow(store: Store, group: WorkingGroup, now: Date): GroupNow {
  return fromReport(group, statusReport(loadGroupState(store, group, now)));
}

/** The day an item fell due: the earlier of its due date and its sprint's end (as `isOverdue` counts). */
function dueOn(item: StatusItem): string | null {
  if (item.dueDate && item.sprintEnd) return item.dueDate < item.sprintEnd ? item.dueDate : item.sprintEnd;
  return item.dueDate ?? item.sprintEnd;
}

/**
 * The facts the domain decides on, for one item of a group now (dates in the group's zone). A snoozed
 * item does not count as overdue: the snooze was its owner's answer. null: no such item in the group.
 */
export function ladderFacts(
  store: Store,
  at: GroupNow,
  itemId: number,
  now: Date,
  blocked = false,
): LadderFacts | null {
  const item = at.items.get(itemId);
  if (!item) return null;
  const snoozed = item.snoozedUntil !== null && new Date(item.snoozedUntil) > now;
  const zone = at.group.timezone;
  const reached: LadderFacts['reached'] = {};
  for (const s of store.ladder.steps(itemId)) reached[s.step] = localDate(s.reachedAt, zone);
  return {
    today: localDate(now, zone),
    overdueSince: item.overdue && !snoozed ? dueOn(item) : null,
    unansweredNudges: store.nudges.unansweredCount(itemId),
    reached,
    holdUntil: store.ladder.holdUntil(itemId),
    blocked,
  };
}

/** Whether the owner's new date still holds the item's ladder, on the group's calendar. */
export function isHeld(store: Store, at: GroupNow, itemId: number, now: Date): boolean {
  const until = store.ladder.holdUntil(itemId);
  return until !== null && localDate(now, at.group.timezone) <= until;
}

/** Who was asked about an item so far, and when (sent messages only). */
export function askedAbout(store: Store, itemId: number): LadderAsked[] {
  return store.ladder
    .asks(itemId)
    .filter((a) => a.state === 'sent' && a.askedAt !== null)
    .map((a) => ({ step: a.step, name: a.name, slackUserId: a.slackUserId, at: a.askedAt! }));
}
