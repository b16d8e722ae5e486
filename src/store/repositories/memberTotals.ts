import type { MemberTotals } from '../../domain/progress.js';
import type { ItemState } from '../../domain/types.js';
import type { Db } from '../db.js';

interface TotalsRow {
  count: number;
  done: number | null;
  weighted: number | null;
  weight: number | null;
  done_weight: number | null;
  task_count: number;
  tasks_done: number | null;
}

/**
 * A source's member totals in two queries, whatever its size: driven from the source's rows of
 * gitlab_source_items (its primary key) and each item by id, so a criterion linked to an epic with
 * 100,000 issues gets its figure without reading the items one by one inside the group's transaction.
 */
export function memberTotalsReader(db: Db): (sourceId: number) => MemberTotals {
  const sums = db.prepare<[number], TotalsRow>(
    `SELECT
       count(*) FILTER (WHERE i.source IN ('gitlab_issue', 'gitlab_epic')) AS count,
       sum(i.state = 'done') FILTER (WHERE i.source IN ('gitlab_issue', 'gitlab_epic')) AS done,
       sum(i.weight IS NOT NULL) FILTER (WHERE i.source IN ('gitlab_issue', 'gitlab_epic')) AS weighted,
       sum(coalesce(i.weight, 1)) FILTER (WHERE i.source IN ('gitlab_issue', 'gitlab_epic')) AS weight,
       sum(CASE WHEN i.state = 'done' THEN coalesce(i.weight, 1) ELSE 0 END)
         FILTER (WHERE i.source IN ('gitlab_issue', 'gitlab_epic')) AS done_weight,
       count(*) FILTER (WHERE i.source = 'epic_task') AS task_count,
       sum(i.state = 'done') FILTER (WHERE i.source = 'epic_task') AS tasks_done
     FROM gitlab_source_items m JOIN action_items i ON i.id = m.item_id
     WHERE m.source_id = ?`,
  );
  const firstIssue = db.prepare<
    [number],
    { state: ItemState; tasks_completed: number | null; tasks_total: number | null }
  >(
    `SELECT i.state, i.tasks_completed, i.tasks_total
     FROM gitlab_source_items m JOIN action_items i ON i.id = m.item_id
     WHERE m.source_id = ? AND i.source = 'gitlab_issue' ORDER BY m.item_id LIMIT 1`,
  );
  return (sourceId) => {
    const row = sums.get(sourceId)!;
    const issue = firstIssue.get(sourceId);
    return {
      children: {
        count: row.count,
        done: row.done ?? 0,
        weighted: row.weighted ?? 0,
        weight: row.weight ?? 0,
        doneWeight: row.done_weight ?? 0,
      },
      issue: issue
        ? { state: issue.state, tasksCompleted: issue.tasks_completed, tasksTotal: issue.tasks_total }
        : null,
      tasks: { count: row.task_count, done: row.tasks_done ?? 0 },
    };
  };
}
