import type {
  Criterion,
  CriterionSection,
  FollowUp,
  IsoDate,
  Lifecycle,
  LifecycleSource,
  Role,
  RoleKind,
  SprintCadence,
  WorkingGroup,
} from '../../domain/types.js';
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

interface CriterionRow {
  id: number;
  parent_id: number | null;
  section: CriterionSection;
  title: string;
  url: string | null;
  handbook_percent: number | null;
  manual_percent: number | null;
  gitlab_percent: number | null;
  weight: number | null;
  source_line: number | null;
  owner: string | null;
}

interface RoleRow {
  role: string;
  kind: RoleKind;
  title: string | null;
  name: string;
  slack_user_id: string | null;
  gitlab_username: string | null;
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

export interface RoleAssignment {
  personId: number;
  role: string;
  kind: RoleKind;
  title: string | null;
  source: 'handbook' | 'slack' | 'cli';
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

function toGroup(row: GroupRow): WorkingGroup {
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

/** Working groups with their criteria, roles and follow-ups: one aggregate, one repository. */
export class WorkingGroupRepository {
  readonly #db: Db;
  readonly #bySlug;
  readonly #byId;
  readonly #byChannelId;
  readonly #list;
  readonly #listActive;
  readonly #delete;
  readonly #criteria;
  readonly #insertCriterion;
  readonly #updateCriterion;
  readonly #deleteCriterion;
  readonly #setGitlabPercent;
  readonly #roles;
  readonly #deleteRolesBySource;
  readonly #insertRole;
  readonly #followUps;
  readonly #roleExists;
  readonly #groupsOfPerson;
  readonly #metricProjects;
  readonly #deleteMetricProjects;
  readonly #insertMetricProject;
  readonly #maxRolePosition;
  readonly #deleteRole;
  readonly #deleteRolesOfPerson;
  readonly #deleteFollowUps;
  readonly #insertFollowUp;

  constructor(db: Db) {
    this.#db = db;
    this.#bySlug = db.prepare<[string], GroupRow>('SELECT * FROM working_groups WHERE slug = ?');
    this.#byId = db.prepare<[number], GroupRow>('SELECT * FROM working_groups WHERE id = ?');
    this.#byChannelId = db.prepare<[string], GroupRow>(
      'SELECT * FROM working_groups WHERE slack_channel_id = ?',
    );
    this.#list = db.prepare<[], GroupRow>('SELECT * FROM working_groups ORDER BY slug');
    this.#listActive = db.prepare<[], GroupRow>(
      "SELECT * FROM working_groups WHERE lifecycle = 'active' ORDER BY slug",
    );
    this.#delete = db.prepare<[number]>('DELETE FROM working_groups WHERE id = ?');
    this.#criteria = db.prepare<[number, string], CriterionRow>(
      'SELECT * FROM criteria WHERE wg_id = ? AND section = ? ORDER BY position, id',
    );
    this.#insertCriterion = db.prepare(
      `INSERT INTO criteria (wg_id, parent_id, section, position, title, url, handbook_percent, manual_percent, gitlab_percent, weight, source_line, owner)
       VALUES (@wgId, @parentId, @section, @position, @title, @url, @handbookPercent, @manualPercent, @gitlabPercent, @weight, @sourceLine, @owner)`,
    );
    this.#updateCriterion = db.prepare(
      `UPDATE criteria SET parent_id = @parentId, position = @position, title = @title, url = @url,
         handbook_percent = @handbookPercent, manual_percent = @manualPercent, gitlab_percent = @gitlabPercent,
         weight = @weight, source_line = @sourceLine, owner = @owner
       WHERE id = @id AND wg_id = @wgId`,
    );
    this.#setGitlabPercent = db.prepare<[number | null, number, number]>(
      'UPDATE criteria SET gitlab_percent = ? WHERE id = ? AND wg_id = ?',
    );
    this.#deleteCriterion = db.prepare<[number, number]>('DELETE FROM criteria WHERE id = ? AND wg_id = ?');
    this.#roles = db.prepare<[number], RoleRow>(
      `SELECT r.role, r.kind, r.title, p.name, p.slack_user_id, p.gitlab_username
       FROM roles r JOIN people p ON p.id = r.person_id WHERE r.wg_id = ? ORDER BY r.position, r.id`,
    );
    this.#deleteRolesBySource = db.prepare<[number, string]>(
      'DELETE FROM roles WHERE wg_id = ? AND source = ?',
    );
    this.#insertRole = db.prepare(
      `INSERT INTO roles (wg_id, person_id, role, kind, title, position, source)
       VALUES (@wgId, @personId, @role, @kind, @title, @position, @source)
       ON CONFLICT (wg_id, person_id, role) DO UPDATE SET kind = excluded.kind, title = excluded.title,
         position = excluded.position, source = excluded.source`,
    );
    this.#groupsOfPerson = db.prepare<[number], { wg_id: number }>(
      'SELECT DISTINCT wg_id FROM roles WHERE person_id = ?',
    );
    this.#metricProjects = db.prepare<[number], { project_path: string; environment: string }>(
      'SELECT project_path, environment FROM metric_projects WHERE wg_id = ? ORDER BY project_path',
    );
    this.#deleteMetricProjects = db.prepare<[number]>('DELETE FROM metric_projects WHERE wg_id = ?');
    this.#insertMetricProject = db.prepare<[number, string, string]>(
      'INSERT INTO metric_projects (wg_id, project_path, environment) VALUES (?, ?, ?)',
    );
    this.#roleExists = db.prepare<[number, number, string], { id: number }>(
      'SELECT id FROM roles WHERE wg_id = ? AND person_id = ? AND lower(role) = lower(?)',
    );
    this.#maxRolePosition = db.prepare<[number], { p: number | null }>(
      'SELECT max(position) AS p FROM roles WHERE wg_id = ?',
    );
    this.#deleteRole = db.prepare<[number, number, string]>(
      'DELETE FROM roles WHERE wg_id = ? AND person_id = ? AND lower(role) = lower(?)',
    );
    this.#deleteRolesOfPerson = db.prepare<[number, number]>(
      'DELETE FROM roles WHERE wg_id = ? AND person_id = ?',
    );
    this.#followUps = db.prepare<[number], FollowUp>(
      'SELECT title, url FROM follow_ups WHERE wg_id = ? ORDER BY position',
    );
    this.#deleteFollowUps = db.prepare<[number]>('DELETE FROM follow_ups WHERE wg_id = ?');
    this.#insertFollowUp = db.prepare(
      'INSERT INTO follow_ups (wg_id, position, title, url) VALUES (?, ?, ?, ?)',
    );
  }

  getBySlug(slug: string): WorkingGroup | null {
    const row = this.#bySlug.get(slug);
    return row ? toGroup(row) : null;
  }

  getById(id: number): WorkingGroup | null {
    const row = this.#byId.get(id);
    return row ? toGroup(row) : null;
  }

  getByChannelId(channelId: string): WorkingGroup | null {
    const row = this.#byChannelId.get(channelId);
    return row ? toGroup(row) : null;
  }

  /** Every group, whatever its lifecycle, by slug. */
  list(): WorkingGroup[] {
    return this.#list.all().map(toGroup);
  }

  /** The groups that are neither paused nor ended: those that get digests and nudges. */
  listActive(): WorkingGroup[] {
    return this.#listActive.all().map(toGroup);
  }

  /**
   * Removes a group and everything that hangs off it (criteria, roles, items, sources, snapshots, digest
   * and sync state: all `ON DELETE CASCADE`). People stay: they may be in other groups. Returns whether
   * there was such a group.
   */
  delete(id: number): boolean {
    return this.#delete.run(id).changes > 0;
  }

  insert(slug: string, fields: GroupFields, now: Date): WorkingGroup {
    const values = {
      ...columnValues(fields),
      slug,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
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
    // The column list comes from COLUMNS, never from input, so building the statement here is safe.
    this.#db
      .prepare(
        `UPDATE working_groups SET ${[...columns.map((c) => `${c} = @${c}`), 'updated_at = @updated_at'].join(', ')} WHERE id = @id`,
      )
      .run({ ...values, updated_at: now.toISOString(), id });
    return this.getById(id)!;
  }

  /** The group's criteria of one section as a tree, in page order. */
  criteria(wgId: number, section: CriterionSection = 'exit'): Criterion[] {
    const rows = this.#criteria.all(wgId, section);
    const nodes = new Map<number, Criterion>();
    for (const row of rows) {
      nodes.set(row.id, {
        id: row.id,
        section: row.section,
        title: row.title,
        url: row.url,
        handbookPercent: row.handbook_percent,
        manualPercent: row.manual_percent,
        gitlabPercent: row.gitlab_percent,
        weight: row.weight,
        sourceLine: row.source_line,
        owner: row.owner,
        children: [],
      });
    }
    // Rows come in position order, so appending keeps every level in page order.
    const roots: Criterion[] = [];
    for (const row of rows) {
      const node = nodes.get(row.id)!;
      const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  /**
   * Stores `tree` as the section's criteria: nodes with an id are updated, the others inserted, and stored
   * criteria missing from the tree deleted. Call inside a transaction (the services do).
   */
  saveCriteria(wgId: number, section: CriterionSection, tree: Criterion[]): void {
    const keep = new Set<number>();
    const save = (nodes: Criterion[], parentId: number | null) => {
      nodes.forEach((node, position) => {
        const params = {
          wgId,
          parentId,
          section,
          position,
          title: node.title,
          url: node.url,
          handbookPercent: node.handbookPercent,
          manualPercent: node.manualPercent,
          gitlabPercent: node.gitlabPercent,
          weight: node.weight,
          sourceLine: node.sourceLine,
          owner: node.owner,
        };
        let id = node.id;
        if (id === null) id = Number(this.#insertCriterion.run(params).lastInsertRowid);
        else this.#updateCriterion.run({ ...params, id });
        keep.add(id);
        save(node.children, id);
      });
    };
    save(tree, null);
    const all = (nodes: Criterion[]): number[] => nodes.flatMap((n) => [n.id!, ...all(n.children)]);
    for (const id of all(this.criteria(wgId, section)))
      if (!keep.has(id)) this.#deleteCriterion.run(id, wgId);
  }

  /** Sets the figure a linked GitLab object gives a criterion (null: the link counts nothing yet). */
  setGitlabPercent(wgId: number, criterionId: number, percent: number | null): void {
    this.#setGitlabPercent.run(percent, criterionId, wgId);
  }

  roles(wgId: number): Role[] {
    return this.#roles.all(wgId).map((row) => ({
      role: row.role,
      kind: row.kind,
      name: row.name,
      title: row.title,
      slackUserId: row.slack_user_id,
      gitlabUsername: row.gitlab_username,
    }));
  }

  /** Replaces the roles that came from one source (the page), leaving roles granted in Slack alone. */
  replaceRoles(wgId: number, source: RoleAssignment['source'], roles: RoleAssignment[]): void {
    this.#deleteRolesBySource.run(wgId, source);
    for (const [position, r] of roles.entries()) this.#insertRole.run({ wgId, ...r, position, source });
  }

  /** Grants one role (from Slack or the CLI); granting it again changes nothing. Returns whether it is new. */
  addRole(wgId: number, assignment: RoleAssignment): boolean {
    if (this.#roleExists.get(wgId, assignment.personId, assignment.role)) return false;
    const position = (this.#maxRolePosition.get(wgId)?.p ?? -1) + 1;
    this.#insertRole.run({ wgId, ...assignment, position });
    return true;
  }

  /** Takes one role, or every role when `role` is null. Returns how many were taken. */
  removeRole(wgId: number, personId: number, role: string | null): number {
    return role === null
      ? this.#deleteRolesOfPerson.run(wgId, personId).changes
      : this.#deleteRole.run(wgId, personId, role).changes;
  }

  /** The groups a person has a role in. */
  groupIdsOfPerson(personId: number): number[] {
    return this.#groupsOfPerson.all(personId).map((r) => r.wg_id);
  }

  /** The GitLab projects whose DevOps key metrics a group follows. */
  metricProjects(wgId: number): { project: string; environment: string }[] {
    return this.#metricProjects
      .all(wgId)
      .map((r) => ({ project: r.project_path, environment: r.environment }));
  }

  replaceMetricProjects(wgId: number, projects: { project: string; environment: string }[]): void {
    this.#deleteMetricProjects.run(wgId);
    for (const p of projects) this.#insertMetricProject.run(wgId, p.project, p.environment);
  }

  followUps(wgId: number): FollowUp[] {
    return this.#followUps.all(wgId);
  }

  replaceFollowUps(wgId: number, followUps: FollowUp[]): void {
    this.#deleteFollowUps.run(wgId);
    for (const [position, f] of followUps.entries()) this.#insertFollowUp.run(wgId, position, f.title, f.url);
  }
}
