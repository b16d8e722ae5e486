import { roundPercent } from './criteria.js';
import type { ItemSource, ItemState } from './types.js';

export interface MemberFigures {
  source: ItemSource;
  state: ItemState;
  weight: number | null;
  tasksCompleted: number | null;
  tasksTotal: number | null;
}

/**
 * An exit criterion's figure from the GitLab object it is linked to (docs/architecture.md):
 * one issue — its task-list completion, else 0 or 100 by its state;
 * an epic, milestone or issue list — closed children over all children, weighted by `weight` when any
 * child has one (the others weigh 1); an epic with no children but a task list — ticked lines over lines.
 * Null when there is nothing to count.
 */
export function linkedPercent(
  kind: 'epic' | 'milestone' | 'issues' | 'issue',
  members: MemberFigures[],
): number | null {
  if (kind === 'issue') {
    const issue = members.find((m) => m.source === 'gitlab_issue');
    if (!issue) return null;
    if (issue.tasksTotal) return roundPercent(((issue.tasksCompleted ?? 0) / issue.tasksTotal) * 100);
    return issue.state === 'done' ? 100 : 0;
  }
  const children = members.filter((m) => m.source === 'gitlab_issue' || m.source === 'gitlab_epic');
  if (children.length > 0) {
    const weighted = children.some((c) => c.weight !== null);
    let total = 0;
    let done = 0;
    for (const c of children) {
      const w = weighted ? (c.weight ?? 1) : 1;
      total += w;
      if (c.state === 'done') done += w;
    }
    if (total === 0)
      return roundPercent((children.filter((c) => c.state === 'done').length / children.length) * 100);
    return roundPercent((done / total) * 100);
  }
  const tasks = members.filter((m) => m.source === 'epic_task');
  if (tasks.length === 0) return null;
  return roundPercent((tasks.filter((t) => t.state === 'done').length / tasks.length) * 100);
}
