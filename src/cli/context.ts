import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { didYouMean } from '../domain/suggest.js';
import type { OpenMode } from '../store/db.js';
import type { Store } from '../store/store.js';

// Loaded by every `wgbot` run, `--help` included: only types and node built-ins here. Whatever a command
// needs (config, SQLite, GitLab, Slack) is imported when it runs (see ./README.md).

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** Terminal width when stdout is a terminal; help and tables assume 80 otherwise. */
  columns?: number;
  /** Resolves when the process should stop (SIGINT/SIGTERM); long-running commands wait on it. */
  stopSignal?: Promise<string>;
  /** Rewrites one status line on stderr; present only when stderr is a terminal. */
  progress?: (line: string | null) => void;
}

/** Bad input from the operator: exit code 2 and a one-line reason. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CommandContext {
  io: CliIo;
  /** Options every command takes (e.g. --db), merged into the environment's config. */
  config: () => Config;
  /**
   * Opens (and migrates) the database once per run, as the command's `database` says; closed by the CLI
   * when the command ends. A missing file is an error for every command but those that may create one.
   */
  store: () => Store;
}

export interface CommandOption {
  /**
   * As help shows it: `--json`, `--criterion N`, `-f, --force`. The long name is the option; a word after
   * it means the option takes a value.
   */
  flag: string;
  description: string;
  /** May be given several times (`--add a --add b`). */
  multiple?: true;
}

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, unknown>;
}

/** What a command does with the database: `none`, or an OpenMode (only `create` may make a file). */
export type DatabaseUse = 'none' | OpenMode;

/** One `wgbot` command: what help shows about it, how much database it needs, and what it does. */
export interface Command {
  name: string;
  /** One line: what it is for. */
  summary: string;
  /** `wgbot name <arg> [--option X]`. */
  usage: string;
  /** Every option with what it does (`--db` and `--help` are added for all). */
  options: CommandOption[];
  /** At least one full command line someone could paste. */
  examples: string[];
  database: DatabaseUse | ((args: ParsedArgs) => DatabaseUse);
  /** Imports what it needs (`await import(…)`) so that other commands do not pay for it. */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number> | number;
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: CommandOption[] = [
  { flag: '--db FILE', description: 'the database file (default: $DATABASE_PATH, else ./data/wgbot.db)' },
  { flag: '-h, --help', description: "this command's help" },
];

function parseFlag(option: CommandOption): { name: string; short?: string; takesValue: boolean } {
  const match = /^(?:-(\w), )?--([\w-]+)( .+)?$/.exec(option.flag);
  if (!match)
    throw new Error(`option flag '${option.flag}' is not like '--name', '--name VALUE' or '-n, --name'`);
  return { name: match[2]!, ...(match[1] ? { short: match[1] } : {}), takesValue: Boolean(match[3]) };
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const option of [...command.options, ...GLOBAL_OPTIONS]) {
    const { name, short, takesValue } = parseFlag(option);
    options[name] = {
      type: takesValue ? 'string' : 'boolean',
      ...(short ? { short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const near = unknown ? didYouMean(unknown.replace(/^-+/, ''), Object.keys(options)) : null;
    throw new UsageError(
      `${message.replace(/\. To specify a positional.*$/, '')}${near ? ` — did you mean --${near}?` : ''} — usage: ${command.usage}`,
    );
  }
}

/** The database use of a command for these arguments. */
export function databaseUse(command: Command, args: ParsedArgs): DatabaseUse {
  return typeof command.database === 'function' ? command.database(args) : command.database;
}
