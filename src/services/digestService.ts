import { randomUUID } from 'node:crypto';
import { digestCron, digestKind, digestPeriod, manualPeriod } from '../domain/schedule.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { ClaimRequest, DigestRecord } from '../store/repositories/digests.js';
import type { Store } from '../store/store.js';
import { claimOwner, claimOwnerGone } from './claimOwner.js';
import { digestData, type MetricSeries } from './digestData.js';
import { recordDigestBaseline } from './groupState.js';
import type { Delivered, DigestDraft, DigestPoster } from './ports.js';

export interface DigestOutcome {
  slug: string;
  period: string;
  status:
    'posted' | 'already-posted' | 'recovered' | 'busy' | 'no-channel' | 'not-active' | 'failed' | 'skipped';
  channel: string | null;
  ts: string | null;
  error: string | null;
}

export interface BuiltDigest extends DigestDraft {
  /** The channel it goes to (`{channel, text, blocks}` is what `wgbot digest --dry-run --json` prints). */
  channel: string | null;
}

/** The three messages a digest is made of, each recorded before it is sent and confirmed after. */
export type DigestPart = 'post' | 'thread' | 'chart';

export interface DigestHooks {
  /**
   * Awaited after Slack accepted a part and before it is recorded: tests inject a crash here (a promise
   * that never settles is a process that died at that point; one that throws, a run cut off there).
   */
  afterPart?: (part: DigestPart, record: DigestRecord) => Promise<void> | void;
}

/** What the caller knows about a scheduled run: when it was due, and why it may be late. */
export interface PostOptions {
  dueAt?: Date;
  /** Said in the post when it goes out well after `dueAt` ("wgbot was not running"). */
  lateReason?: string;
}

/** Where a group's digest goes: its bound channel, else the channel named on its page. */
export function digestChannel(group: WorkingGroup): string | null {
  return group.slackChannelId ?? group.channel ?? null;
}

/** How long a run owns a digest; the poster it is given must give up well within it (slack/webClients.ts). */
const CLAIM_MS = 10 * 60 * 1000;
/** The default catch-up window (DIGEST_CATCHUP_HOURS). */
export const DEFAULT_CATCH_UP_MS = 6 * 3_600_000;
/** A scheduled digest posted more than this after its minute says it is late. */
const LATE_AFTER_MS = 5 * 60_000;

/**
 * Builds, previews and posts the weekly digest — exactly once per group and period, and each of its parts
 * (post, thread reply, chart) once. Each part is recorded as pending before it is sent and confirmed with
 * Slack's ts after; a run that finds a part pending first looks for it in Slack by its marker: a crash
 * between sending and recording, or a second process, never sends it twice, and never loses it.
 */
export class DigestService {
  readonly #owner = claimOwner('digest');

  constructor(
    private readonly store: Store,
    private readonly poster: DigestPoster,
    private readonly now: () => Date,
    private readonly options: {
      logger?: Logger;
      metricsLine?: (group: WorkingGroup) => Promise<string | null>;
      /** Key metrics week by week from outside the store (GitLab's deployments), drawn on the chart. */
      metricSeries?: (group: WorkingGroup) => Promise<MetricSeries[]>;
      hooks?: DigestHooks;
      /** How long after its minute a missed scheduled digest is still posted (default 6 hours). */
      catchUpMs?: number;
      /** Whether a claim's owner is a dead process (default: checks the pid on this host). */
      ownerGone?: (owner: string) => boolean;
    } = {},
  ) {}

