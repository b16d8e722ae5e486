import { cronAround, digestCron, type MissedDigest, missedDigest } from '../domain/schedule.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { timeSlicer } from '../yielding.js';
import { silentLogger } from '../logger.js';
import type { DigestOutcome, DigestService } from '../services/digestService.js';
import type { Store } from '../store/store.js';
import type { Scheduler } from './scheduler.js';

/** How long the on-time cron run has to record its digest before the catch-up pass counts it missed. */
const CATCH_UP_GRACE_MS = 2 * 60_000;

/**
 * The zone a group's digest follows: the one set with its schedule, else its first facilitator's (from
 * Slack), else the group's.
 */
export function digestTimeZone(store: Store, group: WorkingGroup): string {
  if (group.digestTimezone) return group.digestTimezone;
  for (const role of store.roles.of(group.id)) {
    if (role.kind !== 'facilitator' || !role.slackUserId) continue;
    const tz = store.people.getBySlackUserId(role.slackUserId)?.timezone;
    if (tz) return tz;
  }
  return group.timezone;
}

/**
 * One cron job per working group, posting its digest. Reloaded when a schedule changes (from Slack or the
 * CLI, through `reload`), so no restart is needed.
 */
export class DigestSchedules {
  /** What each group's job was scheduled with, to notice changes made by another process (the CLI). */
  readonly #signatures = new Map<number, string>();
  /** Per group, the schedule last looked at for a missed digest and when it is worth looking again. */
  readonly #checked = new Map<number, { signature: string; recheckAt: number }>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly store: Store,
    private readonly digests: DigestService,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
  ) {}

  /**
   * The zone a group's digest follows: the one set with its schedule, else its first facilitator's (from
   * Slack), else the group's.
   */
  timeZoneOf(group: WorkingGroup): string {
    return digestTimeZone(this.store, group);
  }

  reloadAll(): void {
    for (const group of this.store.groups.list()) this.reload(group);
  }

  reload(group: WorkingGroup): void {
    const name = `digest:${group.id}`;
    const cron = digestCron(group.digestCron);
    const timeZone = this.timeZoneOf(group);
    this.#signatures.set(group.id, `${cron}|${timeZone}|${group.lifecycle}`);
    // Paused and ended groups get no digest: their cron job goes until they are active again.
    if (!cron || group.lifecycle !== 'active') {
      this.scheduler.unschedule(name);
      return;
    }
    this.scheduler.schedule(name, cron, timeZone, () => this.run(group.id));
  }

  /**
   * Reloads the groups whose schedule changed since they were scheduled (run every minute, so the loop over
   * every group hands the event loop back between slices).
   */
  async refresh(): Promise<number> {
    let changed = 0;
    const seen = new Set<number>();
    const slice = timeSlicer();
    for (const group of this.store.groups.list()) {
      await slice();
      seen.add(group.id);
      const signature = `${digestCron(group.digestCron)}|${this.timeZoneOf(group)}|${group.lifecycle}`;
      if (this.#signatures.get(group.id) === signature) continue;
      this.reload(group);
      changed += 1;
    }
    for (const id of this.#signatures.keys()) {
      if (seen.has(id)) continue;
      this.scheduler.unschedule(`digest:${id}`);
      this.#signatures.delete(id);
    }
    return changed;
  }

  /** What the cron job calls: posts the digest of the period `now` falls in (once), due this minute. */
  async run(wgId: number): Promise<DigestOutcome | null> {
    const now = this.now();
    const group = this.store.groups.getById(wgId);
    if (!group || group.lifecycle !== 'active') return null;
    const withZone = { ...group, digestTimezone: this.timeZoneOf(group) };
    const period = this.digests.scheduledPeriod(withZone);
    if (!period) return null;
    const dueAt = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const outcome = await this.digests.post(withZone, period, { dueAt });
    this.logger.info({ wg: group.slug, period, status: outcome.status }, 'scheduled digest');
    return outcome;
  }

  /**
   * Scheduled digests of the last two days not posted yet (Slack down, channel missing, a process that
   * died mid-post) get another try, within their catch-up window; posted ones get their missing thread
   * reply or chart. Manual digests are never posted here: whoever asked was told they failed.
   */
  async retryFailed(now: Date, lateReason = 'the first attempt failed'): Promise<DigestOutcome[]> {
    const outcomes: DigestOutcome[] = [];
    const since = new Date(now.getTime() - 2 * 86_400_000);
    for (const record of this.store.digests.retryable(since, 6, now)) {
      const group = this.store.groups.getById(record.wgId);
      if (!group || group.lifecycle !== 'active') continue;
      outcomes.push(
        await this.digests.post({ ...group, digestTimezone: this.timeZoneOf(group) }, record.period, {
          lateReason,
        }),
      );
    }
    return outcomes;
  }

  /**
   * Each active group's latest scheduled digest whose minute passed with no record (wgbot was down, or
   * its cron tick was missed): posted now, marked late, within the catch-up window; recorded as skipped
   * beyond it — never posted days late. Run at start-up and every minute; a group is looked at again only
   * once its next minute has passed.
   */
  async catchUp(now: Date, lateReason = 'the scheduled run was missed'): Promise<DigestOutcome[]> {
    const outcomes: DigestOutcome[] = [];
    // Every minute over every active group: the event loop is handed back between slices.
    const slice = timeSlicer();
    for (const group of this.store.groups.listActive()) {
      await slice();
      const cron = digestCron(group.digestCron);
      const timeZone = this.timeZoneOf(group);
      const signature = `${cron}|${timeZone}`;
      const seen = this.#checked.get(group.id);
      if (!cron || (seen?.signature === signature && now.getTime() < seen.recheckAt)) continue;
      const around = cronAround(cron, now, timeZone);
      const dueFrom = this.store.groups.digestsDueFrom(group.id) ?? now;
      const missed = missedDigest(
        { cron, timeZone },
        now,
        dueFrom,
        { windowMs: this.digests.catchUpMs, graceMs: CATCH_UP_GRACE_MS },
        (period) => this.store.digests.get(group.id, period) !== null,
      );
      // Within the grace the on-time run may still record it: look again once the grace is over.
      const lastAt = around?.last.getTime() ?? 0;
      const recheckAt =
        now.getTime() - lastAt < CATCH_UP_GRACE_MS
          ? lastAt + CATCH_UP_GRACE_MS
          : (around?.next.getTime() ?? Infinity);
      this.#checked.set(group.id, { signature, recheckAt });
      if (!missed) continue;
      const withZone = { ...group, digestTimezone: timeZone };
      outcomes.push(await this.#catchUpOne(withZone, missed, now, lateReason));
    }
    return outcomes;
  }

  async #catchUpOne(
    group: WorkingGroup,
    missed: MissedDigest,
    now: Date,
    lateReason: string,
  ): Promise<DigestOutcome> {
    const log = { wg: group.slug, period: missed.period, dueAt: missed.dueAt.toISOString() };
    if (missed.action === 'post-late') {
      const outcome = await this.digests.post(group, missed.period, { dueAt: missed.dueAt, lateReason });
      this.logger.info({ ...log, status: outcome.status, reason: lateReason }, 'missed digest caught up');
      return outcome;
    }
    const reason = `due ${missed.dueAt.toISOString()} (${lateReason}), past the ${this.digests.catchUpMs / 3_600_000}-hour catch-up window (DIGEST_CATCHUP_HOURS): not posted`;
    this.store.transaction(() =>
      this.store.digests.recordSkipped(
        {
          wgId: group.id,
          period: missed.period,
          marker: `${group.slug}:${missed.period}:skipped`,
          kind: 'scheduled',
          dueAt: missed.dueAt,
        },
        reason,
        now,
      ),
    );
    this.logger.warn({ ...log, reason }, 'missed digest skipped');
    return {
      slug: group.slug,
      period: missed.period,
      status: 'skipped',
      channel: null,
      ts: null,
      error: reason,
    };
  }

  /** At start-up: what a stopped or crashed wgbot left undone, then what it missed while down. */
  async recover(now: Date): Promise<DigestOutcome[]> {
    const reason = 'wgbot was not running';
    return [...(await this.retryFailed(now, reason)), ...(await this.catchUp(now, reason))];
  }
}
