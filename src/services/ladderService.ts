import {
  currentStep,
  type LadderSettings,
  type LadderState,
  type LadderStep,
  ladderState,
} from '../domain/ladder.js';
import { isWorkingHours } from '../domain/schedule.js';
import type { RoleKind, WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { LadderAsk } from '../store/repositories/ladder.js';
import type { Store } from '../store/store.js';
import { timeSlicer } from '../yielding.js';
import type { AccessService } from './access.js';
import type { IdentityService } from './identity.js';
import { askedAbout, fromReport, type GroupNow, groupNow, isHeld, ladderFacts } from './ladderFacts.js';
import {
  deliveryFailure,
  type LadderAsked,
  type LadderItem,
  type LadderMessenger,
  type NudgeItem,
  type UserDirectory,
  type Viewer,
} from './ports.js';
import type { StatusItem, StatusReport } from './status.js';

export interface LadderRun {
  /** Steps items reached in this run (the owner's, recorded by the nudges, not counted). */
  reached: number;
  asked: { to: string; step: LadderStep; items: number }[];
  /** Recipients whose asks wait for their working hours. */
  outsideHours: string[];
  failed: { to: string; error: string }[];
}

export interface LadderOptions {
  /** Only this group's items (a facilitator's `/wg nudge`). */
  group?: WorkingGroup;
  /** Ask now even outside the recipients' working hours. */
  force?: boolean;
  /** The groups' status reports as of now, by group id (the nudge run's): only these groups are gone over. */
  reports?: ReadonlyMap<number, StatusReport>;
}

/** An overdue item on `/wg ladder`: its step, who was asked when, who waits for their hours, what is next. */
export interface LadderBoardItem {
  item: StatusItem;
  step: LadderStep | null;
  asked: LadderAsked[];
  waiting: { step: LadderStep; name: string }[];
  state: LadderState;
}

export interface LadderBoard {
  group: WorkingGroup;
  settings: LadderSettings & { custom: boolean };
  items: LadderBoardItem[];
  /** Roles the ladder could not reach: no Slack user. */
  unreachable: { kind: string; name: string }[];
}

export type BlockedOutcome =
  | { kind: 'asked'; facilitators: string[] }
  | { kind: 'already'; at: Date }
  | { kind: 'nobody' }
  | { kind: 'closed' };

const ROLE_OF: Record<Exclude<LadderStep, 'owner'>, RoleKind> = {
  facilitators: 'facilitator',
  sponsor: 'executive_sponsor',
};

/**
 * The escalation ladder: the nudges remind an overdue item's owner (recorded here as its first step), then
 * this asks the group's facilitators (after N unanswered reminders or M days late, or at once when the
 * owner says they are blocked), then its executive sponsor (K days later). Each step once per item, and
 * it counts only once sent to someone (a step whose asks were all withdrawn unsent can be reached again);
 * each person in their own working hours, claimed before sending; each message names who was asked before.
 */
export class LadderService {
  constructor(
    private readonly store: Store,
    private readonly messenger: LadderMessenger,
    private readonly directory: UserDirectory,
    private readonly identity: Pick<IdentityService, 'slackUserOf'>,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
    private readonly readers: Pick<AccessService, 'unreadableItems'> | null = null,
  ) {}

  /** The owner's nudge DM went out about these items: the ladder's first step, once per item. */
  ownerAsked(itemIds: number[], owner: { slackUserId: string; name: string }, at: Date): void {
    this.store.transaction(() => {
      for (const itemId of itemIds) {
        this.store.ladder.reach(itemId, 'owner', 'overdue', null, at);
        this.store.ladder.addAsk({ itemId, step: 'owner', ...owner }, at);
      }
    });
  }

  /** Reaches the steps that are due, then asks whoever is in their working hours. */
  async climb(options: LadderOptions = {}): Promise<LadderRun> {
    const now = this.now();
    const run: LadderRun = { reached: 0, asked: [], outsideHours: [], failed: [] };
    const groups = new Map<number, GroupNow>();
    const slice = timeSlicer();
    for (const group of this.#groupsToClimb(options)) {
      await slice();
      if (group.lifecycle !== 'active') continue;
      const report = options.reports?.get(group.id);
      const at = report ? fromReport(group, report) : groupNow(this.store, group, now);
      groups.set(group.id, at);
      run.reached += await this.#reachDue(at, now);
    }
    await this.#deliver(groups, now, options, run);
    if (run.reached + run.asked.length + run.failed.length > 0)
      this.logger.info({ reached: run.reached, asked: run.asked.length }, 'escalation ladder climbed');
    return run;
  }

  #groupsToClimb(options: LadderOptions): WorkingGroup[] {
    if (options.reports)
      return [...options.reports.keys()].flatMap((id) => this.store.groups.getById(id) ?? []);
    return options.group ? [options.group] : this.store.groups.listActive();
  }

  /** Records the facilitators' and sponsor's steps due in a group, with whom each asks. */
  async #reachDue(at: GroupNow, now: Date): Promise<number> {
    let reached = 0;
    const settings = this.store.ladder.settings(at.group.id);
    for (const item of at.items.values()) {
      if (!item.overdue) continue;
      const facts = ladderFacts(this.store, at, item.id, now);
      const state = facts ? ladderState(facts, settings) : null;
      if (state?.kind !== 'climbing') continue;
      for (const due of state.due) {
        if (due.step === 'owner') continue;
        if (await this.#reach(at.group, item.id, due.step, due.reason, null, now)) reached += 1;
      }
    }
    return reached;
  }

  /** One step reached, with the people it asks (pending until their hours); false when reached before. */
  async #reach(
    group: WorkingGroup,
    itemId: number,
    step: Exclude<LadderStep, 'owner'>,
    reason: LadderItem['reason'],
    note: string | null,
    now: Date,
  ): Promise<boolean> {
    const { recipients, roles } = await this.#recipients(group, ROLE_OF[step], now);
    // Roles nobody in Slack matches yet: the step waits for them (it counts once sent to someone). A
    // group without the role at all passes the step, so the ladder goes on to the next.
    if (recipients.length === 0 && roles > 0) return false;
    return this.store.transaction(() => {
      if (!this.store.ladder.reach(itemId, step, reason, note, now)) return false;
      for (const r of recipients) this.store.ladder.addAsk({ itemId, step, ...r });
      return true;
    });
  }

  /**
   * The Slack users of a group's roles of one kind: linked already, else found by name. A role nobody in
   * Slack matches is said once (logged, and listed by `/wg ladder`), never a failure.
   */
  async #recipients(group: WorkingGroup, kind: RoleKind, now: Date) {
    const found: { slackUserId: string; name: string }[] = [];
    const roles = this.store.roles.of(group.id).filter((r) => r.kind === kind);
    for (const role of roles) {
      const person = role.slackUserId ? null : this.store.people.findByName(role.name);
      const id =
        role.slackUserId ?? (person ? await this.identity.slackUserOf(person).catch(() => null) : null);
      if (id) {
        if (!found.some((f) => f.slackUserId === id)) found.push({ slackUserId: id, name: role.name });
        continue;
      }
      if (this.store.transaction(() => this.store.ladder.notice(group.id, kind, role.name, now)))
        this.logger.warn(
          { wg: group.slug, role: kind, name: role.name },
          'ladder cannot reach a role: no Slack user',
        );
    }
    // A group without the role at all: said once too (the name left empty).
    if (roles.length === 0 && this.store.transaction(() => this.store.ladder.notice(group.id, kind, '', now)))
      this.logger.warn(
        { wg: group.slug, role: kind },
        'ladder step has nobody to ask: the group has no such role',
      );
    return { recipients: found, roles: roles.length };
  }

  /** A recipient's zone as Slack has it (users.info, cached), else their stored one, else the group's. */
  async #zoneOf(slackUserId: string, fallback: string): Promise<string> {
    const user = await this.directory.user(slackUserId).catch(() => null);
    return user?.timeZone ?? this.store.people.getBySlackUserId(slackUserId)?.timezone ?? fallback;
  }

  /** Sends the pending asks: one message per person, group and step, in the person's working hours. */
  async #deliver(groups: Map<number, GroupNow>, now: Date, options: LadderOptions, run: LadderRun) {
    const buckets = new Map<string, { wgId: number; asks: LadderAsk[] }>();
    for (const ask of this.store.ladder.pending()) {
      const wgId = this.store.items.getById(ask.itemId)?.wgId;
      if (wgId === undefined || (options.group && options.group.id !== wgId)) continue;
      const key = `${ask.slackUserId}|${wgId}|${ask.step}`;
      const bucket = buckets.get(key) ?? { wgId, asks: [] };
      bucket.asks.push(ask);
      buckets.set(key, bucket);
    }
    for (const { wgId, asks } of buckets.values()) {
      const group = this.store.groups.getById(wgId);
      // A paused or ended group asks nobody: its asks wait until it is active again.
      if (group?.lifecycle !== 'active') continue;
      const at = groups.get(wgId) ?? groupNow(this.store, group, now);
      groups.set(wgId, at);
      await this.#ask(at, asks, now, options.force === true, run);
    }
  }

  /** One person's pending asks of one group and step: dropped when no longer due, else sent in their hours. */
  async #ask(at: GroupNow, asks: LadderAsk[], now: Date, force: boolean, run: LadderRun): Promise<void> {
    const { slackUserId: to, step } = asks[0]!;
    const live = asks.filter((a) => this.#stillDue(at, a, now));
    const stale = asks.filter((a) => !live.includes(a));
    // Unsent asks no longer due are withdrawn; a step left with nobody asked was never reached, so it
    // is reached again (and asked) if the item is still late when the hold or snooze has passed.
    if (stale.length > 0)
      this.store.transaction(() => {
        stale.forEach((a) => this.store.ladder.withdraw(a));
        for (const itemId of new Set(stale.map((a) => a.itemId)))
          this.store.ladder.unreachIfUnasked(itemId, step);
      });
    if (live.length === 0) return;
    const timeZone = await this.#zoneOf(to, at.group.timezone);
    if (!force && !isWorkingHours(now, timeZone)) {
      run.outsideHours.push(to);
      return;
    }
    const claimed = this.store.transaction(() => live.filter((a) => this.store.ladder.claim(a, now)));
    if (claimed.length === 0) return;
    const items = claimed.map((a) => this.#ladderItem(at, a, now));
    const viewer = await this.#reader(
      to,
      timeZone,
      now,
      claimed.map((a) => a.itemId),
    );
    const message = {
      group: { slug: at.group.slug, name: at.group.name },
      step: step as 'facilitators' | 'sponsor',
      items,
    };
    try {
      await this.messenger.sendLadderStep(to, message, viewer);
      this.store.transaction(() => claimed.forEach((a) => this.store.ladder.finish(a, null)));
      run.asked.push({ to, step, items: claimed.length });
    } catch (error) {
      const { reason } = deliveryFailure(error);
      this.store.transaction(() => claimed.forEach((a) => this.store.ladder.finish(a, reason)));
      run.failed.push({ to, error: reason });
      this.logger.warn({ to, step, err: reason }, 'ladder step not delivered');
    }
  }

  /**
   * Whether an ask waiting for its reader's hours still stands: its item open (and, unless its owner said
   * they are blocked, still overdue and not on hold). A snooze does not withdraw a step already reached.
   */
  #stillDue(at: GroupNow, ask: LadderAsk, now: Date): boolean {
    const item = at.items.get(ask.itemId);
    if (!item || item.state !== 'open') return false;
    const reason = this.store.ladder.steps(ask.itemId).find((s) => s.step === ask.step)?.reason;
    return reason === 'blocked' || (item.overdue && !isHeld(this.store, at, ask.itemId, now));
  }

  /** An item as a ladder message shows it: why it climbed, who was asked before (sent), what comes next. */
  #ladderItem(at: GroupNow, ask: LadderAsk, now: Date): LadderItem {
    const item = at.report.items.find((i) => i.id === ask.itemId)!;
    const reached = this.store.ladder.steps(ask.itemId).find((s) => s.step === ask.step);
    const facts = ladderFacts(this.store, at, ask.itemId, now);
    const state = facts ? ladderState(facts, this.store.ladder.settings(at.group.id)) : null;
    return {
      item,
      reason: reached?.reason ?? 'late',
      note: reached?.note ?? null,
      asked: askedAbout(this.store, ask.itemId),
      next: state?.kind === 'climbing' ? state.next : null,
    };
  }

  /** The owner's DM items, each with who besides its owners the ladder asked about it, and when. */
  withAsked(items: NudgeItem[]): NudgeItem[] {
    return items.map((entry) => {
      const asked = askedAbout(this.store, entry.item.id).filter((a) => a.step !== 'owner');
      return asked.length > 0 ? { ...entry, asked } : entry;
    });
  }

  async #reader(slackUserId: string, timeZone: string, now: Date, itemIds: number[]): Promise<Viewer> {
    const viewer: Viewer = { slackUserId, timeZone, now, audience: 'private' };
    const unreadable = this.readers ? await this.readers.unreadableItems(slackUserId, itemIds) : null;
    return unreadable && unreadable.size > 0 ? { ...viewer, unreadable } : viewer;
  }

  /** `/wg ladder`: each overdue item of the group, where it is on the ladder and what comes next. */
  board(group: WorkingGroup): LadderBoard {
    const now = this.now();
    const at = groupNow(this.store, group, now);
    const settings = this.store.ladder.settings(group.id);
    const items = at.report.items
      .filter((i) => i.overdue)
      .map((item) => {
        const facts = ladderFacts(this.store, at, item.id, now)!;
        const asks = this.store.ladder.asks(item.id);
        return {
          item,
          step: currentStep(facts.reached),
          asked: askedAbout(this.store, item.id),
          waiting: asks.filter((a) => a.state === 'pending').map((a) => ({ step: a.step, name: a.name })),
          state: ladderState(facts, settings),
        };
      });
    return { group, settings, items, unreachable: this.store.ladder.notices(group.id) };
  }

  settings(group: WorkingGroup): LadderSettings & { custom: boolean } {
    return this.store.ladder.settings(group.id);
  }

  setSettings(
    group: WorkingGroup,
    settings: LadderSettings,
    by: string,
  ): LadderSettings & { custom: boolean } {
    this.store.transaction(() => this.store.ladder.setSettings(group.id, settings, by, this.now()));
    return this.settings(group);
  }

  /** "I'm on it — new date": the ladder waits for the item until `until` has passed. */
  hold(itemId: number, until: string, by: string): void {
    this.store.transaction(() => this.store.ladder.hold(itemId, until, by, this.now()));
  }

  /** "Blocked — tell the facilitator": the facilitators' step at once, with the owner's note. */
  async blocked(itemId: number, note: string, by: string): Promise<BlockedOutcome> {
    const now = this.now();
    const item = this.store.items.getById(itemId);
    const group = item ? this.store.groups.getById(item.wgId) : null;
    if (!item || item.removedAt || item.state !== 'open' || !group) return { kind: 'closed' };
    const at = groupNow(this.store, group, now);
    const facts = ladderFacts(this.store, at, itemId, now, true);
    const state = facts ? ladderState(facts, this.store.ladder.settings(group.id)) : null;
    if (state?.kind !== 'climbing' || !state.due.some((d) => d.step === 'facilitators')) {
      const before = this.store.ladder.steps(itemId).find((s) => s.step === 'facilitators');
      return before ? { kind: 'already', at: before.reachedAt } : { kind: 'closed' };
    }
    const text = note.trim().slice(0, 1000) || null;
    await this.#reach(group, itemId, 'facilitators', 'blocked', text, now);
    this.logger.info({ item: itemId, by }, 'owner is blocked: facilitators asked');
    const asked = this.store.ladder.asks(itemId).filter((a) => a.step === 'facilitators');
    if (asked.length === 0) return { kind: 'nobody' };
    await this.#deliver(
      new Map([[group.id, at]]),
      now,
      { group },
      { reached: 1, asked: [], outsideHours: [], failed: [] },
    );
    return { kind: 'asked', facilitators: asked.map((a) => a.name) };
  }
}
