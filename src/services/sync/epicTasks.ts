import { clampPercent } from '../../domain/okr.js';
import { linkedPercentOfTotals, withTasks } from '../../domain/progress.js';
import type { WorkingGroup } from '../../domain/types.js';
import { epicTaskSourceKey, parseEpicDescription } from '../../import/epic.js';
import { ImportError } from '../../import/errors.js';
import { parseMarkdown } from '../../import/markdown.js';
import type { ContainerInfo } from '../../gitlab/sources.js';
import type { Logger } from '../../logger.js';
import type { StoredSource } from '../../store/repositories/gitlabSources.js';
import type { Store } from '../../store/store.js';

/** What writing one group's fetched sources needs: the store (inside its transaction), a logger, the time. */
export interface WriteContext {
  store: Store;
  logger: Logger;
  now: Date;
}

/** The task lines of an epic description; none (and a warning) when it cannot be read. */
export function taskLines(
  { logger }: Pick<WriteContext, 'logger'>,
  group: WorkingGroup,
  description: string | null,
): ReturnType<typeof parseEpicDescription>['items'] {
  if (!description?.trim()) return [];
  try {
    return parseEpicDescription(parseMarkdown(description)).items;
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    logger.warn({ wg: group.slug, err: error.message }, 'epic description not read');
    return [];
  }
}

/** The epic description's task list becomes action items, kept per source so several epics can coexist. */
export function applyTaskLines(
  context: WriteContext,
  group: WorkingGroup,
  source: StoredSource,
  description: string | null,
): void {
  const { store, now } = context;
  const items = taskLines(context, group, description);
  const groupPath = source.ref.path;
  const ids = items.map((task, position) => {
    const ownerPersonIds = task.owners.map((o) =>
      o.startsWith('@')
        ? store.people.findOrCreate(o.slice(1), now, o.slice(1)).id
        : store.people.findOrCreate(o, now).id,
    );
    const sourceKey = epicTaskSourceKey(task.key, source.id);
    takeOverImportedLine(store, group.id, task.key, sourceKey, now);
    const previous = store.items.getByKey(group.id, 'epic_task', sourceKey);
    const state = task.done ? 'done' : 'open';
    return store.items.upsert(
      group.id,
      {
        source: 'epic_task',
        sourceKey,
        title: task.title,
        notes: task.notes,
        state,
        sprint:
          task.sprintNumber === null
            ? null
            : { number: task.sprintNumber, title: `Sprint ${task.sprintNumber}`, source: 'text' },
        owners: task.owners.map((o) => o.replace(/^@/, '')),
        ownerPersonIds,
        dueDate: task.dueDate,
        url: task.url ?? source.webUrl,
        storyRef: task.storyRef,
        confidential: false,
        weight: null,
        labels: [],
        externalId: null,
        externalUpdatedAt: null,
        closedAt: previous?.state === state ? previous.closedAt : state === 'done' ? now.toISOString() : null,
        position,
        sourceLine: task.line,
        gitlabPath: groupPath,
        gitlabIid: 'iid' in source.ref ? source.ref.iid : null,
      },
      now,
    );
  });
  store.sources.replaceMembers(source.id, 'epic_task', ids);
}

/**
 * The same line imported from the epic's description before the epic was linked becomes this source's
 * item — one item, its history, snoozes and reminders kept. A pair an older wgbot stored twice loses
 * its imported twin.
 */
function takeOverImportedLine(
  store: Store,
  wgId: number,
  lineKey: string,
  sourceKey: string,
  now: Date,
): void {
  const imported = store.items.getByKey(wgId, 'epic_task', epicTaskSourceKey(lineKey, null));
  if (!imported || imported.removedAt) return;
  if (store.items.getByKey(wgId, 'epic_task', sourceKey)) store.items.markRemoved([imported.id], now);
  else store.items.rekey(imported.id, sourceKey, now);
}

/**
 * A criterion's figure from what its source holds. An objective or key result gives its own progress
 * (GitLab's progress widget). An epic's own task list counts when it has no child issues or epics; its
 * lines are counted here, not stored as the group's action items, since the same epic may also be the
 * group's source. The figure keeps which object gave it, and when.
 */
export function updateCriterion(
  context: WriteContext,
  group: WorkingGroup,
  source: StoredSource,
  container: ContainerInfo | null,
): void {
  const { store } = context;
  const figure = (percent: number | null) => ({
    percent,
    from: container?.title ?? source.title,
    syncedAt: context.now.toISOString(),
    health: container?.health ?? null,
  });
  if (typeof container?.progress === 'number') {
    store.criteria.setGitlabFigure(group.id, source.criterionId!, figure(clampPercent(container.progress)));
    return;
  }
  const description = container?.description ?? null;
  // Counted in SQL: a source of 100,000 issues is not read item by item inside the group's transaction.
  let totals = store.sources.memberTotals(source.id);
  if (source.ref.kind === 'epic')
    totals = withTasks(
      totals,
      taskLines(context, group, description).map((task) => ({ state: task.done ? 'done' : 'open' })),
    );
  // A work item's figure comes from its children, as an epic's does.
  const kind = source.ref.kind === 'work_item' ? 'epic' : source.ref.kind;
  store.criteria.setGitlabFigure(group.id, source.criterionId!, figure(linkedPercentOfTotals(kind, totals)));
}
