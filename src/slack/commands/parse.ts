import { tokenize } from './args.js';
import type { SlashCommand } from './command.js';
import { findSubcommand, nearestSubcommand, SUBCOMMANDS } from './registry.js';

export { tokenize, unescapeSlack } from './args.js';

type Registered = (typeof SUBCOMMANDS)[number];
type ArgsOf<C> = C extends { parse?(words: string[], typed: string): infer P }
  ? P extends { ok: true; args: infer A }
    ? A
    : never
  : never;
type Flatten<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;

/** `/wg …` after parsing: the subcommand's name and its arguments, pure data. */
export type WgCommand = Flatten<
  Registered extends infer C ? (C extends Registered ? { name: C['name'] } & ArgsOf<C> : never) : never
>;

export type ParseResult =
  { ok: true; command: WgCommand } | { ok: false; error: string; suggestion: string | null };

/** A parsed command with the subcommand object that runs it. */
export type Dispatchable = { ok: true; command: WgCommand; subcommand: SlashCommand; args: unknown };

/**
 * Parses the text after `/wg`: the first word picks the subcommand (by name or alias), which parses the
 * rest. Never throws: bad input gets an error and, where one is near, a valid command to try.
 */
export function parseWgCommand(text: string): ParseResult & ({ ok: false } | Dispatchable) {
  const [head, ...words] = tokenize(text.trim());
  const subcommand = findSubcommand(head ?? 'help');
  if (!subcommand) {
    const near = nearestSubcommand(head!);
    return {
      ok: false,
      error: `\`${head}\` is not a \`/wg\` command.${near ? '' : ' `/wg help` lists them all.'}`,
      suggestion: near ? near.example : '/wg help',
    };
  }
  const parsed = subcommand.parse
    ? subcommand.parse(words, head?.toLowerCase() ?? subcommand.name)
    : words.length > 0
      ? {
          ok: false as const,
          error: `Unexpected \`${words.join(' ')}\`.`,
          suggestion: `/wg ${subcommand.usage}`,
        }
      : { ok: true as const, args: {} };
  if (!parsed.ok) return parsed;
  const command = { name: subcommand.name, ...(parsed.args as object) } as WgCommand;
  return { ok: true, command, subcommand, args: parsed.args };
}

export { SUBCOMMANDS };
