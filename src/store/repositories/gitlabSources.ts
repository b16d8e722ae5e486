import type { Health, ItemSource } from '../../domain/types.js';
import type { SourceCursor, SourceRef } from '../../domain/sources.js';
import type { MemberTotals } from '../../domain/progress.js';
import type { Db } from '../db.js';
import { memberTotalsReader } from './memberTotals.js';

export interface StoredSource {
  id: number;
  wgId: number;
  criterionId: number | null;
  url: string;
  ref: SourceRef;
  title: string | null;
  webUrl: string | null;
  state: string | null;
  externalId: string | null;
  /** The container's description and due date as the last fetch read them; null when not recorded. */
  description: string | null;
  dueDate: string | null;
  cursor: SourceCursor | null;
  /** The last fetch of this link that succeeded; null before the first. */
  lastOkAt: string | null;
  /** Why the latest fetch failed, and when; null once one succeeds. */
  lastError: string | null;
  lastErrorAt: string | null;
  /** What GitLab last said of the linked object's health and (objectives, key results) progress. */
  health: Health | null;
  progress: number | null;
  /** Records the last good fetch skipped (GitLab sent them in a shape wgbot could not read), and their names. */
  lastSkipped: number;
  lastSkippedRecords: string[];
}

interface SourceRow {
  id: number;
  wg_id: number;
  criterion_id: number | null;
  kind: Exclude<SourceRef['kind'], 'work_item'>;
  url: string;
  namespace_kind: 'group' | 'project';
  namespace_path: string;
  iid: number | null;
  labels: string | null;
  title: string | null;
  web_url: string | null;
  state: string | null;
  external_id: string | null;
  description: string | null;
  due_date: string | null;
  cursor: string | null;
  last_ok_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
  health: Health | null;
  progress: number | null;
  last_skipped: number | null;
  last_skipped_records: string | null;
}

/** Work items are kept under the kinds the table allows (its CHECK predates them), told apart by their URL. */
const WORK_ITEM_URL = /\/-\/work_items\/\d+$/;

function toRef(row: SourceRow): SourceRef {
  if (WORK_ITEM_URL.test(row.url))
    return { kind: 'work_item', namespaceKind: row.namespace_kind, path: row.namespace_path, iid: row.iid! };
  switch (row.kind) {
    case 'epic':
      return { kind: 'epic', namespaceKind: 'group', path: row.namespace_path, iid: row.iid! };
    case 'issue':
      return { kind: 'issue', namespaceKind: 'project', path: row.namespace_path, iid: row.iid! };
    case 'milestone':
      return {
        kind: 'milestone',
        namespaceKind: row.namespace_kind,
        path: row.namespace_path,
        iid: row.iid!,
      };
    case 'issues': {
      const filter = row.labels
        ? (JSON.parse(row.labels) as { labels: string[]; milestone: string | null })
        : null;
      return {
        kind: 'issues',
        namespaceKind: row.namespace_kind,
        path: row.namespace_path,
        labels: filter?.labels ?? [],
        milestone: filter?.milestone ?? null,
      };
    }
  }
}

function toSource(row: SourceRow): StoredSource {
  return {
    id: row.id,
    wgId: row.wg_id,
    criterionId: row.criterion_id,
    url: row.url,
    ref: toRef(row),
    title: row.title,
    webUrl: row.web_url,
    state: row.state,
    externalId: row.external_id,
    description: row.description,
    dueDate: row.due_date,
    cursor: row.cursor ? (JSON.parse(row.cursor) as SourceCursor) : null,
    lastOkAt: row.last_ok_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    health: row.health,
    progress: row.progress,
    lastSkipped: row.last_skipped ?? 0,
    lastSkippedRecords: row.last_skipped_records ? (JSON.parse(row.last_skipped_records) as string[]) : [],
  };
}

