import type { ModalView } from '@slack/types';
import type { WorkingGroup } from '../../domain/types.js';
import type { AccessService } from '../../services/access.js';
import type { ConnectService } from '../../services/connect.js';
import type { DigestService } from '../../services/digestService.js';
import type { DriftReport } from '../../services/drift.js';
import type { GroupPage, GroupSummary } from '../../services/groupList.js';
import type { GroupService } from '../../services/groups.js';
import type { IdentityService } from '../../services/identity.js';
import type { LadderService } from '../../services/ladderService.js';
import type { LinkService } from '../../services/linkService.js';
import type { MetricsService } from '../../services/metricsService.js';
import type { StatusService } from '../../services/status.js';
import type { SyncCooldown } from '../../services/syncCooldown.js';
import type { SyncOutcome } from '../../services/syncService.js';
import type { TeamHealth } from '../../services/teamHealth.js';
import type { Person } from '../../store/repositories/people.js';
import type { SlackDirectory } from '../directory.js';
import type { Authorized, CallerContext, GroupContext, Level, PermissionGate } from '../gate.js';
import type { GuardedWrites } from '../writes.js';
import type { Viewer } from '../views/common.js';
import type { HelpEntry } from '../views/feedback.js';
import type { MessageView } from '../views/status.js';

/** What a subcommand answers: a message (for the caller, or the whole channel), a form to open, or nothing. */
export type Reply = { view: MessageView; inChannel: boolean } | { modal: ModalView } | null;

/** A message only the caller sees. */
export const privately = (view: MessageView): Reply => ({ view, inChannel: false });
/** A message for everyone in the channel. */
export const inChannel = (view: MessageView): Reply => ({ view, inChannel: true });

/** The `/wg` request, as the handlers see it: no Slack client (Slack I/O stays in the listener). */
export interface Call {
  userId: string;
  channelId: string;
  channelName: string | null;
  /** Every registered subcommand, for `/wg help`. */
  commands: readonly HelpEntry[];
}

/**
 * What the subcommands may use, built once by `registerListeners`. Reads come from services; every
 * change goes through `writes`, whose methods take the gate's `Authorized` proof.
 */
export interface CommandDeps {
  now: () => Date;
  status: Pick<StatusService, 'report' | 'history'>;
  groups: Pick<GroupService, 'resolve'>;
  identity: Pick<IdentityService, 'personFor' | 'timeZoneOf'>;
  access: Pick<AccessService, 'checksReads' | 'unreadableItems' | 'identityOf' | 'mapByAdmin'>;
  connect: Pick<ConnectService, 'start'>;
  directory: Pick<SlackDirectory, 'cachedTimeZone' | 'channel' | 'user'>;
  links: Pick<LinkService, 'describe' | 'parseUrl'>;
  digests: Pick<DigestService, 'build'>;
  /** Where the group's plan and GitLab disagree, from what the last sync stored. */
  drift: {
    report(group: WorkingGroup): DriftReport;
    /** The project "Create the story" would create a line's story in; null when none is known. */
    storyProject(itemId: number): string | null;
  };
  metrics: Pick<MetricsService, 'projects' | 'forGroup'>;
  /** The escalation ladder: `/wg ladder` and `/wg escalation`. */
  ladder: Pick<LadderService, 'board' | 'settings'>;
  lists: {
    page(page: number): GroupPage;
    /** Ended groups, which the list leaves out. */
    endedCount(): number;
    /** The active groups a person has a role or items in. */
    groupsOf(person: Person): GroupSummary[];
  };
  requestSync: (wgId: number) => void;
  /** `/wg sync` once a minute per group: claims the group's turn, or says when it comes. */
  syncCooldown: Pick<SyncCooldown, 'claim'>;
  /** Syncs a group now and says how it went; null without a GitLab token (`/wg link` then only queues). */
  syncNow: ((group: WorkingGroup) => Promise<SyncOutcome>) | null;
  gate: PermissionGate;
  writes: GuardedWrites;
  /** Self-assessment rounds and the Definition-of-Done check. */
  teamHealth: TeamHealth;
}

