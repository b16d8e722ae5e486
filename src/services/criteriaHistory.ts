import {
  type ChangeAuthor,
  criteriaChanges,
  criterionFacts,
  type CriterionFacts,
} from '../domain/criteriaHistory.js';
import type { Store } from '../store/store.js';
import type { StoredCriterionChange } from '../store/repositories/criterionChanges.js';

/** The facts a group's criteria history follows, both sections, as they stand now. */
export function readCriteria(store: Store, wgId: number): CriterionFacts[] {
  return [...criterionFacts(store.criteria.of(wgId, 'exit')), ...criterionFacts(store.criteria.of(wgId, 'entry'))];
}

/**
 * Records what changed in a group's criteria since `before` (read with `readCriteria`), as done by `by`.
 * Call inside the transaction that made the change, so the history and the change commit together.
 */
export function recordCriteriaChanges(
  store: Store,
  wgId: number,
  before: CriterionFacts[],
  by: ChangeAuthor,
  now: Date,
): number {
  const after = readCriteria(store, wgId);
  const changes = criteriaChanges(before, after);
  if (changes.length === 0) return 0;
  const present = new Set(after.map((f) => f.id));
  const gone = new Set(before.filter((f) => !present.has(f.id)).map((f) => f.id));
  store.criterionChanges.record(wgId, changes, by, now, gone);
  return changes.length;
}

/** Runs `change` (inside a transaction) and records what it changed in the group's criteria. */
export function withCriteriaHistory<T>(
  store: Store,
  wgId: number,
  by: ChangeAuthor,
  now: Date,
  change: () => T,
): T {
  const before = readCriteria(store, wgId);
  const result = change();
  recordCriteriaChanges(store, wgId, before, by, now);
  return result;
}

/** How many changes a history answer lists at most. */
export const HISTORY_LIMIT = 50;

/** A group's criteria history, newest first, bounded. */
export function criteriaHistory(
  store: Store,
  wgId: number,
  criterionId: number | null,
  limit = HISTORY_LIMIT,
): StoredCriterionChange[] {
  return store.criterionChanges.latest(wgId, Math.min(Math.max(1, limit), HISTORY_LIMIT * 10), criterionId);
}
