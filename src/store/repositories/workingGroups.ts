import type { IsoDate, Lifecycle, LifecycleSource, SprintCadence, WorkingGroup } from '../../domain/types.js';
import type { Db } from '../db.js';

interface GroupRow {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  business_goal: string | null;
  created_date: string | null;
  target_end_date: string | null;
  channel: string | null;
  slack_channel_id: string | null;
  doc_url: string | null;
  task_board_url: string | null;
  timezone: string;
  sprint_length_days: number | null;
  sprint_anchor_number: number | null;
  sprint_anchor_date: string | null;
  digest_cron: string | null;
  digest_timezone: string | null;
  lifecycle: Lifecycle;
  lifecycle_source: LifecycleSource | null;
  ended_on: string | null;
  page_ended_on: string | null;
  outcome: string | null;
}

/** The fields of a group a page, the CLI or Slack can set; absent keys are left as they are. */
export interface GroupFields {
  name: string;
  description?: string | null;
  businessGoal?: string | null;
  createdDate?: IsoDate | null;
  targetEndDate?: IsoDate | null;
  channel?: string | null;
  slackChannelId?: string | null;
  docUrl?: string | null;
  taskBoardUrl?: string | null;
  sourceKind?: 'handbook' | 'epic' | 'slack' | 'cli';
  sourceRef?: string | null;
  timezone?: string;
  cadence?: SprintCadence | null;
  digestCron?: string | null;
  digestTimezone?: string | null;
  lifecycle?: Lifecycle;
  lifecycleSource?: LifecycleSource | null;
  endedOn?: IsoDate | null;
  pageEndedOn?: IsoDate | null;
  outcome?: string | null;
}

const COLUMNS: Record<Exclude<keyof GroupFields, 'cadence'>, string> = {
  name: 'name',
  description: 'description',
  businessGoal: 'business_goal',
  createdDate: 'created_date',
  targetEndDate: 'target_end_date',
  channel: 'channel',
  slackChannelId: 'slack_channel_id',
  docUrl: 'doc_url',
  taskBoardUrl: 'task_board_url',
  sourceKind: 'source_kind',
  sourceRef: 'source_ref',
  timezone: 'timezone',
  digestCron: 'digest_cron',
  digestTimezone: 'digest_timezone',
  lifecycle: 'lifecycle',
  lifecycleSource: 'lifecycle_source',
  endedOn: 'ended_on',
  pageEndedOn: 'page_ended_on',
  outcome: 'outcome',
};

function rowToGroup(row: GroupRow): WorkingGroup {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    businessGoal: row.business_goal,
    createdDate: row.created_date,
    targetEndDate: row.target_end_date,
    channel: row.channel,
    slackChannelId: row.slack_channel_id,
    docUrl: row.doc_url,
    taskBoardUrl: row.task_board_url,
    timezone: row.timezone,
    cadence:
      row.sprint_length_days !== null && row.sprint_anchor_number !== null && row.sprint_anchor_date !== null
        ? {
            lengthDays: row.sprint_length_days,
            anchorNumber: row.sprint_anchor_number,
            anchorDate: row.sprint_anchor_date,
          }
        : null,
    digestCron: row.digest_cron,
    digestTimezone: row.digest_timezone,
    lifecycle: row.lifecycle,
    lifecycleSource: row.lifecycle_source,
    endedOn: row.ended_on,
    pageEndedOn: row.page_ended_on,
    outcome: row.outcome,
  };
}

function columnValues(fields: Partial<GroupFields>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(COLUMNS)) {
    if (key in fields) values[column] = fields[key as keyof typeof COLUMNS] ?? null;
  }
  if ('cadence' in fields) {
    values.sprint_length_days = fields.cadence?.lengthDays ?? null;
    values.sprint_anchor_number = fields.cadence?.anchorNumber ?? null;
    values.sprint_anchor_date = fields.cadence?.anchorDate ?? null;
  }
  return values;
}

/**
 * The SQL condition (on the row before the update) under which an update changes when digests are owed:
 * a new schedule or zone, or a return to active. Null when the update touches none of those columns.
 */
