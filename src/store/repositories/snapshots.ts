import type { CriterionFigure } from '../../domain/snapshot.js';
import type { Db } from '../db.js';

/** The figures a posted digest compares against next time: its overall and each criterion's percent. */
export interface StoredBaseline {
  id: number;
  takenAt: string;
  overall: number | null;
  criteria: CriterionFigure[];
}

/**
 * Digest baselines: one row per posted digest (digest_log.snapshot_id) with the figures at that moment.
 * The items of that moment are not copied: ItemHistoryRepository rebuilds them from the item events.
 */
export class SnapshotRepository {
  readonly #insert;
  readonly #insertCriterion;
  readonly #getById;
  readonly #criteria;

  constructor(db: Db) {
    this.#insert = db.prepare<[number, string, string, number | null]>(
      'INSERT INTO progress_snapshots (wg_id, taken_at, trigger, overall) VALUES (?, ?, ?, ?)',
    );
    this.#insertCriterion = db.prepare<[number, string, number | null]>(
      'INSERT OR REPLACE INTO progress_snapshot_criteria (snapshot_id, criterion_key, percent) VALUES (?, ?, ?)',
    );
    this.#getById = db.prepare<[number], { id: number; taken_at: string; overall: number | null }>(
      'SELECT id, taken_at, overall FROM progress_snapshots WHERE id = ?',
    );
    this.#criteria = db.prepare<[number], { criterion_key: string; percent: number | null }>(
      'SELECT criterion_key, percent FROM progress_snapshot_criteria WHERE snapshot_id = ?',
    );
  }

  /** Records the figures at `takenAt`; call inside a transaction. */
  insert(
    wgId: number,
    baseline: { takenAt: string; overall: number | null; criteria: CriterionFigure[] },
    trigger: string,
  ): number {
    const id = Number(this.#insert.run(wgId, baseline.takenAt, trigger, baseline.overall).lastInsertRowid);
    for (const c of baseline.criteria) this.#insertCriterion.run(id, c.key, c.percent);
    return id;
  }

  getById(id: number): StoredBaseline | null {
    const row = this.#getById.get(id);
    if (!row) return null;
    const criteria = this.#criteria.all(id).map((c) => ({ key: c.criterion_key, percent: c.percent }));
    return { id: row.id, takenAt: row.taken_at, overall: row.overall, criteria };
  }
}