/** Statements that read a source's members or a group's items a page at a time. */
function pagedStatements(db: Db) {
  return {
    memberPage: db.prepare<
      [{ sourceId: number; after: number; limit: number }],
      { item_id: number; external_id: string | null; source: ItemSource }
    >(
      `SELECT m.item_id, i.external_id, i.source FROM gitlab_source_items m JOIN action_items i ON i.id = m.item_id
       WHERE m.source_id = @sourceId AND m.item_id > @after ORDER BY m.item_id LIMIT @limit`,
    ),
    // A page of the group's current items in the listing order, each flagged when it is a synced item no
    // linked source holds: what `orphanedItems` answers, a page at a time.
    orphanPage: db.prepare<
      [{ wgId: number; source: string; position: number; id: number; limit: number }],
      { id: number; source: string; position: number; orphan: 0 | 1 }
    >(
      `SELECT i.id, i.source, i.position,
         (i.source IN ('gitlab_issue', 'gitlab_epic') OR (i.source = 'epic_task' AND i.source_key LIKE 's%'))
           AND NOT EXISTS (SELECT 1 FROM gitlab_source_items m WHERE m.item_id = i.id) AS orphan
       FROM action_items i WHERE i.wg_id = @wgId AND i.removed_at IS NULL
         AND (i.source, i.position, i.id) > (@source, @position, @id)
       ORDER BY i.source, i.position, i.id LIMIT @limit`,
    ),
  };
}

/** The GitLab objects each group is linked to, and which items each one holds. */
export class GitlabSourceRepository {
  readonly #byWg;
  readonly #all;
  readonly #byId;
  readonly #find;
  readonly #insert;
  readonly #update;
  readonly #failure;
  readonly #skipped;
  readonly #holdingEpic;
  readonly #flagRefetchChildren;
  readonly #delete;
  readonly #memberIds;
  readonly #memberIdsOfKind;
  readonly #removeMember;
  readonly #addMember;
  readonly #orphans;
  readonly #paged;
  readonly #memberTotals;

