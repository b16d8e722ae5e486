import { criterionProgress, overallProgress } from '../../domain/criteria.js';
import { type OpenDue, openDueDays } from '../../domain/summary.js';
import type { CriterionProgress, IsoDate, Lifecycle, SprintRef } from '../../domain/types.js';
import type { Db } from '../db.js';
import { sprintRefOf } from './actionItems.js';
import type { SprintRepository } from './sprints.js';
import type { CriterionRepository } from './criteria.js';
import type { WorkingGroupRepository } from './workingGroups.js';

/** A group's figures as last computed: what `/wg list`, `wgbot list` and the App Home show of it. */
export interface StoredGroupSummary {
  wgId: number;
  slug: string;
  name: string;
  channel: string | null;
  timezone: string;
  targetEndDate: IsoDate | null;
  overall: number | null;
  measured: number;
  total: number;
  items: number;
  open: number;
  openDue: OpenDue;
  syncedAt: string | null;
  updatedAt: string | null;
  /** From the group itself, not the summary: a lifecycle change needs no recomputation. */
  lifecycle: Lifecycle;
  endedOn: IsoDate | null;
}

/** Which groups a list shows: those in one of these lifecycles, or all when null. */
export type LifecycleFilter = Lifecycle[] | null;

interface SummaryRow {
  wg_id: number;
  slug: string;
  name: string;
  channel: string | null;
  timezone: string;
  target_end_date: string | null;
  overall: number | null;
  measured: number;
  total: number;
  items: number;
  open: number;
  open_due: string;
  synced_at: string | null;
  updated_at: string | null;
  stale: 0 | 1;
  lifecycle: Lifecycle;
  ended_on: string | null;
}

interface OpenBatchRow {
  due_date: string | null;
  sprint_number: number | null;
  sprint_title: string | null;
  sprint_source: SprintRef['source'] | null;
  n: number;
}

// The groups a list shows, with what the group row adds. Filters on the group belong here, in one place.
const LISTED = `SELECT s.*, g.lifecycle, g.ended_on FROM group_summaries s
  JOIN working_groups g ON g.id = s.wg_id
  WHERE (@lifecycles IS NULL OR g.lifecycle IN (SELECT value FROM json_each(@lifecycles)))`;

function figures(exit: CriterionProgress[]) {
  const { overall, coverage } = overallProgress(exit);
  return { overall, measured: coverage.measured, total: coverage.total };
}

function toSummary(row: SummaryRow): StoredGroupSummary {
  return {
    wgId: row.wg_id,
    slug: row.slug,
    name: row.name,
    channel: row.channel,
    timezone: row.timezone,
    targetEndDate: row.target_end_date,
    overall: row.overall,
    measured: row.measured,
    total: row.total,
    items: row.items,
    open: row.open,
    openDue: JSON.parse(row.open_due) as OpenDue,
    syncedAt: row.synced_at,
    updatedAt: row.updated_at,
    lifecycle: row.lifecycle,
    endedOn: row.ended_on,
  };
}

const lifecycleParam = (lifecycles: LifecycleFilter) => ({
  lifecycles: lifecycles === null ? null : JSON.stringify(lifecycles),
});

/**
 * Per-group figures kept beside the data they come from. Triggers (migration 0006) mark a group stale when
 * its items, criteria, sprints, sync or own fields are written; `refreshStale` recomputes those rows and
 * runs at the end of every `Store.transaction`. A row still stale when read (written outside a
 * transaction, or by an older wgbot) is computed afresh for that read, so a list is never behind.
 */
export class GroupSummaryRepository {
  readonly #page;
  readonly #count;
  readonly #byIds;
  readonly #staleIds;
  readonly #save;
  readonly #itemCounts;
  readonly #openBatches;
  readonly #syncedAt;

