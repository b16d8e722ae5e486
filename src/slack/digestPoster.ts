import type { WebClient } from '@slack/web-api';
import { burnupSvg, renderPng } from '../charts/burnup.js';
import type { BurnupInput } from '../services/digestData.js';
import type { Delivered, DigestDraft, DigestPoster } from '../services/ports.js';
import { slackFailure } from './failures.js';
import type { Block } from './views/blocks.js';
import { digestBlockId, digestThreadBlockId, draftView } from './views/digest.js';

const HISTORY_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;
/** conversations.list pages (1,000 channels each) read to find a channel by name. */
const MAX_CHANNEL_PAGES = 50;
/** conversations.history pages (200 messages each) searched for a digest's marker. */
const MAX_HISTORY_PAGES = 5;
/** conversations.replies pages (200 messages each) searched for a digest's reply or chart. */
const MAX_REPLY_PAGES = 5;

type FoundMessage = {
  ts?: string;
  bot_id?: string;
  blocks?: { block_id?: string }[];
  metadata?: { event_payload?: { marker?: string } };
  files?: { id?: string; name?: string }[];
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Posts remembered as carrying Slack's chart block (or not), by channel and ts; the oldest go first. */
const MAX_REMEMBERED_POSTS = 500;
/** What a post whose chart is Slack's own block records as its chart "file". */
export const CHART_IN_POST = 'in-post';

const hasChartBlock = (blocks: readonly { type?: string }[] | undefined) =>
  (blocks ?? []).some((b) => b.type === 'data_visualization');

/**
 * DigestService's port bound to Slack: renders the draft with the views and posts it with the Web API. The
 * client must retry nothing by itself (slack/webClients.ts `digestWebClient`): here 429s are waited out —
 * Slack did not process those — and every other failure is thrown as a DeliveryError, never retried
 * blindly: a post that timed out may have landed, and only the next run, which looks for the digest's
 * marker first, may try it again.
 */
export class SlackDigestPoster implements DigestPoster {
  readonly #chartInPost = new Map<string, boolean>();

  constructor(
    private readonly slack: WebClient,
    /** How 429 waits are waited (tests and benchmarks pass a quick one). */
    private readonly options: { sleep?: (ms: number) => Promise<void> } = {},
  ) {}

  async #call<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await request();
      } catch (error) {
        const limited = error as { code?: string; retryAfter?: number };
        if (limited.code !== 'slack_webapi_rate_limited_error' || attempt >= 6) throw slackFailure(error);
        await (this.options.sleep ?? sleep)(Math.min(limited.retryAfter ?? 1, 120) * 1000);
      }
    }
  }

  /**
   * The main post, with Slack's chart block in it. A workspace whose Slack refuses that block
   * (`invalid_blocks`: nothing was posted) gets the post once more without it; its chart then follows as
   * a PNG in the thread (`uploadChart`).
   */
  async post(channel: string, digest: DigestDraft, period: string): Promise<Delivered> {
    const send = (blocks: Block[], text: string) =>
      this.#call(() =>
        this.slack.chat.postMessage({
          channel,
          text,
          blocks,
          unfurl_links: false,
          unfurl_media: false,
          metadata: { event_type: 'wgbot_digest', event_payload: { marker: digest.marker, period } },
        }),
      );
    const { main } = draftView(digest);
    let chartInPost = hasChartBlock(main.blocks);
    let posted;
    try {
      posted = await send(main.blocks, main.text);
    } catch (error) {
      if (!chartInPost || (error as Error).message !== 'invalid_blocks') throw error;
      chartInPost = false;
      const plain = draftView(digest, { nativeChart: false }).main;
      posted = await send(plain.blocks, plain.text);
    }
    // Slack answered ok: without a ts the post cannot be recorded, and the next run finds it by its marker.
    if (!posted.ts) throw slackFailure(new Error('chat.postMessage answered without a ts'));
    const delivered = { channel: posted.channel ?? channel, ts: posted.ts };
    this.#remember(delivered, chartInPost);
    return delivered;
  }

  #remember(message: Delivered, chartInPost: boolean): void {
    this.#chartInPost.set(`${message.channel}|${message.ts}`, chartInPost);
    if (this.#chartInPost.size > MAX_REMEMBERED_POSTS)
      this.#chartInPost.delete(this.#chartInPost.keys().next().value!);
  }

  /** Whether the post carries Slack's chart block: remembered from posting it, else read back from Slack. */
  async #chartIsInPost(message: Delivered): Promise<boolean> {
    const known = this.#chartInPost.get(`${message.channel}|${message.ts}`);
    if (known !== undefined) return known;
    const history = await this.#call(() =>
      this.slack.conversations.history({
        channel: message.channel,
        oldest: message.ts,
        latest: message.ts,
        inclusive: true,
        limit: 1,
      }),
    );
    const posted = history.messages?.find((m) => m.ts === message.ts);
    return hasChartBlock(posted?.blocks as { type?: string }[] | undefined);
  }

  async postThread(message: Delivered, digest: DigestDraft): Promise<string | null> {
    const { thread } = draftView(digest);
    if (!thread) return null;
    const reply = await this.#call(() =>
      this.slack.chat.postMessage({
        channel: message.channel,
        thread_ts: message.ts,
        text: thread.text,
        blocks: thread.blocks,
        unfurl_links: false,
        metadata: { event_type: 'wgbot_digest_thread', event_payload: { marker: digest.marker } },
      }),
    );
    // Without a ts the reply cannot be recorded: the next run finds it by its marker.
    if (!reply.ts) throw slackFailure(new Error('chat.postMessage answered without a ts'));
    return reply.ts;
  }

  /** The PNG in the thread — unless the post carries Slack's own chart, when there is nothing to upload. */
  async uploadChart(
    message: Delivered,
    chart: BurnupInput,
    file: { name: string; title: string },
  ): Promise<string> {
    // Slack's chart block draws the burn-up only: key metrics week by week come as the PNG in the thread.
    const metrics = (chart.metrics?.length ?? 0) > 0;
    if (!metrics && (await this.#chartIsInPost(message))) return CHART_IN_POST;
    const png = renderPng(burnupSvg(chart));
    const upload = (await this.#call(() =>
      this.slack.filesUploadV2({
        channel_id: message.channel,
        thread_ts: message.ts,
        file: png,
        filename: file.name,
        title: file.title,
      }),
    )) as { files?: { files?: { id?: string }[] }[] };
    return upload.files?.[0]?.files?.[0]?.id ?? 'uploaded';
  }

  async channelIdByName(name: string): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_CHANNEL_PAGES; page += 1) {
      const answer = await this.#call(() =>
        this.slack.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const hit = answer.channels?.find((c) => c.name?.toLowerCase() === name && c.id);
      if (hit?.id) return hit.id;
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  async findReply(message: Delivered, marker: string): Promise<string | null> {
    const blockId = digestThreadBlockId(marker);
    const hit = await this.#findInThread(
      message,
      (m) => m.blocks?.some((b) => b.block_id === blockId) || m.metadata?.event_payload?.marker === marker,
    );
    return hit?.ts ?? null;
  }

  async findChart(message: Delivered, fileName: string): Promise<string | null> {
    const hit = await this.#findInThread(message, (m) => Boolean(m.files?.some((f) => f.name === fileName)));
    return hit?.files?.find((f) => f.name === fileName)?.id ?? null;
  }

  /** A reply of wgbot's (a bot message, not the post itself) in the thread under `message` that matches. */
  async #findInThread(
    message: Delivered,
    matches: (m: FoundMessage) => boolean,
  ): Promise<FoundMessage | null> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_REPLY_PAGES; page += 1) {
      const replies = await this.#call(() =>
        this.slack.conversations.replies({
          channel: message.channel,
          ts: message.ts,
          limit: 200,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const reply of (replies.messages ?? []) as FoundMessage[]) {
        if (reply.ts !== message.ts && reply.bot_id && matches(reply)) return reply;
      }
      cursor = replies.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  /** A bot message in the channel since `since` whose blocks or metadata carry the marker. */
  async findPosted(channel: string, marker: string, since: Date): Promise<Delivered | null> {
    const blockId = digestBlockId(marker);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page += 1) {
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
