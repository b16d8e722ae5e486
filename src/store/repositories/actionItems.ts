import type { ActionItem, Health, ItemSource, ItemState, SprintRef } from '../../domain/types.js';
import type { Db } from '../db.js';
import { type ItemRow, LIST_COLUMNS, rowOf, rowToItem } from './actionItemRows.js';

export { sprintRefOf } from './actionItemRows.js';

/** An action item as stored: the domain item plus where it lives and who its owners are in `people`. */
export interface StoredActionItem extends ActionItem {
  id: number;
  wgId: number;
  ownerPersonIds: number[];
  /** The owners' Slack user ids, in owner order; null where the person is not known in Slack yet. */
  ownerSlackUserIds: (string | null)[];
  externalId: string | null;
  externalUpdatedAt: string | null;
  position: number;
  sourceLine: number | null;
  removedAt: string | null;
  updatedAt: string;
  tasksCompleted: number | null;
  tasksTotal: number | null;
  /** Project path (issues) or group path (epics, task lines), for writing back to GitLab. */
  gitlabPath: string | null;
  gitlabIid: number | null;
}

/** What an importer or a sync knows of an item; the store adds identity and history. */
export interface ItemInput {
  source: ItemSource;
  sourceKey: string;
  title: string;
  notes: string | null;
  state: ItemState;
  sprint: SprintRef | null;
  owners: string[];
  ownerPersonIds: number[];
  dueDate: string | null;
  url: string | null;
  storyRef: string | null;
  confidential: boolean;
  weight: number | null;
  labels: string[];
  externalId: string | null;
  externalUpdatedAt: string | null;
  closedAt: string | null;
  position: number;
  sourceLine: number | null;
  tasksCompleted?: number | null;
  tasksTotal?: number | null;
  gitlabPath?: string | null;
  gitlabIid?: number | null;
  /** GitLab's health status (absent: a source that cannot know it, stored as none). */
  health?: Health | null;
  progress?: number | null;
}

const SELECT = `SELECT i.*,
  (SELECT group_concat(o.person_id) FROM (SELECT person_id FROM action_item_owners
    WHERE item_id = i.id ORDER BY position) o) AS owner_ids,
  (SELECT group_concat(o.slack, ',') FROM (SELECT ifnull(p.slack_user_id, '') AS slack FROM action_item_owners ao
    JOIN people p ON p.id = ao.person_id WHERE ao.item_id = i.id ORDER BY ao.position) o) AS owner_slack_ids
  FROM action_items i`;

/** The columns an upsert sets on an existing item (the same as an insert gives a new one). */
const UPDATE_COLUMNS = `source = @source, source_key = @sourceKey, title = @title, notes = @notes, state = @state,
  sprint_number = @sprintNumber, sprint_title = @sprintTitle, sprint_source = @sprintSource, owner_names = @ownerNames,
  due_date = @dueDate, url = @url, story_ref = @storyRef, confidential = @confidential, weight = @weight,
  labels = @labels, external_id = @externalId, external_updated_at = @externalUpdatedAt, closed_at = @closedAt,
  position = @position, source_line = @sourceLine, tasks_completed = @tasksCompleted, tasks_total = @tasksTotal,
  gitlab_path = @gitlabPath, gitlab_iid = @gitlabIid, health = @health, progress = @progress, removed_at = NULL, updated_at = @now`;

