import { openDatabase } from '../../store/db.js';
import { migrate } from '../../store/migrate.js';
import type { Command } from '../context.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create the database or bring its schema up to date',
  usage: 'wgbot migrate [--db FILE]',
  run(_args, ctx) {
    const path = ctx.config().databasePath;
    const db = openDatabase(path);
    try {
      const result = migrate(db, undefined, () => ctx.io.clock.now());
      const applied = result.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`);
      ctx.io.stdout(
        applied.length > 0
          ? `${path}: applied ${applied.join(', ')}; schema version ${result.currentVersion}\n`
          : `${path}: up to date (schema version ${result.currentVersion})\n`,
      );
    } finally {
      db.close();
    }
    return 0;
  },
};
