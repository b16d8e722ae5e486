import { digestCron } from '../domain/schedule.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { DigestOutcome, DigestService } from '../services/digestService.js';
import type { Store } from '../store/store.js';
import type { Scheduler } from './scheduler.js';

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

  constructor(
    private readonly scheduler: Scheduler,
    private readonly store: Store,
    private readonly digests: DigestService,
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

  /** Reloads the groups whose schedule changed since they were scheduled (run every minute). */
  refresh(): number {
    let changed = 0;
    const seen = new Set<number>();
    for (const group of this.store.groups.list()) {
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

  /** What the cron job calls: posts the digest of the period `now` falls in (once). */
  async run(wgId: number): Promise<DigestOutcome | null> {
    const group = this.store.groups.getById(wgId);
    if (!group || group.lifecycle !== 'active') return null;
    const withZone = { ...group, digestTimezone: this.timeZoneOf(group) };
    const period = this.digests.scheduledPeriod(withZone);
    if (!period) return null;
    const outcome = await this.digests.post(withZone, period);
    this.logger.info({ wg: group.slug, period, status: outcome.status }, 'scheduled digest');
    return outcome;
  }

  /** Digests of the last two days that failed (Slack down, channel missing…) get another try. */
  async retryFailed(now: Date): Promise<DigestOutcome[]> {
    const outcomes: DigestOutcome[] = [];
    const since = new Date(now.getTime() - 2 * 86_400_000);
    const settled = new Date(now.getTime() - 10 * 60_000);
    for (const record of this.store.digests.retryable(since, 6, settled)) {
      if (record.state === 'intent' && record.claimedUntil && record.claimedUntil > now.toISOString())
        continue;
      const group = this.store.groups.getById(record.wgId);
      if (!group || group.lifecycle !== 'active') continue;
      outcomes.push(
        await this.digests.post({ ...group, digestTimezone: this.timeZoneOf(group) }, record.period),
      );
    }
    return outcomes;
  }
}
