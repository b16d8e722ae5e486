// How an `action_items` row becomes a stored item: kept apart from the repository's statements.
import type { Health, ItemSource, ItemState, SprintRef } from '../../domain/types.js';
import type { StoredActionItem } from './actionItems.js';

/** One `action_items` row as SQLite gives it, with its owners' ids and Slack ids gathered. */
export interface ItemRow {
  id: number;
  wg_id: number;
  source: ItemSource;
  source_key: string;
  title: string;
  notes: string | null;
  state: ItemState;
  sprint_number: number | null;
  sprint_title: string | null;
  sprint_source: SprintRef['source'] | null;
  owner_names: string | null;
  due_date: string | null;
  url: string | null;
  story_ref: string | null;
  confidential: 0 | 1;
  weight: number | null;
  labels: string | null;
  external_id: string | null;
  external_updated_at: string | null;
  closed_at: string | null;
  snoozed_until: string | null;
  position: number;
  source_line: number | null;
  removed_at: string | null;
  updated_at: string;
  owner_ids: string | null;
  owner_slack_ids: string | null;
  tasks_completed: number | null;
  tasks_total: number | null;
  gitlab_path: string | null;
  gitlab_iid: number | null;
  health: Health | null;
  progress: number | null;
}

/** An item's sprint as stored: a number, a title, or both; null when it is planned in none. */
export function sprintRefOf(row: {
  sprint_number: number | null;
  sprint_title: string | null;
  sprint_source: SprintRef['source'] | null;
}): SprintRef | null {
  return row.sprint_title !== null || row.sprint_number !== null
    ? {
        number: row.sprint_number,
        title: row.sprint_title ?? `Sprint ${row.sprint_number}`,
        source: row.sprint_source ?? 'text',
      }
    : null;
}

export function rowToItem(row: ItemRow): StoredActionItem {
  return {
    id: row.id,
    wgId: row.wg_id,
    source: row.source,
    sourceKey: row.source_key,
    title: row.title,
    notes: row.notes,
    state: row.state,
    sprint: sprintRefOf(row),
    owners: row.owner_names ? (JSON.parse(row.owner_names) as string[]) : [],
    ownerPersonIds: row.owner_ids ? row.owner_ids.split(',').map(Number) : [],
    ownerSlackUserIds: row.owner_ids ? (row.owner_slack_ids ?? '').split(',').map((id) => id || null) : [],
    dueDate: row.due_date,
    url: row.url,
    storyRef: row.story_ref,
    confidential: row.confidential === 1,
    weight: row.weight,
    labels: row.labels ? (JSON.parse(row.labels) as string[]) : [],
    snoozedUntil: row.snoozed_until,
    closedAt: row.closed_at,
    externalId: row.external_id,
    externalUpdatedAt: row.external_updated_at,
    position: row.position,
    sourceLine: row.source_line,
    removedAt: row.removed_at,
    updatedAt: row.updated_at,
    tasksCompleted: row.tasks_completed,
    tasksTotal: row.tasks_total,
    gitlabPath: row.gitlab_path,
    gitlabIid: row.gitlab_iid,
    health: row.health,
    progress: row.progress,
  };
}

/**
 * The columns `listByWg` reads, in this order. Its rows come back as arrays and are made into objects
 * here: better-sqlite3 builds a 30-key row object several times slower than this literal, and at 10,000
 * items that was most of a `/wg status`.
 */
export const LIST_COLUMNS = [
  'id',
  'wg_id',
  'source',
  'source_key',
  'title',
  'notes',
  'state',
  'sprint_number',
  'sprint_title',
  'sprint_source',
  'owner_names',
  'due_date',
  'url',
  'story_ref',
  'confidential',
  'weight',
  'labels',
  'external_id',
  'external_updated_at',
  'closed_at',
  'snoozed_until',
  'position',
  'source_line',
  'removed_at',
  'updated_at',
  'tasks_completed',
  'tasks_total',
  'gitlab_path',
  'gitlab_iid',
  'health',
  'progress',
].join(', ');

export function rowOf(v: unknown[]): ItemRow {
  return {
    id: v[0] as number,
    wg_id: v[1] as number,
    source: v[2] as ItemSource,
    source_key: v[3] as string,
    title: v[4] as string,
    notes: v[5] as string | null,
    state: v[6] as ItemState,
    sprint_number: v[7] as number | null,
    sprint_title: v[8] as string | null,
    sprint_source: v[9] as SprintRef['source'] | null,
    owner_names: v[10] as string | null,
    due_date: v[11] as string | null,
    url: v[12] as string | null,
    story_ref: v[13] as string | null,
    confidential: v[14] as 0 | 1,
    weight: v[15] as number | null,
    labels: v[16] as string | null,
    external_id: v[17] as string | null,
    external_updated_at: v[18] as string | null,
    closed_at: v[19] as string | null,
    snoozed_until: v[20] as string | null,
    position: v[21] as number,
    source_line: v[22] as number | null,
    removed_at: v[23] as string | null,
    updated_at: v[24] as string,
    tasks_completed: v[25] as number | null,
    tasks_total: v[26] as number | null,
    gitlab_path: v[27] as string | null,
    gitlab_iid: v[28] as number | null,
    health: v[29] as Health | null,
    progress: v[30] as number | null,
    owner_ids: null,
    owner_slack_ids: null,
  };
}
