import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { sparkline, type UsageKind, usageKind, usageTrend, usageValue } from '../domain/usage.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Store } from '../store/store.js';

/** How long a usage source has to answer: the digest waits no longer. */
export const USAGE_TIMEOUT_MS = 3_000;
/** The most of an answer read: a figure fits in far less. */
const MAX_BYTES = 64 * 1024;
/** The trend compares with the latest reading at least this old: about a week, one digest back. */
const TREND_AFTER_MS = 6 * 86_400_000;

export type UsageReading =
  | { kind: 'none' }
  | { kind: 'unavailable'; reason: string; source: string }
  | {
      kind: 'ok';
      value: number;
      at: string;
      /** Percent change since `since`; null without an earlier reading. */
      trend: number | null;
      since: string | null;
      source: string;
      /** The last reading of each of the last 8 weeks with one (this one included), oldest first. */
      weeks: number[];
    };

/** Resolves a host name to its addresses (node's dns.lookup by default; tests may answer themselves). */
export type Resolve = (hostname: string) => Promise<string[]>;

const resolveWithDns: Resolve = async (hostname) =>
  isIP(hostname) ? [hostname] : (await lookup(hostname, { all: true })).map((a) => a.address);

/** Whether the operator allowed the URL's host: a bare name allows every port, `host:port` that port only. */
export function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const name = url.hostname.toLowerCase();
  return allowed.some((entry) => entry === name || entry === `${name}:${port}`);
}

/** Link-local addresses (169.254.0.0/16, fe80::/10): cloud metadata services live there, never a metric. */
export function isLinkLocal(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  if (isIP(v4) === 4) return v4.startsWith('169.254.');
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

/** Where a figure came from, without anything secret a URL may carry (credentials, tokens in the query). */
export function describeSource(url: URL, kind: UsageKind): string {
  if (kind === 'json') return `JSON at ${url.host}`;
  return `Prometheus at ${url.host}: ${(url.searchParams.get('query') ?? '').slice(0, 120)}`;
}

/**
 * Usage and traffic per group, from a source the group names (a Prometheus instant query, or a JSON
 * endpoint answering a number). Read with a 3-second timeout; a timeout or an odd answer is "usage
 * unavailable", never a failed digest. Each reading is kept, for the trend.
 */
export class UsageService {
  constructor(
    private readonly store: Store,
    private readonly fetchFn: typeof fetch,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
    private readonly options: {
      allowedHosts: readonly string[] | null;
      timeoutMs?: number;
      resolve?: Resolve;
    } = {
      allowedHosts: null,
    },
  ) {}

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? USAGE_TIMEOUT_MS;
  }

  /** Why the operator's settings refuse this URL, or null when they allow it. */
  refusal(url: URL): string | null {
    const allowed = this.options.allowedHosts;
    if (allowed === null) return 'usage sources are off: the operator has not set USAGE_ALLOWED_HOSTS';
    if (!hostAllowed(url, allowed)) return `the operator must allow ${url.host} in USAGE_ALLOWED_HOSTS first`;
    return null;
  }

  source(group: WorkingGroup): { url: URL; kind: UsageKind } | null {
    const row = this.store.db
      .prepare<[number], { url: string; kind: UsageKind }>(
        'SELECT url, kind FROM usage_sources WHERE wg_id = ?',
      )
      .get(group.id);
    return row ? { url: new URL(row.url), kind: row.kind } : null;
  }

  /** Sets (or with null, removes) the group's source; an URL that is not http(s) is refused. */
  setSource(
    group: WorkingGroup,
    text: string | null,
  ): { ok: true; kind: UsageKind | null } | { ok: false; reason: string } {
    if (text === null) {
      this.store.transaction(() =>
        this.store.db.prepare('DELETE FROM usage_sources WHERE wg_id = ?').run(group.id),
      );
      return { ok: true, kind: null };
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, reason: 'that is not a URL' };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return { ok: false, reason: 'only http and https URLs' };
    const refused = this.refusal(url);
    if (refused) return { ok: false, reason: refused };
    const kind = usageKind(url);
    this.store.transaction(() =>
      this.store.db
        .prepare(
          `INSERT INTO usage_sources (wg_id, url, kind, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (wg_id) DO UPDATE SET url = excluded.url, kind = excluded.kind, updated_at = excluded.updated_at`,
        )
        .run(group.id, url.toString(), kind, this.now().toISOString()),
    );
    return { ok: true, kind };
  }

  /** Reads the group's source now, keeps the figure (unless `keep` is false: a dry run), with its trend. */
  async read(group: WorkingGroup, keep = true): Promise<UsageReading> {
    const source = this.source(group);
    if (!source) return { kind: 'none' };
    const shown = describeSource(source.url, source.kind);
    const answer = await this.#fetch(source.url);
    const parsed = answer.ok ? usageValue(source.kind, answer.body) : answer;
    if (!parsed.ok) {
      this.logger.warn(
        { wg: group.slug, source: source.url.host, reason: parsed.reason },
        'usage unavailable',
      );
      return { kind: 'unavailable', reason: parsed.reason, source: shown };
    }
    const at = this.now();
    const before = this.store.db
      .prepare<[number, string], { value: number; read_at: string }>(
        'SELECT value, read_at FROM usage_readings WHERE wg_id = ? AND read_at <= ? ORDER BY read_at DESC LIMIT 1',
      )
      .get(group.id, new Date(at.getTime() - TREND_AFTER_MS).toISOString());
    if (keep)
      this.store.transaction(() =>
        this.store.db
          .prepare('INSERT OR REPLACE INTO usage_readings (wg_id, read_at, value) VALUES (?, ?, ?)')
          .run(group.id, at.toISOString(), parsed.value),
      );
    return {
      kind: 'ok',
      weeks: [...this.#weekly(group, at), ...(keep ? [] : [parsed.value])],
      value: parsed.value,
      at: at.toISOString(),
      trend: usageTrend(parsed.value, before?.value ?? null),
      since: before?.read_at ?? null,
      source: shown,
    };
  }

  /** The last reading of each 7-day span of the 8 weeks up to `at`, oldest first (spans without one skipped). */
  #weekly(group: WorkingGroup, at: Date): number[] {
    const rows = this.store.db
      .prepare<[number, string, string], { value: number; read_at: string }>(
        'SELECT value, read_at FROM usage_readings WHERE wg_id = ? AND read_at > ? AND read_at <= ? ORDER BY read_at',
      )
      .all(group.id, new Date(at.getTime() - 8 * 7 * 86_400_000).toISOString(), at.toISOString());
    const byWeek = new Map<number, number>();
    for (const row of rows)
      byWeek.set(Math.floor((at.getTime() - new Date(row.read_at).getTime()) / (7 * 86_400_000)), row.value);
    return [...byWeek.entries()].sort((a, b) => b[0] - a[0]).map(([, value]) => value);
  }

  /** The answer's JSON, within the timeout and the size cap; else why not. */
  async #fetch(url: URL): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
    const refused = this.refusal(url);
    if (refused) return { ok: false, reason: refused };
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const resolving = (this.options.resolve ?? resolveWithDns)(url.hostname.replace(/^\[|\]$/g, ''));
      const addresses = await Promise.race([resolving, aborted(signal)]);
      if (addresses.some(isLinkLocal))
        return { ok: false, reason: 'the host resolves to a link-local address' };
      const response = await this.fetchFn(url, {
        signal,
        headers: { accept: 'application/json' },
        redirect: 'error',
      });
      if (!response.ok) return { ok: false, reason: `the source answered ${response.status}` };
      const text = await readCapped(response);
      if (text === null) return { ok: false, reason: `the answer is over ${MAX_BYTES / 1024} KB` };
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        return { ok: false, reason: `no answer within ${this.timeoutMs / 1000} s` };
      if (error instanceof SyntaxError) return { ok: false, reason: 'the answer is not JSON' };
      return { ok: false, reason: 'the source could not be reached' };
    }
  }
}

