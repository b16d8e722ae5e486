/**
 * A fake Slack Web API server for integration tests.
 *
 * A real HTTP server (node:http on 127.0.0.1, random port) that answers the Slack Web API methods wgbot uses
 * the way Slack does, keeps a little state (users, channels, message history, views, uploads) and records
 * every request. Point the app at it with `SLACK_API_URL=fake.apiUrl` and assert on `fake.calls`.
 *
 * Routes:
 * - `POST|GET /api/<method>`   Web API methods (form-urlencoded, JSON or multipart bodies; query string too);
 *                              user groups: `usergroups.list`, `usergroups.users.list` (see addUserGroup).
 * - `POST /upload/<file_id>`   the `upload_url` handed out by files.getUploadURLExternal (raw bytes or
 *                              multipart; recorded as method `'upload_url'`).
 * - `POST /response/<id>`      a `response_url` (see {@link FakeSlack.responseUrl}; recorded as `'response_url'`).
 * - `GET /socket` (WebSocket)  Socket Mode: the URL `apps.connections.open` hands out (to the app token);
 *                              says `hello` on connect. {@link FakeSlack.dropSockets} cuts every socket,
 *                              {@link FakeSlack.refuseSockets} turns new ones away.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface SlackCall {
  /** Web API method name, or `'upload_url'` / `'response_url'` for those two endpoints. */
  method: string;
  /** Parsed arguments (query + body). JSON-encoded form fields (blocks, view, files, …) are parsed. */
  args: Record<string, unknown>;
  /** Token from `Authorization: Bearer` or the `token` field (which is removed from `args`). */
  token: string | null;
  /** Date.now() when the request was received. */
  at: number;
  /** The JSON object (or text) the fake answered with. */
  response: unknown;
  /** HTTP status the fake answered with. */
  status: number;
  /** Request path, e.g. `/api/chat.postMessage` or `/response/r1`. */
  path: string;
}

export interface FakeUserInput {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  /** IANA time zone, default 'UTC'. */
  tz?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  deleted?: boolean;
  isBot?: boolean;
}

export interface FakeChannelInput {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot is a member; default true. */
  isMember?: boolean;
  archived?: boolean;
}

export interface StoredMessage {
  type: 'message';
  subtype?: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  user?: string;
  bot_id?: string;
  metadata?: unknown;
  files?: { id: string; name: string; title?: string }[];
  edited?: { user: string; ts: string };
}

export interface FakeUpload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  /** `length` declared to files.getUploadURLExternal. */
  declaredLength: number;
  /** Content-Type of the upload request (or of the multipart part). */
  contentType?: string;
  /** Set once files.completeUploadExternal ran for this file. */
  completed: boolean;
  channelId?: string;
  threadTs?: string;
  title?: string;
  initialComment?: string;
}

export type SlackFault =
  | { error: string; extra?: Record<string, unknown> }
  | { status: 429; retryAfter: number }
  | { status: number; body?: string };

export interface FakeSlackOptions {
  /** Default 'xoxb-test-token'. */
  botToken?: string;
  /** The app-level token `apps.connections.open` takes; default 'xapp-test-token'. */
  appToken?: string;
  /** Milliseconds clock used for message timestamps; default Date.now. */
  clock?: () => number;
  /** Reject malformed Block Kit (`invalid_blocks`, views: `invalid_arguments`) like Slack does; default true. */
  validateBlocks?: boolean;
}

interface UserRecord {
  id: string;
  name: string;
  realName: string;
  email?: string;
  tz: string;
  isAdmin: boolean;
  isOwner: boolean;
  deleted: boolean;
  isBot: boolean;
}

interface ChannelRecord {
  id: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
  archived: boolean;
  /** Set for DMs (D…): the other member. */
  imUser?: string;
  isMpim?: boolean;
}

interface RandomFault {
  method: string;
  rate: number;
  fault: SlackFault;
  random: () => number;
}

type Args = Record<string, unknown>;
type Handler = (args: Args) => Record<string, unknown>;

export const FAKE_TEAM_ID = 'T0FAKE';
export const FAKE_BOT_USER_ID = 'U0BOT';
export const FAKE_BOT_ID = 'B0BOT';
export const FAKE_APP_ID = 'A0FAKE';

/** Form fields that WebClient JSON-encodes because their values are objects/arrays. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'files',
  'file_uploads',
  'metadata',
  'unfurls',
  'user_auth_blocks',
]);

class SlackApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code);
  }
}

function fail(code: string, extra?: Record<string, unknown>): never {
  throw new SlackApiError(code, extra);
}

function str(args: Args, key: string): string | undefined {
  const v = args[key];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function bool(args: Args, key: string): boolean {
  const v = args[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

function int(args: Args, key: string): number | undefined {
  const s = str(args, key);
  if (s === undefined) return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isNaN(n) ? undefined : n;
}

/** Slack ts ('1700000000.000100') → microseconds, for exact ordering. */
function tsKey(ts: string): bigint {
  const [sec = '0', frac = ''] = ts.split('.');
  try {
    return BigInt(sec) * 1_000_000n + BigInt((frac.padEnd(6, '0').slice(0, 6) || '0').replace(/\D/g, '0'));
  } catch {
    return 0n;
  }
}

function formatTs(micros: bigint): string {
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) fail('invalid_cursor');
  return Number(m[1]);
}

function tzInfo(tz: string, at: Date): { label: string; offset: number } {
  const part = (style: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{1,2}):?(\d{2})?/.exec(part('longOffset'));
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
  return { label: part('long'), offset };
}

const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  csv: 'text/csv',
  json: 'application/json',
  md: 'text/markdown',
  txt: 'text/plain',
  html: 'text/html',
};

