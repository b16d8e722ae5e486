import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: Migration[];
  currentVersion: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** The migrations shipped with this build: `migrations/` beside `src/` (or `dist/`). */
export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string = defaultMigrationsDir): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new MigrationError(`migration file ${file} is not named NNNN_name.sql`);
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  // Numbers are handed out ahead of time to work done in parallel, so one may go unused: gaps are fine,
  // a number used twice is not. Order is guarded where it matters, when a database is migrated.
  migrations.forEach((m, i) => {
    if (i > 0 && m.version === migrations[i - 1]!.version)
      throw new MigrationError(
        `two migrations are numbered ${String(m.version).padStart(4, '0')}: ${file(migrations[i - 1]!)} and ${file(m)}`,
      );
  });
  return migrations;
}

function file(m: Migration): string {
  return `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

function readApplied(db: Db): AppliedRow[] {
  return db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as AppliedRow[];
}

/**
 * Refuses a database newer than this code, one whose applied migrations were edited afterwards, and a
 * migration older than the database's schema that it never saw (added out of order: applying it after
 * newer ones could misread or break their data).
 */
function checkApplied(rows: AppliedRow[], migrations: Migration[]): void {
  const known = new Map(migrations.map((m) => [m.version, m]));
  const latestKnown = migrations.at(-1)?.version ?? 0;
  const applied = new Set(rows.map((r) => r.version));
  const current = rows.at(-1)?.version ?? 0;
  const skipped = migrations.find((m) => m.version < current && !applied.has(m.version));
  if (skipped)
    throw new MigrationError(
      `migration ${file(skipped)} is older than the database's schema version ${current} but was never applied; give it a number above ${current}`,
    );
  for (const row of rows) {
    if (row.version > latestKnown) {
      throw new MigrationError(
        `the database is at schema version ${Math.max(...rows.map((r) => r.version))}, newer than this wgbot (knows up to ${latestKnown}): run a newer wgbot or restore a backup`,
      );
    }
    const m = known.get(row.version);
    if (m && m.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${file(m)} was edited after it was applied; add a new migration instead`,
      );
    }
  }
}

/**
 * For a database opened read-only: checks, without writing, that its schema is the one this code reads.
 * A database that lacks migrations cannot be read by this code until `wgbot migrate` ran with write access.
 */
export function checkSchema(db: Db, migrations: Migration[] = loadMigrations()): number {
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const rows = hasTable ? readApplied(db) : [];
  checkApplied(rows, migrations);
  const current = rows.at(-1)?.version ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current < latest)
    throw new MigrationError(
      `the database is at schema version ${current} and this wgbot needs ${latest}: run 'wgbot migrate' where the file is writable`,
    );
  return current;
}

/**
 * Applies every migration the database has not seen, each in its own transaction and recorded in
 * `schema_migrations`. Forward-only: refuses a database that is newer than this code or whose applied
 * migrations were edited afterwards, because either means the code would misread the data.
 */
export function migrate(
  db: Db,
  migrations: Migration[] = loadMigrations(),
  now: () => Date = () => new Date(),
): MigrationResult {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: Migration[] = [];

  const check = (rows: AppliedRow[]) => checkApplied(rows, migrations);

  check(readApplied(db));
  for (const m of migrations) {
    // Each migration takes the write lock and re-checks, so two processes starting together apply it once.
    const didApply = db
      .transaction(() => {
        const rows = readApplied(db);
        check(rows);
        if (rows.some((r) => r.version === m.version)) return false;
        db.exec(m.sql);
        db.prepare(
          'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
        ).run(m.version, m.name, m.checksum, now().toISOString());
        return true;
      })
      .immediate();
    if (didApply) applied.push(m);
  }
  if (applied.length > 0) compactIfMostlyFree(db);
  const currentVersion =
    (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  return { applied, currentVersion };
}

/**
 * A migration that dropped most of the data (0005 replaced gigabytes of snapshot JSON) leaves the file
 * as large as before, and backups copy every page: VACUUM then gives the space back. It cannot run inside
 * a migration's transaction, hence here; it copies only the live pages, so it is quick when most are free.
 */
function compactIfMostlyFree(db: Db): void {
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const total = db.pragma('page_count', { simple: true }) as number;
  if (free > 256 && free > total / 4) db.exec('VACUUM');
}