/** Rejects with the signal's reason once it aborts: a DNS lookup takes no signal of its own. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** The body as text, or null past MAX_BYTES (the rest is not read). */
async function readCapped(response: Response): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const figure = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** How a usage line is written: mrkdwn escaping (the view's), and whether the reason may be shown. */
export type UsageLineStyle = { escape: (text: string) => string; detailed: boolean };

/**
 * The usage line: the figure, its trend, source and time — or "usage unavailable", with why only when
 * `detailed` (facilitators; the channel sees no reason: distinct reasons would map a network). Everything
 * from the source's URL or answer passes through `escape`.
 */
export function usageLine(reading: UsageReading, style: UsageLineStyle): string | null {
  if (reading.kind === 'none') return null;
  const source = style.escape(reading.source);
  if (reading.kind === 'unavailable')
    return style.detailed
      ? `Usage unavailable (${style.escape(reading.reason)}) — ${source}`
      : `Usage unavailable — ${source}`;
  const trend =
    reading.trend === null
      ? 'no earlier reading'
      : `${reading.trend > 0 ? '+' : ''}${reading.trend}% since ${reading.since!.slice(0, 10)}`;
  const weeks = sparkline(reading.weeks);
  const line = `Usage: ${figure(reading.value)} (${trend}) — ${source}, read ${reading.at.slice(0, 16).replace('T', ' ')} UTC`;
  return weeks ? `${line} · last ${reading.weeks.length} weeks ${weeks}` : line;
}
