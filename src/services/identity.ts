import type { WorkingGroup } from '../domain/types.js';
import type { SlackDirectory } from '../slack/directory.js';
import type { Person } from '../store/repositories/people.js';
import type { Store } from '../store/store.js';

/**
 * Who a Slack user is among the people wgbot knows (owners on pages and in GitLab), and what they may do.
 * A Slack user becomes a person the first time they are needed: by an explicit link, else by their Slack
 * name matching a name on a page or an assignee's name in GitLab.
 */
export class IdentityService {
  constructor(
    private readonly store: Store,
    private readonly directory: SlackDirectory,
    private readonly now: () => Date,
  ) {}

  /** The person behind a Slack user, linked (and created) on first sight. */
  async personFor(slackUserId: string): Promise<Person> {
    const known = this.store.people.getBySlackUserId(slackUserId);
    if (known) return known;
    const user = await this.directory.user(slackUserId);
    const name = user?.realName ?? slackUserId;
    return this.store.transaction(() => {
      const person = this.store.people.findOrCreate(name, this.now());
      // A person already tied to someone else in Slack is a namesake: keep them, make a new one.
      const target =
        person.slackUserId && person.slackUserId !== slackUserId
          ? this.store.people.findOrCreate(`${name} (${slackUserId})`, this.now())
          : person;
      this.store.people.linkSlackUser(target.id, slackUserId, user?.timeZone ?? null, this.now());
      return this.store.people.getById(target.id)!;
    });
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
  async mayConfigure(
    group: WorkingGroup,
    slackUserId: string,
  ): Promise<{ allowed: boolean; facilitators: string[] }> {
    // Linking first lets a facilitator named on the page (by name only) be recognised the first time.
    await this.personFor(slackUserId);
    const facilitators = this.store.groups.roles(group.id).filter((r) => r.kind === 'facilitator');
    if (facilitators.some((f) => f.slackUserId === slackUserId)) return { allowed: true, facilitators: [] };
    const user = await this.directory.user(slackUserId);
    if (user?.isAdmin) return { allowed: true, facilitators: [] };
    return {
      allowed: false,
      facilitators: facilitators.map((f) => (f.slackUserId ? `<@${f.slackUserId}>` : f.name)),
    };
  }
}
