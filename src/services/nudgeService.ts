import { localDate } from '../domain/dates.js';
import { isWorkingHours } from '../domain/schedule.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { timeSlicer } from '../yielding.js';
import type { Person } from '../store/repositories/people.js';
import type { Store } from '../store/store.js';
import { loadGroupState } from './groupState.js';
import type { AccessService } from './access.js';
import type { IdentityService } from './identity.js';
import type { LadderService } from './ladderService.js';
import {
  type Delivered,
  deliveryFailure,
  type Messenger,
  type NudgeItem,
  type UnreachableOwner,
  type UserDirectory,
  type Viewer,
} from './ports.js';
import { type StatusReport, statusReport } from './status.js';

export interface NudgeRun {
  sent: { person: string; slackUserId: string; items: number }[];
  alreadyToday: string[];
  outsideHours: string[];
  unreachable: string[];
  escalated: number;
  failed: { person: string; error: string }[];
}

export interface NudgeOptions {
  /** Only owners with overdue items in this group (a facilitator's `/wg nudge`). */
  group?: WorkingGroup;
  /** Send now even outside the owner's working hours (still once per day). */
  force?: boolean;
}

const ESCALATE_AFTER = 3;

interface OwnerWork {
  person: Person;
  items: NudgeItem[];
  groups: Set<number>;
  /** Where the person is among each item's owners, by item id. */
  positions: Map<number, number>;
}

/**
 * The items as their reader sees them: the reader's own place among the owners carries their Slack user
 * (perhaps linked only now), so a view can leave the reader out of their own DM.
 */
function asReader(work: OwnerWork, slackUserId: string): NudgeItem[] {
  return work.items.map(({ group, item }) => {
    const at = work.positions.get(item.id) ?? -1;
    const ids = item.ownerSlackUserIds.map((id, i) => (i === at ? slackUserId : id));
    return { group, item: { ...item, ownerSlackUserIds: ids } };
  });
}

/** Overdue work by owner, and the status reports of the groups it came from. */
interface Overdue {
  owners: Map<number, OwnerWork>;
  reports: Map<number, StatusReport>;
}

/**
 * Reminds owners of overdue items by DM: once per person and local day, in their working hours, all their
 * overdue items across groups in one message. Items reminded about three times with no answer go to the
 * group's facilitators once; owners wgbot cannot reach are listed to the facilitators instead of dropped.
 */
export class NudgeService {
  constructor(
    private readonly store: Store,
    private readonly messenger: Messenger,
    private readonly directory: UserDirectory,
    private readonly identity: IdentityService,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
    /** Which items a reader's GitLab account cannot read (their titles stay out of the DM); none without. */
    private readonly readers: Pick<AccessService, 'unreadableItems'> | null = null,
    /**
     * The escalation ladder: each DM is the first step of its items, and the ladder asks facilitators and
     * sponsors. Without one (the nudges alone), items unanswered three times are summed up to the facilitators.
     */
    private readonly ladder: Pick<LadderService, 'ownerAsked' | 'climb' | 'withAsked'> | null = null,
  ) {}

