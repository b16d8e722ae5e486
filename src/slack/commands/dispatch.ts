import type { Level } from '../gate.js';
import type { Call, CommandDeps, Reply, SlashCommand } from './command.js';

/** The level a subcommand requires for these arguments. */
export function requiredLevel(subcommand: SlashCommand, args: unknown): Level {
  return typeof subcommand.requires === 'function' ? subcommand.requires(args) : subcommand.requires;
}

/**
 * Whether to answer inside Slack's acknowledgement: the subcommand says so, and it is open to anyone —
 * every other level asks Slack who the caller is, which must not hold up the ack — and it shows no item
 * titles that GitLab must first say the reader may see.
 */
export function answersInAck(
  subcommand: SlashCommand,
  args: unknown,
  reader: { userId: string; checksReads: (userId: string) => boolean },
): boolean {
  const wanted =
    typeof subcommand.answersInAck === 'function' ? subcommand.answersInAck(args) : subcommand.answersInAck;
  // Titles for a reader whose GitLab access is checked wait for GitLab's answer: after the ack.
  if (subcommand.showsItems && reader.checksReads(reader.userId)) return false;
  return wanted && requiredLevel(subcommand, args) === 'anyone';
}

function refusalOf(subcommand: SlashCommand, args: unknown): string {
  const refusal = subcommand.refusal;
  if (refusal === undefined) return `use /wg ${subcommand.name}`;
  return typeof refusal === 'function' ? refusal(args) : refusal;
}

/**
 * Runs a parsed subcommand: the permission check, once, from what it `requires`, then the subcommand with
 * the gate's proof. A refusal (or a group that cannot be found) is answered here; the subcommand never runs.
 */
export async function dispatch(
  subcommand: SlashCommand,
  args: unknown,
  call: Call,
  deps: CommandDeps,
): Promise<Reply> {
  const what = refusalOf(subcommand, args);
  if (subcommand.scope === 'caller') {
    const verdict = await deps.gate.caller(call.userId, subcommand.requires, what);
    return verdict.ok
      ? subcommand.run(verdict.ctx, args, deps, call)
      : { view: verdict.view, inChannel: false };
  }
  const slug = subcommand.slug ? subcommand.slug(args) : ((args as { slug?: string | null }).slug ?? null);
  const target = { slug, channelId: call.channelId, channelName: call.channelName };
  const verdict = await deps.gate.group(target, call.userId, requiredLevel(subcommand, args), what);
  return verdict.ok
    ? subcommand.run(verdict.ctx, args, deps, call)
    : { view: verdict.view, inChannel: false };
}
