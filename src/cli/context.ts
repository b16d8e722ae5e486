import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Clock } from '../clock.js';
import { type Config, loadConfig } from '../config.js';
import { openStore, type Store } from '../store/store.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** Terminal width when stdout is a terminal. */
  columns?: number;
  /** Whether stderr is a terminal: progress lines are for people watching, not for logs. */
  stderrIsTTY?: boolean;
  /** Resolves when the process should stop (SIGINT/SIGTERM); long-running commands wait on it. */
  stopSignal?: Promise<string>;
}

/** Bad input from the operator: exit code 2 and a one-line reason. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  io: CliIo;
  /** Options every command takes (e.g. --db), merged into the environment's config. */
  config: () => Config;
  /** Opens (and migrates) the database once per run; closed by the CLI when the command ends. */
  store: () => Store;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  run(
    args: { positionals: string[]; values: Record<string, unknown> },
    ctx: CommandContext,
  ): Promise<number> | number;
}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { ...command.options, db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} — usage: ${command.usage}`);
  }
}

export function createContext(
  io: CliIo,
  dbOverride: string | undefined,
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
      store ??= openStore(ctx.config().databasePath, () => io.clock.now());
      return store;
    },
  };
  return { ctx, close: () => store?.close() };
}
