import { readFileSync } from 'node:fs';
import { backupCommand } from './cli/commands/backup.js';
import { demoCommand } from './cli/commands/demo.js';
import { dodCommand } from './cli/commands/dod.js';
import { digestCommand, metricsCommand, scheduleCommand } from './cli/commands/digest.js';
import { driftCommand } from './cli/commands/drift.js';
import { criterionCommand, historyCommand } from './cli/commands/history.js';
import { importCommand } from './cli/commands/import.js';
import { lifecycleCommands } from './cli/commands/lifecycle.js';
import { mapCommand } from './cli/commands/map.js';
import { migrateCommand } from './cli/commands/migrate.js';
import { serveCommand } from './cli/commands/serve.js';
import { listCommand, statusCommand } from './cli/commands/status.js';
import { linkCommand, syncCommand } from './cli/commands/sync.js';
import { reportCommand, writebackCommand } from './cli/commands/writeback.js';
import { type CliIo, type Command, databaseUse, parseCommandArgs } from './cli/context.js';
import { commandHelp, generalHelp } from './cli/help.js';
import { terminalProgress } from './cli/progress.js';
import { systemClock } from './clock.js';
import { didYouMean } from './domain/suggest.js';

// Only light modules are imported above (see src/cli/README.md): `wgbot --help` must start in a blink.

/** `wgbot` — the operator CLI. Exit 0 on success, 2 on bad input with a one-line reason, 1 on failure. */
export const commands: Command[] = [
  migrateCommand,
  importCommand,
  linkCommand,
  syncCommand,
  statusCommand,
  listCommand,
  driftCommand,
  historyCommand,
  criterionCommand,
  ...lifecycleCommands,
  digestCommand,
  scheduleCommand,
  metricsCommand,
  writebackCommand,
  reportCommand,
  mapCommand,
  serveCommand,
  demoCommand,
  backupCommand,
  dodCommand,
];

/** Errors that mean the operator's input (or setup) is wrong: exit 2. Matched by name, not loaded for it. */
const BAD_INPUT = new Set([
  'UsageError',
  'ImportError',
  'NotFoundError',
  'ConfigError',
  'MigrationError',
  'SourceUrlError',
  'LinkError',
  'DatabaseError',
]);

export function version(): string {
  const path = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/** `wgbot --db FILE <command> …` is `wgbot <command> … --db FILE`: the one option every command takes. */
function hoistGlobalOptions(argv: string[]): string[] {
  const global: string[] = [];
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('--db')) {
    const takesNext = argv[i] === '--db';
    global.push(...argv.slice(i, i + (takesNext ? 2 : 1)));
    i += takesNext ? 2 : 1;
  }
  return global.length === 0 ? argv : [...argv.slice(i, i + 1), ...argv.slice(i + 1), ...global];
}

function unknownCommand(name: string, io: CliIo): number {
  const near = didYouMean(
    name,
    commands.map((c) => c.name),
  );
  io.stderr(
    near
      ? `wgbot: unknown command '${name}' — did you mean '${near}'? ('wgbot help' lists them all)\n`
      : `wgbot: unknown command '${name}'; commands: ${commands.map((c) => c.name).join(', ')}\n`,
  );
  return 2;
}

/** `help`, `help <command>`, `--help`, `--version`: answered from the registry alone. */
function helpOrVersion(name: string, rest: string[], io: CliIo): number | null {
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  if (name !== 'help' && name !== '--help' && name !== '-h') return null;
  const topic = rest.find((a) => !a.startsWith('-'));
  if (!topic) {
    io.stdout(generalHelp(commands, version(), io.columns));
    return 0;
  }
  const command = commands.find((c) => c.name === topic);
  if (!command) return unknownCommand(topic, io);
  io.stdout(commandHelp(command, io.columns));
  return 0;
}

function reportError(name: string, error: unknown, io: CliIo): number {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && BAD_INPUT.has(error.name)) {
    io.stderr(`wgbot ${name}: ${message}\n`);
    return 2;
  }
  io.stderr(`wgbot ${name}: failed: ${message}\n`);
  if (io.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 1;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = hoistGlobalOptions(argv);
  if (!name) {
    io.stdout(generalHelp(commands, version(), io.columns));
    io.stderr('wgbot: no command given; pick one of the commands above\n');
    return 2;
  }
  const answered = helpOrVersion(name, rest, io);
  if (answered !== null) return answered;
  const command = commands.find((c) => c.name === name);
  if (!command) return unknownCommand(name, io);
  let close = () => {};
  let databasePath: string | undefined;
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.stdout(commandHelp(command, io.columns));
      return 0;
    }
    const { createContext } = await import('./cli/runtime.js');
    const context = createContext(io, args.values.db as string | undefined, databaseUse(command, args));
    close = context.close;
    const config = context.ctx.config;
    context.ctx.config = () => {
      const loaded = config();
      databasePath = loaded.databasePath;
      return loaded;
    };
    return await command.run(args, context.ctx);
  } catch (error) {
    // SQLite's own errors ("database is locked", "disk I/O error") do not say which file.
    if ((error as { code?: string }).code?.startsWith('SQLITE_') && databasePath)
      (error as Error).message = `database ${databasePath}: ${(error as Error).message}`;
    return reportError(name, error, io);
  } finally {
    io.progress?.(null);
    close();
  }
}

export async function main(): Promise<void> {
  let stopSignal: Promise<string> | undefined;
  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    clock: systemClock,
    // Taken over only by the commands that wait for it (serve, demo): Ctrl-C stops any other at once.
    get stopSignal() {
      stopSignal ??= new Promise<string>((resolve) => {
        for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
      });
      return stopSignal;
    },
    ...(process.stdout.isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    ...(process.stderr.isTTY ? { progress: terminalProgress(process.stderr) } : {}),
  });
  process.exitCode = code;
  // A finished command ends the process even if a library left a request waiting for its own timeout
  // (a Slack call in flight when SIGTERM came): the exit code is set, nothing else is left to do.
  setTimeout(() => process.exit(code), 1_000).unref();
}
