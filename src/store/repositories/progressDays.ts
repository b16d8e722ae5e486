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
  readonly #latestFingerprint;
  readonly #upsertDay;
  readonly #clearCriteria;
  readonly #insertCriterion;
  readonly #since;
  readonly #criteriaSince;
  readonly #history;

  constructor(db: Db) {
    this.#latestFingerprint = db.prepare<[number], { fingerprint: string | null }>(
      'SELECT fingerprint FROM progress_days WHERE wg_id = ? ORDER BY day DESC LIMIT 1',
    );
    this.#upsertDay = db.prepare<[number, string, string, number | null, string]>(
      `INSERT INTO progress_days (wg_id, day, at, overall, fingerprint) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (wg_id, day) DO UPDATE SET
         at = excluded.at, overall = excluded.overall, fingerprint = excluded.fingerprint`,
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
    this.#history = db.prepare<{ wgId: number; from: string }, { day: string; overall: number | null }>(
      `SELECT day, overall FROM (
         SELECT day, overall FROM progress_days WHERE wg_id = @wgId AND day < @from ORDER BY day DESC LIMIT 1)
       UNION ALL
       SELECT day, overall FROM progress_days WHERE wg_id = @wgId AND day >= @from
       ORDER BY day`,
    );
  }

  /**
   * Records the figures at `at` as its day's (replacing what the day had), unless the group is as the
   * last record left it: same `fingerprint` (a hash of its figures and items). So a day gets a row only
   * when something about the group changed that day, and its point sits at the last change — the same
   * points the chart had when every change was a snapshot. Returns whether it wrote. Call in a transaction.
   */
  record(
    wgId: number,
    at: string,
    figures: { overall: number | null; criteria: { path: string; percent: number | null }[] },
    fingerprint: string,
  ): boolean {
    if (this.#latestFingerprint.get(wgId)?.fingerprint === fingerprint) return false;
    const day = at.slice(0, 10);
    this.#upsertDay.run(wgId, day, at, figures.overall, fingerprint);
    this.#clearCriteria.run(wgId, day);
    for (const c of figures.criteria) this.#insertCriterion.run(wgId, day, c.path, c.percent);
    return true;
  }

  /**
   * The overall figure of each recorded day from `from` (a calendar day) on, and of the last recorded day
   * before it — the figure the group held on `from`, since a day gets a row only when something changed.
   * Two index seeks per group: what the forecast reads, in lists of thousands of groups too.
   */
  overallHistory(wgId: number, from: string): { day: string; overall: number | null }[] {
    return this.#history.all({ wgId, from });
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