function statements(db: Db) {
  return {
    // Lists fetch items and their owners in two plain queries: per-row subqueries cost milliseconds at 500 items.
    listByWg: db
      .prepare<[number], unknown[]>(
        `SELECT ${LIST_COLUMNS} FROM action_items
         WHERE wg_id = ? AND removed_at IS NULL ORDER BY source, position, id`,
      )
      .raw(true),
    ownersOfWg: db.prepare<[number], { item_id: number; person_id: number; slack_user_id: string | null }>(
      `SELECT ao.item_id, ao.person_id, p.slack_user_id FROM action_item_owners ao
       JOIN action_items i ON i.id = ao.item_id JOIN people p ON p.id = ao.person_id
       WHERE i.wg_id = ? AND i.removed_at IS NULL ORDER BY ao.item_id, ao.position`,
    ),
    getById: db.prepare<[number], ItemRow>(`${SELECT} WHERE i.id = ?`),
    getByKey: db.prepare<[number, string, string], ItemRow>(
      `${SELECT} WHERE i.wg_id = ? AND i.source = ? AND i.source_key = ?`,
    ),
    listByOwner: db.prepare<[number], ItemRow>(
      `${SELECT} JOIN action_item_owners ao ON ao.item_id = i.id
       JOIN working_groups g ON g.id = i.wg_id AND g.lifecycle = 'active'
       WHERE ao.person_id = ? AND i.removed_at IS NULL ORDER BY i.wg_id, i.source, i.position, i.id`,
    ),
    setState: db.prepare(
      `UPDATE action_items SET state = @state, closed_at = CASE WHEN @state = 'done' THEN coalesce(closed_at, @now) ELSE NULL END,
         last_response_at = @now, updated_at = @now WHERE id = @id`,
    ),
    snooze: db.prepare(
      'UPDATE action_items SET snoozed_until = @until, last_response_at = @now, updated_at = @now WHERE id = @id',
    ),
    setDueDate: db.prepare(
      'UPDATE action_items SET due_date = @dueDate, last_response_at = @now, updated_at = @now WHERE id = @id',
    ),
    rekey: db.prepare<[{ id: number; sourceKey: string; now: string }]>(
      'UPDATE action_items SET source_key = @sourceKey, updated_at = @now WHERE id = @id',
    ),
    idByKey: db.prepare<[number, string, string], { id: number }>(
      'SELECT id FROM action_items WHERE wg_id = ? AND source = ? AND source_key = ?',
    ),
    groupsByExternalId: db.prepare<[string], { wg_id: number }>(
      'SELECT DISTINCT wg_id FROM action_items WHERE external_id = ?',
    ),
    insert: db.prepare(
      `INSERT INTO action_items (wg_id, source, source_key, title, notes, state, sprint_number, sprint_title, sprint_source,
         owner_names, due_date, url, story_ref, confidential, weight, labels, external_id, external_updated_at, closed_at,
         position, source_line, tasks_completed, tasks_total, gitlab_path, gitlab_iid, health, progress, created_at, updated_at)
       VALUES (@wgId, @source, @sourceKey, @title, @notes, @state, @sprintNumber, @sprintTitle, @sprintSource,
         @ownerNames, @dueDate, @url, @storyRef, @confidential, @weight, @labels, @externalId, @externalUpdatedAt, @closedAt,
         @position, @sourceLine, @tasksCompleted, @tasksTotal, @gitlabPath, @gitlabIid, @health, @progress, @now, @now)`,
    ),
    update: db.prepare(`UPDATE action_items SET ${UPDATE_COLUMNS} WHERE id = @id`),
    deleteOwners: db.prepare<[number]>('DELETE FROM action_item_owners WHERE item_id = ?'),
    insertOwner: db.prepare<[number, number, number]>(
      'INSERT OR IGNORE INTO action_item_owners (item_id, person_id, position) VALUES (?, ?, ?)',
    ),
    markRemoved: db.prepare<[{ now: string; id: number }]>(
      'UPDATE action_items SET removed_at = @now, updated_at = @now WHERE id = @id AND removed_at IS NULL',
    ),
  };
}

