import { flattenProgress } from './criteria.js';
import type { CriterionProgress, IsoDate, ItemState } from './types.js';

/** What a working group looked like at one moment: enough to say what changed and to draw a burn-up. */
export interface ProgressSnapshot {
  takenAt: string;
  /** Null when no top-level exit criterion had a figure. */
  overall: number | null;
  criteria: SnapshotCriterion[];
  items: SnapshotItem[];
}

export interface SnapshotCriterion {
  /** Stable across snapshots: the criterion's id when stored, else its path. */
  key: string;
  path: string;
  title: string;
  percent: number | null;
}

export interface SnapshotItem {
  key: string;
  title: string;
  state: ItemState;
  sprintNumber: number | null;
  sprintTitle: string | null;
  dueDate: IsoDate | null;
  overdue: boolean;
  owners: string[];
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
  newlyOverdue: SnapshotItem[];
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
export function diffSnapshots(before: ProgressSnapshot | null, after: ProgressSnapshot): SnapshotDiff {
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
    newlyOverdue: [],
  };
  for (const item of after.items) {
    const old = beforeItems.get(item.key);
    if (!old) {
      diff.added.push(item);
      if (item.overdue) diff.newlyOverdue.push(item);
      continue;
    }
    if (old.state === 'open' && item.state === 'done') diff.closed.push(item);
    if (old.state === 'done' && item.state === 'open') diff.reopened.push(item);
    if (!old.overdue && item.overdue) diff.newlyOverdue.push(item);
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
    diff.slipped.length + diff.newlyOverdue.length === 0
  );
}
