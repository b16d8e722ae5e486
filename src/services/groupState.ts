import { criterionProgress, overallProgress } from '../domain/criteria.js';
import { daysBetween, localDate } from '../domain/dates.js';
import { effectiveDueDate, isOverdue } from '../domain/overdue.js';
import type { ProgressSnapshot } from '../domain/snapshot.js';
import { snapshotCriteria } from '../domain/snapshot.js';
import { currentSprint, resolveSprint } from '../domain/sprints.js';
import type {
  Coverage,
  CriterionProgress,
  FollowUp,
  IsoDate,
  Role,
  Sprint,
  WorkingGroup,
} from '../domain/types.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { SyncState } from '../store/repositories/syncState.js';
import type { Store } from '../store/store.js';

/** An item with what the rules say about it today. */
export interface EvaluatedItem {
  item: StoredActionItem;
  sprint: Sprint | null;
  overdue: boolean;
  /** The day it fell due (due date or sprint end), when it has one. */
  dueOn: IsoDate | null;
}

/** Everything known about a group at one moment, computed once and read by status, digest and snapshots. */
export interface GroupState {
  group: WorkingGroup;
  today: IsoDate;
  /** Days to the target end date; null without one, and for a paused or ended group (no deadline runs). */
  daysLeft: number | null;
  exit: CriterionProgress[];
  entry: CriterionProgress[];
  /** Mean of the measured top-level exit criteria; null when none has a figure. */
  overall: number | null;
  coverage: Coverage;
  roles: Role[];
  followUps: FollowUp[];
  items: EvaluatedItem[];
  currentSprint: Sprint | null;
  sync: SyncState;
}

export function loadGroupState(store: Store, group: WorkingGroup, now: Date): GroupState {
  const today = localDate(now, group.timezone);
  const exit = store.groups.criteria(group.id, 'exit').map(criterionProgress);
  const entry = store.groups.criteria(group.id, 'entry').map(criterionProgress);
  const sprints = store.sprints.list(group.id);
  const items = store.items.listByWg(group.id).map((item): EvaluatedItem => {
    const sprint = resolveSprint(item.sprint, sprints, group.cadence);
    return {
      item,
      sprint,
      overdue: isOverdue(item, sprint, today),
      dueOn: effectiveDueDate(item.dueDate, sprint),
    };
  });
  const { overall, coverage } = overallProgress(exit);
  return {
    group,
    today,
    daysLeft:
      group.targetEndDate && group.lifecycle === 'active' ? daysBetween(today, group.targetEndDate) : null,
    exit,
    entry,
    overall,
    coverage,
    roles: store.groups.roles(group.id),
    followUps: store.groups.followUps(group.id),
    items,
    currentSprint: currentSprint(today, sprints, group.cadence),
    sync: store.syncState.get(group.id),
  };
}

export function toSnapshot(state: GroupState, takenAt: Date): ProgressSnapshot {
  return {
    takenAt: takenAt.toISOString(),
    overall: state.overall,
    criteria: snapshotCriteria(state.exit),
    items: state.items.map(({ item, sprint, overdue }) => ({
      key: `i${item.id}`,
      title: item.title,
      state: item.state,
      sprintNumber: sprint?.number ?? null,
      sprintTitle: sprint?.title ?? null,
      dueDate: item.dueDate,
      overdue,
      owners: item.owners,
      confidential: item.confidential,
    })),
  };
}

/** Two snapshots say the same when all but their time agree: no need to store the second. */
export function sameProgress(a: ProgressSnapshot, b: ProgressSnapshot): boolean {
  return JSON.stringify({ ...a, takenAt: '' }) === JSON.stringify({ ...b, takenAt: '' });
}

/** Records a snapshot of the group now unless nothing changed since the last one. Call inside a transaction. */
export function recordSnapshot(store: Store, group: WorkingGroup, now: Date, trigger: string): number | null {
  const snapshot = toSnapshot(loadGroupState(store, group, now), now);
  const latest = store.snapshots.latest(group.id);
  if (latest && sameProgress(latest.snapshot, snapshot)) return null;
  return store.snapshots.insert(group.id, snapshot, trigger);
}
