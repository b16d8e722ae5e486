import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { loadMigrations, MigrationError, migrate } from '../../src/store/migrate.js';
import { tempDir } from '../helpers/store.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function freshDb() {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const db = openDatabase(join(dir, 'test.db'));
  cleanups.unshift(() => db.close());
  return { db, dir };
}

describe('migrations', () => {
  it('apply every migration to an empty database, and a second run is a no-op', () => {
    const { db } = freshDb();
    const shipped = loadMigrations();
    expect(shipped.length).toBeGreaterThan(0);

    const first = migrate(db);
    expect(first.applied.map((m) => m.version)).toEqual(shipped.map((m) => m.version));
    expect(first.currentVersion).toBe(shipped.at(-1)!.version);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'action_items',
        'criteria',
        'digest_log',
        'nudge_log',
        'people',
        'progress_snapshots',
        'roles',
        'schema_migrations',
        'sprints',
        'sync_state',
        'working_groups',
      ]),
    );
    const schemaBefore = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all();

    const second = migrate(db);
    expect(second.applied).toEqual([]);
    expect(second.currentVersion).toBe(first.currentVersion);
    expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()).toEqual(schemaBefore);
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(shipped.length);
  });

  it('runs with WAL and foreign keys on', () => {
    const { db } = freshDb();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('refuses a database newer than the code', () => {
    const { db } = freshDb();
    migrate(db);
    db.prepare(
      "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', 'now')",
    ).run();
    expect(() => migrate(db)).toThrow(MigrationError);
    expect(() => migrate(db)).toThrow(/schema version 999, newer than this wgbot/);
  });

  it('refuses a migration that was edited after it was applied', () => {
    const { db } = freshDb();
    migrate(db);
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
    expect(() => migrate(db, edited)).toThrow(/was edited after it was applied/);
  });

  it('applies each migration in its own transaction: a failing one leaves no trace and stops the run', () => {
    const { db, dir } = freshDb();
    const migrationsDir = join(dir, 'migrations');
    mkdirSync(migrationsDir);
    writeFileSync(join(migrationsDir, '0001_one.sql'), 'CREATE TABLE one (id INTEGER PRIMARY KEY);');
    writeFileSync(
      join(migrationsDir, '0002_broken.sql'),
      'CREATE TABLE two (id INTEGER PRIMARY KEY); SELECT nope FROM nowhere;',
    );
    expect(() => migrate(db, loadMigrations(migrationsDir))).toThrow(/no such table: nowhere/);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['one', 'schema_migrations']);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual([1]);
  });

  it('refuses badly named or twice-numbered migration files', () => {
    const { dir } = freshDb();
    const migrationsDir = join(dir, 'gapped');
    mkdirSync(migrationsDir);
    writeFileSync(join(migrationsDir, '0001_one.sql'), 'SELECT 1;');
    writeFileSync(join(migrationsDir, '0003_three.sql'), 'SELECT 1;');
    expect(loadMigrations(migrationsDir).map((m) => m.version)).toEqual([1, 3]);
    writeFileSync(join(migrationsDir, '0003_again.sql'), 'SELECT 1;');
    expect(() => loadMigrations(migrationsDir)).toThrow(/two migrations are numbered 0003/);
    writeFileSync(join(migrationsDir, 'two.sql'), 'SELECT 1;');
    expect(() => loadMigrations(migrationsDir)).toThrow(/not named NNNN_name.sql/);
  });

  it('applies migrations across a gap in their numbers, and refuses one added below the schema later', () => {
    const { db, dir } = freshDb();
    const migrationsDir = join(dir, 'late');
    mkdirSync(migrationsDir);
    writeFileSync(join(migrationsDir, '0001_one.sql'), 'CREATE TABLE one (a);');
    writeFileSync(join(migrationsDir, '0003_three.sql'), 'CREATE TABLE three (a);');
    expect(migrate(db, loadMigrations(migrationsDir)).currentVersion).toBe(3);
    writeFileSync(join(migrationsDir, '0002_two.sql'), 'CREATE TABLE two (a);');
    expect(() => migrate(db, loadMigrations(migrationsDir))).toThrow(
      /0002_two.sql is older than the database's schema version 3 but was never applied/,
    );
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'two'").pluck().get()).toBe(0);
  });
});