/** The `action_items` table, with each item's owners (`action_item_owners`, written only with their item). */
export class ActionItemRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  /** Gives an item a new identity within its source (an imported epic line taken over by the epic's sync). */
  rekey(id: number, sourceKey: string, now: Date): void {
    this.#sql.rekey.run({ id, sourceKey, now: now.toISOString() });
  }

  /** The group's current items (not removed), epic task lines and issues in their own order. */
  listByWg(wgId: number): StoredActionItem[] {
    const owners = new Map<number, { ids: number[]; slack: (string | null)[] }>();
    for (const o of this.#sql.ownersOfWg.all(wgId)) {
      const entry = owners.get(o.item_id) ?? { ids: [], slack: [] };
      entry.ids.push(o.person_id);
      entry.slack.push(o.slack_user_id);
      owners.set(o.item_id, entry);
    }
    return this.#sql.listByWg.all(wgId).map((values) => {
      const item = rowToItem(rowOf(values));
      const o = owners.get(item.id);
      if (o) {
        item.ownerPersonIds = o.ids;
        item.ownerSlackUserIds = o.slack;
      }
      return item;
    });
  }

  /** Every current item a person owns, across all active groups. */
  listByOwner(personId: number): StoredActionItem[] {
    return this.#sql.listByOwner.all(personId).map(rowToItem);
  }

  /** The groups holding a GitLab object ('issue:<id>'), removed items included: it may be coming back. */
  groupsWithExternalId(externalId: string): number[] {
    return this.#sql.groupsByExternalId.all(externalId).map((r) => r.wg_id);
  }

  getById(id: number): StoredActionItem | null {
    const row = this.#sql.getById.get(id);
    return row ? rowToItem(row) : null;
  }

  getByKey(wgId: number, source: ItemSource, sourceKey: string): StoredActionItem | null {
    const row = this.#sql.getByKey.get(wgId, source, sourceKey);
    return row ? rowToItem(row) : null;
  }

  /**
   * Inserts the item or updates the one with the same (group, source, key), bringing back one that was
   * removed. Returns the stored item's id. Call inside a transaction.
   */
  upsert(wgId: number, input: ItemInput, now: Date): number {
    const params = {
      wgId,
      source: input.source,
      sourceKey: input.sourceKey,
      title: input.title,
      notes: input.notes,
      state: input.state,
      sprintNumber: input.sprint?.number ?? null,
      sprintTitle: input.sprint?.title ?? null,
      sprintSource: input.sprint?.source ?? null,
      ownerNames: JSON.stringify(input.owners),
      dueDate: input.dueDate,
      url: input.url,
      storyRef: input.storyRef,
      confidential: input.confidential ? 1 : 0,
      weight: input.weight,
      labels: JSON.stringify(input.labels),
      externalId: input.externalId,
      externalUpdatedAt: input.externalUpdatedAt,
      closedAt: input.closedAt,
      position: input.position,
      sourceLine: input.sourceLine,
      tasksCompleted: input.tasksCompleted ?? null,
      tasksTotal: input.tasksTotal ?? null,
      gitlabPath: input.gitlabPath ?? null,
      gitlabIid: input.gitlabIid ?? null,
      health: input.health ?? null,
      progress: input.progress ?? null,
      now: now.toISOString(),
    };
    const existing = this.#sql.idByKey.get(wgId, input.source, input.sourceKey);
    let id: number;
    if (existing) {
      id = existing.id;
      this.#sql.update.run({ ...params, id });
    } else {
      id = Number(this.#sql.insert.run(params).lastInsertRowid);
    }
    this.#sql.deleteOwners.run(id);
    for (const [position, personId] of input.ownerPersonIds.entries())
      this.#sql.insertOwner.run(id, personId, position);
    return id;
  }

  /** Marks an item done or open here (after GitLab agreed, or for items that live only in wgbot). */
  setState(id: number, state: 'open' | 'done', now: Date): void {
    this.#sql.setState.run({ id, state, now: now.toISOString() });
  }

  /** Keeps nudges away from an item until `until` (an instant); null wakes it. */
  snooze(id: number, until: Date | null, now: Date): void {
    this.#sql.snooze.run({ id, until: until?.toISOString() ?? null, now: now.toISOString() });
  }

  setDueDate(id: number, dueDate: string | null, now: Date): void {
    this.#sql.setDueDate.run({ id, dueDate, now: now.toISOString() });
  }

  /** Soft-deletes items: they leave every list but nudge and digest history keeps pointing at them. */
  markRemoved(ids: number[], now: Date): void {
    for (const id of ids) this.#sql.markRemoved.run({ now: now.toISOString(), id });
  }
}
