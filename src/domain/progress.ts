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
 * What a linked object's figure needs of its members, counted (by SQL over any number of them, or by
 * `totalsOf`): its children (issues, child epics), the first issue (a link to one issue), its task lines.
 */
export interface MemberTotals {
  children: { count: number; done: number; weighted: number; weight: number; doneWeight: number };
  issue: Pick<MemberFigures, 'state' | 'tasksCompleted' | 'tasksTotal'> | null;
  tasks: { count: number; done: number };
}

/** The totals of members held in memory (the same sums the store's aggregate query makes). */
export function totalsOf(members: MemberFigures[]): MemberTotals {
  const children = members.filter((m) => m.source === 'gitlab_issue' || m.source === 'gitlab_epic');
  const tasks = members.filter((m) => m.source === 'epic_task');
  const issue = members.find((m) => m.source === 'gitlab_issue');
  const sum = (list: MemberFigures[], f: (m: MemberFigures) => number) => list.reduce((a, m) => a + f(m), 0);
  return {
    children: {
      count: children.length,
      done: children.filter((c) => c.state === 'done').length,
      weighted: children.filter((c) => c.weight !== null).length,
      weight: sum(children, (c) => c.weight ?? 1),
      doneWeight: sum(children, (c) => (c.state === 'done' ? (c.weight ?? 1) : 0)),
    },
    issue: issue
      ? { state: issue.state, tasksCompleted: issue.tasksCompleted, tasksTotal: issue.tasksTotal }
      : null,
    tasks: { count: tasks.length, done: tasks.filter((t) => t.state === 'done').length },
  };
}

/** Member totals with more task lines counted (an epic's description, read at sync). */
export function withTasks(totals: MemberTotals, tasks: { state: ItemState }[]): MemberTotals {
  return {
    ...totals,
    tasks: {
      count: totals.tasks.count + tasks.length,
      done: totals.tasks.done + tasks.filter((t) => t.state === 'done').length,
    },
  };
}

/** `linkedPercentOfTotals` over members held in memory. */
export function linkedPercent(
  kind: 'epic' | 'milestone' | 'issues' | 'issue',
  members: MemberFigures[],
): number | null {
  return linkedPercentOfTotals(kind, totalsOf(members));
}

/**
 * An exit criterion's figure from the GitLab object it is linked to (docs/architecture.md):
 * one issue — its task-list completion, else 0 or 100 by its state;
 * an epic, milestone or issue list — closed children over all children, weighted by `weight` when any
 * child has one (the others weigh 1); an epic with no children but a task list — ticked lines over lines.
 * Null when there is nothing to count.
 */
export function linkedPercentOfTotals(
  kind: 'epic' | 'milestone' | 'issues' | 'issue',
  { children, issue, tasks }: MemberTotals,
): number | null {
  if (kind === 'issue') {
    if (!issue) return null;
    if (issue.tasksTotal) return roundPercent(((issue.tasksCompleted ?? 0) / issue.tasksTotal) * 100);
    return issue.state === 'done' ? 100 : 0;
  }
  if (children.count > 0) {
    const [done, total] =
      children.weighted > 0 ? [children.doneWeight, children.weight] : [children.done, children.count];
    if (total === 0) return roundPercent((children.done / children.count) * 100);
    return roundPercent((done / total) * 100);
  }
  if (tasks.count === 0) return null;
  return roundPercent((tasks.done / tasks.count) * 100);
}
