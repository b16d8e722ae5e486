import type { WebClient } from '@slack/web-api';
import type { DirectoryUser, UserDirectory, UserGroups } from '../services/ports.js';

/** A Slack user as the services see them (users.info's IANA `tz`, never derived from `tz_offset`). */
export type SlackUser = DirectoryUser;

/** What users.list says of a member, enough to match a name or handle. */
interface Member {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  deleted: boolean;
  isBot: boolean;
}

interface CacheEntry<T> {
  value: T;
  until: number;
}

/**
 * What Slack knows about people and channels, cached: users.info is rate-limited (Tier 4) and a status
 * reply must not wait on it twice. Entries live for `ttlMs`.
 */
export class SlackDirectory implements UserDirectory, UserGroups {
  readonly #users = new Map<string, CacheEntry<SlackUser | null>>();
  readonly #channels = new Map<string, CacheEntry<{ id: string; name: string } | null>>();

  constructor(
    private readonly client: WebClient,
    private readonly now: () => Date,
    private readonly ttlMs = 6 * 60 * 60 * 1000,
  ) {}

  async user(userId: string): Promise<SlackUser | null> {
    const cached = this.#users.get(userId);
    if (cached && cached.until > this.now().getTime()) return cached.value;
    let value: SlackUser | null = null;
    try {
      const answer = await this.client.users.info({ user: userId });
      const u = answer.user;
      if (u?.id) {
        value = {
          id: u.id,
          name: u.name ?? u.id,
          realName: u.real_name ?? u.profile?.real_name ?? u.name ?? u.id,
          email: u.profile?.email ?? null,
          timeZone: u.tz ?? null,
          isAdmin: Boolean(u.is_admin || u.is_owner || u.is_primary_owner),
          deleted: Boolean(u.deleted),
        };
      }
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'user_not_found') throw error;
    }
    this.#users.set(userId, { value, until: this.now().getTime() + this.ttlMs });
    return value;
  }

  /** The zone of a user already looked up, without asking Slack: for answers that must not wait. */
  cachedTimeZone(userId: string): string | null {
    return this.#users.get(userId)?.value?.timeZone ?? null;
  }

  /** A user already looked up and still fresh, without asking Slack; undefined when not known. */
  cachedUser(userId: string): SlackUser | null | undefined {
    const cached = this.#users.get(userId);
    return cached && cached.until > this.now().getTime() ? cached.value : undefined;
  }

  async userByEmail(email: string): Promise<SlackUser | null> {
    try {
      const answer = await this.client.users.lookupByEmail({ email });
      return answer.user?.id ? this.user(answer.user.id) : null;
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'users_not_found') return null;
      throw error;
    }
  }

  async channel(channelId: string): Promise<{ id: string; name: string } | null> {
    const cached = this.#channels.get(channelId);
    if (cached && cached.until > this.now().getTime()) return cached.value;
    let value: { id: string; name: string } | null = null;
    try {
      const answer = await this.client.conversations.info({ channel: channelId });
      if (answer.channel?.id)
        value = { id: answer.channel.id, name: answer.channel.name ?? answer.channel.id };
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'channel_not_found') throw error;
    }
    this.#channels.set(channelId, { value, until: this.now().getTime() + this.ttlMs });
    return value;
  }

  /**
   * A Slack user by their handle or full name (users.list, cached): how a GitLab assignee ('thor', 'Thor
   * Odinson') is found in Slack when nobody linked them by hand. Only an unambiguous match counts.
   */
  async findByName(names: string[]): Promise<SlackUser | null> {
    if (!this.#everyone || this.#everyone.until < this.now().getTime()) {
      const all: Member[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
        for (const m of page.members ?? []) {
          if (!m.id) continue;
          all.push({
            id: m.id,
            name: m.name ?? '',
            realName: m.real_name ?? m.profile?.real_name ?? '',
            displayName: m.profile?.display_name ?? '',
            deleted: Boolean(m.deleted),
            isBot: Boolean(m.is_bot),
          });
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
      this.#everyone = { value: all, until: this.now().getTime() + this.ttlMs };
    }
    const wanted = names.map((n) => n.toLowerCase().trim()).filter(Boolean);
    const hits = this.#everyone.value.filter(
      (u) =>
        !u.deleted &&
        !u.isBot &&
        [u.name, u.realName, u.displayName].some((n) => wanted.includes(n.toLowerCase())),
    );
    return hits.length === 1 ? this.user(hits[0]!.id) : null;
  }

  #everyone: CacheEntry<Member[]> | undefined;

  /**
   * The members of a user group, by its ID (`S0…`) or handle (`wg-creators`, found with usergroups.list);
   * null when there is no such group. Not cached here: the caller decides how long to trust it.
   */
  async members(handleOrId: string): Promise<string[] | null> {
    let id: string | undefined = /^S[A-Z0-9]+$/.test(handleOrId) ? handleOrId : undefined;
    if (!id) {
      const groups = await this.client.usergroups.list({ include_disabled: false });
      id = groups.usergroups?.find((g) => g.handle?.toLowerCase() === handleOrId.toLowerCase())?.id;
    }
    if (!id) return null;
    try {
      return (await this.client.usergroups.users.list({ usergroup: id })).users ?? [];
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'no_such_subteam') return null;
      throw error;
    }
  }

  forget(userId: string): void {
    this.#users.delete(userId);
  }
}
