import type { Command } from '../context.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create the database or bring its schema up to date',
  usage: 'wgbot migrate [--db FILE]',
  options: [],
  examples: ['wgbot migrate', 'wgbot migrate --db /data/wgbot.db'],
  database: 'create',
  async run(_args, ctx) {
    const { openDatabase } = await import('../../store/db.js');
    const { migrate, MigrationError } = await import('../../store/migrate.js');
    const path = ctx.config().databasePath;
    const db = openDatabase(path, 'create');
    try {
      const result = migrate(db, undefined, () => ctx.io.clock.now());
      const applied = result.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`);
      ctx.io.stdout(
        applied.length > 0
          ? `${path}: applied ${applied.join(', ')}; schema version ${result.currentVersion}\n`
          : `${path}: up to date (schema version ${result.currentVersion})\n`,
      );
    } catch (error) {
      if (error instanceof MigrationError) throw new MigrationError(`${path}: ${error.message}`);
      throw error;
    } finally {
      db.close();
    }
    return 0;
  },
};
