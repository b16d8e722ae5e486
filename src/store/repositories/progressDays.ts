import type { Db } from '../db.js';

/** A group's figures on one day: the last recorded that day. */
export interface DayFigures {
  day: string;
  at: string;
  /** Null: no criterion had a figure (unknown, not zero). */
  overall: number | null;
  /** By path ('1', '1.2'); null where the criterion had no figure. */
  criteria: Record<string, number | null>;
}

interface DayRow {
  day: string;
  at: string;
  overall: number | null;
}

/**
 * Progress over time, one row per group and UTC day (and one per criterion and day), updated in place
 * during the day: what the burn-up chart draws, at a size that does not grow with the number of syncs.
 */
export class ProgressDaysRepository {
  readonly #day;
  readonly #dayCriteria;
  readonly #upsertDay;
  readonly #clearCriteria;
  readonly #insertCriterion;
  readonly #since;
  readonly #criteriaSince;

  constructor(db: Db) {
    this.#day = db.prepare<[number, string], DayRow>(
      'SELECT day, at, overall FROM progress_days WHERE wg_id = ? AND day = ?',
    );
    this.#dayCriteria = db.prepare<[number, string], { path: string; percent: number | null }>(
      'SELECT path, percent FROM progress_day_criteria WHERE wg_id = ? AND day = ?',
    );
    this.#upsertDay = db.prepare<[number, string, string, number | null]>(
      `INSERT INTO progress_days (wg_id, day, at, overall) VALUES (?, ?, ?, ?)
       ON CONFLICT (wg_id, day) DO UPDATE SET at = excluded.at, overall = excluded.overall`,
    );
    this.#clearCriteria = db.prepare<[number, string]>(
      'DELETE FROM progress_day_criteria WHERE wg_id = ? AND day = ?',
    );
    this.#insertCriterion = db.prepare<[number, string, string, number | null]>(
      'INSERT OR REPLACE INTO progress_day_criteria (wg_id, day, path, percent) VALUES (?, ?, ?, ?)',
    );
    this.#since = db.prepare<[number, string], DayRow>(
      'SELECT day, at, overall FROM progress_days WHERE wg_id = ? AND at >= ? ORDER BY day',
    );
    this.#criteriaSince = db.prepare<[number, string], { day: string; path: string; percent: number | null }>(
      `SELECT c.day, c.path, c.percent FROM progress_days d
       JOIN progress_day_criteria c ON c.wg_id = d.wg_id AND c.day = d.day
       WHERE d.wg_id = ? AND d.at >= ? AND instr(c.path, '.') = 0`,
    );
  }

  /**
   * Records the figures at `at` as its day's, unless they are the day's already and `touch` is false
   * (with `touch`, the day's time moves to `at` anyway: something else about the group changed then).
   * Returns whether it wrote. Call inside a transaction.
   */
  record(
    wgId: number,
    at: string,
    figures: { overall: number | null; criteria: { path: string; percent: number | null }[] },
    touch = false,
  ): boolean {
    const day = at.slice(0, 10);
    if (!touch && this.#sameAsStored(wgId, day, figures)) return false;
    this.#upsertDay.run(wgId, day, at, figures.overall);
    this.#clearCriteria.run(wgId, day);
    for (const c of figures.criteria) this.#insertCriterion.run(wgId, day, c.path, c.percent);
    return true;
  }

  #sameAsStored(
    wgId: number,
    day: string,
    figures: { overall: number | null; criteria: { path: string; percent: number | null }[] },
  ): boolean {
    const row = this.#day.get(wgId, day);
    if (!row || row.overall !== figures.overall) return false;
    const stored = new Map(this.#dayCriteria.all(wgId, day).map((c) => [c.path, c.percent]));
    return (
      stored.size === figures.criteria.length &&
      figures.criteria.every((c) => stored.has(c.path) && stored.get(c.path) === c.percent)
    );
  }

  /** The days whose figures were recorded at or after `from` (an instant), oldest first; top-level criteria. */
  burnup(wgId: number, from: string): DayFigures[] {
    const days = new Map<string, DayFigures>(
      this.#since.all(wgId, from).map((r) => [r.day, { ...r, criteria: {} }]),
    );
    for (const c of this.#criteriaSince.all(wgId, from)) {
      const day = days.get(c.day);
      if (day) day.criteria[c.path] = c.percent;
    }
    return [...days.values()];
  }
}
