import { demoCommand } from './cli/commands/demo.js';
import { backupCommand } from './cli/commands/backup.js';
import { digestCommand, metricsCommand, scheduleCommand } from './cli/commands/digest.js';
import { importCommand } from './cli/commands/import.js';
import { lifecycleCommands } from './cli/commands/lifecycle.js';
import { migrateCommand } from './cli/commands/migrate.js';
import { serveCommand } from './cli/commands/serve.js';
import { listCommand, statusCommand } from './cli/commands/status.js';
import { linkCommand, syncCommand } from './cli/commands/sync.js';
import { type CliIo, type Command, createContext, parseCommandArgs, UsageError } from './cli/context.js';
import { systemClock } from './clock.js';
import { ConfigError } from './config.js';
import { SourceUrlError } from './gitlab/urls.js';
import { ImportError } from './import/errors.js';
import { LinkError } from './services/linkService.js';
import { NotFoundError } from './services/status.js';
import { MigrationError } from './store/migrate.js';

/** `wgbot` — the operator CLI. Exit 0 on success, 2 on bad input with a one-line reason, 1 on failure. */
export const commands: Command[] = [
  migrateCommand,
  importCommand,
  linkCommand,
  syncCommand,
  statusCommand,
  listCommand,
  ...lifecycleCommands,
  digestCommand,
  scheduleCommand,
  metricsCommand,
  serveCommand,
  demoCommand,
  backupCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'wgbot — keeps working groups honest: exit criteria, action items and weekly digests from GitLab in Slack',
    '',
    'Usage:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --db FILE (default: $DATABASE_PATH or ./data/wgbot.db).',
    '',
  ].join('\n');
}

const BAD_INPUT = [
  UsageError,
  ImportError,
  NotFoundError,
  ConfigError,
  MigrationError,
  SourceUrlError,
  LinkError,
];

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

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = hoistGlobalOptions(argv);
  if (!name) {
    io.stdout(help());
    io.stderr('wgbot: no command given; pick one of the commands above\n');
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout(help());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`wgbot: unknown command '${name}'; commands: ${commands.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  let close = () => {};
  try {
    const args = parseCommandArgs(command, rest);
    if (args.values.help) {
      io.stdout(`usage: ${command.usage}\n  ${command.summary}\n`);
      return 0;
    }
    const context = createContext(io, args.values.db as string | undefined);
    close = context.close;
    return await command.run(args, context.ctx);
  } catch (error) {
    if (BAD_INPUT.some((type) => error instanceof type)) {
      io.stderr(`wgbot ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`wgbot ${name}: failed: ${message}\n`);
    if (io.env.LOG_LEVEL === 'debug' && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 1;
  } finally {
    close();
  }
}

export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    clock: systemClock,
    stopSignal: new Promise<string>((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
    }),
    ...(process.stdout.isTTY ? { columns: Math.max(80, Math.min(160, process.stdout.columns)) } : {}),
    stderrIsTTY: process.stderr.isTTY === true,
  });
  process.exitCode = code;
  // A finished command ends the process even if a library left a request waiting for its own timeout
  // (a Slack call in flight when SIGTERM came): the exit code is set, nothing else is left to do.
  setTimeout(() => process.exit(code), 1_000).unref();
}
