import { criterionProgress, overallProgress } from '../domain/criteria.js';
import { addDaysIso, daysBetween, localDate } from '../domain/dates.js';
import type { Coverage, IsoDate, WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { DayFigures } from '../store/repositories/progressDays.js';
import { type ExitReason, FollowThroughRepository } from '../store/repositories/followThrough.js';
import type { Store } from '../store/store.js';
import { type Delivered, deliveryFailure } from './ports.js';

/** A group's closing summary: what it set out to do and when each part was done, what was closed, by whom. */
export interface ExitReport {
  group: { slug: string; name: string };
  /** Why it is closing; null while the group is neither at 100 % nor ended (`wgbot report` shows it anyway). */
  reason: ExitReason | null;
  overall: number | null;
  coverage: Coverage;
  /** Top-level exit criteria with the day each reached 100 % (the last time it did), as recorded. */
  criteria: { path: string; title: string; percent: number | null; reachedOn: IsoDate | null }[];
  /**
   * Confidential items are kept with their flag: the channel post shows only how many there are, the
   * markdown for the handbook page leaves them out unless the operator asks.
   */
  closedItems: {
    title: string;
    owners: string[];
    closedOn: IsoDate | null;
    url: string | null;
    confidential: boolean;
  }[];
  openItems: number;
  /** Closed items per owner, most first; an item with two owners counts for both. */
  people: { name: string; closed: number }[];
  timing: {
    started: IsoDate | null;
    /** The day it ended, else the day it reached 100 %, else today (still going). */
    finished: IsoDate;
    target: IsoDate | null;
    days: number | null;
    /** Days after the target (negative: before it); null without a target. */
    daysLate: number | null;
  };
}

/** How an exit report reaches the group's channel (bound to Slack in src/compose). Throws DeliveryError. */
export interface ExitReportPoster {
  post(channel: string, report: ExitReport): Promise<Delivered>;
}

/** The last day a figure reached 100 % and stayed there through the last recorded day; null if it is not there. */
export function reachedFullOn(days: { day: string; figure: number | null }[]): IsoDate | null {
  let since: IsoDate | null = null;
  for (const { day, figure } of days) {
    if (figure !== null && figure >= 100) since ??= day;
    else since = null;
  }
  return since;
}

/** A group finished in its own right: every top-level exit criterion measured and the whole at 100 %. */
export function isComplete(overall: number | null, coverage: Coverage): boolean {
  return overall !== null && overall >= 100 && coverage.total > 0 && coverage.measured === coverage.total;
}

/** Groups that ended (or reached 100 %) longer ago than this get no exit report: it is news, not history. */
const ENDED_RECENTLY_DAYS = 14;

export class ExitReportService {
  readonly #records: FollowThroughRepository;

  constructor(
    private readonly store: Store,
    private readonly poster: ExitReportPoster | null,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
  ) {
    this.#records = new FollowThroughRepository(store.db);
  }

  build(group: WorkingGroup): ExitReport {
    const tree = this.store.criteria.of(group.id, 'exit').map(criterionProgress);
    const { overall, coverage } = overallProgress(tree);
    const days = this.store.progressDays.burnup(group.id, '0000-01-01');
    const today = localDate(this.now(), group.timezone);
    const items = this.store.items.listByWg(group.id).filter((item) => !item.removedAt);
    const closed = items.filter((item) => item.state === 'done');
    const reason = this.#reason(group, overall, coverage);
    const reachedOn = reachedFullOn(days.map((d) => ({ day: d.day, figure: d.overall })));
    const finished = group.lifecycle === 'ended' ? (group.endedOn ?? today) : (reachedOn ?? today);
    const started = group.createdDate ?? days[0]?.day ?? null;
    return {
      group: { slug: group.slug, name: group.name },
      reason,
      overall,
      coverage,
      criteria: tree.map((c, i) => ({
        path: String(i + 1),
        title: c.title,
        percent: c.percent,
        reachedOn: c.percent !== null && c.percent >= 100 ? criterionReachedOn(days, String(i + 1)) : null,
      })),
      closedItems: closed.map((item) => ({
        title: item.title,
        owners: item.owners,
        closedOn: item.closedAt ? item.closedAt.slice(0, 10) : null,
        url: item.url,
        confidential: item.confidential,
      })),
      openItems: items.length - closed.length,
      people: perOwner(closed.map((item) => item.owners)),
      timing: {
        started,
        finished,
        target: group.targetEndDate,
        days: started ? daysBetween(started, finished) : null,
        daysLate: group.targetEndDate ? daysBetween(group.targetEndDate, finished) : null,
      },
    };
  }

  #reason(group: WorkingGroup, overall: number | null, coverage: Coverage): ExitReason | null {
    if (isComplete(overall, coverage)) return 'complete';
    return group.lifecycle === 'ended' ? 'ended' : null;
  }

  /**
   * Whether the group's report is owed now: it rose to 100 % (from a recorded day below it, or without a
   * figure) within the last two weeks, or it ended within them. A group imported already complete, or
   * finished long before this wgbot looked, gets none: upgrading must not post about old news.
   */
  #owed(group: WorkingGroup, report: ExitReport): boolean {
    if (group.lifecycle === 'ended') return this.#endedRecently(group);
    if (report.reason !== 'complete') return false;
    const days = this.store.progressDays.burnup(group.id, '0000-01-01');
    const reachedOn = reachedFullOn(days.map((d) => ({ day: d.day, figure: d.overall })));
    const rose = reachedOn !== null && days.some((d) => d.day < reachedOn);
    const today = localDate(this.now(), group.timezone);
    return rose && daysBetween(reachedOn, today) <= ENDED_RECENTLY_DAYS;
  }

  #endedRecently(group: WorkingGroup): boolean {
    const today = localDate(this.now(), group.timezone);
    return group.endedOn !== null && daysBetween(group.endedOn, today) <= ENDED_RECENTLY_DAYS;
  }

  /**
   * Posts the exit report of every group that owes one, once: the row is claimed before the post, so two
   * runs never both post; a post Slack refused is tried again by a later run, a few times in all, but one
   * whose outcome is unknown (a timeout: it may have landed) is not: at most once beats twice.
   */
  async run(): Promise<{ posted: string[]; failed: string[] }> {
    const outcome = { posted: [] as string[], failed: [] as string[] };
    if (!this.poster) return outcome;
    const since = addDaysIso(this.now().toISOString().slice(0, 10), -ENDED_RECENTLY_DAYS - 1);
    for (const wgId of this.#records.groupsAwaitingExitReport(since)) {
      const group = this.store.groups.getById(wgId);
      if (!group) continue;
      const result = await this.postFor(group);
      if (result === 'posted') outcome.posted.push(group.slug);
      else if (result === 'failed') outcome.failed.push(group.slug);
    }
    return outcome;
  }

  /** Posts this group's report if it owes one and nobody has posted it. */
  async postFor(group: WorkingGroup): Promise<'posted' | 'failed' | 'not-owed' | 'already'> {
    const channel = group.slackChannelId ?? group.channel;
    const report = this.build(group);
    if (!this.poster || !channel || !report.reason || !this.#owed(group, report)) return 'not-owed';
    const claimed = this.store.transaction(() =>
      this.#records.claimExitReport(group.id, report.reason!, this.now()),
    );
    if (!claimed) return 'already';
    try {
      const delivered = await this.poster.post(channel, report);
      this.store.transaction(() => this.#records.exitReportPosted(group.id, delivered, this.now()));
      return 'posted';
    } catch (error) {
      const { reason, refused } = deliveryFailure(error);
      this.logger.warn({ wg: group.slug, err: reason, refused }, 'could not post the exit report');
      this.store.transaction(() =>
        refused
          ? this.#records.exitReportFailed(group.id, reason)
          : this.#records.exitReportUnsure(group.id, reason),
      );
      return 'failed';
    }
  }
}

function criterionReachedOn(days: DayFigures[], path: string): IsoDate | null {
  return reachedFullOn(days.map((d) => ({ day: d.day, figure: d.criteria[path] ?? null })));
}

function perOwner(ownerLists: string[][]): { name: string; closed: number }[] {
  const counts = new Map<string, number>();
  for (const owners of ownerLists)
    for (const name of new Set(owners)) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .map(([name, closed]) => ({ name, closed }))
    .sort((a, b) => b.closed - a.closed || a.name.localeCompare(b.name));
}