  constructor(db: Db) {
    this.#memberTotals = memberTotalsReader(db);
    this.#byWg = db.prepare<[number], SourceRow>('SELECT * FROM gitlab_sources WHERE wg_id = ? ORDER BY id');
    this.#all = db.prepare<[], SourceRow>(
      `SELECT s.* FROM gitlab_sources s JOIN working_groups g ON g.id = s.wg_id AND g.lifecycle <> 'ended' ORDER BY s.id`,
    );
    this.#byId = db.prepare<[number], SourceRow>('SELECT * FROM gitlab_sources WHERE id = ?');
    this.#find = db.prepare<[number, string, number], SourceRow>(
      'SELECT * FROM gitlab_sources WHERE wg_id = ? AND url = ? AND ifnull(criterion_id, 0) = ?',
    );
    this.#insert = db.prepare(
      `INSERT INTO gitlab_sources (wg_id, criterion_id, kind, url, namespace_kind, namespace_path, iid, labels, created_at, updated_at)
       VALUES (@wgId, @criterionId, @kind, @url, @namespaceKind, @path, @iid, @labels, @now, @now)`,
    );
    this.#holdingEpic = db.prepare<[string], { id: number; wg_id: number }>(
      `SELECT DISTINCT s.id, s.wg_id FROM gitlab_sources s
         JOIN gitlab_source_items m ON m.source_id = s.id
         JOIN action_items i ON i.id = m.item_id
       WHERE i.source = 'gitlab_epic' AND i.url LIKE ? ESCAPE '\\'`,
    );
    this.#flagRefetchChildren = db.prepare<[number]>(
      `UPDATE gitlab_sources SET cursor = json_set(cursor, '$.refetchChildren', json('true'))
       WHERE id = ? AND cursor IS NOT NULL`,
    );
    this.#update = db.prepare(
      `UPDATE gitlab_sources SET title = @title, web_url = @webUrl, state = @state, external_id = @externalId,
         description = @description, due_date = @dueDate, cursor = @cursor, health = @health, progress = @progress, updated_at = @now, last_ok_at = @now, last_error = NULL, last_error_at = NULL
       WHERE id = @id`,
    );
    this.#failure = db.prepare(
      'UPDATE gitlab_sources SET last_error = @error, last_error_at = @now WHERE id = @id',
    );
    this.#skipped = db.prepare(
      'UPDATE gitlab_sources SET last_skipped = @count, last_skipped_records = @records WHERE id = @id',
    );
    this.#delete = db.prepare<[number]>('DELETE FROM gitlab_sources WHERE id = ?');
    this.#memberIds = db.prepare<
      [number],
      { item_id: number; external_id: string | null; source: ItemSource }
    >(
      `SELECT m.item_id, i.external_id, i.source FROM gitlab_source_items m JOIN action_items i ON i.id = m.item_id
       WHERE m.source_id = ?`,
    );
    // Driven from the group's items of that kind (action_items_wg_order), not from every member: the child
    // epics of an epic with 100,000 issues are found without reading the 100,000.
    this.#memberIdsOfKind = db.prepare<
      [{ sourceId: number; kind: string }],
      { item_id: number; external_id: string | null }
    >(
      `SELECT m.item_id, i.external_id FROM action_items i CROSS JOIN gitlab_source_items m
       WHERE i.wg_id = (SELECT wg_id FROM gitlab_sources WHERE id = @sourceId) AND i.source = @kind
         AND m.source_id = @sourceId AND m.item_id = i.id`,
    );
    this.#paged = pagedStatements(db);
    this.#removeMember = db.prepare<[number, number]>(
      'DELETE FROM gitlab_source_items WHERE source_id = ? AND item_id = ?',
    );
    this.#addMember = db.prepare<[number, number]>(
      'INSERT OR IGNORE INTO gitlab_source_items (source_id, item_id) VALUES (?, ?)',
    );
    this.#orphans = db.prepare<[number], { id: number }>(
      `SELECT i.id FROM action_items i WHERE i.wg_id = ? AND i.removed_at IS NULL
         AND (i.source IN ('gitlab_issue', 'gitlab_epic') OR (i.source = 'epic_task' AND i.source_key LIKE 's%'))
         AND NOT EXISTS (SELECT 1 FROM gitlab_source_items m WHERE m.item_id = i.id)`,
    );
  }

  listByWg(wgId: number): StoredSource[] {
    return this.#byWg.all(wgId).map(toSource);
  }

  /** The sources of every group that has not ended: what periodic, webhook and `wgbot sync` runs sync. */
  listAll(): StoredSource[] {
    return this.#all.all().map(toSource);
  }

  getById(id: number): StoredSource | null {
    const row = this.#byId.get(id);
    return row ? toSource(row) : null;
  }

  /** Links a source (idempotently: the same URL for the same target is one link). */
  add(
    wgId: number,
    ref: SourceRef,
    url: string,
    criterionId: number | null,
    now: Date,
  ): { source: StoredSource; created: boolean } {
    const existing = this.#find.get(wgId, url, criterionId ?? 0);
    if (existing) return { source: toSource(existing), created: false };
    const info = this.#insert.run({
      wgId,
      criterionId,
      kind: ref.kind === 'work_item' ? (ref.namespaceKind === 'group' ? 'epic' : 'issue') : ref.kind,
      url,
      namespaceKind: ref.namespaceKind,
      path: ref.path,
      iid: 'iid' in ref ? ref.iid : null,
      labels: ref.kind === 'issues' ? JSON.stringify({ labels: ref.labels, milestone: ref.milestone }) : null,
      now: now.toISOString(),
    });
    return { source: this.getById(Number(info.lastInsertRowid))!, created: true };
  }

  remove(id: number): void {
    this.#delete.run(id);
  }

  recordFetch(
    id: number,
    facts: {
      title: string | null;
      webUrl: string | null;
      state: string | null;
      externalId: string | null;
      description?: string | null;
      dueDate?: string | null;
      health?: Health | null;
      progress?: number | null;
    },
    cursor: SourceCursor,
    now: Date,
  ): void {
    this.#update.run({
      id,
      ...facts,
      description: facts.description ?? null,
      dueDate: facts.dueDate ?? null,
      health: facts.health ?? null,
      progress: facts.progress ?? null,
      cursor: JSON.stringify(cursor),
      now: now.toISOString(),
    });
  }

  /** The latest fetch of this link failed; what it holds stays as the last good fetch left it. */
  recordFailure(id: number, error: string, now: Date): void {
    this.#failure.run({ id, error, now: now.toISOString() });
  }

  /** The records this link's latest good fetch skipped: how many, and a line naming each (capped). */
  recordSkipped(id: number, count: number, records: string[]): void {
    this.#skipped.run({ id, count, records: records.length > 0 ? JSON.stringify(records) : null });
  }

  /** The sources holding the epic `iid` of group `groupPath` as a child epic. */
  holdingChildEpic(groupPath: string, iid: number): { id: number; wgId: number }[] {
    const literal = `/groups/${groupPath}/-/epics/${iid}`.replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.#holdingEpic.all(`%${literal}`).map((r) => ({ id: r.id, wgId: r.wg_id }));
  }

  /**
   * Makes the next incremental sync of the source fetch its child epics again: they are otherwise only
   * fetched when the epic itself changed, and a child epic closing does not change its parent.
   */
  refetchChildEpics(sourceId: number): void {
    this.#flagRefetchChildren.run(sourceId);
  }

  /** The items a source holds, with their external ids ('issue:<id>') and kinds. */
  members(sourceId: number): { itemId: number; externalId: string | null; source: ItemSource }[] {
    return this.#memberIds
      .all(sourceId)
      .map((r) => ({ itemId: r.item_id, externalId: r.external_id, source: r.source }));
  }

  /** What the source's figure needs of its members, counted in SQL (memberTotals.ts). */
  memberTotals(sourceId: number): MemberTotals {
    return this.#memberTotals(sourceId);
  }

  /** Replaces the source's members of one kind (its issues, its child epics or its task lines). */
  replaceMembers(sourceId: number, kind: ItemSource, itemIds: number[]): void {
    // Only the difference is written: a full fetch of 100,000 unchanged issues writes no row here.
    const wanted = new Set(itemIds);
    const current = new Set(this.membersOfKind(sourceId, kind).map((m) => m.itemId));
    for (const itemId of current) if (!wanted.has(itemId)) this.#removeMember.run(sourceId, itemId);
    for (const itemId of wanted) if (!current.has(itemId)) this.#addMember.run(sourceId, itemId);
  }

  /** The source's members of one kind (its child epics), read from the group's items of that kind. */
  membersOfKind(sourceId: number, kind: ItemSource): { itemId: number; externalId: string | null }[] {
    return this.#memberIdsOfKind
      .all({ sourceId, kind })
      .map((r) => ({ itemId: r.item_id, externalId: r.external_id }));
  }

  /** Up to `limit` of the source's members after item `after`, by item id: `members` a page at a time. */
  membersPage(
    sourceId: number,
    after: number,
    limit: number,
  ): { itemId: number; externalId: string | null; source: ItemSource }[] {
    return this.#paged.memberPage
      .all({ sourceId, after, limit })
      .map((r) => ({ itemId: r.item_id, externalId: r.external_id, source: r.source }));
  }

  /**
   * Up to `limit` current items of the group after `after` in the listing order (from the start when
   * null): the orphans among them (as `orphanedItems`), and where the page stopped (null at the end).
   */
  orphanPage(
    wgId: number,
    after: { source: string; position: number; id: number } | null,
    limit: number,
  ): { orphans: number[]; next: { source: string; position: number; id: number } | null } {
    const rows = this.#paged.orphanPage.all({
      wgId,
      ...(after ?? { source: '', position: -(2 ** 53), id: 0 }),
      limit,
    });
    const last = rows.at(-1);
    return {
      orphans: rows.filter((r) => r.orphan === 1).map((r) => r.id),
      next:
        last && rows.length === limit ? { source: last.source, position: last.position, id: last.id } : null,
    };
  }

  addMembers(sourceId: number, itemIds: number[]): void {
    for (const itemId of itemIds) this.#addMember.run(sourceId, itemId);
  }

  /** Synced items of a group that no linked source holds any more: moved, deleted or hidden in GitLab. */
  orphanedItems(wgId: number): number[] {
    return this.#orphans.all(wgId).map((r) => r.id);
  }
}
