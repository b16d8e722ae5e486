import type { WorkingGroup } from '../domain/types.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { Person } from '../store/repositories/people.js';
import type { Store } from '../store/store.js';
import type { UserDirectory } from './ports.js';

/** Who may make a change that is refused: facilitators, as mentions where they are known in Slack. */
export interface Permission {
  allowed: boolean;
  facilitators: { slackUserId: string | null; name: string }[];
}

/**
 * Who a Slack user is among the people wgbot knows (owners on pages and in GitLab), and what they may do.
 * A Slack user becomes a person the first time they are needed: by an explicit link, else by their Slack
 * name matching a name on a page or an assignee's name in GitLab — but only when no one else in the
 * workspace goes by that name, because anyone can edit their own Slack name and a page's facilitator
 * must not be claimable by renaming oneself.
 */
export class IdentityService {
  constructor(
    private readonly store: Store,
    private readonly directory: UserDirectory,
    private readonly now: () => Date,
  ) {}

  /** The person behind a Slack user, linked (and created) on first sight. */
  async personFor(slackUserId: string): Promise<Person> {
    const known = this.store.people.getBySlackUserId(slackUserId);
    if (known) return known;
    const user = await this.directory.user(slackUserId);
    const name = user?.realName ?? slackUserId;
    const named = this.store.people.findByName(name);
    const claimable =
      named !== null && named.slackUserId === null && (await this.#onlyOneCalled(name, slackUserId));
    return this.store.transaction(() => {
      // A person by that name who is someone else in Slack, or who this user cannot be shown to be, is a
      // namesake: keep them, make a new one.
      const target =
        named === null
          ? this.store.people.findOrCreate(name, this.now())
          : claimable
            ? named
            : this.store.people.findOrCreate(`${name} (${slackUserId})`, this.now());
      this.store.people.linkSlackUser(target.id, slackUserId, user?.timeZone ?? null, this.now());
      return this.store.people.getById(target.id)!;
    });
  }

  /**
   * Whether `slackUserId` is the one workspace member who goes by `name` (handle, real or display name).
   * A Slack error is thrown, not taken for "no": a namesake made by mistake would be linked for good.
   */
  async #onlyOneCalled(name: string, slackUserId: string): Promise<boolean> {
    const match = await this.directory.findByName([name]);
    return match?.id === slackUserId;
  }

  /**
   * `mayConfigure` from what is known already, without asking Slack (for answers due within Slack's 3
   * seconds, like a form's validation): true for a linked facilitator or a workspace admin by the cached
   * flag, false when the cache says not an admin, null when the cache cannot tell (ask after the ack).
   */
  mayConfigureNow(group: WorkingGroup, slackUserId: string): boolean | null {
    if (this.#isFacilitator(group, slackUserId)) return true;
    const cached = this.directory.cachedUser(slackUserId);
    return cached === undefined ? null : cached?.isAdmin === true;
  }

  #isFacilitator(group: WorkingGroup, slackUserId: string): boolean {
    return this.store.roles
      .of(group.id)
      .some((r) => r.kind === 'facilitator' && r.slackUserId === slackUserId);
  }

  /**
   * The Slack user of a person named on a page or assigned in GitLab: linked already, else by email, else
   * by their GitLab username or name matching exactly one Slack user — then linked for next time.
   */
  async slackUserOf(person: Person): Promise<string | null> {
    if (person.slackUserId) return person.slackUserId;
    const user =
      (person.email ? await this.directory.userByEmail(person.email) : null) ??
      (await this.directory.findByName([
        person.name,
        ...(person.gitlabUsername ? [person.gitlabUsername] : []),
      ]));
    if (!user || user.deleted || this.store.people.getBySlackUserId(user.id)) return null;
    this.store.transaction(() =>
      this.store.people.linkSlackUser(person.id, user.id, user.timeZone, this.now()),
    );
    return user.id;
  }

  /** The reader's IANA time zone: Slack's, else the group's, else UTC. */
  async timeZoneOf(slackUserId: string, fallback = 'UTC'): Promise<string> {
    const user = await this.directory.user(slackUserId).catch(() => null);
    return user?.timeZone ?? fallback;
  }

  /**
   * Whether the user may change the group's configuration, roles or schedule, or send nudges: its
   * facilitators (co-facilitators included) and workspace admins may; everyone may read.
   */
  async mayConfigure(group: WorkingGroup, slackUserId: string): Promise<Permission> {
    // Linking first lets a facilitator named on the page (by name only) be recognised the first time.
    await this.personFor(slackUserId);
    if (this.#isFacilitator(group, slackUserId) || (await this.directory.user(slackUserId))?.isAdmin)
      return { allowed: true, facilitators: [] };
    return {
      allowed: false,
      facilitators: this.store.roles
        .of(group.id)
        .filter((r) => r.kind === 'facilitator')
        .map((f) => ({ slackUserId: f.slackUserId, name: f.name })),
    };
  }

  /**
   * Whether the user may mark an item done, snooze it or move its due date: its owners may, and whoever
   * may configure its group. wgbot writes to GitLab with its own token, so it must not close anyone's
   * issue for anyone who can see a button.
   */
  async mayActOn(item: StoredActionItem, slackUserId: string): Promise<Permission & { owners: string[] }> {
    const person = await this.personFor(slackUserId);
    const owners = item.owners;
    if (item.ownerPersonIds.includes(person.id)) return { allowed: true, facilitators: [], owners };
    const group = this.store.groups.getById(item.wgId);
    if (!group) return { allowed: false, facilitators: [], owners };
    return { ...(await this.mayConfigure(group, slackUserId)), owners };
  }
}
