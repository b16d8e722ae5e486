import { randomUUID } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { burnupSvg, renderPng } from '../charts/burnup.js';
import { digestCron, digestPeriod, manualPeriod } from '../domain/schedule.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Viewer } from '../slack/views/common.js';
import { type DigestView, digestBlockId, digestView } from '../slack/views/digest.js';
import type { MessageView } from '../slack/views/status.js';
import type { DigestRecord } from '../store/repositories/digests.js';
import type { Store } from '../store/store.js';
import { type DigestData, digestData } from './digestData.js';
import { recordDigestBaseline } from './groupState.js';

export interface DigestOutcome {
  slug: string;
  period: string;
  status: 'posted' | 'already-posted' | 'recovered' | 'busy' | 'no-channel' | 'not-active' | 'failed';
  channel: string | null;
  ts: string | null;
  error: string | null;
}

export interface BuiltDigest {
  data: DigestData;
  view: DigestView;
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

/** How long a run owns a digest; the Web API client it is given must give up well within it (slack/webClients.ts). */
const CLAIM_MS = 10 * 60 * 1000;
const HISTORY_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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
    private readonly slack: WebClient,
    private readonly now: () => Date,
    private readonly options: {
      logger?: Logger;
      metricsLine?: (group: WorkingGroup) => Promise<string | null>;
      hooks?: DigestHooks;
      /** How 429 waits are waited (tests and benchmarks pass a quick one). */
      sleep?: (ms: number) => Promise<void>;
    } = {},
  ) {}

  /**
   * One Web API call, with Slack's 429s waited out and tried again here: Slack did not process those. Any
   * other failure is thrown, never retried blindly — a post that timed out may have landed, and only the
   * next run, which looks for the digest's marker first, may try it again.
   */
  async #call<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await request();
      } catch (error) {
        const limited = error as { code?: string; retryAfter?: number };
        if (limited.code !== 'slack_webapi_rate_limited_error' || attempt >= 6) throw error;
        await (this.options.sleep ?? sleep)(Math.min(limited.retryAfter ?? 1, 120) * 1000);
      }
    }
  }

  get #log(): Logger {
    return this.options.logger ?? silentLogger;
  }

  async build(group: WorkingGroup, marker = 'preview', timeZone?: string): Promise<BuiltDigest> {
    const now = this.now();
    const data = digestData(this.store, group, now);
    const viewer: Viewer = {
      slackUserId: null,
      timeZone: timeZone ?? group.digestTimezone ?? group.timezone,
      now,
      audience: 'channel',
    };
    const metrics = this.options.metricsLine ? await this.options.metricsLine(group).catch(() => null) : null;
    return { data, view: digestView(data, viewer, { marker, metrics }), channel: digestChannel(group) };
  }

  /**
   * `/wg digest preview`: the digest as the channel would see it (post and thread reply, uncut), for one
   * person in their time zone, with no side effects.
   */
  async preview(group: WorkingGroup, timeZone?: string): Promise<MessageView> {
    const { view } = await this.build(group, 'preview', timeZone);
    return { text: view.main.text, blocks: [...view.main.blocks, ...(view.thread?.blocks ?? [])] };
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
      // conversations.history takes only IDs: a channel the page names is looked up and bound first, so a
      // crash after posting can still be recovered.
      const target = record.channel ?? (await this.#channelId(group, channel));
      // An earlier attempt may have posted and died before recording it: look before posting again.
      if (record.attempts > 1 || record.state === 'failed') {
        const found = await this.#findPosted(target, record.marker, new Date(record.createdAt));
        if (found) {
          this.store.transaction(() => {
            const snapshotId = recordDigestBaseline(this.store, group, this.now());
            this.store.digests.markPosted(record.id, found.channel, found.ts, snapshotId, this.now());
          });
          await this.#finish(group, this.store.digests.get(group.id, period)!);
          this.#log.info({ wg: group.slug, period }, 'digest found already posted; recorded it');
          return outcome('recovered', { channel: found.channel, ts: found.ts });
        }
      }
      const built = await this.build(group, record.marker);
      const posted = await this.#call(() =>
        this.slack.chat.postMessage({
          channel: target,
          text: built.view.main.text,
          blocks: built.view.main.blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: 'wgbot_digest', event_payload: { marker: record.marker, period } },
        }),
      );
      const postedChannel = posted.channel ?? target;
      await this.options.hooks?.afterPost?.(record);
      this.store.transaction(() => {
        const snapshotId = recordDigestBaseline(this.store, group, this.now());
        this.store.digests.markPosted(record.id, postedChannel, posted.ts!, snapshotId, this.now());
        // A channel named on the page is bound by its ID now that Slack told us which it is.
        if (!group.slackChannelId && /^[CG][A-Z0-9]+$/.test(postedChannel)) {
          this.store.groups.update(group.id, { name: group.name, slackChannelId: postedChannel }, this.now());
        }
      });
      await this.#finish(group, this.store.digests.get(group.id, period)!, built);
      return outcome('posted', { channel: postedChannel, ts: posted.ts ?? null });
    } catch (error) {
      const message = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
      this.store.transaction(() => this.store.digests.markFailed(record.id, message, this.now()));
      this.#log.warn({ wg: group.slug, period, err: message }, 'digest not posted');
      return outcome('failed', { error: message });
    }
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
    const { channel, messageTs } = record;
    try {
      const digest = built ?? (await this.build(group, record.marker));
      if (!record.threadTs) {
        let threadTs = 'none';
        const thread = digest.view.thread;
        if (thread) {
          const reply = await this.#call(() =>
            this.slack.chat.postMessage({
              channel,
              thread_ts: messageTs,
              text: thread.text,
              blocks: thread.blocks,
              unfurl_links: false,
            }),
          );
          threadTs = reply.ts ?? 'posted';
        }
        this.store.transaction(() => this.store.digests.setThread(record.id, threadTs, null, this.now()));
      }
      if (!record.chartFileId) {
        let chartFileId = 'none';
        if (digest.data.chart.points.length > 0) {
          const png = renderPng(burnupSvg(digest.data.chart));
          const upload = (await this.#call(() =>
            this.slack.filesUploadV2({
              channel_id: channel,
              thread_ts: messageTs,
              file: png,
              filename: `${group.slug}-burnup.png`,
              title: `${group.name} — progress`,
            }),
          )) as { files?: { files?: { id?: string }[] }[] };
          chartFileId = upload.files?.[0]?.files?.[0]?.id ?? 'uploaded';
        }
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
    const name = channel.slice(1).toLowerCase();
    let cursor: string | undefined;
    try {
      do {
        const page = await this.#call(() =>
          this.slack.conversations.list({
            types: 'public_channel,private_channel',
            exclude_archived: true,
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          }),
        );
        const hit = page.channels?.find((c) => c.name?.toLowerCase() === name && c.id);
        if (hit?.id) {
          const id = hit.id;
          this.store.transaction(() =>
            this.store.groups.update(group.id, { name: group.name, slackChannelId: id }, this.now()),
          );
          return id;
        }
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch (error) {
      this.#log.warn(
        { wg: group.slug, err: (error as Error).message },
        'could not look up the channel by name',
      );
    }
    return channel;
  }

  /** A bot message in the channel since `since` whose blocks carry the marker. */
  async #findPosted(
    channel: string,
    marker: string,
    since: Date,
  ): Promise<{ channel: string; ts: string } | null> {
    const blockId = digestBlockId(marker);
    let cursor: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const history = await this.#call(() =>
        this.slack.conversations.history({
          channel,
          oldest: String(Math.floor((since.getTime() - 60_000) / 1000)),
          latest: String(Math.ceil((since.getTime() + HISTORY_WINDOW_MS) / 1000)),
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const message of history.messages ?? []) {
        const blocks = (message.blocks ?? []) as { block_id?: string }[];
        const payload = (message.metadata as { event_payload?: { marker?: string } } | undefined)
          ?.event_payload;
        if (blocks.some((b) => b.block_id === blockId) || payload?.marker === marker) {
          return { channel, ts: message.ts! };
        }
      }
      cursor = history.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }
}