  get #log(): Logger {
    return this.options.logger ?? silentLogger;
  }

  /** How long after its minute a missed scheduled digest is still posted. */
  get catchUpMs(): number {
    return this.options.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  }

  /**
   * The group's digest as of now, for the channel (or, given `timeZone`, one reader's zone: `/wg digest
   * preview`); nothing is posted or recorded.
   */
  async build(
    group: WorkingGroup,
    marker = 'preview',
    timeZone?: string,
    late: DigestDraft['late'] = null,
  ): Promise<BuiltDigest> {
    const now = this.now();
    const metrics = this.options.metricsLine ? await this.options.metricsLine(group).catch(() => null) : null;
    const weekly = this.options.metricSeries ? await this.options.metricSeries(group).catch(() => []) : [];
    const data = digestData(this.store, group, now);
    if (weekly.length > 0) data.chart.metrics = [...(data.chart.metrics ?? []), ...weekly];
    return {
      data,
      viewer: {
        slackUserId: null,
        timeZone: timeZone ?? group.digestTimezone ?? group.timezone,
        now,
        audience: 'channel',
      },
      marker,
      metrics,
      late,
      channel: digestChannel(group),
    };
  }

  /** The period a scheduled run at `now` belongs to. */
  scheduledPeriod(group: WorkingGroup): string | null {
    const cron = digestCron(group.digestCron);
    return cron ? digestPeriod(cron, this.now(), group.digestTimezone ?? group.timezone) : null;
  }

  manualPeriod(group: WorkingGroup): string {
    return manualPeriod(this.now(), group.digestTimezone ?? group.timezone);
  }

  #claim(now: Date): ClaimRequest {
    return {
      owner: this.#owner,
      now,
      until: new Date(now.getTime() + CLAIM_MS),
      ownerGone: this.options.ownerGone ?? claimOwnerGone,
    };
  }

  /**
   * Posts the group's digest for `period` unless it was posted already (by this or any process), or
   * finishes its thread reply and chart. A scheduled digest past its catch-up window is recorded as
   * skipped instead; a manual one (`manual-…`) that fails is not retried by anyone.
   */
  async post(group: WorkingGroup, period: string, options: PostOptions = {}): Promise<DigestOutcome> {
    const outcome = (
      status: DigestOutcome['status'],
      fields: Partial<DigestOutcome> = {},
    ): DigestOutcome => ({
      slug: group.slug,
      period,
      status,
      channel: null,
      ts: null,
      error: null,
      ...fields,
    });
    // Read again: the group may have been paused or ended since the caller loaded it.
    const lifecycle = this.store.groups.getById(group.id)?.lifecycle ?? group.lifecycle;
    if (lifecycle !== 'active')
      return outcome('not-active', {
        error: `the group is ${lifecycle}: paused and ended groups get no digest`,
      });
    const channel = digestChannel(group);
    if (!channel)
      return outcome('no-channel', {
        error: 'no Slack channel: bind one with /wg bind or import a page that names it',
      });

    const kind = digestKind(period);
    const intent = {
      wgId: group.id,
      period,
      marker: `${group.slug}:${period}:${randomUUID().slice(0, 8)}`,
      kind,
      dueAt: kind === 'scheduled' ? (options.dueAt ?? null) : null,
    };
    const { record, claimed } = this.store.transaction(() =>
      this.store.digests.claim(intent, this.#claim(this.now())),
    );
    if (record.state === 'posted') {
      await this.#finishIfUnfinished(group, record);
      return outcome('already-posted', { channel: record.channel, ts: record.messageTs });
    }
    if (record.state === 'skipped') return outcome('skipped', { error: record.error });
    if (!claimed) return outcome('busy');

    try {
      const result = await this.#deliver(group, record, channel, options);
      if (result.status === 'skipped') return outcome('skipped', { error: result.reason });
      return outcome(result.status, { channel: result.delivered.channel, ts: result.delivered.ts });
    } catch (error) {
      const message = (error as Error).message;
      this.store.transaction(() => this.store.digests.markFailed(record.id, message, this.now()));
      this.#log.warn({ wg: group.slug, period, kind, err: message }, 'digest not posted');
      return outcome('failed', { error: message });
    }
  }

  /**
   * The claimed digest, posted and recorded — or, when an earlier attempt posted it and died before
   * recording that, found in the channel and recorded; or, past its catch-up window, recorded as skipped.
   */
  async #deliver(
    group: WorkingGroup,
    record: DigestRecord,
    channel: string,
    options: PostOptions,
  ): Promise<
    { status: 'posted' | 'recovered'; delivered: Delivered } | { status: 'skipped'; reason: string }
  > {
    // Finding a post takes a channel ID: a channel the page names is looked up and bound first, so a
    // crash after posting can still be recovered.
    const target = record.channel ?? (await this.#channelId(group, channel));
    // An earlier attempt may have posted and died before recording it: look before posting again.
    if (record.attempts > 1 || record.state === 'failed') {
      const found = await this.poster.findPosted(target, record.marker, new Date(record.createdAt));
      if (found) {
        this.#recordPosted(group, record, found);
        await this.#finish(group, this.store.digests.byId(record.id)!);
        this.#log.info({ wg: group.slug, period: record.period }, 'digest found already posted; recorded it');
        return { status: 'recovered', delivered: found };
      }
    }
    const skipped = this.#pastWindow(record);
    if (skipped) {
      this.store.transaction(() => this.store.digests.markSkipped(record.id, skipped, this.now()));
      this.#log.warn({ wg: group.slug, period: record.period, reason: skipped }, 'digest skipped');
      return { status: 'skipped', reason: skipped };
    }
    const built = await this.build(group, record.marker, undefined, this.#late(record, options));
    const delivered = await this.poster.post(target, built, record.period);
    await this.options.hooks?.afterPart?.('post', record);
    this.#recordPosted(group, record, delivered);
    await this.#finish(group, this.store.digests.byId(record.id)!, built);
    return { status: 'posted', delivered };
  }

  /** Why a scheduled digest may no longer be posted (its catch-up window is over), or null. */
  #pastWindow(record: DigestRecord): string | null {
    if (record.kind !== 'scheduled' || !record.dueAt) return null;
    const late = this.now().getTime() - new Date(record.dueAt).getTime();
    if (late <= this.catchUpMs) return null;
    const hours = Math.round((this.catchUpMs / 3_600_000) * 10) / 10;
    return `due ${record.dueAt}, not posted within its ${hours}-hour catch-up window (DIGEST_CATCHUP_HOURS)`;
  }

  /** The late notice a scheduled digest carries when it goes out well after its minute. */
  #late(record: DigestRecord, options: PostOptions): DigestDraft['late'] {
    if (record.kind !== 'scheduled' || !record.dueAt) return null;
    const dueAt = new Date(record.dueAt);
    if (this.now().getTime() - dueAt.getTime() <= LATE_AFTER_MS) return null;
    const reason =
      options.lateReason ??
      (record.attempts > 1 ? 'the first attempt failed' : 'the scheduled run was missed');
    return { dueAt, reason };
  }

  /** The post and the baseline it reports against, in one transaction; a channel named on the page is bound. */
  #recordPosted(group: WorkingGroup, record: DigestRecord, delivered: Delivered): void {
    this.store.transaction(() => {
      const snapshotId = recordDigestBaseline(this.store, group, this.now());
      this.store.digests.markPosted(record.id, delivered.channel, delivered.ts, snapshotId, this.now());
      // A channel named on the page is bound by its ID now that Slack told us which it is.
      if (!group.slackChannelId && /^[CG][A-Z0-9]+$/.test(delivered.channel)) {
        this.store.groups.update(
          group.id,
          { name: group.name, slackChannelId: delivered.channel },
          this.now(),
        );
      }
    });
  }

  /** A posted digest whose reply or chart is missing: finished, if no live run is finishing it already. */
  async #finishIfUnfinished(group: WorkingGroup, record: DigestRecord): Promise<void> {
    if (record.threadTs && record.chartFileId) return;
    if (!this.store.transaction(() => this.store.digests.claimDetails(record.id, this.#claim(this.now()))))
      return;
    await this.#finish(group, this.store.digests.byId(record.id)!);
  }

  /**
   * The thread reply and the chart, once the main post is recorded, by the run that holds the claim; a
   * later run (the retry job, a restart) redoes whichever is missing. Each is marked pending before it is
   * sent and confirmed as soon as Slack has it; a pending one is looked for in the thread first.
   */
  async #finish(group: WorkingGroup, record: DigestRecord, built?: BuiltDigest): Promise<void> {
    try {
      if (record.state !== 'posted' || !record.channel || !record.messageTs) return;
      const message: Delivered = { channel: record.channel, ts: record.messageTs };
      let digest = built;
      const draft = async () => (digest ??= await this.build(group, record.marker));
      if (!record.threadTs) {
        const found = record.threadPendingAt ? await this.poster.findReply(message, record.marker) : null;
        const ts =
          found ??
          (await this.#send(record, 'thread', async () => {
            return (await this.poster.postThread(message, await draft())) ?? 'none';
          }));
        this.#confirm(record, 'thread', ts);
      }
      if (!record.chartFileId) {
        const name = chartFileName(group, record.period);
        const found = record.chartPendingAt ? await this.poster.findChart(message, name) : null;
        const { chart } = (await draft()).data;
        const id =
          found ??
          (chart.points.length === 0
            ? 'none'
            : await this.#send(record, 'chart', () =>
                this.poster.uploadChart(message, chart, { name, title: `${group.name} — progress` }),
              ));
        this.#confirm(record, 'chart', id);
      }
    } catch (error) {
      this.#log.warn(
        { wg: group.slug, period: record.period, err: (error as Error).message },
        'digest details not posted; will retry',
      );
    } finally {
      this.store.transaction(() => this.store.digests.release(record.id, this.#owner));
    }
  }

  /** Marks a part pending, sends it, and hands back what Slack answered (the hook runs in between). */
  async #send(record: DigestRecord, part: 'thread' | 'chart', send: () => Promise<string>): Promise<string> {
    this.store.transaction(() => this.store.digests.markPartPending(record.id, part, this.now()));
    const value = await send();
    await this.options.hooks?.afterPart?.(part, record);
    return value;
  }

  #confirm(record: DigestRecord, part: 'thread' | 'chart', value: string): void {
    this.store.transaction(() => this.store.digests.confirmPart(record.id, part, value, this.now()));
  }

  /** The ID of a channel given as `#name` (bound to the group once found); the name when Slack has none. */
  async #channelId(group: WorkingGroup, channel: string): Promise<string> {
    if (!channel.startsWith('#')) return channel;
    try {
      const id = await this.poster.channelIdByName(channel.slice(1).toLowerCase());
      if (id) {
        this.store.transaction(() =>
          this.store.groups.update(group.id, { name: group.name, slackChannelId: id }, this.now()),
        );
        return id;
      }
    } catch (error) {
      this.#log.warn(
        { wg: group.slug, err: (error as Error).message },
        'could not look up the channel by name',
      );
    }
    return channel;
  }
}

/** The chart's file name: the group and period, so a restart can tell this digest's chart in its thread. */
export function chartFileName(group: Pick<WorkingGroup, 'slug'>, period: string): string {
  return `${group.slug}-${period.replace(/[^A-Za-z0-9-]+/g, '-')}-burnup.png`;
}
