import {
  itemNamespace,
  type ItemWrite,
  writeTarget,
  LEVEL_OF,
  type Namespace,
  namespaceAllowed,
  type Needed,
  sourceNamespace,
} from '../domain/access.js';
import type { SourceRef } from '../domain/sources.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { GitlabIdentity } from '../store/repositories/gitlabIdentities.js';
import type { Store } from '../store/store.js';
import type { GitlabPeople, UserDirectory, UserGroups } from './ports.js';

/** Why an action is refused, with what is missing and who can grant it (the views word it). */
export type AccessDenial =
  | { kind: 'namespace'; path: string; allowed: readonly string[] }
  /** No GitLab account known for the user; `oauth`: whether /wg connect can prove one. */
  | { kind: 'not-connected'; oauth: boolean }
  | { kind: 'level'; needed: Needed; namespace: Namespace; account: string }
  | { kind: 'gitlab-unavailable'; reason: string }
  /** Creating groups is for admins and the members of `creators` (a Slack user group), if set. */
  | { kind: 'not-creator'; creators: string | null };

export type AccessVerdict = { allowed: true } | { allowed: false; denial: AccessDenial };

export interface AccessOptions {
  /** GITLAB_ALLOWED_NAMESPACES: the group/project paths (and what is under them) that may be linked. */
  allowedNamespaces: readonly string[];
  /** WGBOT_CREATORS: a Slack user group's handle or ID whose members may create groups; null: admins only. */
  creators: string | null;
  /** Whether /wg connect can prove an account through GitLab's OAuth2 provider. */
  oauth: boolean;
  /** How long an answer from GitLab or Slack is trusted (default 5 minutes), and how many are kept. */
  cacheTtlMs?: number;
  cacheSize?: number;
}

/** At most this many namespaces are asked about for one reader's list; the rest stay hidden. */
const MAX_NAMESPACES_PER_READ = 50;

/** A small time-bounded cache that forgets its oldest entry when full. */
class BoundedCache<V> {
  readonly #entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly size: number,
    private readonly now: () => Date,
  ) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.until > this.now().getTime()) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): V {
    this.#entries.delete(key);
    if (this.#entries.size >= this.size) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, until: this.now().getTime() + this.ttlMs });
    return value;
  }
}

const refuse = (denial: AccessDenial): AccessVerdict => ({ allowed: false, denial });
const ALLOWED: AccessVerdict = { allowed: true };

/**
 * What a Slack user may do through wgbot is what their own GitLab account may: wgbot's token reaches more
 * than any one person should through it. The account comes from the mapping (by email, /wg connect or an
 * admin); its rights from GitLab's members API, asked at the moment of each action and trusted briefly.
 * Without a GitLab token nothing reaches GitLab, so only the namespace list applies.
 */
export class AccessService {
  readonly #levels: BoundedCache<number>;
  readonly #open: BoundedCache<boolean>;
  readonly #noEmailMatch: BoundedCache<true>;
  readonly #creators: BoundedCache<readonly string[] | null>;

  constructor(
    private readonly store: Store,
    private readonly gitlab: GitlabPeople | null,
    private readonly directory: Pick<UserDirectory, 'user'> & UserGroups,
    private readonly now: () => Date,
    private readonly options: AccessOptions,
  ) {
    const ttl = options.cacheTtlMs ?? 5 * 60_000;
    const size = options.cacheSize ?? 10_000;
    this.#levels = new BoundedCache(ttl, size, now);
    this.#open = new BoundedCache(ttl, size, now);
    this.#noEmailMatch = new BoundedCache(ttl, size, now);
    this.#creators = new BoundedCache(ttl, 16, now);
  }

  /** Whether reads are checked against GitLab for this user: GitLab is configured and their account known. */
  checksReads(slackUserId: string): boolean {
    return this.gitlab !== null && this.store.identities.of(slackUserId) !== null;
  }

  /** The user's GitLab account as stored, without asking anyone. */
  identityOf(slackUserId: string): GitlabIdentity | null {
    return this.store.identities.of(slackUserId);
  }

