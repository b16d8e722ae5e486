import { clampPercent, type KeyResult, planOkrCriteria } from '../../domain/okr.js';
import type { WorkingGroup } from '../../domain/types.js';
import type { MappedItem } from '../../gitlab/mapping.js';
import type { ContainerInfo } from '../../gitlab/sources.js';
import type { StoredSource } from '../../store/repositories/gitlabSources.js';
import type { Store } from '../../store/store.js';
import type { WriteContext } from './epicTasks.js';

/** Key results of one objective that become criteria, at most: more would bury the page's own. */
export const MAX_KEY_RESULT_CRITERIA = 50;

/** Key-result criteria are keyed per link ('kr:<source id>:<item id>'): two objectives never retire each other's. */
function okrPrefix(sourceId: number): string {
  return `kr:${sourceId}:`;
}

/** Whether a fetched container is an objective (or key result): GitLab gives it a progress figure. */
export function isOkrContainer(container: ContainerInfo | null): container is ContainerInfo {
  return typeof container?.progress === 'number';
}

/** What a confidential key result is called where the channel sees it: what it is, not which. */
export const CONFIDENTIAL_KEY_RESULT = 'Confidential key result';

/**
 * The children of an objective as key results. GitLab lets an objective hold only objectives (read as
 * child epics) and key results, so each item here is one, even when its progress could not be read: its
 * figure is then unknown (null), and its criterion (owner, history) stays. A confidential key result
 * keeps its place and figure, so the group's figure counts it, but is named neutrally and without its
 * link: criteria are shown in channels (digest, `/wg criteria share`, history, exit report).
 */
export function keyResultsOf(sourceId: number, items: MappedItem[]): KeyResult[] {
  return items.map((item) => ({
    key: `${okrPrefix(sourceId)}${item.externalId}`,
    title: item.confidential ? CONFIDENTIAL_KEY_RESULT : item.title,
    url: item.confidential ? null : item.url,
    progress: item.progress,
    health: item.health,
  }));
}

/**
 * The key results of an objective the group links become its exit criteria: created, renamed and
 * retired with them, each taking its progress from GitLab, named as GitLab names it. Only a complete
 * listing retires: an incremental fetch holds only what changed.
 */
export function applyKeyResults(
  { store, now, logger }: WriteContext,
  group: WorkingGroup,
  source: StoredSource,
  container: ContainerInfo,
  children: { items: MappedItem[]; complete: boolean },
): void {
  const keyResults = keyResultsOf(source.id, children.items);
  const existing = store.criteria
    .of(group.id, 'exit')
    .flatMap((c) =>
      c.okrKey?.startsWith(okrPrefix(source.id)) && c.id !== null
        ? [{ id: c.id, okrKey: c.okrKey, title: c.title }]
        : [],
    );
  const plan = planOkrCriteria(existing, keyResults, MAX_KEY_RESULT_CRITERIA);
  if (!children.complete) plan.retire = [];
  if (plan.leftOut > 0)
    logger.warn(
      { wg: group.slug, url: source.url, leftOut: plan.leftOut },
      'objective has more key results than kept',
    );
  const syncedAt = now.toISOString();
  const figure = (kr: KeyResult) => ({
    percent: clampPercent(kr.progress),
    from: kr.title,
    syncedAt,
    health: kr.health,
  });
  for (const kr of plan.create) {
    const id = store.criteria.insertKeyResult(group.id, kr.key, kr.title, kr.url);
    store.criteria.setGitlabFigure(group.id, id, figure(kr));
  }
  for (const { id, keyResult } of plan.update) {
    store.criteria.retitle(group.id, id, keyResult.title, keyResult.url);
    // An unreadable figure keeps the last one read, with the time it was read (its age).
    if (keyResult.progress !== null) store.criteria.setGitlabFigure(group.id, id, figure(keyResult));
  }
  for (const id of plan.retire) store.criteria.delete(group.id, id);
  if (keyResults.length === 0 && children.complete)
    logger.info({ wg: group.slug, objective: container.title }, 'objective has no key results');
}

/** Removes the criteria made from the key results of the objective behind link `sourceId` (being unlinked). */
export function retireKeyResultCriteria(store: Store, wgId: number, sourceId: number): void {
  for (const c of store.criteria.of(wgId, 'exit'))
    if (c.id !== null && c.okrKey?.startsWith(okrPrefix(sourceId))) store.criteria.delete(wgId, c.id);
}
