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

  constructor(db: Db) {
    this.#byKey = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE name_key = ?');
    this.#byId = db.prepare<[number], PersonRow>('SELECT * FROM people WHERE id = ?');
    this.#byGitlab = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE gitlab_username = ?');
    this.#bySlack = db.prepare<[string], PersonRow>('SELECT * FROM people WHERE slack_user_id = ?');
    this.#insert = db.prepare(
      `INSERT INTO people (name, name_key, gitlab_username, created_at, updated_at)
       VALUES (@name, @nameKey, @gitlabUsername, @now, @now)`,
    );
    this.#setGitlab = db.prepare(
      'UPDATE people SET gitlab_username = @gitlabUsername, updated_at = @now WHERE id = @id AND gitlab_username IS NULL',
    );
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
