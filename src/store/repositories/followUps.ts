import type { FollowUp } from '../../domain/types.js';
import type { Db } from '../db.js';

interface FollowUpRow {
  title: string;
  url: string | null;
}

function rowToFollowUp(row: FollowUpRow): FollowUp {
  return { title: row.title, url: row.url };
}

function statements(db: Db) {
  return {
    ofGroup: db.prepare<[number], FollowUpRow>(
      'SELECT title, url FROM follow_ups WHERE wg_id = ? ORDER BY position',
    ),
    deleteOfGroup: db.prepare<[number]>('DELETE FROM follow_ups WHERE wg_id = ?'),
    insert: db.prepare<[number, number, string, string | null]>(
      'INSERT INTO follow_ups (wg_id, position, title, url) VALUES (?, ?, ?, ?)',
    ),
  };
}

/** The `follow_ups` table: the follow-up groups or work a page names, in page order. */
export class FollowUpRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  of(wgId: number): FollowUp[] {
    return this.#sql.ofGroup.all(wgId).map(rowToFollowUp);
  }

  replace(wgId: number, followUps: FollowUp[]): void {
    this.#sql.deleteOfGroup.run(wgId);
    for (const [position, f] of followUps.entries()) this.#sql.insert.run(wgId, position, f.title, f.url);
  }
}
