import type { ProgressSnapshot } from '../../domain/snapshot.js';
import type { Db } from '../db.js';

export interface StoredSnapshot {
  id: number;
  trigger: string;
  snapshot: ProgressSnapshot;
}

interface SnapshotRow {
  id: number;
  trigger: string;
  data: string;
}

function toStored(row: SnapshotRow): StoredSnapshot {
  return { id: row.id, trigger: row.trigger, snapshot: JSON.parse(row.data) as ProgressSnapshot };
}

/** Progress over time: one row per import or sync, read back for "what changed" and the burn-up chart. */
export class SnapshotRepository {
  readonly #insert;
  readonly #latest;
  readonly #latestBefore;
  readonly #since;
  readonly #getById;

  constructor(db: Db) {
    this.#insert = db.prepare(
      'INSERT INTO progress_snapshots (wg_id, taken_at, trigger, overall, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.#latest = db.prepare<[number], SnapshotRow>(
      'SELECT id, trigger, data FROM progress_snapshots WHERE wg_id = ? ORDER BY taken_at DESC, id DESC LIMIT 1',
    );
    this.#latestBefore = db.prepare<[number, string], SnapshotRow>(
      `SELECT id, trigger, data FROM progress_snapshots WHERE wg_id = ? AND taken_at <= ?
       ORDER BY taken_at DESC, id DESC LIMIT 1`,
    );
    this.#since = db.prepare<[number, string], SnapshotRow>(
      'SELECT id, trigger, data FROM progress_snapshots WHERE wg_id = ? AND taken_at >= ? ORDER BY taken_at, id',
    );
    this.#getById = db.prepare<[number], SnapshotRow>(
      'SELECT id, trigger, data FROM progress_snapshots WHERE id = ?',
    );
  }

  insert(wgId: number, snapshot: ProgressSnapshot, trigger: string): number {
    return Number(
      this.#insert.run(wgId, snapshot.takenAt, trigger, snapshot.overall, JSON.stringify(snapshot))
        .lastInsertRowid,
    );
  }

  latest(wgId: number): StoredSnapshot | null {
    const row = this.#latest.get(wgId);
    return row ? toStored(row) : null;
  }

  /** The newest snapshot taken at or before `at` (an ISO instant). */
  latestAtOrBefore(wgId: number, at: string): StoredSnapshot | null {
    const row = this.#latestBefore.get(wgId, at);
    return row ? toStored(row) : null;
  }

  since(wgId: number, from: string): StoredSnapshot[] {
    return this.#since.all(wgId, from).map(toStored);
  }

  getById(id: number): StoredSnapshot | null {
    const row = this.#getById.get(id);
    return row ? toStored(row) : null;
  }
}
