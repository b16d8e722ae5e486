import type { Role, RoleKind } from '../../domain/types.js';
import type { Db } from '../db.js';

interface RoleRow {
  role: string;
  kind: RoleKind;
  title: string | null;
  name: string;
  slack_user_id: string | null;
  gitlab_username: string | null;
}

export interface RoleAssignment {
  personId: number;
  role: string;
  kind: RoleKind;
  title: string | null;
  source: 'handbook' | 'slack' | 'cli';
}

function rowToRole(row: RoleRow): Role {
  return {
    role: row.role,
    kind: row.kind,
    name: row.name,
    title: row.title,
    slackUserId: row.slack_user_id,
    gitlabUsername: row.gitlab_username,
  };
}

function statements(db: Db) {
  return {
    ofGroup: db.prepare<[number], RoleRow>(
      `SELECT r.role, r.kind, r.title, p.name, p.slack_user_id, p.gitlab_username
       FROM roles r JOIN people p ON p.id = r.person_id WHERE r.wg_id = ? ORDER BY r.position, r.id`,
    ),
    deleteBySource: db.prepare<[number, string]>('DELETE FROM roles WHERE wg_id = ? AND source = ?'),
    insert: db.prepare(
      `INSERT INTO roles (wg_id, person_id, role, kind, title, position, source)
       VALUES (@wgId, @personId, @role, @kind, @title, @position, @source)
       ON CONFLICT (wg_id, person_id, role) DO UPDATE SET kind = excluded.kind, title = excluded.title,
         position = excluded.position, source = excluded.source`,
    ),
    groupsOfPerson: db.prepare<[number], { wg_id: number }>(
      'SELECT DISTINCT wg_id FROM roles WHERE person_id = ?',
    ),
    exists: db.prepare<[number, number, string], { id: number }>(
      'SELECT id FROM roles WHERE wg_id = ? AND person_id = ? AND lower(role) = lower(?)',
    ),
    maxPosition: db.prepare<[number], { p: number | null }>(
      'SELECT max(position) AS p FROM roles WHERE wg_id = ?',
    ),
    deleteOne: db.prepare<[number, number, string]>(
      'DELETE FROM roles WHERE wg_id = ? AND person_id = ? AND lower(role) = lower(?)',
    ),
    deleteOfPerson: db.prepare<[number, number]>('DELETE FROM roles WHERE wg_id = ? AND person_id = ?'),
  };
}

/** The `roles` table: who holds which role in a group, with the person's name and handles joined in. */
export class RoleRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  /** A group's roles in page order (roles granted later come after). */
  of(wgId: number): Role[] {
    return this.#sql.ofGroup.all(wgId).map(rowToRole);
  }

  /** Replaces the roles that came from one source (the page), leaving roles granted in Slack alone. */
  replace(wgId: number, source: RoleAssignment['source'], roles: RoleAssignment[]): void {
    this.#sql.deleteBySource.run(wgId, source);
    for (const [position, r] of roles.entries()) this.#sql.insert.run({ wgId, ...r, position, source });
  }

  /** Grants one role (from Slack or the CLI); granting it again changes nothing. Returns whether it is new. */
  add(wgId: number, assignment: RoleAssignment): boolean {
    if (this.#sql.exists.get(wgId, assignment.personId, assignment.role)) return false;
    const position = (this.#sql.maxPosition.get(wgId)?.p ?? -1) + 1;
    this.#sql.insert.run({ wgId, ...assignment, position });
    return true;
  }

  /** Takes one role, or every role when `role` is null. Returns how many were taken. */
  remove(wgId: number, personId: number, role: string | null): number {
    return role === null
      ? this.#sql.deleteOfPerson.run(wgId, personId).changes
      : this.#sql.deleteOne.run(wgId, personId, role).changes;
  }

  /** The groups a person has a role in. */
  groupIdsOfPerson(personId: number): number[] {
    return this.#sql.groupsOfPerson.all(personId).map((r) => r.wg_id);
  }
}