const BLOCK_TYPES = new Set([
  'actions',
  'context',
  'context_actions',
  'data_visualization',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkTextObject(v: unknown, ptr: string, maxLen: number, errors: string[], plainOnly = false): void {
  if (!isObject(v)) {
    errors.push(`[ERROR] must be a text object [json-pointer:${ptr}]`);
    return;
  }
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof v.type !== 'string' || !allowed.includes(v.type)) {
    errors.push(`[ERROR] must be one of: ${allowed.join(', ')} [json-pointer:${ptr}/type]`);
  }
  if (typeof v.text !== 'string' || v.text.length === 0) {
    errors.push(`[ERROR] must be more than 0 characters [json-pointer:${ptr}/text]`);
  } else if (v.text.length > maxLen) {
    errors.push(`[ERROR] must be less than ${maxLen + 1} characters [json-pointer:${ptr}/text]`);
  }
}

/**
 * The data visualization block's documented limits (docs.slack.dev/reference/block-kit/blocks/
 * data-visualization-block): title ≤ 50; a line, bar or area chart has 1–6 uniquely named series (names
 * ≤ 20), each with 1–20 points whose labels are the axis categories (≤ 20 characters each).
 */
function checkDataVisualization(b: Record<string, unknown>, ptr: string, errors: string[]): void {
  if (typeof b.title !== 'string' || b.title.length === 0 || b.title.length > 50)
    errors.push(`[ERROR] must be 1 to 50 characters [json-pointer:${ptr}/title]`);
  const chart = b.chart;
  if (!isObject(chart) || !['line', 'bar', 'area', 'pie'].includes(String(chart.type))) {
    errors.push(`[ERROR] must be one of: pie, bar, area, line [json-pointer:${ptr}/chart/type]`);
    return;
  }
  if (chart.type === 'pie') return;
  const axis = chart.axis_config;
  const categories = isObject(axis) && Array.isArray(axis.categories) ? axis.categories : null;
  if (!categories || categories.some((c) => typeof c !== 'string' || c.length > 20))
    errors.push(
      `[ERROR] categories must be strings of at most 20 characters [json-pointer:${ptr}/chart/axis_config]`,
    );
  const series = Array.isArray(chart.series) ? chart.series : [];
  if (series.length < 1 || series.length > 6)
    errors.push(`[ERROR] must provide 1 to 6 items [json-pointer:${ptr}/chart/series]`);
  const names = new Set<string>();
  series.forEach((one, i) => {
    const at = `${ptr}/chart/series/${i}`;
    if (!isObject(one) || typeof one.name !== 'string' || one.name.length > 20 || names.has(one.name)) {
      errors.push(`[ERROR] series names must be unique, at most 20 characters [json-pointer:${at}/name]`);
      return;
    }
    names.add(one.name);
    const data = Array.isArray(one.data) ? one.data : [];
    const labels = data.map((d) => (isObject(d) ? d.label : undefined));
    if (data.length < 1 || data.length > 20 || data.some((d) => !isObject(d) || typeof d.value !== 'number'))
      errors.push(`[ERROR] must provide 1 to 20 numeric points [json-pointer:${at}/data]`);
    if (categories && JSON.stringify(labels) !== JSON.stringify(categories))
      errors.push(`[ERROR] labels must match axis_config.categories [json-pointer:${at}/data]`);
  });
}

/** A light version of Slack's Block Kit validation: the mistakes that bite in practice. */
export function validateBlocks(blocks: unknown, maxBlocks: number, base = '/blocks'): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return [`[ERROR] must be an array [json-pointer:${base}]`];
  if (blocks.length > maxBlocks) {
    errors.push(`[ERROR] must provide no more than ${maxBlocks} items [json-pointer:${base}]`);
  }
  const ids = new Set<string>();
  blocks.forEach((b, i) => {
    const ptr = `${base}/${i}`;
    if (!isObject(b) || typeof b.type !== 'string') {
      errors.push(`[ERROR] missing required field: type [json-pointer:${ptr}]`);
      return;
    }
    if (!BLOCK_TYPES.has(b.type)) {
      errors.push(`[ERROR] unsupported type: ${b.type} [json-pointer:${ptr}/type]`);
      return;
    }
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id.length > 255) {
        errors.push(`[ERROR] must be less than 256 characters [json-pointer:${ptr}/block_id]`);
      } else if (ids.has(b.block_id)) {
        errors.push(`[ERROR] duplicate block_id: ${b.block_id} [json-pointer:${ptr}/block_id]`);
      } else {
        ids.add(b.block_id);
      }
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) {
          errors.push(`[ERROR] must provide either text or fields [json-pointer:${ptr}]`);
        }
        if (b.text !== undefined) checkTextObject(b.text, `${ptr}/text`, 3000, errors);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) {
            errors.push(`[ERROR] must provide no more than 10 items [json-pointer:${ptr}/fields]`);
          } else {
            b.fields.forEach((f, j) => {
              checkTextObject(f, `${ptr}/fields/${j}`, 2000, errors);
            });
          }
        }
        break;
      }
      case 'header':
        checkTextObject(b.text, `${ptr}/text`, 150, errors, true);
        break;
      case 'context':
      case 'actions': {
        const max = b.type === 'context' ? 10 : 25;
        if (!Array.isArray(b.elements) || b.elements.length === 0) {
          errors.push(`[ERROR] must provide at least 1 item [json-pointer:${ptr}/elements]`);
        } else if (b.elements.length > max) {
          errors.push(`[ERROR] must provide no more than ${max} items [json-pointer:${ptr}/elements]`);
        }
        break;
      }
      case 'data_visualization':
        checkDataVisualization(b, ptr, errors);
        break;
      case 'input':
        checkTextObject(b.label, `${ptr}/label`, 2000, errors, true);
        if (!isObject(b.element))
          errors.push(`[ERROR] missing required field: element [json-pointer:${ptr}]`);
        break;
      default:
        break;
    }
  });
  return errors;
}

/**
 * Fake Slack Web API. See the file comment for routes; every request lands in {@link FakeSlack.calls}.
 */
