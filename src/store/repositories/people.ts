import type { Db } from '../db.js';

export interface Person {
  id: number;
  name: string;
  slackUserId: string | null;
  gitlabUsername: string | null;
  email: string | null;
  timezone: string | null;
}

interface PersonRow {
  id: number;
  name: string;
  slack_user_id: string | null;
  gitlab_username: string | null;
  email: string | null;
  timezone: string | null;
}

function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    name: row.name,
    slackUserId: row.slack_user_id,
    gitlabUsername: row.gitlab_username,
    email: row.email,
    timezone: row.timezone,
  };
}

/** How pages refer to one person: case and spacing do not make two people. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}

export class PeopleRepository {
  readonly #byKey;
  readonly #byId;
  readonly #byGitlab;
  readonly #bySlack;
  readonly #insert;
  readonly #setGitlab;
  readonly #linkSlack;
  readonly #unlinkSlack;
  readonly #setTimezone;
  readonly #list;

  constructor(db: Db) {
    this.#byKey = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE name_key = ?');
    this.#byId = db.prepare<[number], PersonRow>('SELECT * FROM people WHERE id = ?');
    this.#byGitlab = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE gitlab_username = ?');
    this.#bySlack = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE slack_user_id = ?');
    this.#insert = db.prepare(
      `INSERT INTO people (name, name_key, gitlab_username, created_at, updated_at)
       VALUES (@name, @nameKey, @gitlabUsername, @now, @now)`,
    );
    this.#unlinkSlack = db.prepare(
      'UPDATE people SET slack_user_id = NULL, updated_at = @now WHERE slack_user_id = @slackUserId AND id != @personId',
    );
    this.#linkSlack = db.prepare(
      `UPDATE people SET slack_user_id = @slackUserId, timezone = coalesce(@timezone, timezone), updated_at = @now
       WHERE id = @personId`,
    );
    this.#setTimezone = db.prepare(
      'UPDATE people SET timezone = @timezone, updated_at = @now WHERE id = @personId',
    );
    this.#list = db.prepare<[], PersonRow>(
      `SELECT DISTINCT p.* FROM people p JOIN action_item_owners ao ON ao.person_id = p.id
       JOIN action_items i ON i.id = ao.item_id AND i.removed_at IS NULL AND i.state = 'open'
       JOIN working_groups g ON g.id = i.wg_id AND g.lifecycle = 'active' ORDER BY p.id`,
    );
    this.#setGitlab = db.prepare(
      'UPDATE people SET gitlab_username = @gitlabUsername, updated_at = @now WHERE id = @id AND gitlab_username IS NULL',
    );
  }

  /** Ties a person to their Slack user (and records their time zone); a previous holder of the id lets go. */
  linkSlackUser(personId: number, slackUserId: string, timezone: string | null, now: Date): void {
    // Two statements, not one: the unique index on slack_user_id is checked row by row.
    this.#unlinkSlack.run({ personId, slackUserId, now: now.toISOString() });
    this.#linkSlack.run({ personId, slackUserId, timezone, now: now.toISOString() });
  }

  setTimezone(personId: number, timezone: string, now: Date): void {
    this.#setTimezone.run({ personId, timezone, now: now.toISOString() });
  }

  /** The person of that name (as pages write it: case and spacing do not matter), if any. */
  findByName(name: string): Person | null {
    const row = this.#byKey.get(nameKey(name));
    return row ? toPerson(row) : null;
  }

  /** Everyone who owns an open, current item in an active group: the people nudges are for. */
  listOwnersOfOpenItems(): Person[] {
    return this.#list.all().map(toPerson);
  }

  getById(id: number): Person | null {
    const row = this.#byId.get(id);
    return row ? toPerson(row) : null;
  }

  getBySlackUserId(slackUserId: string): Person | null {
    const row = this.#bySlack.get(slackUserId);
    return row ? toPerson(row) : null;
  }

  /** The person a page or an epic names, created on first mention; a GitLab handle is recorded when given. */
  findOrCreate(name: string, now: Date, gitlabUsername: string | null = null): Person {
    const byHandle = gitlabUsername ? this.#byGitlab.get(gitlabUsername) : undefined;
    if (byHandle) return toPerson(byHandle);
    const existing = this.#byKey.get(nameKey(name));
    if (existing) {
      if (gitlabUsername && existing.gitlab_username === null) {
        this.#setGitlab.run({ id: existing.id, gitlabUsername, now: now.toISOString() });
        return { ...toPerson(existing), gitlabUsername };
      }
      return toPerson(existing);
    }
    const info = this.#insert.run({ name, nameKey: nameKey(name), gitlabUsername, now: now.toISOString() });
    return this.getById(Number(info.lastInsertRowid))!;
  }
}