function digestsRestart(columns: string[]): string | null {
  const conditions: string[] = [];
  for (const column of ['digest_cron', 'digest_timezone'])
    if (columns.includes(column)) conditions.push(`${column} IS NOT @${column}`);
  if (columns.includes('lifecycle')) conditions.push(`(lifecycle != 'active' AND @lifecycle = 'active')`);
  return conditions.length > 0 ? conditions.join(' OR ') : null;
}

function statements(db: Db) {
  return {
    bySlug: db.prepare<[string], GroupRow>('SELECT * FROM working_groups WHERE slug = ?'),
    byId: db.prepare<[number], GroupRow>('SELECT * FROM working_groups WHERE id = ?'),
    byChannelId: db.prepare<[string], GroupRow>('SELECT * FROM working_groups WHERE slack_channel_id = ?'),
    list: db.prepare<[], GroupRow>('SELECT * FROM working_groups ORDER BY slug'),
    listActive: db.prepare<[], GroupRow>(
      "SELECT * FROM working_groups WHERE lifecycle = 'active' ORDER BY slug",
    ),
    delete: db.prepare<[number]>('DELETE FROM working_groups WHERE id = ?'),
    digestsDueFrom: db.prepare<[number], { digests_due_from: string | null; created_at: string }>(
      'SELECT digests_due_from, created_at FROM working_groups WHERE id = ?',
    ),
  };
}

/**
 * The `working_groups` table. A group's criteria, roles, follow-ups and metric projects have repositories
 * of their own (one per table); insert and update build their column list from COLUMNS.
 */
export class WorkingGroupRepository {
  readonly #db: Db;
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#db = db;
    this.#sql = statements(db);
  }

  getBySlug(slug: string): WorkingGroup | null {
    const row = this.#sql.bySlug.get(slug);
    return row ? rowToGroup(row) : null;
  }

  getById(id: number): WorkingGroup | null {
    const row = this.#sql.byId.get(id);
    return row ? rowToGroup(row) : null;
  }

  getByChannelId(channelId: string): WorkingGroup | null {
    const row = this.#sql.byChannelId.get(channelId);
    return row ? rowToGroup(row) : null;
  }

  /** Every group, whatever its lifecycle, by slug. */
  list(): WorkingGroup[] {
    return this.#sql.list.all().map(rowToGroup);
  }

  /** The groups that are neither paused nor ended: those that get digests and nudges. */
  listActive(): WorkingGroup[] {
    return this.#sql.listActive.all().map(rowToGroup);
  }

  /**
   * Removes a group and everything that hangs off it (criteria, roles, items, sources, snapshots, digest
   * and sync state: all `ON DELETE CASCADE`). People stay: they may be in other groups. Returns whether
   * there was such a group.
   */
  delete(id: number): boolean {
    return this.#sql.delete.run(id).changes > 0;
  }

  insert(slug: string, fields: GroupFields, now: Date): WorkingGroup {
    const values = {
      ...columnValues(fields),
      slug,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      digests_due_from: now.toISOString(),
    };
    const columns = Object.keys(values);
    const info = this.#db
      .prepare(
        `INSERT INTO working_groups (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
      )
      .run(values);
    return this.getById(Number(info.lastInsertRowid))!;
  }

  update(id: number, fields: Partial<GroupFields>, now: Date): WorkingGroup {
    const values = columnValues(fields);
    const columns = Object.keys(values);
    const sets = [...columns.map((c) => `${c} = @${c}`), 'updated_at = @updated_at'];
    const restarts = digestsRestart(columns);
    if (restarts)
      sets.push(`digests_due_from = CASE WHEN ${restarts} THEN @updated_at ELSE digests_due_from END`);
    // The column list comes from COLUMNS, never from input, so building the statement here is safe.
    this.#db
      .prepare(`UPDATE working_groups SET ${sets.join(', ')} WHERE id = @id`)
      .run({ ...values, updated_at: now.toISOString(), id });
    return this.getById(id)!;
  }

  /**
   * From when the group's scheduled digests are owed: its creation, its latest schedule change or return
   * to active. A digest due before it was never missed.
   */
  digestsDueFrom(id: number): Date | null {
    const row = this.#sql.digestsDueFrom.get(id);
    return row ? new Date(row.digests_due_from ?? row.created_at) : null;
  }
}
