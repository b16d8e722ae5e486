import { clampPercent } from '../../domain/okr.js';
import type { WorkingGroup } from '../../domain/types.js';
import { type MappedItem, mapChildEpic, mapIssue, sprintsFrom } from '../../gitlab/mapping.js';
import type { SourceFetchResult } from '../../gitlab/sources.js';
import type { StoredSource } from '../../store/repositories/gitlabSources.js';
import { readCriteria, recordCriteriaChanges } from '../criteriaHistory.js';
import { applyTaskLines, updateCriterion, type WriteContext } from './epicTasks.js';
import { applyKeyResults, isOkrContainer } from './okrCriteria.js';
import { type Fetched, messageOf } from './outcomes.js';

/**
 * Writes one group's fetched sources; runs inside the group's transaction. A source that failed keeps
 * its members, so its items are not taken for gone. The items no source holds any more are marked
 * removed after it (orphans.ts), and the group's progress recorded (progressBatches.ts), each a page of
 * items at a time.
 */
export function applyFetched(
  context: WriteContext,
  group: WorkingGroup,
  all: Fetched[],
  written = new Map<SourceFetchResult, number[]>(),
): void {
  const { store, now } = context;
  const criteriaBefore = readCriteria(store, group.id);
  for (const { source, error } of all)
    if (error !== undefined) store.sources.recordFailure(source.id, messageOf(error), now);
  const fetched = all.flatMap((f): [StoredSource, SourceFetchResult][] =>
    f.result ? [[f.source, f.result]] : [],
  );
  // Links to the same GitLab object share one result: its issues are written once, not once per link;
  // those of big listings were written before, in batches (writeBatches.ts).
  for (const [source, result] of fetched) applySource(context, group, source, result, written);
  fillBlanksFromOwnEpic(context, group, fetched);

  recordCriteriaChanges(store, group.id, criteriaBefore, 'sync', now);
  store.syncState.recordSuccess(group.id, now, {});
}

/** One fetched source: its issues and child epics as items, its task lines, sprints, cursor and criterion. */
function applySource(
  context: WriteContext,
  group: WorkingGroup,
  source: StoredSource,
  result: SourceFetchResult,
  written: Map<SourceFetchResult, number[]>,
): void {
  const { store, now } = context;
  const issueIds =
    written.get(result) ??
    result.issues.map((issue, i) => upsertItem(context, group, mapIssue(issue), 1000 + i));
  written.set(result, issueIds);
  if (result.complete)
    store.sources.replaceMembers(source.id, 'gitlab_issue', withKept(context, source, result, issueIds));
  else store.sources.addMembers(source.id, issueIds);
  if (result.childEpics !== null && (source.ref.kind === 'epic' || source.ref.kind === 'work_item'))
    applyChildEpics(context, group, source, result);
  if (source.criterionId === null && isOkrContainer(result.container))
    applyKeyResults(context, group, source, result.container, {
      items: result.issues.map(mapIssue),
      complete: result.complete,
    });
  if (source.ref.kind === 'epic' && source.criterionId === null) {
    applyTaskLines(context, group, source, result.container?.description ?? null);
  }
  for (const sprint of sprintsFrom(result.issues, result.iterations)) store.sprints.upsert(group.id, sprint);
  // A webhook may have asked for child epics while this fetch ran without them: keep asking.
  const stored = store.sources.getById(source.id)?.cursor;
  const cursor =
    stored?.refetchChildren && result.childEpics === null
      ? { ...result.cursor, refetchChildren: true }
      : result.cursor;
  store.sources.recordFetch(
    source.id,
    {
      title: result.container?.title ?? null,
      webUrl: result.container?.webUrl ?? null,
      state: result.container?.state ?? null,
      externalId: result.container?.externalId ?? null,
      // '' for an epic without a description: recorded, unlike NULL (not recorded yet).
      description: result.container ? (result.container.description ?? '') : null,
      dueDate: result.container?.dueDate ?? null,
      health: result.container?.health ?? null,
      progress: clampPercent(result.container?.progress ?? null),
    },
    cursor,
    now,
  );
  if (source.criterionId !== null) updateCriterion(context, group, source, result.container);
}

