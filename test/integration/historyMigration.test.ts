import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BurnupPoint } from '../../src/charts/burnup.js';
import { rewind } from '../../src/domain/itemHistory.js';
import { type Db, openDatabase } from '../../src/store/db.js';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { Store } from '../../src/store/store.js';
import { type HistoryShape, oldSnapshotWriter, simulate } from '../helpers/history.js';
import { tempDir } from '../helpers/store.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const START = '2026-09-01T00:00:00.000Z';
const BEFORE_0005 = loadMigrations().filter((m) => m.version < 5);

interface OldSnapshot {
  id: number;
  wg_id: number;
  taken_at: string;
  data: string;
}

interface OldData {
  takenAt: string;
  overall: number;
  criteria: { key: string; path: string; percent: number | null }[];
  items: { key: string; state: string; sprintNumber: number; sprintTitle: string; dueDate: string | null }[];
}

/** The burn-up points exactly as the old digest code drew them from snapshot rows (one per day, the last). */
function oldBurnup(rows: OldSnapshot[]): Pick<BurnupPoint, 'at' | 'overall' | 'criteria'>[] {
  const byDay = new Map<string, OldData>();
  for (const row of rows) {
    const s = JSON.parse(row.data) as OldData;
    byDay.set(s.takenAt.slice(0, 10), s);
  }
  return [...byDay.values()].map((s) => ({
    at: new Date(s.takenAt),
    overall: s.overall,
    criteria: Object.fromEntries(
      s.criteria.filter((c) => !c.path.includes('.')).map((c) => [c.path, c.percent]),
    ),
  }));
}

/** A database at the schema before 0005, three groups with a simulated history in old-style rows. */
function oldDatabase(): { db: Db; shape: HistoryShape } {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const db = openDatabase(join(dir, 'old.db'));
  cleanups.unshift(() => db.close());
  migrate(db, BEFORE_0005);
  const at = START;
  const groups: HistoryShape['groups'] = [];
  db.transaction(() => {
    for (let g = 1; g <= 3; g += 1) {
      const wgId = Number(
        db
          .prepare('INSERT INTO working_groups (slug, name, created_at, updated_at) VALUES (?, ?, ?, ?)')
          .run(`group-${g}`, `Group ${g}`, at, at).lastInsertRowid,
      );
      const itemIds = Array.from({ length: 40 }, (_, i) =>
        Number(
          db
            .prepare(
              `INSERT INTO action_items (wg_id, source, source_key, title, state, created_at, updated_at)
               VALUES (?, 'manual', ?, ?, 'open', ?, ?)`,
            )
            .run(wgId, `item-${i}`, `Item ${i}`, at, at).lastInsertRowid,
        ),
      );
      const criterionIds = Array.from({ length: 12 }, (_, c) => 100 * g + c);
      groups.push({ wgId, itemIds, criterionIds });
    }
  })();
  const shape: HistoryShape = { groups, start: START, days: 60, changesPerWorkingDay: 5, seed: 7 };
  const writer = oldSnapshotWriter(db);
  db.transaction(() => simulate(shape, writer.write))();
  // Posted digests, each pointing at the newest snapshot on a Monday 09:00, as the old digest code did.
  db.transaction(() => {
    for (const { wgId } of groups) {
      for (const monday of ['2026-09-07', '2026-09-14', '2026-10-19']) {
        const postedAt = `${monday}T09:00:00.000Z`;
        const snapshotId = db
          .prepare(
            'SELECT id FROM progress_snapshots WHERE wg_id = ? AND taken_at <= ? ORDER BY taken_at DESC, id DESC',
          )
          .pluck()
          .get(wgId, postedAt);
        db.prepare(
          `INSERT INTO digest_log (wg_id, period, state, marker, snapshot_id, posted_at, created_at, updated_at)
           VALUES (?, ?, 'posted', ?, ?, ?, ?, ?)`,
        ).run(wgId, monday, `m-${wgId}-${monday}`, snapshotId, postedAt, postedAt, postedAt);
      }
    }
  })();
  return { db, shape };
}

