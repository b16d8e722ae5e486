import { type Config, loadConfig } from '../config.js';
import { openStore, type Store } from '../store/store.js';
import type { CliIo, CommandContext, DatabaseUse } from './context.js';

/**
 * The context a command runs in: config and database, each made on first use. Imported by the CLI only
 * once a command is about to run, so that `--help` and `--version` load neither zod nor SQLite.
 */
export function createContext(
  io: CliIo,
  dbOverride: string | undefined,
  use: DatabaseUse,
): { ctx: CommandContext; close: () => void } {
  let config: Config | undefined;
  let store: Store | undefined;
  const ctx: CommandContext = {
    io,
    config: () => {
      config ??= loadConfig(dbOverride ? { ...io.env, DATABASE_PATH: dbOverride } : io.env);
      return config;
    },
    store: () => {
      if (use === 'none') throw new Error('this command does not use the database');
      store ??= openStore(ctx.config().databasePath, () => io.clock.now(), use);
      return store;
    },
  };
  return { ctx, close: () => store?.close() };
}
