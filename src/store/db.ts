import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * How a process may use the file at a database path:
 * - `create`: make the directory and the file when missing (`migrate`, `import`, `serve`, the demo);
 * - `write`: the file must exist and be writable (a typo in DATABASE_PATH must not start an empty database);
 * - `read`: the file must exist; a location this process cannot write is opened read-only.
 */
export type OpenMode = 'create' | 'write' | 'read';

/** The database cannot be used as asked: missing, not writable, unreadable. The message names the path. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';

  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A WAL database read into memory when no -shm can be created beside it; larger ones are refused. */
const MAX_IN_MEMORY_BYTES = 512 * 1024 * 1024;

export function missingDatabaseMessage(path: string): string {
  return `no database at ${path} (run 'wgbot migrate' or 'wgbot import' first, or set DATABASE_PATH)`;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens the SQLite file with the settings every wgbot process relies on:
 * WAL so the Slack handlers can read while a sync writes, foreign keys enforced, and a busy timeout so
 * a second process (a CLI run beside the server) waits for a write lock instead of failing at once.
 */
export function openDatabase(path: string, mode: OpenMode = 'create'): Db {
  if (path === ':memory:') return configure(new Database(path));
  if (!existsSync(path)) {
    if (mode !== 'create') throw new DatabaseError(path, missingDatabaseMessage(path));
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new DatabaseError(
        path,
        `cannot create ${dirname(path)} for the database ${path}: ${reason(error)}`,
      );
    }
  } else if (statSync(path).isDirectory()) {
    throw new DatabaseError(path, `${path} is a directory, not a database file`);
  }
  // SQLite writes the -wal and -shm files beside the database: the directory must be writable too.
  const canWrite = !existsSync(path) || (writable(path) && writable(dirname(path)));
  if (!canWrite) {
    if (mode === 'read') return openReadOnly(path);
    throw new DatabaseError(
      path,
      `cannot write the database ${path} (the file or its directory is read-only); reading commands still work`,
    );
  }
  try {
    return configure(new Database(path));
  } catch (error) {
    throw new DatabaseError(path, `cannot open the database ${path}: ${reason(error)}`);
  }
}

function configure(db: Db): Db {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
}

/**
 * A database in a location this process cannot write (a read-only mount, another user's file). SQLite
 * reads a WAL database through its -shm file, which it cannot create here; when a wgbot stopped cleanly
 * there is no -wal left to read, so the file alone is the whole database: it is read into memory with its
 * header set to the rollback journal, which needs no -shm. A -wal with content (a wgbot running, or one
 * that crashed) holds recent writes, and those can only be read where the -shm exists or can be made.
 */
function openReadOnly(path: string): Db {
  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return readOnlySettings(db);
  } catch (error) {
    db?.close();
    // SQLITE_READONLY_DIRECTORY or SQLITE_CANTOPEN: the -shm could not be made. Anything else is the file.
    if (!/^SQLITE_(READONLY|CANTOPEN)/.test((error as { code?: string }).code ?? ''))
      throw new DatabaseError(path, `cannot read the database ${path}: ${reason(error)}`);
  }
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0)
    throw new DatabaseError(
      path,
      `cannot read the database ${path} read-only: its write-ahead log (${wal}) holds recent writes, and reading it needs write access to ${dirname(path)}`,
    );
  const size = statSync(path).size;
  if (size > MAX_IN_MEMORY_BYTES)
    throw new DatabaseError(
      path,
      `cannot read the database ${path} read-only: it is in WAL mode and ${Math.round(size / 2 ** 20)} MB, too large to read into memory; give this user write access to ${dirname(path)}`,
    );
  try {
    const image = readFileSync(path);
    // Bytes 18 and 19 are the file format's write and read versions: 2 is WAL, 1 the rollback journal.
    if (image.length >= 20 && image[18] === 2 && image[19] === 2) image.fill(1, 18, 20);
    return readOnlySettings(new Database(image, { readonly: true }));
  } catch (error) {
    throw new DatabaseError(path, `cannot read the database ${path}: ${reason(error)}`);
  }
}

function readOnlySettings(db: Db): Db {
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` in one write transaction, taken with BEGIN IMMEDIATE so two writers never deadlock on upgrade. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}
