import type { ItemWrite } from '../domain/access.js';
import type { SourceRef } from '../domain/sources.js';
import type { WorkingGroup } from '../domain/types.js';
import type { AccessService } from '../services/access.js';
import type { GroupService } from '../services/groups.js';
import type { IdentityService } from '../services/identity.js';
import type { StatusService } from '../services/status.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import { storeFailureReason } from '../store/storeErrors.js';
import type { SlackDirectory } from './directory.js';
import { accessDeniedView } from './views/access.js';
import {
  adminsOnlyView,
  membersOnlyView,
  noGroupView,
  noticeView,
  refusedView,
  slackUnavailableView,
  whichGroupView,
} from './views/feedback.js';
import type { MessageView } from './views/status.js';

/**
 * Who may run a `/wg` subcommand or press a button: `anyone` in the workspace; a `member` of the group (any
 * role in it), its `facilitator`s (co-facilitators too) or a workspace `admin` — each level also lets in
 * the ones after it, and `admin` is Slack's `is_admin`/`is_owner` flag as `users.info` tells it.
 */
export type Level = 'anyone' | 'member' | 'facilitator' | 'admin';

/** The levels that may change a group's configuration: what the guarded writes ask for. */
export type Configure = 'facilitator' | 'admin';

const RANK: Record<Level, number> = { anyone: 0, member: 1, facilitator: 2, admin: 3 };

/**
 * The brand only this module can set: a value of type `Authorized<T>` can only come from the gate below,
 * so a function that takes one cannot be called by code that skipped the check (short of a cast).
 */
declare const proof: unique symbol;

/** `T`, checked by the gate at level `L`. */
export type Authorized<T, L extends Level = Level> = Readonly<T> & {
  readonly level: L;
  readonly [proof]: true;
};

/** The caller and the group a subcommand acts on. */
export interface GroupContext {
  group: WorkingGroup;
  userId: string;
}

/** Only the caller: subcommands about no one group (`/wg list`, `/wg create`, `/wg whoami`). */
export interface CallerContext {
  userId: string;
}

/** The caller and an action item they pressed a button of. */
export interface ItemContext {
  itemId: number;
  userId: string;
}

/**
 * A GitLab source the caller may link: its namespace is allowed here and their GitLab account has at least
 * Reporter access to it. Added to a proof the caller already holds (a facilitator's, a creator's).
 */
export interface Sourced {
  source: { url: string; ref: SourceRef };
}

/**
 * A drift fix (create a line's story, tick a line) pressed by one of the group's facilitators whose GitLab
 * account has Developer access to the epic's group — checked at the moment of the click.
 */
export interface DriftFixContext extends GroupContext {
  itemId: number;
}

/** The caller may create working groups: a workspace admin, or a member of WGBOT_CREATORS. */
export interface CreatorContext extends CallerContext {
  creator: true;
}

/**
 * An item button that writes to GitLab, pressed by someone wgbot lets act on the item (owner, facilitator)
 * whose GitLab account has Developer access where it writes — checked at the moment of the click.
 */
export interface ItemWriteContext<W extends ItemWrite = ItemWrite> extends ItemContext {
  write: W;
}

export type Verdict<T, L extends Level> =
  { ok: true; ctx: Authorized<T, L> } | { ok: false; view: MessageView };

/** What a group-scoped request names: a slug, else the channel it came from. */
export interface GroupTarget {
  slug: string | null;
  channelId: string | null;
  channelName: string | null;
}

export interface GateDeps {
  groups: Pick<GroupService, 'resolve' | 'byId'>;
  identity: Pick<IdentityService, 'personFor' | 'mayConfigure' | 'mayConfigureNow' | 'mayActOn'>;
  directory: Pick<SlackDirectory, 'user'>;
  status: Pick<StatusService, 'report'>;
  item: (itemId: number) => StoredActionItem | null;
  access: Pick<AccessService, 'mayLink' | 'mayWrite' | 'mayCreate'>;
}

function grant<T, L extends Level>(value: T, level: L): Authorized<T, L> {
  return { ...value, level } as Authorized<T, L>;
}

/** Whether `ctx` was checked at `level` or above: for handlers whose level depends on their arguments. */
export function holds<T, L extends Level>(
  ctx: Authorized<T>,
  level: L,
): ctx is Authorized<T, L | AtLeast<L>> {
  return RANK[ctx.level] >= RANK[level];
}

/** `L` and the levels above it. */
export type AtLeast<L extends Level> = L extends 'anyone'
  ? Level
  : L extends 'member'
    ? 'member' | 'facilitator' | 'admin'
    : L extends 'facilitator'
      ? 'facilitator' | 'admin'
      : 'admin';

