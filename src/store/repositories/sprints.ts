import type { Sprint } from '../../domain/types.js';
import type { Db } from '../db.js';

export interface StoredSprint extends Sprint {
  source: 'iteration' | 'milestone';
  externalId: string;
  state: string | null;
  webUrl: string | null;
}

interface SprintRow {
  source: 'iteration' | 'milestone';
  external_id: string;
  number: number | null;
  title: string;
  start_date: string | null;
  end_date: string | null;
  state: string | null;
  web_url: string | null;
}

/** The GitLab iterations and milestones a group's items are planned in. */
export class SprintRepository {
  readonly #list;
  readonly #upsert;
  readonly #delete;

  constructor(db: Db) {
    this.#list = db.prepare<[number], SprintRow>(
      'SELECT * FROM sprints WHERE wg_id = ? ORDER BY start_date NULLS LAST, number, title',
    );
    this.#upsert = db.prepare(
      `INSERT INTO sprints (wg_id, source, external_id, number, title, start_date, end_date, state, web_url)
       VALUES (@wgId, @source, @externalId, @number, @title, @startDate, @endDate, @state, @webUrl)
       ON CONFLICT (wg_id, source, external_id) DO UPDATE SET number = excluded.number, title = excluded.title,
         start_date = excluded.start_date, end_date = excluded.end_date, state = excluded.state, web_url = excluded.web_url`,
    );
    this.#delete = db.prepare<[number, string, string]>(
      'DELETE FROM sprints WHERE wg_id = ? AND source = ? AND external_id = ?',
    );
  }

  list(wgId: number): StoredSprint[] {
    return this.#list.all(wgId).map((row) => ({
      source: row.source,
      externalId: row.external_id,
      number: row.number,
      title: row.title,
      startDate: row.start_date,
      endDate: row.end_date,
      state: row.state,
      webUrl: row.web_url,
    }));
  }

  upsert(wgId: number, sprint: StoredSprint): void {
    this.#upsert.run({ wgId, ...sprint });
  }

  delete(wgId: number, source: StoredSprint['source'], externalId: string): void {
    this.#delete.run(wgId, source, externalId);
  }
}
