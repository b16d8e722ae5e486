import { flattenProgress } from './criteria.js';
import type { CriterionProgress, IsoDate, ItemState } from './types.js';

/**
 * What a working group looked like at one moment, as far as "what changed since" needs: the figures and
 * each item's state, sprint and due date. The last digest's baseline is one of these, rebuilt from the
 * figures stored with the digest and the item events since (see itemHistory.ts).
 */
export interface ProgressBaseline {
  takenAt: string;
  /** Null when no top-level exit criterion had a figure: unknown, not zero. */
  overall: number | null;
  criteria: CriterionFigure[];
  items: SnapshotItem[];
}

/** The group now: a baseline whose criteria also carry their path and title. */
export interface ProgressSnapshot extends ProgressBaseline {
  criteria: SnapshotCriterion[];
}

export interface CriterionFigure {
  /** Stable across time: the criterion's id when stored, else its path. */
  key: string;
  percent: number | null;
}

export interface SnapshotCriterion extends CriterionFigure {
  path: string;
  title: string;
}

export interface SnapshotItem {
  key: string;
  title: string;
  state: ItemState;
  sprintNumber: number | null;
  sprintTitle: string | null;
  dueDate: IsoDate | null;
  confidential: boolean;
}

export function snapshotCriteria(progress: CriterionProgress[]): SnapshotCriterion[] {
  return flattenProgress(progress).map(({ path, node }) => ({
    key: node.id !== null ? `c${node.id}` : `p${path}`,
    path,
    title: node.title,
    percent: node.percent,
  }));
}

export interface CriterionChange {
  key: string;
  title: string;
  from: number | null;
  to: number | null;
}

export interface Slip {
  item: SnapshotItem;
  from: string;
  to: string;
}

export interface SnapshotDiff {
  /** `delta` is null unless both ends are known: a change from or to "no figure" is not a number. */
  overall: { from: number | null; to: number | null; delta: number | null };
  criteria: CriterionChange[];
  closed: SnapshotItem[];
  reopened: SnapshotItem[];
  added: SnapshotItem[];
  removed: SnapshotItem[];
  /** Open items whose sprint moved later or whose due date moved later. */
  slipped: Slip[];
}

function sprintLabel(item: SnapshotItem): string | null {
  return item.sprintTitle ?? (item.sprintNumber !== null ? `Sprint ${item.sprintNumber}` : null);
}

function slipOf(before: SnapshotItem, after: SnapshotItem): Slip | null {
  if (after.state !== 'open') return null;
  if (
    before.sprintNumber !== null &&
    after.sprintNumber !== null &&
    after.sprintNumber > before.sprintNumber
  ) {
    return { item: after, from: sprintLabel(before)!, to: sprintLabel(after)! };
  }
  if (before.dueDate !== null && after.dueDate !== null && after.dueDate > before.dueDate) {
    return { item: after, from: `due ${before.dueDate}`, to: `due ${after.dueDate}` };
  }
  return null;
}

/** What changed from `before` to `after`; with no `before`, everything in `after` counts as added. */
export function diffSnapshots(before: ProgressBaseline | null, after: ProgressSnapshot): SnapshotDiff {
  const from = before ? before.overall : null;
  const to = after.overall;
  const beforeCriteria = new Map(before?.criteria.map((c) => [c.key, c]) ?? []);
  const beforeItems = new Map(before?.items.map((i) => [i.key, i]) ?? []);
  const afterKeys = new Set(after.items.map((i) => i.key));

  const criteria: CriterionChange[] = [];
  for (const c of after.criteria) {
    const old = beforeCriteria.get(c.key);
    const oldPercent = old ? old.percent : null;
    if (before && oldPercent !== c.percent)
      criteria.push({ key: c.key, title: c.title, from: oldPercent, to: c.percent });
  }

  const diff: SnapshotDiff = {
    overall: { from, to, delta: from === null || to === null ? null : Math.round((to - from) * 10) / 10 },
    criteria,
    closed: [],
    reopened: [],
    added: [],
    removed: before ? before.items.filter((i) => !afterKeys.has(i.key)) : [],
    slipped: [],
  };
  for (const item of after.items) {
    const old = beforeItems.get(item.key);
    if (!old) {
      diff.added.push(item);
      continue;
    }
    if (old.state === 'open' && item.state === 'done') diff.closed.push(item);
    if (old.state === 'done' && item.state === 'open') diff.reopened.push(item);
    const slip = slipOf(old, item);
    if (slip) diff.slipped.push(slip);
  }
  return diff;
}

export function isEmptyDiff(diff: SnapshotDiff): boolean {
  return (
    (diff.overall.delta === 0 || (diff.overall.delta === null && diff.overall.from === diff.overall.to)) &&
    diff.criteria.length === 0 &&
    diff.closed.length + diff.reopened.length + diff.added.length + diff.removed.length === 0 &&
    diff.slipped.length === 0
  );
}
