import { closest, distance } from 'fastest-levenshtein';
import { archiveCommand } from './archive.js';
import { assessCommand } from './assess.js';
import { bindCommand } from './bind.js';
import type { SlashCommand } from './command.js';
import { connectCommand } from './connect.js';
import { createCommand } from './create.js';
import { criteriaCommand } from './criteria.js';
import { digestCommand } from './digest.js';
import { driftCommand } from './drift.js';
import { escalationCommand } from './escalation.js';
import { dodCommand } from './dod.js';
import { helpCommand } from './help.js';
import { historyCommand } from './history.js';
import { itemsCommand } from './items.js';
import { ladderCommand } from './ladder.js';
import { linkCommand } from './link.js';
import { listCommand } from './list.js';
import { mapCommand } from './map.js';
import { metricsCommand } from './metrics.js';
import { nudgeCommand } from './nudge.js';
import { roleCommand } from './role.js';
import { scheduleCommand } from './schedule.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';
import { unarchiveCommand } from './unarchive.js';
import { usageCommand } from './usage.js';
import { whoamiCommand } from './whoami.js';

/**
 * Every `/wg` subcommand, in the order `/wg help` lists them. Adding one is a file in this folder and a
 * line here: help, the parser, its "did you mean" and the permission check all come from these objects.
 */
export const SUBCOMMANDS = [
  statusCommand,
  itemsCommand,
  criteriaCommand,
  driftCommand,
  historyCommand,
  listCommand,
  syncCommand,
  digestCommand,
  nudgeCommand,
  ladderCommand,
  escalationCommand,
  metricsCommand,
  assessCommand,
  dodCommand,
  usageCommand,
  linkCommand,
  archiveCommand,
  unarchiveCommand,
  createCommand,
  bindCommand,
  roleCommand,
  scheduleCommand,
  whoamiCommand,
  connectCommand,
  mapCommand,
  helpCommand,
] as const satisfies readonly SlashCommand[];

const BY_WORD = new Map<string, SlashCommand>(
  SUBCOMMANDS.flatMap((c: SlashCommand) => [c.name, ...(c.aliases ?? [])].map((w) => [w, c] as const)),
);

/** The subcommand a word invokes (its name or an alias, any case), or undefined. */
export function findSubcommand(word: string): SlashCommand | undefined {
  return BY_WORD.get(word.toLowerCase());
}

/** The subcommand a mistyped word was probably meant to be, or null when none is near. */
export function nearestSubcommand(word: string): SlashCommand | null {
  const names = SUBCOMMANDS.map((c) => c.name);
  const near = closest(word.toLowerCase(), names);
  return distance(word.toLowerCase(), near) <= Math.max(2, Math.floor(near.length / 2))
    ? (findSubcommand(near) ?? null)
    : null;
}