/** The listing's issues and the stored members it sent but could not read (`issuesKept`): these stay. */
function withKept(
  { store }: WriteContext,
  source: StoredSource,
  result: SourceFetchResult,
  issueIds: number[],
): number[] {
  if (!result.issuesKept?.length) return issueIds;
  const kept = new Set(result.issuesKept);
  const stored = store.sources
    .membersOfKind(source.id, 'gitlab_issue')
    .filter((m) => m.externalId !== null && kept.has(m.externalId));
  return [...issueIds, ...stored.map((m) => m.itemId)];
}

/**
 * An epic source's child epics as items. A complete list replaces the ones it held; a partial one (what
 * changed since the last fetch) updates those, adds the new ones and drops those that left the epic.
 */
function applyChildEpics(
  context: WriteContext,
  group: WorkingGroup,
  source: StoredSource,
  result: SourceFetchResult,
): void {
  const { store } = context;
  const path = source.ref.path;
  const epicIds = result.childEpics!.map((epic, i) =>
    upsertItem(context, group, mapChildEpic(epic, path), 500 + i),
  );
  if (result.childEpicsComplete !== false) {
    store.sources.replaceMembers(source.id, 'gitlab_epic', epicIds);
    return;
  }
  const gone = new Set((result.childEpicsGone ?? []).map((id) => `epic:${id}`));
  const kept = store.sources
    .membersOfKind(source.id, 'gitlab_epic')
    .filter((m) => !gone.has(m.externalId ?? ''))
    .map((m) => m.itemId);
  store.sources.replaceMembers(source.id, 'gitlab_epic', [...new Set([...kept, ...epicIds])]);
}

/** A GitLab issue or child epic as the group's item; returns its id. */
export function upsertItem(
  context: WriteContext,
  group: WorkingGroup,
  item: MappedItem,
  position: number,
): number {
  const { store, now } = context;
  const ownerPersonIds = item.assignees.map((a) => store.people.findOrCreate(a.name, now, a.username).id);
  return store.items.upsert(
    group.id,
    {
      source: item.source,
      sourceKey: item.sourceKey,
      title: item.title,
      notes: null,
      state: item.state,
      sprint: item.sprint,
      owners: item.assignees.map((a) => a.name),
      ownerPersonIds,
      dueDate: item.dueDate,
      url: item.url,
      storyRef: item.storyRef,
      confidential: item.confidential,
      weight: item.weight,
      labels: item.labels,
      externalId: item.externalId,
      externalUpdatedAt: item.updatedAt,
      closedAt: item.closedAt,
      position,
      sourceLine: null,
      tasksCompleted: item.tasksCompleted,
      tasksTotal: item.tasksTotal,
      gitlabPath: item.gitlabPath,
      gitlabIid: item.gitlabIid,
      health: item.health,
      progress: clampPercent(item.progress),
    },
    now,
  );
}

/** Fill what the page left blank from the group's own epic: its end date and where to look. */
function fillBlanksFromOwnEpic(
  { store, now }: WriteContext,
  group: WorkingGroup,
  fetched: [StoredSource, SourceFetchResult][],
): void {
  const own = fetched.find(([s]) => s.criterionId === null && s.ref.kind === 'epic');
  if (!own) return;
  const container = own[1].container;
  const blanks = {
    ...(group.targetEndDate === null && container?.dueDate
      ? { targetEndDate: container.dueDate.slice(0, 10) }
      : {}),
    ...(group.taskBoardUrl === null && container?.webUrl ? { taskBoardUrl: container.webUrl } : {}),
  };
  if (Object.keys(blanks).length > 0) store.groups.update(group.id, { name: group.name, ...blanks }, now);
}