/**
 * The one place permissions are checked. The `/wg` dispatcher asks it once per command with the level the
 * command `requires`; the buttons ask it per item. `anyone` needs no call to Slack, so commands answered in
 * the acknowledgement stay within Slack's 3 seconds.
 */
export class PermissionGate {
  constructor(private readonly deps: GateDeps) {}

  /** The group `target` names, if `userId` may act on it at `level`; else the view that says why not. */
  async group<L extends Level>(
    target: GroupTarget,
    userId: string,
    level: L,
    what: string,
  ): Promise<Verdict<GroupContext, L>> {
    const resolved = this.deps.groups.resolve(target.slug, target.channelId, target.channelName);
    if (resolved.kind === 'unknown') return { ok: false, view: noGroupView(resolved.slug, resolved.known) };
    if (resolved.kind === 'unbound') return { ok: false, view: whichGroupView(resolved.known) };
    return this.groupFound(resolved.group, userId, level, what);
  }

  /** As `group`, for a group already in hand (the group that lives in a channel `/wg bind` would take). */
  async groupFound<L extends Level>(
    group: WorkingGroup,
    userId: string,
    level: L,
    what: string,
  ): Promise<Verdict<GroupContext, L>> {
    const ctx = grant<GroupContext, L>({ group, userId }, level);
    switch (level) {
      case 'anyone':
        return { ok: true, ctx };
      case 'member':
        return (await this.#isMember(group, userId))
          ? { ok: true, ctx }
          : { ok: false, view: membersOnlyView(`${what} of ${group.name}`, group.name) };
      case 'facilitator': {
        const { allowed, facilitators } = await this.deps.identity.mayConfigure(group, userId);
        return allowed
          ? { ok: true, ctx }
          : { ok: false, view: refusedView(`${what} of ${group.name}`, facilitators) };
      }
      default:
        return (await this.#isAdmin(userId)) ? { ok: true, ctx } : { ok: false, view: adminsOnlyView(what) };
    }
  }

  /**
   * Who leads the group's self-assessments: a member whose role on the page is "Product Owner", or anyone
   * who may configure the group (facilitators, admins). Added to a member's proof.
   */
  async assessmentLead(
    ctx: Authorized<GroupContext>,
    what: string,
  ): Promise<Verdict<GroupContext & { lead: true }, Level>> {
    const lead = grant<GroupContext & { lead: true }, Level>({ ...ctx, lead: true }, ctx.level);
    const roles = this.deps.status.report(ctx.group).roles;
    if (roles.some((r) => r.slackUserId === ctx.userId && /product\s*owner/i.test(r.role)))
      return { ok: true, ctx: lead };
    const { allowed, facilitators } = await this.deps.identity.mayConfigure(ctx.group, ctx.userId);
    return allowed
      ? { ok: true, ctx: lead }
      : { ok: false, view: refusedView(`${what} of ${ctx.group.name}`, facilitators) };
  }

  /** Only the caller: `anyone` passes at once, `admin` asks Slack; a group level needs a group. */
  async caller<L extends 'anyone' | 'admin'>(
    userId: string,
    level: L,
    what: string,
  ): Promise<Verdict<CallerContext, L>> {
    const ctx = grant<CallerContext, L>({ userId }, level);
    if (level === 'anyone' || (await this.#isAdmin(userId))) return { ok: true, ctx };
    return { ok: false, view: adminsOnlyView(what) };
  }

  /**
   * `facilitator` from what is known already (linked facilitators, Slack's cached admin flag), for answers
   * due within Slack's 3 seconds such as a form's validation: never asks Slack. null when not allowed;
   * 'unknown' when the cache cannot tell — then ask `groupFound` after the ack.
   */
  async facilitatorNow(
    group: WorkingGroup,
    userId: string,
  ): Promise<Authorized<GroupContext, 'facilitator'> | null | 'unknown'> {
    const allowed = this.deps.identity.mayConfigureNow(group, userId);
    if (allowed === null) return 'unknown';
    return allowed ? grant<GroupContext, 'facilitator'>({ group, userId }, 'facilitator') : null;
  }

  /**
   * An item's buttons are for its owners and whoever may configure its group: wgbot writes to GitLab with
   * its own token, so it must not close anyone's issue for anyone who can see a button. An item that is
   * gone passes (the action itself says it is gone).
   */
  async item(itemId: number, userId: string, what: string): Promise<Verdict<ItemContext, 'member'>> {
    const ctx = grant<ItemContext, 'member'>({ itemId, userId }, 'member');
    const item = this.deps.item(itemId);
    if (!item) return { ok: true, ctx };
    const verdict = await this.deps.identity.mayActOn(item, userId).catch((error: unknown) => {
      // A full disk is wgbot's own failure, told as such (tellStoreFailures), not blamed on Slack.
      if (storeFailureReason(error)) throw error;
      return null;
    });
    if (verdict === null) return { ok: false, view: slackUnavailableView() };
    if (verdict.allowed) return { ok: true, ctx };
    return { ok: false, view: refusedView(what, verdict.facilitators, verdict.owners) };
  }

  /** As `item`, for a button that writes to GitLab: the caller's GitLab account must have Developer access. */
  async itemWrite<W extends ItemWrite>(
    itemId: number,
    userId: string,
    write: W,
    what: string,
  ): Promise<Verdict<ItemWriteContext<W>, 'member'>> {
    const verdict = await this.item(itemId, userId, what);
    if (!verdict.ok) return verdict;
    const item = this.deps.item(itemId);
    const access = item ? await this.deps.access.mayWrite(userId, item, write) : { allowed: true as const };
    if (!access.allowed) return { ok: false, view: accessDeniedView(what, access.denial) };
    return { ok: true, ctx: grant<ItemWriteContext<W>, 'member'>({ itemId, userId, write }, 'member') };
  }

  /**
   * A drift button on an epic's task line: for the line's group's facilitators, whose own GitLab account
   * may write where the epic is. A line that is gone passes only with no group to act on: refused.
   */
  async driftFix(
    itemId: number,
    userId: string,
    what: string,
    /** Where else the fix writes: the project a new story goes in. */
    project: string | null = null,
  ): Promise<Verdict<DriftFixContext, 'facilitator'>> {
    const item = this.deps.item(itemId);
    const group = item ? this.deps.groups.byId(item.wgId) : null;
    if (!item || !group)
      return { ok: false, view: noticeView(':ghost:', 'That line is no longer in the epic.') };
    const verdict = await this.groupFound(group, userId, 'facilitator', what);
    if (!verdict.ok) return verdict;
    const places = project ? [item, { source: 'gitlab_issue' as const, gitlabPath: project }] : [item];
    for (const place of places) {
      const access = await this.deps.access.mayWrite(userId, place, 'close');
      if (!access.allowed) return { ok: false, view: accessDeniedView(what, access.denial) };
    }
    return { ok: true, ctx: grant<DriftFixContext, 'facilitator'>({ group, userId, itemId }, 'facilitator') };
  }

  /**
   * Filing a round's backlog issues: the group's facilitator, whose own GitLab account may also write
   * to the project the issues go in (as drift's buttons check), so wgbot's token lends no one access.
   */
  async backlogIssues(
    group: WorkingGroup,
    userId: string,
    project: string | null,
  ): Promise<Verdict<GroupContext, 'facilitator'>> {
    const what = 'file backlog issues';
    const verdict = await this.groupFound(group, userId, 'facilitator', what);
    if (!verdict.ok || !project) return verdict;
    const access = await this.deps.access.mayWrite(
      userId,
      { source: 'gitlab_issue', gitlabPath: project },
      'close',
    );
    return access.allowed ? verdict : { ok: false, view: accessDeniedView(what, access.denial) };
  }

  /** Adds a GitLab source to a proof the caller holds, if their GitLab account may read it as a Reporter. */
  async source<T extends { userId: string }, L extends Level>(
    ctx: Authorized<T, L>,
    url: string,
    ref: SourceRef,
  ): Promise<Verdict<T & Sourced, L>> {
    const access = await this.deps.access.mayLink(ctx.userId, ref);
    if (!access.allowed)
      return { ok: false, view: accessDeniedView(`link ${url.slice(0, 200)}`, access.denial) };
    return { ok: true, ctx: grant<T & Sourced, L>({ ...ctx, source: { url, ref } }, ctx.level) };
  }

  /** Whether the caller may create working groups (workspace admins; members of WGBOT_CREATORS). */
  async creator(userId: string): Promise<Verdict<CreatorContext, 'anyone'>> {
    const access = await this.deps.access.mayCreate(userId);
    if (!access.allowed)
      return { ok: false, view: accessDeniedView('create a working group', access.denial) };
    return { ok: true, ctx: grant<CreatorContext, 'anyone'>({ userId, creator: true }, 'anyone') };
  }

  /** Any role in the group (linked first, so a name on the page counts the first time), or facilitator rights. */
  async #isMember(group: WorkingGroup, userId: string): Promise<boolean> {
    await this.deps.identity.personFor(userId);
    if (this.deps.status.report(group).roles.some((r) => r.slackUserId === userId)) return true;
    return (await this.deps.identity.mayConfigure(group, userId)).allowed;
  }

  async #isAdmin(userId: string): Promise<boolean> {
    return (await this.deps.directory.user(userId))?.isAdmin === true;
  }
}
