import { criterionProgress, flattenProgress } from './criteria.js';
import type { Criterion, PercentSource } from './types.js';

/** What of a criterion its history follows. */
export type CriterionField = 'percent' | 'source' | 'title' | 'owner';

/** Who or what changed a criterion: a sync, a page import, the CLI, or a Slack user (`slack:U123`). */
export type ChangeAuthor = 'sync' | 'import' | 'cli' | `slack:${string}`;

/** A criterion's followed facts at one moment: its shown figure and that figure's source, title, owner. */
export interface CriterionFacts {
  id: number;
  title: string;
  percent: number | null;
  source: PercentSource | null;
  owner: string | null;
}

export interface CriterionChange {
  criterionId: number;
  /** The title after the change (before it, for a criterion that went away). */
  criterionTitle: string;
  field: CriterionField;
  from: string | number | null;
  to: string | number | null;
}

/** Every stored criterion of a section tree (with an id) and the facts its history follows. */
export function criterionFacts(tree: Criterion[]): CriterionFacts[] {
  return flattenProgress(tree.map(criterionProgress)).flatMap(({ node }) =>
    node.id === null
      ? []
      : [{ id: node.id, title: node.title, percent: node.percent, source: node.source, owner: node.owner }],
  );
}

const FIELDS: CriterionField[] = ['title', 'percent', 'source', 'owner'];

/**
 * What changed between two readings of a group's criteria, one change per field. A criterion that appears
 * changes from nothing (null) to its facts; one that goes away changes its title to null (its other facts
 * go with it and are not repeated).
 */
export function criteriaChanges(before: CriterionFacts[], after: CriterionFacts[]): CriterionChange[] {
  const old = new Map(before.map((f) => [f.id, f]));
  const changes: CriterionChange[] = [];
  for (const now of after) {
    const was = old.get(now.id);
    old.delete(now.id);
    for (const field of FIELDS) {
      const from = was ? was[field] : null;
      if (from !== now[field])
        changes.push({ criterionId: now.id, criterionTitle: now.title, field, from, to: now[field] });
    }
  }
  for (const gone of old.values())
    changes.push({
      criterionId: gone.id,
      criterionTitle: gone.title,
      field: 'title',
      from: gone.title,
      to: null,
    });
  return changes;
}