  constructor(
    db: Db,
    private readonly groups: WorkingGroupRepository,
    private readonly criteria: CriterionRepository,
    private readonly sprints: SprintRepository,
  ) {
    this.#page = db.prepare<[{ lifecycles: string | null; limit: number; offset: number }], SummaryRow>(
      `${LISTED} ORDER BY s.slug LIMIT @limit OFFSET @offset`,
    );
    this.#count = db.prepare<[{ lifecycles: string | null }], { n: number }>(
      `SELECT count(*) AS n FROM (${LISTED})`,
    );
    this.#byIds = db.prepare<[{ lifecycles: string | null; ids: string }], SummaryRow>(
      `${LISTED} AND s.wg_id IN (SELECT value FROM json_each(@ids)) ORDER BY s.slug`,
    );
    this.#staleIds = db.prepare<[], { wg_id: number }>(
      'SELECT wg_id FROM group_summaries WHERE stale = 1 ORDER BY wg_id',
    );
    this.#save = db.prepare(
      `INSERT INTO group_summaries (wg_id, slug, name, channel, timezone, target_end_date, overall, measured,
         total, items, open, open_due, synced_at, updated_at, stale)
       VALUES (@wgId, @slug, @name, @channel, @timezone, @targetEndDate, @overall, @measured, @total, @items,
         @open, @openDue, @syncedAt, @updatedAt, 0)
       ON CONFLICT (wg_id) DO UPDATE SET slug = excluded.slug, name = excluded.name, channel = excluded.channel,
         timezone = excluded.timezone, target_end_date = excluded.target_end_date, overall = excluded.overall,
         measured = excluded.measured, total = excluded.total, items = excluded.items, open = excluded.open,
         open_due = excluded.open_due, synced_at = excluded.synced_at, updated_at = excluded.updated_at,
         stale = 0`,
    );
    this.#itemCounts = db.prepare<[number], { items: number; open: number }>(
      `SELECT count(*) AS items, coalesce(sum(state = 'open'), 0) AS open FROM action_items
       WHERE wg_id = ? AND removed_at IS NULL`,
    );
    this.#openBatches = db.prepare<[number], OpenBatchRow>(
      `SELECT due_date, sprint_number, sprint_title, sprint_source, count(*) AS n FROM action_items
       WHERE wg_id = ? AND removed_at IS NULL AND state = 'open'
       GROUP BY due_date, sprint_number, sprint_title, sprint_source`,
    );
    this.#syncedAt = db.prepare<[number], { last_success_at: string | null }>(
      'SELECT last_success_at FROM sync_state WHERE wg_id = ?',
    );
  }

  /** The groups in `lifecycles` in slug order, `limit` of them (-1: all) from `offset`. */
  page(lifecycles: LifecycleFilter, offset: number, limit: number): StoredGroupSummary[] {
    return this.#page.all({ ...lifecycleParam(lifecycles), limit, offset }).map((row) => this.#current(row));
  }

  /** How many groups are in `lifecycles`. */
  count(lifecycles: LifecycleFilter): number {
    return this.#count.get(lifecycleParam(lifecycles))!.n;
  }

  /** The groups among `ids` that are in `lifecycles`, in slug order. */
  byIds(lifecycles: LifecycleFilter, ids: number[]): StoredGroupSummary[] {
    if (ids.length === 0) return [];
    return this.#byIds
      .all({ ...lifecycleParam(lifecycles), ids: JSON.stringify(ids) })
      .map((row) => this.#current(row));
  }

  hasStale(): boolean {
    return this.#staleIds.get() !== undefined;
  }

  /**
   * Recomputes the summaries the triggers marked stale, stamped `now`. Store.transaction calls it before
   * every commit, so figures change in the same transaction as the data behind them.
   */
  refreshStale(now: Date): number {
    const stale = this.#staleIds.all();
    for (const { wg_id } of stale) {
      const summary = this.compute(wg_id, now);
      if (summary) this.#save.run({ ...summary, openDue: JSON.stringify(summary.openDue) });
    }
    return stale.length;
  }

  /** A group's figures computed from its criteria, items, sprints and sync, as `/wg status` computes them. */
  compute(wgId: number, now: Date): Omit<StoredGroupSummary, 'lifecycle' | 'endedOn'> | null {
    const group = this.groups.getById(wgId);
    if (!group) return null;
    const exit = this.criteria.of(wgId, 'exit').map(criterionProgress);
    const { items, open } = this.#itemCounts.get(wgId)!;
    const batches = this.#openBatches
      .all(wgId)
      .map((row) => ({ dueDate: row.due_date, sprint: sprintRefOf(row), count: row.n }));
    return {
      wgId,
      slug: group.slug,
      name: group.name,
      channel: group.channel,
      timezone: group.timezone,
      targetEndDate: group.targetEndDate,
      ...figures(exit),
      items,
      open,
      openDue: openDueDays(batches, this.sprints.list(wgId), group.cadence),
      syncedAt: this.#syncedAt.get(wgId)?.last_success_at ?? null,
      updatedAt: now.toISOString(),
    };
  }

  #current(row: SummaryRow): StoredGroupSummary {
    const stored = toSummary(row);
    if (row.stale === 0) return stored;
    // Not written back: a read never writes. `updatedAt` stays when the stored figures were computed.
    const fresh = this.compute(row.wg_id, new Date(0));
    return fresh ? { ...stored, ...fresh, updatedAt: row.updated_at } : stored;
  }
}
