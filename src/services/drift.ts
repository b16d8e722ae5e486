import { localDate } from '../domain/dates.js';
import {
  type DriftCriterion,
  type DriftFacts,
  type DriftFinding,
  type DriftLine,
  type DriftStory,
  findDrift,
} from '../domain/drift.js';
import type { Criterion, WorkingGroup } from '../domain/types.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { StoredSource } from '../store/repositories/gitlabSources.js';
import type { Store } from '../store/store.js';
import { type EvaluatedItem, evaluateItems } from './groupState.js';

/** A group's drift as the store holds it after its last sync: what disagrees, and where the epic is. */
export interface DriftReport {
  slug: string;
  name: string;
  /** The group's calendar day the check was made for. */
  today: string;
  /** The group's own epic, linked and synced; null when there is none (lines are then compared with nothing). */
  epic: { url: string; path: string; iid: number } | null;
  findings: DriftFinding[];
}

/** The most findings one report carries: a group with thousands of stray stories needs a list, not a post. */
export const MAX_FINDINGS = 500;

/** The group's own epics (linked to the group, not to a criterion) that have been fetched at least once. */
function ownEpics(store: Store, wgId: number): StoredSource[] {
  return store.sources
    .listByWg(wgId)
    .filter((s) => s.criterionId === null && s.ref.kind === 'epic' && s.lastOkAt !== null);
}

function toLine(item: StoredActionItem, sprintStart: string | null): DriftLine {
  return {
    itemId: item.id,
    title: item.title,
    done: item.state === 'done',
    storyRef: item.storyRef,
    url: item.url,
    owners: item.owners,
    sprintTitle: item.sprint?.title ?? null,
    sprintStart,
  };
}

function toStory(item: StoredActionItem): DriftStory {
  return {
    itemId: item.id,
    ref: item.storyRef ?? `#${item.gitlabIid ?? '?'}`,
    projectPath: item.gitlabPath,
    iid: item.gitlabIid,
    title: item.title,
    done: item.state === 'done',
    owners: item.owners,
    url: item.url,
    confidential: item.confidential,
  };
}

function flatten(criteria: Criterion[]): Criterion[] {
  return criteria.flatMap((c) => [c, ...flatten(c.children)]);
}

/** What the drift rules compare: the group's items as already evaluated (sprints with dates), the rest from the store. */
export function driftFacts(
  store: Store,
  group: WorkingGroup,
  today: string,
  evaluated: readonly Pick<EvaluatedItem, 'item' | 'sprint'>[],
): DriftFacts {
  const byId = new Map(evaluated.map((e) => [e.item.id, e.item]));
  const lines = evaluated
    .filter((e) => e.item.source === 'epic_task')
    .map((e) => toLine(e.item, e.sprint?.startDate ?? null));
  const storyIds = new Set(
    ownEpics(store, group.id).flatMap((s) =>
      store.sources
        .members(s.id)
        .filter((m) => m.source === 'gitlab_issue')
        .map((m) => m.itemId),
    ),
  );
  const stories = [...storyIds].flatMap((id) => {
    const item = byId.get(id);
    return item ? [toStory(item)] : [];
  });
  return { today, lines, stories, criteria: criteriaFacts(store, group) };
}

/** The exit criteria, sub-criteria too, each with the stories its own GitLab link holds. */
function criteriaFacts(store: Store, group: WorkingGroup): DriftCriterion[] {
  const criterionStories = new Map<number, number[]>();
  for (const source of store.sources.listByWg(group.id)) {
    if (source.criterionId === null) continue;
    const held = store.sources.members(source.id).map((m) => m.itemId);
    criterionStories.set(source.criterionId, [...(criterionStories.get(source.criterionId) ?? []), ...held]);
  }
  return flatten(store.criteria.of(group.id, 'exit')).map((c) => ({
    id: c.id!,
    title: c.title,
    owner: c.owner,
    url: c.url,
    handbookPercent: c.handbookPercent,
    gitlabPercent: c.gitlabPercent,
    storyIds: criterionStories.get(c.id!) ?? [],
  }));
}

/** The group's drift now, from what the last sync stored. */
export function driftReport(store: Store, group: WorkingGroup, now: Date): DriftReport {
  const today = localDate(now, group.timezone);
  const evaluated = evaluateItems(
    store.items.listByWg(group.id),
    store.sprints.list(group.id),
    group.cadence,
    today,
  );
  return driftReportFrom(store, group, today, evaluated);
}

/** As `driftReport`, from items a caller has already evaluated (status and digest have). */
export function driftReportFrom(
  store: Store,
  group: WorkingGroup,
  today: string,
  evaluated: readonly Pick<EvaluatedItem, 'item' | 'sprint'>[],
): DriftReport {
  const facts = driftFacts(store, group, today, evaluated);
  const epic = ownEpics(store, group.id)[0];
  return {
    slug: group.slug,
    name: group.name,
    today: facts.today,
    epic:
      epic && epic.ref.kind === 'epic'
        ? { url: epic.webUrl ?? epic.url, path: epic.ref.path, iid: epic.ref.iid }
        : null,
    findings: findDrift(facts).slice(0, MAX_FINDINGS),
  };
}