  /**
   * The user's GitLab account: stored, else found by the email Slack has for them (GitLab's primary email
   * where wgbot's token may see it, else the public one) and stored for next time. GitLab errors throw.
   */
  async identify(slackUserId: string): Promise<GitlabIdentity | null> {
    const known = this.store.identities.of(slackUserId);
    if (known || !this.gitlab || this.#noEmailMatch.get(slackUserId)) return known;
    const email = (await this.directory.user(slackUserId))?.email;
    const account = email ? await this.gitlab.accountByEmail(email) : null;
    if (!account) {
      this.#noEmailMatch.set(slackUserId, true);
      return null;
    }
    return this.#save(slackUserId, account, 'email', null);
  }

  /** A workspace admin's (or the CLI's) word for who a Slack user is in GitLab. */
  async mapByAdmin(
    slackUserId: string,
    gitlabUsername: string,
    by: string,
  ): Promise<{ kind: 'mapped'; identity: GitlabIdentity } | { kind: 'no-account' } | { kind: 'no-gitlab' }> {
    if (!this.gitlab) return { kind: 'no-gitlab' };
    const account = await this.gitlab.accountByUsername(gitlabUsername.replace(/^@/, ''));
    if (!account) return { kind: 'no-account' };
    return { kind: 'mapped', identity: this.#save(slackUserId, account, 'admin', by) };
  }

  /** An account the user proved by signing in to GitLab (/wg connect). */
  connected(slackUserId: string, account: { id: number; username: string }): GitlabIdentity {
    return this.#save(slackUserId, account, 'oauth', null);
  }

  #save(
    slackUserId: string,
    account: { id: number; username: string },
    proof: GitlabIdentity['proof'],
    provenBy: string | null,
  ): GitlabIdentity {
    const identity: GitlabIdentity = {
      slackUserId,
      gitlabUserId: account.id,
      gitlabUsername: account.username,
      proof,
      provenBy,
      provenAt: this.now().toISOString(),
    };
    this.store.transaction(() => this.store.identities.save(identity));
    return identity;
  }

  /** Linking a source: its namespace allowed here, and Reporter access to it for the user. */
  async mayLink(slackUserId: string, ref: SourceRef): Promise<AccessVerdict> {
    const namespace = sourceNamespace(ref);
    if (!namespaceAllowed(namespace.path, this.options.allowedNamespaces))
      return refuse({ kind: 'namespace', path: namespace.path, allowed: this.options.allowedNamespaces });
    return this.#needs(slackUserId, namespace, 'Reporter');
  }

  /** Writing an item back to GitLab (close, due date): Developer access to where it lives. */
  async mayWrite(
    slackUserId: string,
    item: Pick<StoredActionItem, 'source' | 'gitlabPath'>,
    write: ItemWrite,
  ): Promise<AccessVerdict> {
    const namespace = writeTarget(item, write);
    return namespace ? this.#needs(slackUserId, namespace, 'Developer') : ALLOWED;
  }

  async #needs(slackUserId: string, namespace: Namespace, needed: Needed): Promise<AccessVerdict> {
    if (!this.gitlab) return ALLOWED;
    try {
      const identity = await this.identify(slackUserId);
      if (!identity) return refuse({ kind: 'not-connected', oauth: this.options.oauth });
      const level = await this.#level(namespace, identity.gitlabUserId);
      return level >= LEVEL_OF[needed]
        ? ALLOWED
        : refuse({ kind: 'level', needed, namespace, account: identity.gitlabUsername });
    } catch (error) {
      return refuse({ kind: 'gitlab-unavailable', reason: (error as Error).message.slice(0, 200) });
    }
  }

  async #level(namespace: Namespace, accountId: number): Promise<number> {
    const key = `${accountId}|${namespace.kind}|${namespace.path}`;
    return (
      this.#levels.get(key) ?? this.#levels.set(key, await this.gitlab!.accessLevel(namespace, accountId))
    );
  }

  /**
   * The items (by id) whose titles this reader may not see: those in groups or projects their GitLab
   * account cannot read. None for a reader without a known account (they see what the group's channel
   * sees) or without GitLab. A namespace GitLab could not be asked about counts as unreadable.
   */
  async unreadableItems(slackUserId: string, itemIds: readonly number[]): Promise<Set<number>> {
    const hidden = new Set<number>();
    const identity = this.gitlab ? this.store.identities.of(slackUserId) : null;
    if (!identity || itemIds.length === 0) return hidden;
    const byNamespace = new Map<string, { namespace: Namespace; ids: number[] }>();
    for (const id of itemIds) {
      const item = this.store.items.getById(id);
      const namespace = item ? itemNamespace(item) : null;
      if (!namespace) continue;
      const key = `${namespace.kind}|${namespace.path}`;
      const entry = byNamespace.get(key) ?? { namespace, ids: [] };
      entry.ids.push(id);
      byNamespace.set(key, entry);
    }
    let asked = 0;
    for (const { namespace, ids } of byNamespace.values()) {
      const readable = asked++ < MAX_NAMESPACES_PER_READ && (await this.#readable(namespace, identity));
      if (!readable) for (const id of ids) hidden.add(id);
    }
    return hidden;
  }

  async #readable(namespace: Namespace, identity: GitlabIdentity): Promise<boolean> {
    try {
      const key = `${namespace.kind}|${namespace.path}`;
      const open = this.#open.get(key) ?? this.#open.set(key, await this.gitlab!.openToSignedIn(namespace));
      return open || (await this.#level(namespace, identity.gitlabUserId)) >= LEVEL_OF.Guest;
    } catch {
      return false;
    }
  }

  /** Creating a group: workspace admins, and the members of WGBOT_CREATORS when it is set. */
  async mayCreate(slackUserId: string): Promise<AccessVerdict> {
    const denied = refuse({ kind: 'not-creator', creators: this.options.creators });
    try {
      if ((await this.directory.user(slackUserId))?.isAdmin === true) return ALLOWED;
      const handle = this.options.creators;
      if (!handle) return denied;
      const members =
        this.#creators.get(handle) ?? this.#creators.set(handle, await this.directory.members(handle));
      return members?.includes(slackUserId) ? ALLOWED : denied;
    } catch {
      return denied;
    }
  }
}
