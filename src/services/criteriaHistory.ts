import {
  type ChangeAuthor,
  criteriaChanges,
  criterionFacts,
  type CriterionFacts,
} from '../domain/criteriaHistory.js';
import { criterionProgress, flattenProgress } from '../domain/criteria.js';
import type { Criterion, PercentSource, WorkingGroup } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { NotFoundError } from './status.js';
import type { StoredCriterionChange } from '../store/repositories/criterionChanges.js';

export type { StoredCriterionChange } from '../store/repositories/criterionChanges.js';

/** The facts a group's criteria history follows, both sections, as they stand now. */
export function readCriteria(store: Store, wgId: number): CriterionFacts[] {
  return [
    ...criterionFacts(store.criteria.of(wgId, 'exit')),
    ...criterionFacts(store.criteria.of(wgId, 'entry')),
  ];
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

/** A criterion as people number them ('1', '1.2') and its title. */
export interface CriterionRef {
  id: number;
  path: string;
  title: string;
}

/** The exit criterion numbered `path` ('2', '1.3'), or an error naming the numbers there are. */
export function findCriterion(store: Store, wgId: number, path: string): CriterionRef {
  const flat = flattenProgress(store.criteria.of(wgId, 'exit').map(criterionProgress));
  const found = flat.find((f) => f.path === path);
  if (found && found.node.id !== null) return { id: found.node.id, path, title: found.node.title };
  const known = flat.filter((f) => f.depth === 0).length;
  throw new NotFoundError(
    known === 0
      ? 'this group has no exit criteria yet'
      : `no exit criterion ${path} (they are numbered 1–${known}, sub-items like 1.2)`,
  );
}

/** A group's history as a command shows it: of one criterion, or of all of them. */
export interface HistoryAnswer {
  slug: string;
  name: string;
  criterion: CriterionRef | null;
  changes: StoredCriterionChange[];
  /** How many were asked for: as many came back, there may be more. */
  limit: number;
}

export function historyOf(
  store: Store,
  group: WorkingGroup,
  criterionPath: string | null,
  limit = HISTORY_LIMIT,
): HistoryAnswer {
  const criterion = criterionPath === null ? null : findCriterion(store, group.id, criterionPath);
  return {
    slug: group.slug,
    name: group.name,
    criterion,
    changes: criteriaHistory(store, group.id, criterion?.id ?? null, limit),
    limit,
  };
}

/** A change people make by hand: the hand-set figure (null: none) or the owner (null: none). */
export type CriterionEdit = { percent: number | null } | { owner: string | null };

export interface EditOutcome {
  criterion: CriterionRef;
  /** Whether the stored value changed (false: it already was so). */
  updated: boolean;
  /** How many of the criterion's followed facts (the figure shown, its source, the owner) changed. */
  changed: number;
  /** The figure shown after the edit and its source: a GitLab or page figure comes before a hand-set one. */
  percent: number | null;
  source: PercentSource | null;
}

/** Sets a criterion's hand-set figure or owner, in one transaction with its history. */
export function editCriterion(
  store: Store,
  group: WorkingGroup,
  path: string,
  edit: CriterionEdit,
  by: ChangeAuthor,
  now: Date,
): EditOutcome {
  return store.transaction(() => {
    const criterion = findCriterion(store, group.id, path);
    const stored = flatCriteria(store.criteria.of(group.id, 'exit')).find((c) => c.id === criterion.id)!;
    const before = readCriteria(store, group.id);
    const fields = {
      manualPercent: 'percent' in edit ? edit.percent : stored.manualPercent,
      owner: 'owner' in edit ? edit.owner : stored.owner,
    };
    const updated = fields.manualPercent !== stored.manualPercent || fields.owner !== stored.owner;
    store.criteria.setManual(group.id, criterion.id, fields);
    const changed = recordCriteriaChanges(store, group.id, before, by, now);
    const after = readCriteria(store, group.id).find((f) => f.id === criterion.id)!;
    return { criterion, updated, changed, percent: after.percent, source: after.source };
  });
}

function flatCriteria(nodes: Criterion[]): Criterion[] {
  return nodes.flatMap((n) => [n, ...flatCriteria(n.children)]);
}
