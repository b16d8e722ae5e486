import type { ChangeAuthor, CriterionChange, CriterionField } from '../../domain/criteriaHistory.js';
import type { Db } from '../db.js';

/** A recorded change, as the history lists it. */
export interface StoredCriterionChange {
  id: number;
  /** Null once the criterion itself was deleted (its history stays). */
  criterionId: number | null;
  criterionTitle: string;
  field: CriterionField;
  from: string | number | null;
  to: string | number | null;
  by: ChangeAuthor;
  at: string;
}

interface ChangeRow {
  id: number;
  criterion_id: number | null;
  criterion_title: string;
  field: CriterionField;
  from_value: string | number | null;
  to_value: string | number | null;
  by: ChangeAuthor;
  at: string;
}

function toChange(row: ChangeRow): StoredCriterionChange {
  return {
    id: row.id,
    criterionId: row.criterion_id,
    criterionTitle: row.criterion_title,
    field: row.field,
    from: row.from_value,
    to: row.to_value,
    by: row.by,
    at: row.at,
  };
}

/** The `criterion_changes` table: every change of a criterion's figure, source, title or owner. */
export class CriterionChangeRepository {
  readonly #insert;
  readonly #ofGroup;
  readonly #ofCriterion;
  readonly #ofGroups;

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO criterion_changes (wg_id, criterion_id, criterion_title, field, from_value, to_value, by, at)
       VALUES (@wgId, @criterionId, @criterionTitle, @field, @from, @to, @by, @at)`,
    );
    this.#ofGroup = db.prepare<[number, number], ChangeRow>(
      'SELECT * FROM criterion_changes WHERE wg_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    );
    this.#ofCriterion = db.prepare<[number, number, number], ChangeRow>(
      'SELECT * FROM criterion_changes WHERE wg_id = ? AND criterion_id = ? ORDER BY at DESC, id DESC LIMIT ?',
    );
    this.#ofGroups = db.prepare<[string, number], ChangeRow & { wg_id: number }>(
      `SELECT * FROM criterion_changes WHERE wg_id IN (SELECT value FROM json_each(?))
       ORDER BY at DESC, id DESC LIMIT ?`,
    );
  }

  /** Records changes made by `by` at `at`; a criterion deleted in the same change is kept by title only. */
  record(wgId: number, changes: CriterionChange[], by: ChangeAuthor, at: Date, gone: ReadonlySet<number>) {
    for (const c of changes)
      this.#insert.run({
        wgId,
        criterionId: gone.has(c.criterionId) ? null : c.criterionId,
        criterionTitle: c.criterionTitle,
        field: c.field,
        from: c.from,
        to: c.to,
        by,
        at: at.toISOString(),
      });
  }

  /** The group's latest changes, newest first (at most `limit`), of one criterion when given. */
  latest(wgId: number, limit: number, criterionId: number | null = null): StoredCriterionChange[] {
    const rows =
      criterionId === null ? this.#ofGroup.all(wgId, limit) : this.#ofCriterion.all(wgId, criterionId, limit);
    return rows.map(toChange);
  }

  /** The latest changes across several groups, newest first (at most `limit`), with each one's group id. */
  latestOfGroups(wgIds: number[], limit: number): (StoredCriterionChange & { wgId: number })[] {
    if (wgIds.length === 0) return [];
    return this.#ofGroups.all(JSON.stringify(wgIds), limit).map((r) => ({ ...toChange(r), wgId: r.wg_id }));
  }
}
