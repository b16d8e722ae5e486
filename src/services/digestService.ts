import { randomUUID } from 'node:crypto';
import { digestCron, digestPeriod, manualPeriod } from '../domain/schedule.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { DigestRecord } from '../store/repositories/digests.js';
import type { Store } from '../store/store.js';
import { digestData } from './digestData.js';
import { recordDigestBaseline } from './groupState.js';
import type { Delivered, DigestDraft, DigestPoster } from './ports.js';

export interface DigestOutcome {
  slug: string;
  period: string;
  status: 'posted' | 'already-posted' | 'recovered' | 'busy' | 'no-channel' | 'not-active' | 'failed';
  channel: string | null;
  ts: string | null;
  error: string | null;
}

export interface BuiltDigest extends DigestDraft {
  /** The channel it goes to (`{channel, text, blocks}` is what `wgbot digest --dry-run --json` prints). */
  channel: string | null;
}

export interface DigestHooks {
  /**
   * Awaited after Slack accepted the post and before it is recorded: tests inject a crash here (a
   * promise that never settles is a process that died at that point).
   */
  afterPost?: (record: DigestRecord) => Promise<void> | void;
}

/** Where a group's digest goes: its bound channel, else the channel named on its page. */
export function digestChannel(group: WorkingGroup): string | null {
  return group.slackChannelId ?? group.channel ?? null;
}

/** How long a run owns a digest; the poster it is given must give up well within it (slack/webClients.ts). */
const CLAIM_MS = 10 * 60 * 1000;

/**
 * Builds, previews and posts the weekly digest — exactly once per group and period. The intent is
 * recorded (and claimed) before posting, the post carries a marker, and a run that finds an unfinished
 * intent first looks for its marker in the channel's recent bot messages: a crash between posting and
 * recording, or a second process, never makes a second post.
 */
export class DigestService {
  readonly #owner = `digest-${randomUUID()}`;
  readonly #finishing = new Set<number>();

  constructor(
    private readonly store: Store,
    private readonly poster: DigestPoster,
    private readonly now: () => Date,
    private readonly options: {
      logger?: Logger;
      metricsLine?: (group: WorkingGroup) => Promise<string | null>;
      hooks?: DigestHooks;
    } = {},
  ) {}

  get #log(): Logger {
    return this.options.logger ?? silentLogger;
  }

  /**
   * The group's digest as of now, for the channel (or, given `timeZone`, one reader's zone: `/wg digest
   * preview`); nothing is posted or recorded.
   */
  async build(group: WorkingGroup, marker = 'preview', timeZone?: string): Promise<BuiltDigest> {
    const now = this.now();
    const metrics = this.options.metricsLine ? await this.options.metricsLine(group).catch(() => null) : null;
    return {
      data: digestData(this.store, group, now),
      viewer: {
        slackUserId: null,
        timeZone: timeZone ?? group.digestTimezone ?? group.timezone,
        now,
        audience: 'channel',
      },
      marker,
      metrics,
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

  /** Posts the group's digest for `period` unless it was posted already (by this or any process). */
  async post(group: WorkingGroup, period: string): Promise<DigestOutcome> {
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

    const now = this.now();
    const marker = `${group.slug}:${period}:${randomUUID().slice(0, 8)}`;
    const { record, claimed } = this.store.transaction(() =>
      this.store.digests.claim(
        group.id,
        period,
        marker,
        this.#owner,
        now,
        new Date(now.getTime() + CLAIM_MS),
      ),
    );
    if (record.state === 'posted') {
      await this.#finish(group, record);
      return outcome('already-posted', { channel: record.channel, ts: record.messageTs });
    }
    if (!claimed) return outcome('busy');

    try {
      const { status, delivered } = await this.#deliver(group, period, record, channel);
      return outcome(status, { channel: delivered.channel, ts: delivered.ts });
    } catch (error) {
      const message = (error as Error).message;
      this.store.transaction(() => this.store.digests.markFailed(record.id, message, this.now()));
      this.#log.warn({ wg: group.slug, period, err: message }, 'digest not posted');
      return outcome('failed', { error: message });
    }
  }

  /**
   * The claimed digest, posted and recorded — or, when an earlier attempt posted it and died before
   * recording that, found in the channel and recorded.
   */
  async #deliver(
    group: WorkingGroup,
    period: string,
    record: DigestRecord,
    channel: string,
  ): Promise<{ status: 'posted' | 'recovered'; delivered: Delivered }> {
    // Finding a post takes a channel ID: a channel the page names is looked up and bound first, so a
    // crash after posting can still be recovered.
    const target = record.channel ?? (await this.#channelId(group, channel));
    // An earlier attempt may have posted and died before recording it: look before posting again.
    if (record.attempts > 1 || record.state === 'failed') {
      const found = await this.poster.findPosted(target, record.marker, new Date(record.createdAt));
      if (found) {
        this.#recordPosted(group, record, found);
        await this.#finish(group, this.store.digests.get(group.id, period)!);
        this.#log.info({ wg: group.slug, period }, 'digest found already posted; recorded it');
        return { status: 'recovered', delivered: found };
      }
    }
    const built = await this.build(group, record.marker);
    const delivered = await this.poster.post(target, built, period);
    await this.options.hooks?.afterPost?.(record);
    this.#recordPosted(group, record, delivered);
    await this.#finish(group, this.store.digests.get(group.id, period)!, built);
    return { status: 'posted', delivered };
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

  /**
   * The thread reply and the chart, once the main post is recorded; a later run (the retry job) redoes
   * whichever failed. Each is recorded as soon as Slack has it, so a failed upload never repeats the reply.
   */
  async #finish(group: WorkingGroup, record: DigestRecord, built?: BuiltDigest): Promise<void> {
    if (record.state !== 'posted' || !record.channel || !record.messageTs) return;
    if (record.threadTs && record.chartFileId) return;
    // One run at a time per digest in this process (the retry job may meet a run still finishing).
    if (this.#finishing.has(record.id)) return;
    this.#finishing.add(record.id);
    const message: Delivered = { channel: record.channel, ts: record.messageTs };
    try {
      const digest = built ?? (await this.build(group, record.marker));
      if (!record.threadTs) {
        const threadTs = (await this.poster.postThread(message, digest)) ?? 'none';
        this.store.transaction(() => this.store.digests.setThread(record.id, threadTs, null, this.now()));
      }
      if (!record.chartFileId) {
        const chartFileId =
          digest.data.chart.points.length > 0
            ? await this.poster.uploadChart(message, digest.data.chart, {
                name: `${group.slug}-burnup.png`,
                title: `${group.name} — progress`,
              })
            : 'none';
        this.store.transaction(() => this.store.digests.setThread(record.id, null, chartFileId, this.now()));
      }
    } catch (error) {
      this.#log.warn(
        { wg: group.slug, err: (error as Error).message },
        'digest details not posted; will retry',
      );
    } finally {
      this.#finishing.delete(record.id);
    }
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
