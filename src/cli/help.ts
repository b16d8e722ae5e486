import { type Command, type CommandOption, GLOBAL_OPTIONS } from './context.js';

/** Help is readable down to this width; narrower terminals wrap as if they were this wide. */
const MIN_WIDTH = 40;

/**
 * Word-wraps `text` (or tokens that must stay whole) to `width` columns: the first line starts with
 * `lead` (by default `indent` spaces), the others at `indent` (a hanging indent for option lists). A word
 * longer than a line (a URL) gets a line of its own.
 */
export function wrap(
  text: string | string[],
  width: number,
  indent = 0,
  lead = ' '.repeat(indent),
): string[] {
  const words = typeof text === 'string' ? text.split(/\s+/).filter(Boolean) : text;
  const lines: string[] = [];
  let line = lead;
  let empty = lead === '' || lead.endsWith(' ');
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(indent);
      empty = true;
    }
    line += `${empty ? '' : ' '}${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A usage line's parts: words, and bracketed or quoted groups (nested ones included) kept whole. */
function usageTokens(usage: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (const char of usage) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '[' || char === '<')) depth += 1;
    else if (!quoted && (char === ']' || char === '>')) depth -= 1;
    if (char === ' ' && depth === 0 && !quoted) {
      if (current) tokens.push(current);
      current = '';
    } else current += char;
  }
  if (current) tokens.push(current);
  return tokens;
}

/** Rows of a two-column list: the left column padded, the right wrapped with a hanging indent. */
function table(rows: [string, string][], width: number, indent = 2): string[] {
  const left = Math.min(Math.max(...rows.map(([l]) => l.length)), Math.floor(width / 3));
  return rows.flatMap(([l, r]) => {
    const head = `${' '.repeat(indent)}${l}`;
    if (l.length > left) return [head, ...wrap(r, width, indent + left + 2)];
    const [first, ...rest] = wrap(r, width, indent + left + 2);
    return [`${head.padEnd(indent + left + 2)}${first!.trimStart()}`, ...rest];
  });
}

/** `--criterion`, `2` → `--criterion 2`: an option and its value stay on one line. */
function withValues(tokens: string[]): string[] {
  return tokens.reduce<string[]>((out, token) => {
    const last = out.at(-1);
    if (last?.startsWith('--') && !last.includes(' ') && !token.startsWith('-'))
      out[out.length - 1] = `${last} ${token}`;
    else out.push(token);
    return out;
  }, []);
}

function usageLines(usage: string, width: number): string[] {
  const tokens = usageTokens(usage);
  const lead = `usage: ${tokens.slice(0, 2).join(' ')}`;
  return wrap(tokens.slice(2), width, Math.min(lead.length + 1, 16), lead);
}

function optionRows(options: CommandOption[]): [string, string][] {
  return options.map((o) => [o.flag, o.description]);
}

/** `wgbot <command> --help`: usage, what it does, each option, examples. */
export function commandHelp(command: Command, columns = 80): string {
  const width = Math.max(MIN_WIDTH, columns);
  return [
    ...usageLines(command.usage, width),
    '',
    ...wrap(`${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`, width, 2),
    '',
    'Options:',
    ...table(optionRows([...command.options, ...GLOBAL_OPTIONS]), width),
    '',
    command.examples.length === 1 ? 'Example:' : 'Examples:',
    ...command.examples.flatMap((e) => wrap(withValues(usageTokens(e)), width, 6, '  ')),
    '',
  ].join('\n');
}

/** `wgbot --help`: every command in one narrow list. */
export function generalHelp(commands: Command[], version: string, columns = 80): string {
  const width = Math.max(MIN_WIDTH, columns);
  return [
    ...wrap(
      `wgbot ${version} — keeps working groups honest: exit criteria, action items and weekly digests from GitLab in Slack.`,
      width,
    ),
    '',
    'usage: wgbot <command> [arguments] [--db FILE]',
    '',
    'Commands:',
    ...table(
      commands.map((c) => [c.name, c.summary]),
      width,
    ),
    '',
    ...wrap(
      "'wgbot help <command>' or 'wgbot <command> --help' shows a command's arguments, options and examples. Every command takes --db FILE (default: $DATABASE_PATH, else ./data/wgbot.db). 'wgbot --version' prints the version.",
      width,
    ),
    '',
  ].join('\n');
}