export class FakeSlack {
  /** `http://127.0.0.1:PORT/api/` (trailing slash) — what SLACK_API_URL / `slackApiUrl` is set to. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly port: number;
  readonly botToken: string;
  readonly appToken: string;
  readonly calls: SlackCall[] = [];
  /** Socket Mode: while true, WebSocket upgrades are refused (Slack's socket endpoint unreachable). */
  refuseSockets = false;
  /** While true, a message with a data visualization block gets `invalid_blocks` (a Slack without it). */
  refuseChartBlocks = false;
  private readonly sockets = new WebSocketServer({ noServer: true });

  private readonly users = new Map<string, UserRecord>();
  private readonly userGroups = new Map<
    string,
    { id: string; handle: string; name: string; users: string[] }
  >();
  private readonly channels = new Map<string, ChannelRecord>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly homeViews = new Map<string, Record<string, unknown>>();
  private readonly viewsById = new Map<string, Record<string, unknown>>();
  private readonly uploadsById = new Map<string, FakeUpload>();
  private readonly queuedFaults = new Map<string, SlackFault[]>();
  private randomFaults: RandomFault[] = [];
  private readonly latency = new Map<string, number>();
  private readonly waiting = new Map<string, Set<() => void>>();
  private readonly listeners = new Set<(call: SlackCall) => void>();
  private readonly clock: () => number;
  private readonly checkBlocks: boolean;
  private readonly handlers: Record<string, Handler>;
  private lastTs = 0n;
  private idCounter = 0;

