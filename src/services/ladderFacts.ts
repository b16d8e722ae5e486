import { localDate } from '../domain/dates.js';
import type { LadderFacts } from '../domain/ladder.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { type EvaluatedItem, loadGroupState } from './groupState.js';
import type { LadderAsked } from './ports.js';
import { type StatusReport, statusReport } from './status.js';

/** A group at one moment, as the ladder reads it: its report (what views show) and its evaluated items. */
export interface GroupNow {
  group: WorkingGroup;
  report: StatusReport;
  evaluated: Map<number, EvaluatedItem>;
}

export function groupNow(store: Store, group: WorkingGroup, now: Date): GroupNow {
  const state = loadGroupState(store, group, now);
  return {
    group,
    report: statusReport(state),
    evaluated: new Map(state.items.map((e) => [e.item.id, e])),
  };
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
  const evaluated = at.evaluated.get(itemId);
  if (!evaluated) return null;
  const { item } = evaluated;
  const snoozed = item.snoozedUntil !== null && new Date(item.snoozedUntil) > now;
  const zone = at.group.timezone;
  const reached: LadderFacts['reached'] = {};
  for (const s of store.ladder.steps(itemId)) reached[s.step] = localDate(s.reachedAt, zone);
  return {
    today: localDate(now, zone),
    overdueSince: evaluated.overdue && !snoozed ? evaluated.dueOn : null,
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