describe('migration 0005: snapshots to per-day figures and item events', () => {
  it('keeps every day of the burn-up, every moment of the items, and the figures posted digests compare with', () => {
    const { db, shape } = oldDatabase();
    const rows = (wgId: number, from: string) =>
      db
        .prepare(
          'SELECT id, wg_id, taken_at, data FROM progress_snapshots WHERE wg_id = ? AND taken_at >= ? ORDER BY taken_at, id',
        )
        .all(wgId, from) as OldSnapshot[];
    // Chart windows starting at the beginning, at a midnight, and in the middle of a working day.
    const windows = [START, '2026-10-01T00:00:00.000Z', '2026-10-14T11:00:00.000Z'];
    const before = shape.groups.map(({ wgId }) => ({
      wgId,
      burnups: windows.map((from) => oldBurnup(rows(wgId, from))),
      snapshots: rows(wgId, START).map((r) => JSON.parse(r.data) as OldData),
    }));
    const baselines = db
      .prepare(
        'SELECT d.snapshot_id AS id, s.data FROM digest_log d JOIN progress_snapshots s ON s.id = d.snapshot_id',
      )
      .all() as { id: number; data: string }[];
    const oldRows = db.prepare('SELECT count(*) FROM progress_snapshots').pluck().get() as number;
    expect(oldRows).toBeGreaterThan(3 * 60);
    expect(baselines).toHaveLength(9);

    const pagesBefore = db.pragma('page_count', { simple: true }) as number;
    migrate(db);
    const store = new Store(db);
    // The space the JSON took is given back (VACUUM after the migration), not left as free pages.
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(db.pragma('page_count', { simple: true })).toBeLessThan(pagesBefore / 5);

    for (const group of before) {
      windows.forEach((from, i) => {
        const after = store.progressDays
          .burnup(group.wgId, from)
          .map((d) => ({ at: new Date(d.at), overall: d.overall, criteria: d.criteria }));
        expect(after).toEqual(group.burnups[i]);
      });
      // Every day with a snapshot (weekends without a change had none, then as now).
      const days = new Set(group.snapshots.map((s) => s.takenAt.slice(0, 10)));
      expect(group.burnups[0]).toHaveLength(days.size);
      expect(days.size).toBeGreaterThan(40);

      // The items at every old snapshot's moment, rebuilt from the events.
      const recorded = store.itemHistory.recorded(group.wgId);
      for (const snapshot of group.snapshots) {
        const rebuilt = rewind(recorded, store.itemHistory.eventsAfter(group.wgId, snapshot.takenAt))
          .filter((i) => i.present)
          .map((i) => ({
            key: `i${i.itemId}`,
            state: i.state,
            sprintNumber: i.sprintNumber,
            sprintTitle: i.sprintTitle,
            dueDate: i.dueDate,
          }))
          .sort((a, b) => a.key.localeCompare(b.key));
        const old = snapshot.items
          .map(({ key, state, sprintNumber, sprintTitle, dueDate }) => ({
            key,
            state,
            sprintNumber,
            sprintTitle,
            dueDate,
          }))
          .sort((a, b) => a.key.localeCompare(b.key));
        expect(rebuilt).toEqual(old);
      }
    }

    for (const baseline of baselines) {
      const old = JSON.parse(baseline.data) as OldData;
      expect(store.snapshots.getById(baseline.id)).toEqual({
        id: baseline.id,
        takenAt: old.takenAt,
        overall: old.overall,
        criteria: expect.arrayContaining(old.criteria.map((c) => ({ key: c.key, percent: c.percent }))),
      });
      expect(store.snapshots.getById(baseline.id)!.criteria).toHaveLength(old.criteria.length);
    }
    // The JSON is gone: only the digests' baselines stay, as figures.
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('progress_snapshots');
    expect(columns).not.toContain('data');
    expect(db.prepare('SELECT count(*) FROM progress_snapshots').pluck().get()).toBe(9);
  });

  it('stores a figure nobody has as NULL, never 0', () => {
    const { db } = oldDatabase();
    migrate(db);
    // The sixth criterion of every group is never measured.
    expect(
      db
        .prepare("SELECT count(*) FROM progress_day_criteria WHERE path = '6' AND percent IS NOT NULL")
        .pluck()
        .get(),
    ).toBe(0);
    expect(
      db
        .prepare("SELECT count(*) FROM progress_day_criteria WHERE path = '6' AND percent IS NULL")
        .pluck()
        .get(),
    ).toBe(db.prepare('SELECT count(*) FROM progress_days').pluck().get());
    expect(db.prepare('SELECT count(*) FROM progress_days WHERE overall IS NULL').pluck().get()).toBe(0);
  });
});
