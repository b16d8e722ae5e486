import { existsSync } from 'node:fs';
import { type Command, UsageError } from '../context.js';

export const backupCommand: Command = {
  name: 'backup',
  summary:
    "copy the database while wgbot runs (SQLite's online backup API); restore by putting the file back",
  usage: 'wgbot backup <file> [--force]',
  options: [{ flag: '--force', description: 'overwrite <file> when it exists' }],
  examples: ['wgbot backup /backups/wgbot-2026-11-23.db', 'wgbot backup copy.db --force --db /data/wgbot.db'],
  database: 'read',
  async run({ positionals, values }, ctx) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0)
      throw new UsageError(`give the file to write — usage: ${backupCommand.usage}`);
    if (existsSync(file) && !values.force)
      throw new UsageError(`${file} exists; pass --force to overwrite it`);
    // A missing database is refused (never created empty and backed up as if all were well).
    const store = ctx.store();
    const started = Date.now();
    // better-sqlite3's backup() runs SQLite's online backup: a consistent copy while others write.
    await store.db.backup(file);
    const { default: Database } = await import('better-sqlite3');
    const copy = new Database(file);
    try {
      // A single self-contained file: no -wal/-shm beside it for whoever restores it.
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${check}`);
      const groups = copy.prepare('SELECT count(*) FROM working_groups').pluck().get();
      ctx.io.stdout(
        `backed up to ${file} in ${Date.now() - started} ms: integrity ok, ${groups} working groups\n`,
      );
    } finally {
      copy.close();
    }
    return 0;
  },
};