export type Parsed<A> = { ok: true; args: A } | { ok: false; error: string; suggestion: string | null };

interface Described<N extends string, A> extends HelpEntry {
  name: N;
  /** Other words that invoke it (`new` for `create`); `parse` is told which one was typed. */
  aliases?: readonly string[];
  /** Words after the name → arguments; a subcommand without it takes none. */
  parse?(words: string[], typed: string): Parsed<A>;
  /**
   * Answered inside Slack's acknowledgement, straight from SQLite. Only `anyone` commands may: the gate
   * asks Slack for every other level, and nothing may wait on Slack or GitLab before the ack.
   */
  answersInAck: boolean | ((args: A) => boolean);
  /**
   * Shows item titles to the caller: for a reader whose GitLab access wgbot checks (their account is
   * known), it answers after the ack, since which titles they may see is asked of GitLab.
   */
  showsItems?: true;
  /** What a refusal says the caller may not do: "change roles" (of the group, it adds). */
  refusal?: string | ((args: A) => string);
}

type Run<C, A, L extends Level> = (
  ctx: Authorized<C, L>,
  args: A,
  deps: CommandDeps,
  call: Call,
) => Reply | Promise<Reply>;

/** A subcommand about one working group: the named one, else the channel's. */
export interface GroupCommand<
  N extends string = string,
  A = unknown,
  L extends Level = Level,
> extends Described<N, A> {
  scope: 'group';
  requires: L | ((args: A) => L);
  /** The slug it names, if any; the channel's group is meant without one. Default: `args.slug`. */
  slug?(args: A): string | null;
  run: Run<GroupContext, A, L>;
}

/** A subcommand about no one group. */
export interface CallerCommand<
  N extends string = string,
  A = unknown,
  L extends 'anyone' | 'admin' = 'anyone' | 'admin',
> extends Described<N, A> {
  scope: 'caller';
  requires: L;
  run: Run<CallerContext, A, L>;
}

// The registry holds commands of every argument type; `any` here is what lets them sit in one list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SlashCommand = GroupCommand<string, any, any> | CallerCommand<string, any, any>;

/** Declares a group subcommand, keeping its name, argument and level types. */
export function groupCommand<const N extends string, A = Record<never, never>, L extends Level = Level>(
  command: Omit<GroupCommand<N, A, L>, 'scope'>,
): GroupCommand<N, A, L> {
  return { ...command, scope: 'group' };
}

/** Declares a subcommand about no one group. */
export function callerCommand<
  const N extends string,
  A = Record<never, never>,
  L extends 'anyone' | 'admin' = 'anyone',
>(command: Omit<CallerCommand<N, A, L>, 'scope'>): CallerCommand<N, A, L> {
  return { ...command, scope: 'caller' };
}

/**
 * How the caller reads times: a cached zone only, so an answer in the acknowledgement never waits on
 * `users.info` (the listener refreshes it afterwards).
 */
export function viewerOf(
  deps: CommandDeps,
  userId: string,
  group: WorkingGroup | null,
  share: boolean,
): Viewer {
  return {
    slackUserId: userId,
    timeZone: deps.directory.cachedTimeZone(userId) ?? group?.timezone ?? 'UTC',
    now: deps.now(),
    audience: share ? 'channel' : 'private',
  };
}

/**
 * As `viewerOf`, and for a private answer the items the caller's GitLab account cannot read (none asked of
 * GitLab for a reader without a known account: they see what the group's channel sees).
 */
export async function readerOf(
  deps: CommandDeps,
  userId: string,
  group: WorkingGroup | null,
  share: boolean,
  items: readonly { id: number }[],
): Promise<Viewer> {
  const viewer = viewerOf(deps, userId, group, share);
  if (share || !deps.access.checksReads(userId)) return viewer;
  const unreadable = await deps.access.unreadableItems(
    userId,
    items.map((i) => i.id),
  );
  return unreadable.size > 0 ? { ...viewer, unreadable } : viewer;
}