  private constructor(
    private readonly server: http.Server,
    port: number,
    options: FakeSlackOptions,
  ) {
    this.port = port;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = options.botToken ?? 'xoxb-test-token';
    this.appToken = options.appToken ?? 'xapp-test-token';
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', this.baseUrl).pathname !== '/socket' || this.refuseSockets) {
        socket.destroy();
        return;
      }
      this.sockets.handleUpgrade(req, socket, head, (ws) => {
        ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.clients.size }));
      });
    });
    this.clock = options.clock ?? Date.now;
    this.checkBlocks = options.validateBlocks ?? true;
    this.addUser({ id: FAKE_BOT_USER_ID, name: 'wgbot', realName: 'wgbot', isBot: true });
    this.handlers = this.buildHandlers();
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
    // Assigned once the server listens; requests before that get 503.
    // eslint-disable-next-line prefer-const
    let fake: FakeSlack | undefined;
    const server = http.createServer((req, res) => {
      if (!fake) {
        res.writeHead(503).end();
        return;
      }
      fake.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake slack crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    fake = new FakeSlack(server, (server.address() as AddressInfo).port, options);
    return fake;
  }

  /** Socket Mode connections open now. */
  get socketCount(): number {
    return this.sockets.clients.size;
  }

  /** Cuts every Socket Mode connection, as a network failure would (no close handshake). */
  dropSockets(): void {
    for (const ws of this.sockets.clients) ws.terminate();
  }

  async close(): Promise<void> {
    this.dropSockets();
    this.sockets.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- seeding

  addUser(user: FakeUserInput): void {
    const tz = user.tz ?? 'UTC';
    tzInfo(tz, new Date()); // throws RangeError for an unknown zone
    const name = user.name ?? user.id.toLowerCase();
    this.users.set(user.id, {
      id: user.id,
      name,
      realName: user.realName ?? name,
      email: user.email,
      tz,
      isAdmin: user.isAdmin ?? false,
      isOwner: user.isOwner ?? false,
      deleted: user.deleted ?? false,
      isBot: user.isBot ?? false,
    });
  }

  /** A user group (`@handle`, ID `S…`) with these members, for usergroups.list and usergroups.users.list. */
  addUserGroup(group: { id: string; handle: string; name?: string; users: string[] }): void {
    this.userGroups.set(group.id, { ...group, name: group.name ?? group.handle });
  }

  addChannel(channel: FakeChannelInput): void {
    this.channels.set(channel.id, {
      id: channel.id,
      name: channel.name,
      isPrivate: channel.isPrivate ?? channel.id.startsWith('G'),
      isMember: channel.isMember ?? true,
      archived: channel.archived ?? false,
    });
    if (!this.messages.has(channel.id)) this.messages.set(channel.id, []);
  }

  /** Seed a message (e.g. from a human) into a channel's history; returns its ts. */
  addMessage(channelId: string, message: Omit<StoredMessage, 'type' | 'ts'> & { ts?: string }): string {
    const ts = message.ts ?? this.nextTs();
    const list = this.messages.get(channelId) ?? [];
    list.push({ type: 'message', ...message, ts });
    list.sort((a, b) => (tsKey(a.ts) < tsKey(b.ts) ? -1 : tsKey(a.ts) > tsKey(b.ts) ? 1 : 0));
    this.messages.set(channelId, list);
    return ts;
  }

  // ---------------------------------------------------------------- faults & latency

  /** The next `times` calls to `method` (or `'*'`: any) fail with `fault`; queued faults are consumed in order. */
  failNext(method: string, fault: SlackFault, times = 1): void {
    const queue = this.queuedFaults.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.queuedFaults.set(method, queue);
  }

  /** From now on, a share `rate` (0..1) of calls to `method` (or `'*'`) fail with `fault`. */
  failRandomly(method: string, rate: number, fault: SlackFault, random: () => number = Math.random): void {
    this.randomFaults.push({ method, rate, fault, random });
  }

  /** Drop all queued and random faults. */
  clearFaults(): void {
    this.queuedFaults.clear();
    this.randomFaults = [];
  }

  /** Delay answers to `method` (or `'*'`) by `ms`. */
  setLatency(method: string, ms: number): void {
    if (ms <= 0) this.latency.delete(method);
    else this.latency.set(method, ms);
  }

  /**
   * Delays answers to `method` by `ms` (like `setLatency`) until `release()`, which answers the calls
   * waiting now and ends the delay: a test shows what happened before the slow answer, then goes on.
   */
  slowDown(method: string, ms: number): { release(): void } {
    this.setLatency(method, ms);
    return {
      release: () => {
        this.setLatency(method, 0);
        for (const answer of [...(this.waiting.get(method) ?? [])]) answer();
      },
    };
  }

  /** Waits `ms`, or less when `slowDown(method)` is released. */
  private delay(method: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.waiting.get(method) ?? new Set<() => void>();
      this.waiting.set(method, waiting);
      const answer = () => {
        clearTimeout(timer);
        waiting.delete(answer);
        resolve();
      };
      const timer = setTimeout(answer, ms);
      waiting.add(answer);
    });
  }

  // ---------------------------------------------------------------- inspection

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method: string): SlackCall | undefined {
    return this.callsTo(method).at(-1);
  }

  /** Resolves with the first call (already recorded or future) to `method` that matches `predicate`. */
  waitForCall(
    method: string,
    predicate: (call: SlackCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<SlackCall> {
    const match = (c: SlackCall) => c.method === method && predicate(c);
    const existing = this.calls.find(match);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const listener = (c: SlackCall) => {
        if (!match(c)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(c);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`FakeSlack: no call to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** Stored messages of a channel, oldest first, thread replies included. */
  history(channelId: string): StoredMessage[] {
    return [...(this.messages.get(channelId) ?? [])];
  }

  /** The latest view published to a user's App Home (as returned by views.publish). */
  homeView(userId: string): unknown | undefined {
    return this.homeViews.get(userId);
  }

  /** A view opened/pushed/updated/published, by view id. */
  view(viewId: string): unknown | undefined {
    return this.viewsById.get(viewId);
  }

  /** Files whose bytes were posted to their upload_url, in upload order. */
  get uploads(): FakeUpload[] {
    return [...this.uploadsById.values()].filter((u) => u.bytes.length > 0 || u.declaredLength === 0);
  }

  /** A response_url served by this fake; POSTs to it are recorded as method `'response_url'`. */
  responseUrl(id?: string): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id ?? `r${++this.idCounter}`)}`;
  }

  /** Clears the call log (not users, channels, history, views, uploads or faults). */
  reset(): void {
    this.calls.length = 0;
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const body = await readBody(req);
    const path = url.pathname;
    const at = Date.now();

    const apiMatch = /^\/api\/([A-Za-z0-9._-]+)$/.exec(path);
    const uploadMatch = /^\/upload\/([^/]+)$/.exec(path);
    const responseMatch = /^\/response\/([^/]+)$/.exec(path);
    const method = apiMatch?.[1] ?? (uploadMatch ? 'upload_url' : responseMatch ? 'response_url' : undefined);

    if (!method || (req.method !== 'POST' && !(apiMatch && req.method === 'GET'))) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }

    const contentType = req.headers['content-type'] ?? '';
    let args: Args;
    let files: Map<string, { bytes: Buffer; filename?: string; type?: string }>;
    let parseError: string | undefined;
    try {
      ({ args, files } = await parseArgs(url, contentType, body));
    } catch {
      args = {};
      files = new Map();
      parseError = 'invalid_json';
    }
    let token: string | null = null;
    const auth = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '');
    if (auth?.[1]) token = auth[1];
    if (typeof args.token === 'string') {
      token ??= args.token;
      delete args.token;
    }

    const call: SlackCall = { method, args, token, at, response: undefined, status: 200, path };
    const send = async (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const ms = this.latency.get(method) ?? this.latency.get('*') ?? 0;
      if (ms > 0) await this.delay(this.latency.has(method) ? method : '*', ms);
      call.status = status;
      call.response = payload;
      this.calls.push(call);
      for (const l of [...this.listeners]) l(call);
      const isText = typeof payload === 'string';
      res
        .writeHead(status, {
          'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
          ...headers,
        })
        .end(isText ? payload : JSON.stringify(payload));
    };

    const fault = this.takeFault(method);
    if (fault) {
      if ('error' in fault) {
        await send(200, { ok: false, error: fault.error, ...fault.extra });
      } else if (fault.status === 429) {
        const retryAfter = 'retryAfter' in fault ? fault.retryAfter : 1;
        await send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
      } else {
        await send(
          fault.status,
          'body' in fault && fault.body !== undefined ? fault.body : `fake HTTP ${fault.status}`,
        );
      }
      return;
    }

    if (method === 'response_url') {
      await send(200, 'ok');
      return;
    }

    if (method === 'upload_url') {
      const fileId = decodeURIComponent(uploadMatch?.[1] ?? '');
      const upload = this.uploadsById.get(fileId);
      if (!upload) {
        await send(404, 'file_not_found');
        return;
      }
      // WebClient sends multipart/form-data with the bytes in a part named `body`; curl-style clients send raw bytes.
      const part = files.get('file') ?? files.get('body') ?? files.values().next().value;
      upload.bytes = part ? part.bytes : body;
      upload.contentType = part ? part.type : contentType || undefined;
      call.args = {
        file_id: fileId,
        content_type: upload.contentType,
        size: upload.bytes.length,
        ...(part ? { part_filename: part.filename } : {}),
      };
      await send(200, `OK - ${upload.bytes.length}`);
      return;
    }

    let payload: Record<string, unknown>;
    try {
      if (parseError) fail(parseError);
      const handler = this.handlers[method];
      if (!handler) fail('unknown_method', { req_method: method });
      if (method !== 'api.test') {
        if (!token) fail('not_authed');
        if (token !== (method === 'apps.connections.open' ? this.appToken : this.botToken))
          fail('invalid_auth');
      }
      payload = { ok: true, ...handler(args) };
    } catch (err) {
      if (!(err instanceof SlackApiError)) throw err;
      payload = { ok: false, error: err.code, ...err.extra };
    }
    await send(200, payload);
  }

  private takeFault(method: string): SlackFault | undefined {
    for (const key of [method, '*']) {
      const queue = this.queuedFaults.get(key);
      if (queue && queue.length > 0) return queue.shift();
    }
    for (const rule of this.randomFaults) {
      if ((rule.method === method || rule.method === '*') && rule.random() < rule.rate) return rule.fault;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- state helpers

  private nextTs(): string {
    let micros = BigInt(Math.floor(this.clock())) * 1000n;
    if (micros <= this.lastTs) micros = this.lastTs + 1n;
    this.lastTs = micros;
    return formatTs(micros);
  }

  private nextId(prefix: string): string {
    return `${prefix}0FAKE${(++this.idCounter).toString(36).toUpperCase().padStart(4, '0')}`;
  }

  private imFor(user: UserRecord): ChannelRecord {
    const id = `D${user.id.slice(1)}`;
    let ch = this.channels.get(id);
    if (!ch) {
      ch = { id, name: id, isPrivate: true, isMember: true, archived: false, imUser: user.id };
      this.channels.set(id, ch);
      this.messages.set(id, []);
    }
    return ch;
  }

  /** Resolves a channel argument (C…/G…/D… id, U…/W… user id, or #name). */
  private resolveChannel(raw: string | undefined, forWriting: boolean, acceptName = true): ChannelRecord {
    if (!raw) fail('channel_not_found');
    if (raw.startsWith('#')) {
      // chat.postMessage takes a #name; the conversations.* methods take only IDs.
      if (!acceptName) fail('channel_not_found');
      const name = raw.slice(1);
      const ch = [...this.channels.values()].find((c) => c.name === name && !c.imUser);
      if (!ch) fail('channel_not_found');
      return this.checkChannel(ch, forWriting);
    }
    if (/^[UW]/.test(raw)) {
      const user = this.users.get(raw);
      if (!user) fail('channel_not_found');
      if (user.deleted && forWriting) fail('account_inactive');
      return this.imFor(user);
    }
    let ch = this.channels.get(raw);
    if (!ch && raw.startsWith('D')) {
      const user = this.users.get(`U${raw.slice(1)}`) ?? this.users.get(`W${raw.slice(1)}`);
      if (user) ch = this.imFor(user);
    }
    if (!ch) fail('channel_not_found');
    return this.checkChannel(ch, forWriting);
  }

  private checkChannel(ch: ChannelRecord, forWriting: boolean): ChannelRecord {
    if (ch.imUser && forWriting && this.users.get(ch.imUser)?.deleted) fail('account_inactive');
    if (!ch.isMember) {
      // Slack hides private channels the bot is not in.
      if (ch.isPrivate) fail('channel_not_found');
      fail('not_in_channel');
    }
    if (forWriting && ch.archived) fail('is_archived');
    return ch;
  }

  private requireUser(id: string | undefined, code = 'user_not_found'): UserRecord {
    const user = id ? this.users.get(id) : undefined;
    if (!user) fail(code);
    return user;
  }

  private findMessage(channelId: string, ts: string | undefined): { list: StoredMessage[]; index: number } {
    const list = this.messages.get(channelId) ?? [];
    const index = ts ? list.findIndex((m) => m.ts === ts) : -1;
    if (index < 0) fail('message_not_found');
    return { list, index };
  }

  private checkMessageBlocks(args: Args): void {
    if (!this.checkBlocks) return;
    const errors: string[] = [];
    if (typeof args.blocks === 'string')
      errors.push('[ERROR] blocks is not valid JSON [json-pointer:/blocks]');
    else if (args.blocks !== undefined) errors.push(...validateBlocks(args.blocks, 50));
    if (this.refuseChartBlocks && Array.isArray(args.blocks)) {
      args.blocks.forEach((b, i) => {
        if (isObject(b) && b.type === 'data_visualization')
          errors.push(`[ERROR] unsupported type: data_visualization [json-pointer:/blocks/${i}/type]`);
      });
    }
    if (errors.length > 0) fail('invalid_blocks', { errors, response_metadata: { messages: errors } });
    if ((str(args, 'text') ?? '').length > 40000) fail('msg_too_long');
  }

  private checkView(view: unknown, allowed: string[]): Record<string, unknown> {
    if (!isObject(view))
      fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing view'] } });
    const errors: string[] = [];
    if (typeof view.type !== 'string' || !allowed.includes(view.type)) {
      errors.push(`[ERROR] must be one of: ${allowed.join(', ')} [json-pointer:/view/type]`);
    }
    if (this.checkBlocks) {
      errors.push(...validateBlocks(view.blocks, 100, '/view/blocks'));
      if (view.type === 'modal') {
        checkTextObject(view.title, '/view/title', 24, errors, true);
        if (view.submit !== undefined) checkTextObject(view.submit, '/view/submit', 24, errors, true);
        if (view.close !== undefined) checkTextObject(view.close, '/view/close', 24, errors, true);
        const hasInput =
          Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
        if (hasInput && view.submit === undefined) {
          errors.push(
            '[ERROR] must provide submit when blocks contain input blocks [json-pointer:/view/submit]',
          );
        }
      }
      if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
        errors.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
      }
      if (typeof view.callback_id === 'string' && view.callback_id.length > 255) {
        errors.push('[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]');
      }
    }
    if (errors.length > 0) fail('invalid_arguments', { response_metadata: { messages: errors } });
    return view;
  }

  private storeView(id: string, view: Record<string, unknown>, extra: Record<string, unknown>) {
    const stored: Record<string, unknown> = {
      team_id: FAKE_TEAM_ID,
      private_metadata: '',
      callback_id: '',
      external_id: '',
      state: { values: {} },
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      previous_view_id: null,
      app_id: FAKE_APP_ID,
      bot_id: FAKE_BOT_ID,
      ...extra,
      ...view,
      id,
      hash: `${Date.now()}.${(++this.idCounter).toString(36)}`,
    };
    this.viewsById.set(id, stored);
    return stored;
  }

  private userJson(u: UserRecord): Record<string, unknown> {
    const { label, offset } = tzInfo(u.tz, new Date(this.clock()));
    return {
      id: u.id,
      team_id: FAKE_TEAM_ID,
      name: u.name,
      deleted: u.deleted,
      real_name: u.realName,
      tz: u.tz,
      tz_label: label,
      tz_offset: offset,
      profile: {
        real_name: u.realName,
        real_name_normalized: u.realName,
        display_name: u.name,
        display_name_normalized: u.name,
        ...(u.email ? { email: u.email } : {}),
        team: FAKE_TEAM_ID,
        ...(u.isBot ? { bot_id: FAKE_BOT_ID } : {}),
      },
      is_admin: u.isAdmin,
      is_owner: u.isOwner,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: u.isBot,
      is_app_user: false,
      updated: Math.floor(this.clock() / 1000),
    };
  }

  private channelJson(c: ChannelRecord): Record<string, unknown> {
    if (c.imUser) {
      return {
        id: c.id,
        is_im: true,
        is_channel: false,
        is_private: true,
        user: c.imUser,
        is_archived: false,
      };
    }
    return {
      id: c.id,
      name: c.name,
      name_normalized: c.name,
      is_channel: !c.isMpim,
      is_group: false,
      is_im: false,
      is_mpim: c.isMpim ?? false,
      is_private: c.isPrivate,
      is_member: c.isMember,
      is_archived: c.archived,
      is_general: false,
      context_team_id: FAKE_TEAM_ID,
    };
  }

  private postedMessage(args: Args, ts: string): StoredMessage {
    const msg: StoredMessage = {
      type: 'message',
      ts,
      text: str(args, 'text') ?? '',
      user: FAKE_BOT_USER_ID,
      bot_id: FAKE_BOT_ID,
    };
    if (Array.isArray(args.blocks)) msg.blocks = args.blocks;
    if (Array.isArray(args.attachments)) msg.attachments = args.attachments;
    if (args.metadata !== undefined) msg.metadata = args.metadata;
    const threadTs = str(args, 'thread_ts');
    if (threadTs) {
      msg.thread_ts = threadTs;
      if (bool(args, 'reply_broadcast')) msg.subtype = 'thread_broadcast';
    }
    return msg;
  }

  private appendToChannel(channelId: string, msg: StoredMessage): void {
    const list = this.messages.get(channelId) ?? [];
    list.push(msg);
    this.messages.set(channelId, list);
    if (msg.thread_ts && msg.thread_ts !== msg.ts) {
      const parent = list.find((m) => m.ts === msg.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.latest_reply = msg.ts;
      }
    }
  }

  private paginate<T>(items: T[], args: Args, defaultLimit: number, maxLimit: number) {
    const limit = Math.min(Math.max(int(args, 'limit') ?? defaultLimit, 1), maxLimit);
    const start = decodeCursor(str(args, 'cursor'));
    const page = items.slice(start, start + limit);
    const hasMore = start + limit < items.length;
    return { page, hasMore, nextCursor: hasMore ? encodeCursor(start + limit) : '' };
  }

  // ---------------------------------------------------------------- methods

  private buildHandlers(): Record<string, Handler> {
    return {
      'api.test': (args) => ({ args }),

      'apps.connections.open': () => ({ url: `ws://127.0.0.1:${this.port}/socket` }),

      'auth.test': () => ({
        url: 'https://fake.slack.com/',
        team: 'Fake',
        user: 'wgbot',
        team_id: FAKE_TEAM_ID,
        user_id: FAKE_BOT_USER_ID,
        bot_id: FAKE_BOT_ID,
        is_enterprise_install: false,
      }),

      'chat.postMessage': (args) => {
        const ch = this.resolveChannel(str(args, 'channel'), true);
        if (!str(args, 'text') && args.blocks === undefined && args.attachments === undefined)
          fail('no_text');
        this.checkMessageBlocks(args);
        const ts = this.nextTs();
        const msg = this.postedMessage(args, ts);
        this.appendToChannel(ch.id, msg);
        const { type, ...rest } = msg;
        return { channel: ch.id, ts, message: { type, ...rest, app_id: FAKE_APP_ID, team: FAKE_TEAM_ID } };
      },

      'chat.postEphemeral': (args) => {
        const ch = this.resolveChannel(str(args, 'channel'), true);
        this.requireUser(str(args, 'user'));
        if (!str(args, 'text') && args.blocks === undefined && args.attachments === undefined)
          fail('no_text');
        this.checkMessageBlocks(args);
        return { message_ts: this.nextTs(), channel: ch.id };
      },

      'chat.update': (args) => {
        const ch = this.resolveChannel(str(args, 'channel'), true);
        const { list, index } = this.findMessage(ch.id, str(args, 'ts'));
        const msg = list[index]!;
        if (msg.bot_id !== FAKE_BOT_ID) fail('cant_update_message');
        this.checkMessageBlocks(args);
        if (args.text !== undefined) msg.text = str(args, 'text') ?? '';
        if (Array.isArray(args.blocks)) msg.blocks = args.blocks;
        if (Array.isArray(args.attachments)) msg.attachments = args.attachments;
        if (args.metadata !== undefined) msg.metadata = args.metadata;
        msg.edited = { user: FAKE_BOT_USER_ID, ts: this.nextTs() };
        return { channel: ch.id, ts: msg.ts, text: msg.text ?? '', message: { ...msg } };
      },

      'chat.delete': (args) => {
        const ch = this.resolveChannel(str(args, 'channel'), true);
        const { list, index } = this.findMessage(ch.id, str(args, 'ts'));
        if (list[index]!.bot_id !== FAKE_BOT_ID) fail('cant_delete_message');
        const [removed] = list.splice(index, 1);
        return { channel: ch.id, ts: removed!.ts };
      },

      'chat.getPermalink': (args) => {
        const ch = this.resolveChannel(str(args, 'channel'), false);
        const { list, index } = this.findMessage(ch.id, str(args, 'message_ts'));
        const ts = list[index]!.ts;
        return {
          channel: ch.id,
          permalink: `https://fake.slack.com/archives/${ch.id}/p${ts.replace('.', '')}`,
        };
      },

      'conversations.history': (args) => {
        const ch = this.resolveChannel(str(args, 'channel'), false, false);
        const inclusive = bool(args, 'inclusive');
        const oldest = tsKey(str(args, 'oldest') ?? '0');
        const latestRaw = str(args, 'latest');
        const latest = latestRaw ? tsKey(latestRaw) : undefined;
        const all = (this.messages.get(ch.id) ?? [])
          .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
          .filter((m) => {
            const k = tsKey(m.ts);
            const afterOldest = inclusive ? k >= oldest : k > oldest;
            const beforeLatest = latest === undefined || (inclusive ? k <= latest : k < latest);
            return afterOldest && beforeLatest;
          })
          .reverse();
        const { page, hasMore, nextCursor } = this.paginate(all, args, 100, 999);
        return {
          messages: page.map((m) => ({ ...m })),
          has_more: hasMore,
          pin_count: 0,
          response_metadata: { next_cursor: nextCursor },
        };
      },

      'conversations.replies': (args) => {
        const ch = this.resolveChannel(str(args, 'channel'), false, false);
        const ts = str(args, 'ts');
        const list = this.messages.get(ch.id) ?? [];
        const parent = list.find((m) => m.ts === ts);
        if (!parent) fail('thread_not_found');
        const thread = list.filter((m) => m.ts === ts || m.thread_ts === ts);
        const { page, hasMore, nextCursor } = this.paginate(thread, args, 1000, 1000);
        return {
          messages: page.map((m) => ({ ...m })),
          has_more: hasMore,
          response_metadata: { next_cursor: nextCursor },
        };
      },

      'conversations.info': (args) => {
        const raw = str(args, 'channel');
        const ch = raw ? this.channels.get(raw) : undefined;
        if (!ch || (ch.isPrivate && !ch.isMember && !ch.imUser)) fail('channel_not_found');
        return { channel: this.channelJson(ch) };
      },

      'conversations.list': (args) => {
        const types = (str(args, 'types') ?? 'public_channel').split(',');
        const excludeArchived = bool(args, 'exclude_archived');
        const all = [...this.channels.values()].filter((c) => {
          if (excludeArchived && c.archived) return false;
          if (c.imUser) return types.includes('im');
          if (c.isMpim) return types.includes('mpim');
          if (c.isPrivate) return types.includes('private_channel') && c.isMember;
          return types.includes('public_channel');
        });
        const { page, nextCursor } = this.paginate(all, args, 100, 1000);
        return {
          channels: page.map((c) => this.channelJson(c)),
          response_metadata: { next_cursor: nextCursor },
        };
      },

      'conversations.join': (args) => {
        const raw = str(args, 'channel');
        const ch = raw ? this.channels.get(raw) : undefined;
        if (!ch || (ch.isPrivate && !ch.isMember)) fail('channel_not_found');
        if (ch.imUser || ch.isPrivate) fail('method_not_supported_for_channel_type');
        if (ch.archived) fail('is_archived');
        ch.isMember = true;
        return { channel: this.channelJson(ch) };
      },

      'conversations.open': (args) => {
        const channel = str(args, 'channel');
        if (channel) return { channel: this.channelJson(this.resolveChannel(channel, false)) };
        const ids = (str(args, 'users') ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (ids.length === 0) fail('users_list_not_supplied');
        if (ids.length > 8) fail('too_many_users');
        const users = ids.map((id) => this.requireUser(id));
        if (users.some((u) => u.deleted)) fail('user_disabled');
        let ch: ChannelRecord;
        if (users.length === 1) {
          ch = this.imFor(users[0]!);
        } else {
          const id = `G${[...ids].sort().join('').replace(/[UW]/g, '').slice(0, 20)}`;
          ch = this.channels.get(id) ?? {
            id,
            name: `mpdm-${users.map((u) => u.name).join('--')}-1`,
            isPrivate: true,
            isMember: true,
            archived: false,
            isMpim: true,
          };
          this.channels.set(id, ch);
          if (!this.messages.has(id)) this.messages.set(id, []);
        }
        return { channel: bool(args, 'return_im') ? this.channelJson(ch) : { id: ch.id } };
      },

      // Slack's shapes: usergroups.list gives `usergroups` (with `users` only when include_users is true);
      // usergroups.users.list gives the member IDs, `no_such_subteam` for an unknown group.
      'usergroups.list': (args) => ({
        usergroups: [...this.userGroups.values()].map((g) => ({
          id: g.id,
          team_id: 'T0FAKE',
          is_usergroup: true,
          name: g.name,
          handle: g.handle,
          user_count: g.users.length,
          ...(bool(args, 'include_users') ? { users: g.users } : {}),
        })),
      }),

      'usergroups.users.list': (args) => {
        const group = this.userGroups.get(str(args, 'usergroup') ?? '');
        if (!group) fail('no_such_subteam');
        return { users: group.users };
      },

      'users.info': (args) => ({ user: this.userJson(this.requireUser(str(args, 'user'))) }),

      'users.lookupByEmail': (args) => {
        const email = (str(args, 'email') ?? '').toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email);
        if (!email || !user) fail('users_not_found');
        return { user: this.userJson(user) };
      },

      'users.list': (args) => {
        const { page, nextCursor } = this.paginate([...this.users.values()], args, 100, 1000);
        return {
          members: page.map((u) => this.userJson(u)),
          cache_ts: Math.floor(this.clock() / 1000),
          response_metadata: { next_cursor: nextCursor },
        };
      },

      'views.publish': (args) => {
        const user = this.requireUser(str(args, 'user_id'));
        const view = this.checkView(args.view, ['home']);
        const previous = this.homeViews.get(user.id);
        const hash = str(args, 'hash');
        if (hash && previous && previous.hash !== hash) fail('hash_conflict');
        const id = typeof previous?.id === 'string' ? previous.id : this.nextId('V');
        const stored = this.storeView(id, view, {});
        this.homeViews.set(user.id, stored);
        return { view: stored };
      },

      'views.open': (args) => this.openView(args),
      'views.push': (args) => this.openView(args),

      'views.update': (args) => {
        const viewId = str(args, 'view_id');
        const externalId = str(args, 'external_id');
        if (!viewId && !externalId) fail('invalid_arguments');
        const previous = viewId
          ? this.viewsById.get(viewId)
          : [...this.viewsById.values()].find((v) => v.external_id === externalId);
        if (!previous) fail('not_found');
        const hash = str(args, 'hash');
        if (hash && previous.hash !== hash) fail('hash_conflict');
        const view = this.checkView(args.view, [String(previous.type)]);
        const stored = this.storeView(String(previous.id), view, {
          root_view_id: previous.root_view_id,
          previous_view_id: previous.previous_view_id,
        });
        for (const [userId, home] of this.homeViews) {
          if (home.id === stored.id) this.homeViews.set(userId, stored);
        }
        return { view: stored };
      },

      'files.getUploadURLExternal': (args) => {
        const filename = str(args, 'filename');
        const length = int(args, 'length');
        if (!filename || length === undefined || length < 0) fail('invalid_arguments');
        const fileId = this.nextId('F');
        this.uploadsById.set(fileId, {
          fileId,
          filename,
          bytes: Buffer.alloc(0),
          declaredLength: length,
          completed: false,
        });
        return { upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId };
      },

      'files.completeUploadExternal': (args) => {
        const files = args.files;
        if (!Array.isArray(files) || files.length === 0) fail('invalid_arguments');
        const channelRaw = str(args, 'channel_id') ?? str(args, 'channels')?.split(',')[0];
        const ch = channelRaw ? this.resolveChannel(channelRaw, true) : undefined;
        const threadTs = str(args, 'thread_ts');
        const initialComment = str(args, 'initial_comment');
        const uploads = files.map((f) => {
          const id = isObject(f) && typeof f.id === 'string' ? f.id : undefined;
          const upload = id ? this.uploadsById.get(id) : undefined;
          if (!upload || (upload.bytes.length === 0 && upload.declaredLength > 0)) fail('file_not_found');
          if (upload.completed) fail('file_already_completed');
          return { upload, title: isObject(f) && typeof f.title === 'string' ? f.title : undefined };
        });
        const now = Math.floor(this.clock() / 1000);
        const result = uploads.map(({ upload, title }) => {
          upload.completed = true;
          upload.title = title ?? upload.filename;
          upload.channelId = ch?.id;
          upload.threadTs = threadTs;
          upload.initialComment = initialComment;
          const ext = upload.filename.includes('.')
            ? (upload.filename.split('.').pop() ?? '').toLowerCase()
            : '';
          return {
            id: upload.fileId,
            created: now,
            timestamp: now,
            name: upload.filename,
            title: upload.title,
            mimetype: MIME_TYPES[ext] ?? 'application/octet-stream',
            filetype: ext || 'binary',
            user: FAKE_BOT_USER_ID,
            user_team: FAKE_TEAM_ID,
            size: upload.bytes.length,
            is_external: false,
            is_public: ch ? !ch.isPrivate : false,
            url_private: `https://files.fake.slack.com/files-pri/${FAKE_TEAM_ID}-${upload.fileId}/${upload.filename}`,
            permalink: `https://fake.slack.com/files/${FAKE_BOT_USER_ID}/${upload.fileId}/${upload.filename}`,
            channels: ch && !ch.isPrivate ? [ch.id] : [],
            groups: ch?.isPrivate && !ch.imUser ? [ch.id] : [],
            ims: ch?.imUser ? [ch.id] : [],
            shares: {},
          };
        });
        if (ch) {
          const ts = this.nextTs();
          const msg: StoredMessage = {
            type: 'message',
            subtype: 'file_share',
            ts,
            text: initialComment ?? '',
            user: FAKE_BOT_USER_ID,
            bot_id: FAKE_BOT_ID,
            files: uploads.map(({ upload }) => ({
              id: upload.fileId,
              name: upload.filename,
              title: upload.title,
            })),
          };
          if (Array.isArray(args.blocks)) msg.blocks = args.blocks;
          if (threadTs) msg.thread_ts = threadTs;
          this.appendToChannel(ch.id, msg);
        }
        return { files: result };
      },
    };
  }

  private openView(args: Args): Record<string, unknown> {
    if (!str(args, 'trigger_id') && !str(args, 'interactivity_pointer')) fail('invalid_arguments');
    const view = this.checkView(args.view, ['modal']);
    if (typeof view.external_id === 'string' && view.external_id !== '') {
      const taken = [...this.viewsById.values()].some((v) => v.external_id === view.external_id);
      if (taken) fail('duplicate_external_id');
    }
    const id = this.nextId('V');
    return { view: this.storeView(id, view, {}) };
  }
}

// ------------------------------------------------------------------ request parsing

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseArgs(
  url: URL,
  contentType: string,
  body: Buffer,
): Promise<{ args: Args; files: Map<string, { bytes: Buffer; filename?: string; type?: string }> }> {
  const args: Args = Object.fromEntries(url.searchParams);
  const files = new Map<string, { bytes: Buffer; filename?: string; type?: string }>();
  const ct = contentType.toLowerCase();
  if (ct.startsWith('application/json')) {
    if (body.length > 0) {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!isObject(parsed)) throw new Error('JSON body is not an object');
      Object.assign(args, parsed);
    }
  } else if (ct.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        args[key] = value;
      } else {
        const bytes = Buffer.from(await value.arrayBuffer());
        files.set(key, { bytes, filename: (value as { name?: string }).name, type: value.type || undefined });
      }
    }
  } else if (ct.startsWith('application/x-www-form-urlencoded') || ct === '') {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) args[key] = value;
  }
  for (const key of JSON_FIELDS) {
    const v = args[key];
    if (typeof v === 'string') {
      try {
        args[key] = JSON.parse(v);
      } catch {
        // leave as string; the method reports it (e.g. invalid_blocks)
      }
    }
  }
  return { args, files };
}
