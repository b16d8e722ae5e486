import { createHash } from 'node:crypto';
import { criterionProgress, overallProgress } from '../domain/criteria.js';
import { daysBetween, localDate } from '../domain/dates.js';
import { effectiveDueDate, isOverdue } from '../domain/overdue.js';
import { type ItemFacts, itemChanges } from '../domain/itemHistory.js';
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
  SprintCadence,
  SprintRef,
  WorkingGroup,
} from '../domain/types.js';
import type { Forecast } from '../domain/forecast.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { SyncState } from '../store/repositories/syncState.js';
import type { StoredSource } from '../store/repositories/gitlabSources.js';
import type { Store } from '../store/store.js';
import { groupForecast } from './forecast.js';

/** An item with what the rules say about it today. */
export interface EvaluatedItem {
  item: StoredActionItem;
  sprint: Sprint | null;
  overdue: boolean;
  /** The day it fell due (due date or sprint end), when it has one. */
  dueOn: IsoDate | null;
  /** Days since it fell due, while it is overdue; null otherwise. */
  daysLate: number | null;
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
  /** The group's GitLab links, each with how its latest fetch went. */
  links: StoredSource[];
  /** Where the overall figure is going at its recent pace; null for a paused or ended group. */
  forecast: Forecast | null;
}

/**
 * What the rules say about each item today. A group's items share a handful of sprints, so each sprint is
 * resolved once, not once per item: at 10,000 items that was most of a `/wg status`.
 */
export function evaluateItems(
  items: StoredActionItem[],
  sprints: Sprint[],
  cadence: SprintCadence | null,
  today: IsoDate,
): EvaluatedItem[] {
  const resolved = new Map<string, Sprint | null>();
  const sprintOf = (ref: SprintRef | null): Sprint | null => {
    if (ref === null) return null;
    const key = `${ref.source}\u0000${ref.number ?? ''}\u0000${ref.title}`;
    let sprint = resolved.get(key);
    if (sprint === undefined) {
      sprint = resolveSprint(ref, sprints, cadence);
      resolved.set(key, sprint);
    }
    return sprint;
  };
  return items.map((item): EvaluatedItem => {
    const sprint = sprintOf(item.sprint);
    const overdue = isOverdue(item, sprint, today);
    const dueOn = effectiveDueDate(item.dueDate, sprint);
    return { item, sprint, overdue, dueOn, daysLate: overdue && dueOn ? daysBetween(dueOn, today) : null };
  });
}

export function loadGroupState(store: Store, group: WorkingGroup, now: Date): GroupState {
  const today = localDate(now, group.timezone);
  const exit = store.criteria.of(group.id, 'exit').map(criterionProgress);
  const entry = store.criteria.of(group.id, 'entry').map(criterionProgress);
  const sprints = store.sprints.list(group.id);
  const items = evaluateItems(store.items.listByWg(group.id), sprints, group.cadence, today);
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
    roles: store.roles.of(group.id),
    followUps: store.followUps.of(group.id),
    items,
    currentSprint: currentSprint(today, sprints, group.cadence),
    sync: store.syncState.get(group.id),
    links: store.sources.listByWg(group.id),
    forecast: groupForecast(store, group, today, overall),
  };
}

export function toSnapshot(state: GroupState, takenAt: Date): ProgressSnapshot {
  return {
    takenAt: takenAt.toISOString(),
    overall: state.overall,
    criteria: snapshotCriteria(state.exit),
    items: state.items.map(({ item, sprint }) => ({
      key: `i${item.id}`,
      title: item.title,
      state: item.state,
      sprintNumber: sprint?.number ?? null,
      sprintTitle: sprint?.title ?? null,
      dueDate: item.dueDate,
      confidential: item.confidential,
    })),
  };
}

/**
 * Records the group's progress now: today's figures (updated in place) and an event for each item that
 * was added, removed, closed, reopened, or moved sprint or due date since the last record. Writes nothing
 * when nothing changed. Call inside a transaction.
 */
export function recordProgress(store: Store, group: WorkingGroup, now: Date): ProgressSnapshot {
  const state = loadGroupState(store, group, now);
  const snapshot = toSnapshot(state, now);
  const facts: ItemFacts[] = snapshot.items.map((i) => ({
    itemId: Number(i.key.slice(1)),
    state: i.state,
    sprintNumber: i.sprintNumber,
    sprintTitle: i.sprintTitle,
    dueDate: i.dueDate,
  }));
  const { events, changed } = itemChanges(store.itemHistory.recorded(group.id), facts, snapshot.takenAt);
  store.itemHistory.record(group.id, events, changed);
  store.progressDays.record(group.id, snapshot.takenAt, snapshot, progressFingerprint(state));
  return snapshot;
}

/**
 * A hash of everything the group's progress snapshot used to hold — figures, and each item's title,
 * state, sprint, due date, overdue flag, owners and place — so a day's point moves exactly when a
 * snapshot used to be stored, and the burn-up keeps its shape.
 */
export function progressFingerprint(state: GroupState): string {
  const hash = new FingerprintHash(state.overall, snapshotCriteria(state.exit));
  for (const item of state.items) hash.add(item);
  return hash.digest();
}

/**
 * The fingerprint fed an item at a time, in the listing order, so a group of 100,000 items can be hashed
 * a page at a time: it hashes the same text as `JSON.stringify([overall, criteria, items])` would.
 */
export class FingerprintHash {
  readonly #hash = createHash('sha256');
  #first = true;

  constructor(overall: number | null, criteria: ProgressSnapshot['criteria']) {
    this.#hash.update(`[${JSON.stringify(overall)},${JSON.stringify(criteria)},[`);
  }

  add({ item, sprint, overdue }: EvaluatedItem): void {
    const facts = [
      item.id,
      item.title,
      item.state,
      sprint?.number ?? null,
      sprint?.title ?? null,
      item.dueDate,
      overdue,
      item.owners,
      item.confidential,
    ];
    this.#hash.update(`${this.#first ? '' : ','}${JSON.stringify(facts)}`);
    this.#first = false;
  }

  digest(): string {
    return this.#hash.update(']]').digest('base64url').slice(0, 22);
  }
}

/** Records progress now and the figures a posted digest is compared against next time; returns their id. */
export function recordDigestBaseline(store: Store, group: WorkingGroup, now: Date): number {
  const snapshot = recordProgress(store, group, now);
  return store.snapshots.insert(group.id, snapshot, 'digest');
}