  /** A DM's reader, with the items among `itemIds` whose titles their GitLab account may not see. */
  async #reader(slackUserId: string, timeZone: string, now: Date, itemIds: number[]): Promise<Viewer> {
    const viewer: Viewer = { slackUserId, timeZone, now, audience: 'private' };
    const unreadable = this.readers ? await this.readers.unreadableItems(slackUserId, itemIds) : null;
    return unreadable && unreadable.size > 0 ? { ...viewer, unreadable } : viewer;
  }

  /**
   * Everyone's overdue, unsnoozed items in active groups, by owner, with the reports they came from. A
   * paused or ended group nudges nobody: no deadline of it is running.
   */
  async #overdueByOwner(now: Date): Promise<Overdue> {
    const overdue: Overdue = { owners: new Map(), reports: new Map() };
    // Hundreds of groups take a second or more: the event loop is handed back between them (see yielding.ts).
    const slice = timeSlicer();
    for (const group of this.store.groups.listActive()) {
      await slice();
      this.#addOverdue(group, now, overdue);
    }
    return overdue;
  }

  /** One group's overdue, unsnoozed items, added to their owners' work. */
  #addOverdue(group: WorkingGroup, now: Date, { owners, reports }: Overdue): void {
    const state = loadGroupState(this.store, group, now);
    const report = statusReport(state);
    reports.set(group.id, report);
    const byId = new Map(report.items.map((i) => [i.id, i]));
    for (const evaluated of state.items) {
      const { item } = evaluated;
      if (!evaluated.overdue) continue;
      if (item.snoozedUntil && new Date(item.snoozedUntil) > now) continue;
      const statusItem = byId.get(item.id)!;
      for (const personId of item.ownerPersonIds) {
        const person = this.store.people.getById(personId);
        if (!person) continue;
        const work = owners.get(personId) ?? {
          person,
          items: [],
          groups: new Set<number>(),
          positions: new Map<number, number>(),
        };
        work.items.push({ group: { slug: group.slug, name: group.name }, item: statusItem });
        work.positions.set(item.id, item.ownerPersonIds.indexOf(personId));
        work.groups.add(group.id);
        owners.set(personId, work);
      }
    }
  }

  /**
   * The owner's zone as Slack has it now (people move; the directory caches users.info for hours), kept
   * on the person for answers that must not wait; the stored zone when Slack cannot be asked.
   */
  async #timeZone(person: Person, fallback: string): Promise<string> {
    if (!person.slackUserId) return person.timezone ?? fallback;
    const user = await this.directory.user(person.slackUserId).catch(() => null);
    const current = user?.timeZone;
    if (current && current !== person.timezone) {
      this.store.transaction(() => this.store.people.setTimezone(person.id, current, this.now()));
    }
    return current ?? person.timezone ?? fallback;
  }

  /** With the ladder: who besides the owners was asked about each item, so the owner's DM names them. */
  #withLadder(items: NudgeItem[]): NudgeItem[] {
    return this.ladder ? this.ladder.withAsked(items) : items;
  }

  async run(options: NudgeOptions = {}): Promise<NudgeRun> {
    const now = this.now();
    const result: NudgeRun = {
      sent: [],
      alreadyToday: [],
      outsideHours: [],
      unreachable: [],
      escalated: 0,
      failed: [],
    };
    const { owners, reports } = await this.#overdueByOwner(now);
    const unreachable = new Map<number, UnreachableOwner[]>();
    const overdueItems = new Set([...owners.values()].flatMap((w) => w.items.map((i) => i.item.id)));
    const listUnreachable = (work: OwnerWork, name: string) => {
      for (const wgId of work.groups) {
        const list = unreachable.get(wgId) ?? [];
        const slug = reports.get(wgId)?.slug;
        list.push({ name, items: work.items.filter((i) => i.group.slug === slug).map((i) => i.item) });
        unreachable.set(wgId, list);
      }
    };
    for (const work of owners.values()) {
      if (options.group && !work.groups.has(options.group.id)) continue;
      await this.#remind(work, now, options, result, listUnreachable);
    }

    // Facilitators hear about escalations and unreachable owners in their own working hours (a run outside
    // them leaves the news for a later run), unless they asked for the run themselves.
    // A facilitator's `/wg nudge` concerns their group only: other groups' facilitators hear in their hours.
    const only = options.group?.id;
    if (only !== undefined) {
      for (const wgId of [...reports.keys()]) if (wgId !== only) reports.delete(wgId);
      for (const wgId of [...unreachable.keys()]) if (wgId !== only) unreachable.delete(wgId);
    }
    const force = options.force === true;
    result.escalated = this.ladder
      ? (await this.ladder.climb({ ...(options.group ? { group: options.group } : {}), force, reports }))
          .reached
      : await this.#escalate(overdueItems, reports, now, force);
    await this.#tellAboutUnreachable(unreachable, now, options.force === true);
    this.logger.info(
      {
        sent: result.sent.length,
        already: result.alreadyToday.length,
        unreachable: result.unreachable.length,
        escalated: result.escalated,
      },
      'nudges done',
    );
    return result;
  }

  /**
   * One owner's DM, in their working hours and once per their local day; what happened goes into
   * `result`, and an owner Slack cannot reach to `listUnreachable` for their facilitators.
   */
  async #remind(
    work: OwnerWork,
    now: Date,
    options: NudgeOptions,
    result: NudgeRun,
    listUnreachable: (work: OwnerWork, name: string) => void,
  ): Promise<void> {
    const slackUserId = await this.identity.slackUserOf(work.person).catch(() => null);
    const person = slackUserId ? { ...work.person, slackUserId } : work.person;
    const firstGroup = this.store.groups.getById([...work.groups][0]!)!;
    const slackUser = person.slackUserId
      ? await this.directory.user(person.slackUserId).catch(() => null)
      : null;
    if (!person.slackUserId || slackUser?.deleted) {
      listUnreachable(work, person.name);
      result.unreachable.push(person.name);
      return;
    }
    const timeZone = await this.#timeZone(person, firstGroup.timezone);
    if (!options.force && !isWorkingHours(now, timeZone)) {
      result.outsideHours.push(person.name);
      return;
    }
    const day = localDate(now, timeZone);
    const nudgeId = this.store.transaction(() => this.store.nudges.begin(person.id, day, 'owner', now));
    if (nudgeId === null) {
      result.alreadyToday.push(person.name);
      return;
    }
    const viewer = await this.#reader(
      person.slackUserId,
      timeZone,
      now,
      work.items.map((i) => i.item.id),
    );
    try {
      const items = this.#withLadder(asReader(work, person.slackUserId));
      const posted = await this.messenger.sendNudge(person.slackUserId, items, viewer);
      const itemIds = work.items.map((i) => i.item.id);
      this.store.transaction(() =>
        this.store.nudges.markSent(nudgeId, posted.channel, posted.ts, itemIds, this.now()),
      );
      result.sent.push({ person: person.name, slackUserId: person.slackUserId, items: itemIds.length });
    } catch (error) {
      const failure = deliveryFailure(error);
      this.store.transaction(() => this.store.nudges.markFailed(nudgeId, failure.reason, this.now()));
      result.failed.push({ person: person.name, error: failure.reason });
      if (failure.unreachable) listUnreachable(work, person.name);
      this.logger.warn({ person: person.id, err: failure.reason }, 'nudge not delivered');
      return;
    }
    this.ladder?.ownerAsked(
      work.items.map((i) => i.item.id),
      { slackUserId: person.slackUserId, name: person.name },
      now,
    );
  }

  #facilitators(wgId: number): string[] {
    return this.store.roles
      .of(wgId)
      .filter((r) => r.kind === 'facilitator' && r.slackUserId)
      .map((r) => r.slackUserId!)
      .filter((id, i, all) => all.indexOf(id) === i);
  }

  /** A Slack user's zone as last stored on their person, else `fallback`. */
  #zoneOf(slackUserId: string, fallback: string): string {
    return this.store.people.getBySlackUserId(slackUserId)?.timezone ?? fallback;
  }

  /** Where the group's facilitators are: the first one's known zone, else the group's. */
  #facilitatorZone(wgId: number, fallback: string): string {
    for (const id of this.#facilitators(wgId)) {
      const zone = this.store.people.getBySlackUserId(id)?.timezone;
      if (zone) return zone;
    }
    return fallback;
  }

  async #escalate(
    overdueItems: Set<number>,
    reports: Map<number, StatusReport>,
    now: Date,
    force: boolean,
  ): Promise<number> {
    let count = 0;
    for (const [wgId, report] of reports) {
      const group = this.store.groups.getById(wgId);
      if (!group) continue;
      if (!force && !isWorkingHours(now, this.#facilitatorZone(wgId, group.timezone))) continue;
      const due = report.items
        .filter((i) => overdueItems.has(i.id) && !this.store.nudges.isEscalated(i.id))
        .map((item) => ({ item, reminders: this.store.nudges.unansweredCount(item.id) }))
        .filter((e) => e.reminders >= ESCALATE_AFTER);
      if (due.length === 0) continue;
      const facilitators = this.#facilitators(wgId);
      if (facilitators.length === 0) {
        this.logger.warn(
          { wg: report.slug, items: due.length },
          'items to escalate, but no facilitator is in Slack',
        );
        continue;
      }
      this.store.transaction(() => {
        for (const e of due) this.store.nudges.recordEscalation(e.item.id, facilitators, now);
      });
      for (const facilitator of facilitators) {
        const timeZone = this.#zoneOf(facilitator, group.timezone);
        const ids = due.map((e) => e.item.id);
        const viewer = await this.#reader(facilitator, timeZone, now, ids);
        await this.messenger
          .sendEscalation(facilitator, report.name, due, viewer)
          .catch((error: Error) => this.logger.warn({ err: error.message }, 'escalation not delivered'));
      }
      count += due.length;
    }
    return count;
  }

  async #tellAboutUnreachable(
    byGroup: Map<number, UnreachableOwner[]>,
    now: Date,
    force: boolean,
  ): Promise<void> {
    for (const [wgId, owners] of byGroup) {
      const group = this.store.groups.getById(wgId);
      if (!group) continue;
      const zone = this.#facilitatorZone(wgId, group.timezone);
      if (!force && !isWorkingHours(now, zone)) continue;
      const facilitators = this.#facilitators(wgId);
      if (facilitators.length === 0) {
        this.logger.warn(
          { wg: group.slug, owners: owners.length },
          'owners cannot be reminded and no facilitator is in Slack',
        );
        continue;
      }
      const day = localDate(now, zone);
      if (!this.store.transaction(() => this.store.nudges.beginUnreachableNotice(wgId, day, now))) continue;
      for (const facilitator of facilitators) {
        const ids = owners.flatMap((o) => o.items.map((i) => i.id));
        const viewer = await this.#reader(facilitator, this.#zoneOf(facilitator, group.timezone), now, ids);
        await this.messenger
          .sendUnreachableOwners(facilitator, group.name, owners, viewer)
          .catch((error: Error) =>
            this.logger.warn({ err: error.message }, 'unreachable-owner notice not delivered'),
          );
      }
    }
  }

  /**
   * What a nudge DM shows after a click on it, for its reader: the items it was about that are still
   * overdue for them and not snoozed — so items done, snoozed or given a new date leave it. null when
   * the message is not a reminder wgbot sent this reader (nobody else's DM is ever redrawn).
   */
  async remaining(
    slackUserId: string,
    message: Delivered,
  ): Promise<{ items: NudgeItem[]; viewer: Viewer } | null> {
    const person = this.store.people.getBySlackUserId(slackUserId);
    if (!person) return null;
    const shown = this.store.nudges.itemsOfMessage(person.id, message.channel, message.ts);
    if (shown === null) return null;
    const now = this.now();
    // Only the groups of the items the DM showed: a click must not wait for a pass over every group.
    const overdueNow: Overdue = { owners: new Map(), reports: new Map() };
    const groupIds = new Set(shown.flatMap((id) => this.store.items.getById(id)?.wgId ?? []));
    for (const group of this.store.groups.listActive())
      if (groupIds.has(group.id)) this.#addOverdue(group, now, overdueNow);
    const work = overdueNow.owners.get(person.id);
    const overdue = work ? asReader(work, slackUserId) : [];
    const items = this.#withLadder(overdue.filter((i) => shown.includes(i.item.id)));
    const viewer = await this.#reader(
      slackUserId,
      person.timezone ?? 'UTC',
      now,
      items.map((i) => i.item.id),
    );
    return { items, viewer };
  }
}
