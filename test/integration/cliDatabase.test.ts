import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgbot } from '../helpers/cli.js';
import { HANDBOOK_SEED } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  // The temporary directory is private (0700); others must be able to reach the read-only one inside.
  chmodSync(dir, 0o755);
});
afterAll(() => {
  // Give write access back so the directory can be removed.
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o755);
  cleanup();
});

/** Run as root, the test reads the read-only copy as `nobody`: root may write anywhere. */
const OTHER_USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

describe('wgbot never makes a database where one was expected', () => {
  it.each([
    [['list']],
    [['status', 'improve-ops-quality']],
    [['digest', 'improve-ops-quality', '--dry-run']],
    [['schedule', 'improve-ops-quality']],
    [['schedule', 'improve-ops-quality', 'MON 10:00']],
    [['metrics', 'improve-ops-quality']],
    [['sync']],
    [['link', 'improve-ops-quality', 'https://gitlab.com/groups/g/-/epics/1', '--no-sync']],
    [['backup', '/tmp/never-written.db']],
  ])('%j on a missing path: exit 2 naming it, and nothing created', async (args) => {
    const path = join(dir, 'nonexistent', 'dir', 'x.db');
    const run = await wgbot(args, { DATABASE_PATH: path });
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      `wgbot ${args[0]}: no database at ${path} (run 'wgbot migrate' or 'wgbot import' first, or set DATABASE_PATH)\n`,
    );
    expect(existsSync(join(dir, 'nonexistent'))).toBe(false);
  });

  it('import and migrate create the directory and the database', async () => {
    const path = join(dir, 'fresh', 'sub', 'wgbot.db');
    const imported = await wgbot(['import', HANDBOOK_SEED], { DATABASE_PATH: path });
    expect(imported.code).toBe(0);
    expect(existsSync(path)).toBe(true);
    const migrated = await wgbot(['migrate', '--db', join(dir, 'other', 'm.db')]);
    expect(migrated.code).toBe(0);
    expect(existsSync(join(dir, 'other', 'm.db'))).toBe(true);
  });

  it('a database newer than this wgbot is refused, naming the path', async () => {
    const path = join(dir, 'newer.db');
    expect((await wgbot(['migrate'], { DATABASE_PATH: path })).code).toBe(0);
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x', '2030-01-01')").run();
    db.close();
    const run = await wgbot(['list'], { DATABASE_PATH: path });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^wgbot list: ${path}: the database is at schema version 999, newer than this wgbot`),
    );
  });
});

describe('a database in a read-only location', () => {
  let readOnly: string;
  let path: string;

  beforeAll(async () => {
    readOnly = join(dir, 'readonly');
    path = join(readOnly, 'wgbot.db');
    expect((await wgbot(['import', HANDBOOK_SEED], { DATABASE_PATH: path })).code).toBe(0);
    // wgbot stopped cleanly: the WAL was checkpointed and removed; the file says WAL in its header.
    expect(readdirSync(readOnly)).toEqual(['wgbot.db']);
    chmodSync(path, 0o444);
    chmodSync(readOnly, 0o555);
  });

  it('still serves list and status, and leaves no file behind', async () => {
    const list = await wgbot(['list', '--json'], { DATABASE_PATH: path }, undefined, OTHER_USER);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout).map((g: { slug: string }) => g.slug)).toEqual(['improve-ops-quality']);
    const status = await wgbot(
      ['status', 'improve-ops-quality'],
      { DATABASE_PATH: path },
      undefined,
      OTHER_USER,
    );
    expect(status).toMatchObject({ code: 0, stderr: '' });
    expect(status.stdout).toContain('Improve Ops Quality  (improve-ops-quality)');
    const schedule = await wgbot(
      ['schedule', 'improve-ops-quality'],
      { DATABASE_PATH: path },
      undefined,
      OTHER_USER,
    );
    expect(schedule.stdout).toMatch(/^improve-ops-quality: digest Mondays at 09:00 /);
    expect(readdirSync(readOnly)).toEqual(['wgbot.db']);
  });

  it('refuses a change with the path and the reason', async () => {
    const run = await wgbot(
      ['schedule', 'improve-ops-quality', 'TUE 10:00'],
      { DATABASE_PATH: path },
      undefined,
      OTHER_USER,
    );
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      `wgbot schedule: cannot write the database ${path} (the file or its directory is read-only); reading commands still work\n`,
    );
  });

  it('explains, naming the path, when recent writes sit in a write-ahead log it cannot read', async () => {
    const source = join(dir, 'live.db');
    expect((await wgbot(['import', HANDBOOK_SEED], { DATABASE_PATH: source })).code).toBe(0);
    // A wgbot that is still running (or crashed): its latest writes are in the -wal, not yet in the file.
    const live = new Database(source);
    live.pragma('wal_autocheckpoint = 0');
    live.prepare("UPDATE working_groups SET name = 'Renamed'").run();
    const copy = join(dir, 'walcopy');
    mkdirSync(copy);
    copyFileSync(source, join(copy, 'wgbot.db'));
    copyFileSync(`${source}-wal`, join(copy, 'wgbot.db-wal'));
    live.close();
    chmodSync(copy, 0o555);
    const target = join(copy, 'wgbot.db');
    const run = await wgbot(['list'], { DATABASE_PATH: target }, undefined, OTHER_USER);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(
      `wgbot list: cannot read the database ${target} read-only: its write-ahead log (${target}-wal) holds recent writes, and reading it needs write access to ${copy}\n`,
    );
  });
});
