import {
  type Delivered,
  DeliveryError,
  type DirectoryUser,
  type EscalatedItem,
  type Messenger,
  type NudgeItem,
  type UnreachableOwner,
  type UserDirectory,
  type Viewer,
} from '../../src/services/ports.js';

/** A workspace directory in memory: what the services ask of Slack, answered from `users`. */
export class FakeDirectory implements UserDirectory {
  readonly users = new Map<string, DirectoryUser>();
  /** Every question asked, in order ('user U0X', 'email a@b', 'name Thor|thor'). */
  readonly asked: string[] = [];
  /** Set: every question fails with it (Slack down). */
  failure: Error | null = null;

  add(user: Partial<DirectoryUser> & { id: string; realName: string }): DirectoryUser {
    const full: DirectoryUser = {
      name: user.realName.toLowerCase().split(' ')[0]!,
      email: null,
      timeZone: 'UTC',
      isAdmin: false,
      deleted: false,
      ...user,
    };
    this.users.set(full.id, full);
    return full;
  }

  #ask(question: string): void {
    this.asked.push(question);
    if (this.failure) throw this.failure;
  }

  async user(userId: string): Promise<DirectoryUser | null> {
    this.#ask(`user ${userId}`);
    return this.users.get(userId) ?? null;
  }

  /** Users asked about before (and known), without asking again. */
  cachedUser(userId: string): DirectoryUser | null | undefined {
    return this.asked.includes(`user ${userId}`) ? (this.users.get(userId) ?? null) : undefined;
  }

  async userByEmail(email: string): Promise<DirectoryUser | null> {
    this.#ask(`email ${email}`);
    return [...this.users.values()].find((u) => u.email === email) ?? null;
  }

  async findByName(names: string[]): Promise<DirectoryUser | null> {
    this.#ask(`name ${names.join('|')}`);
    const wanted = names.map((n) => n.toLowerCase());
    const hits = [...this.users.values()].filter(
      (u) => !u.deleted && [u.name, u.realName].some((n) => wanted.includes(n.toLowerCase())),
    );
    return hits.length === 1 ? hits[0]! : null;
  }
}

/** Direct messages, recorded instead of sent; `refuse` makes the next DMs to a user fail as Slack would. */
export class FakeMessenger implements Messenger {
  readonly nudges: { to: string; items: NudgeItem[]; viewer: Viewer }[] = [];
  readonly escalations: { to: string; groupName: string; items: EscalatedItem[] }[] = [];
  readonly unreachable: { to: string; groupName: string; owners: UnreachableOwner[] }[] = [];
  readonly #refused = new Map<string, DeliveryError>();

  refuse(userId: string, error: DeliveryError): void {
    this.#refused.set(userId, error);
  }

  #check(to: string): void {
    const refused = this.#refused.get(to);
    if (refused) throw refused;
  }

  async sendNudge(to: string, items: NudgeItem[], viewer: Viewer): Promise<Delivered> {
    this.#check(to);
    this.nudges.push({ to, items, viewer });
    return { channel: `D${to}`, ts: `${this.nudges.length}.0001` };
  }

  async sendEscalation(to: string, groupName: string, items: EscalatedItem[]): Promise<void> {
    this.#check(to);
    this.escalations.push({ to, groupName, items });
  }

  async sendUnreachableOwners(to: string, groupName: string, owners: UnreachableOwner[]): Promise<void> {
    this.#check(to);
    this.unreachable.push({ to, groupName, owners });
  }
}
