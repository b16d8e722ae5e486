import { createRequesterFn } from '@gitbeaker/requester-utils';

/**
 * How wgbot talks HTTP to GitLab, handed to gitbeaker as its requester. gitbeaker's own requester retries
 * a 429 ten times within a quarter second and ignores Retry-After (docs/architecture.md); this one honours
 * Retry-After and RateLimit-Reset, backs off exponentially with jitter on 5xx, timeouts and network
 * errors, bounds concurrency and the request rate, and never lets the token reach a log line.
 */
export interface RequestPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** Upper bound on any single wait, Retry-After included: a sync must not hang for an hour. */
  maxDelayMs: number;
  timeoutMs: number;
  maxConcurrency: number;
  requestsPerMinute: number;
}

export const DEFAULT_POLICY: RequestPolicy = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  timeoutMs: 30_000,
  maxConcurrency: 4,
  // GitLab.com allows about 2,000 authenticated requests a minute per user; stay well inside it.
  requestsPerMinute: 600,
};

export interface HttpDeps {
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  random: () => number;
  log?: (event: RequestEvent) => void;
}

export interface RequestEvent {
  method: string;
  /** Path and query without host or token, e.g. 'groups/g%2Fsub/epics/42/issues?page=2'. */
  endpoint: string;
  status: number | 'timeout' | 'network';
  attempt: number;
  ms: number;
  retryInMs?: number;
}

export const realDeps: HttpDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => new Date(),
  random: Math.random,
};

/** A GitLab answer that retrying will not change (403, 404, 422 …). */
export class GitlabHttpError extends Error {
  override name = 'GitlabHttpError';

  constructor(
    readonly status: number,
    readonly endpoint: string,
    readonly description: string,
  ) {
    super(`GitLab answered ${status} for ${endpoint}${description ? `: ${description}` : ''}`);
  }
}

/** GitLab stayed unreachable, overloaded or rate-limited through every retry. */
export class GitlabUnavailableError extends Error {
  override name = 'GitlabUnavailableError';

  constructor(
    readonly endpoint: string,
    readonly lastProblem: string,
    readonly attempts: number,
  ) {
    super(`GitLab did not answer ${endpoint} after ${attempts} attempts (last: ${lastProblem})`);
  }
}

export interface RequestStats {
  requests: number;
  retries: number;
  byStatus: Record<string, number>;
  waitedMs: number;
  /** GitLab's clock (its `Date` header) at the last successful answer, as ISO; null before any. */
  serverTime: string | null;
  /**
   * GitLab's clock at the first successful answer since this was last set to null: what a listing of
   * several pages is dated by, since a change made while it was paging may be missing from earlier pages.
   */
  firstServerTime: string | null;
}

class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

/** A sliding one-minute window of request start times: waits when the window is full. */
class RateWindow {
  readonly #starts: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly deps: HttpDeps,
  ) {}

  async take(): Promise<number> {
    let waited = 0;
    for (;;) {
      const now = this.deps.now().getTime();
      while (this.#starts.length > 0 && this.#starts[0]! <= now - 60_000) this.#starts.shift();
      if (this.#starts.length < this.perMinute) {
        this.#starts.push(now);
        return waited;
      }
      const wait = this.#starts[0]! + 60_000 - now;
      waited += wait;
      await this.deps.sleep(wait);
    }
  }
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Seconds from Retry-After (seconds or an HTTP date) or RateLimit-Reset (epoch seconds), as ms; else null. */
export function retryAfterMs(headers: Headers, now: Date): number | null {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter.trim())) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  const reset = headers.get('ratelimit-reset');
  if (reset && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset) * 1000 - now.getTime());
  return null;
}

export interface GitbeakerRequestOptions {
  method?: string;
  prefixUrl?: string;
  searchParams?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  asStream?: boolean;
}

export interface GitbeakerResponse {
  body: unknown;
  headers: Record<string, string>;
  status: number;
}

/** Counters before any request. */
export function emptyStats(): RequestStats {
  return { requests: 0, retries: 0, byStatus: {}, waitedMs: 0, serverTime: null, firstServerTime: null };
}

/** Builds the gitbeaker `requesterFn` plus the counters the benchmarks and logs read. */
export function createGitlabRequester(policy: RequestPolicy = DEFAULT_POLICY, deps: HttpDeps = realDeps) {
  const stats = emptyStats();
  const semaphore = new Semaphore(policy.maxConcurrency);
  const window = new RateWindow(policy.requestsPerMinute, deps);
  const count = (status: number | string) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  };

  const backoff = (attempt: number) =>
    Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt * (0.5 + deps.random() / 2));

  async function send(endpoint: string, options: GitbeakerRequestOptions): Promise<GitbeakerResponse> {
    const method = options.method ?? 'GET';
    const base = options.prefixUrl?.endsWith('/') ? options.prefixUrl : `${options.prefixUrl ?? ''}/`;
    const url = new URL(endpoint, base);
    url.search = options.searchParams ?? '';
    const shown = `${endpoint}${url.search}`;
    let lastProblem = '';
    for (let attempt = 0; attempt <= policy.maxRetries; attempt += 1) {
      stats.waitedMs += await window.take();
      await semaphore.acquire();
      const started = deps.now().getTime();
      const logAttempt = (status: RequestEvent['status'], retryInMs?: number) =>
        deps.log?.({
          method,
          endpoint: shown,
          status,
          attempt,
          ms: deps.now().getTime() - started,
          ...(retryInMs !== undefined ? { retryInMs } : {}),
        });
      let response: Response | null = null;
      let text = '';
      let problem: string;
      let retryIn: number | null = null;
      try {
        stats.requests += 1;
        response = await fetch(url, {
          method,
          headers: options.headers,
          body: options.body ?? null,
          signal: AbortSignal.timeout(policy.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        response = null;
        const timedOut =
          error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        problem = timedOut
          ? `timeout after ${policy.timeoutMs} ms`
          : `network error: ${(error as Error).message}`;
        count(timedOut ? 'timeout' : 'network');
        logAttempt(timedOut ? 'timeout' : 'network');
      } finally {
        semaphore.release();
      }

      if (response) {
        count(response.status);
        const headers = Object.fromEntries(response.headers.entries());
        if (response.ok) {
          const date = Date.parse(response.headers.get('date') ?? '');
          if (!Number.isNaN(date)) {
            stats.serverTime = new Date(date).toISOString();
            stats.firstServerTime ??= stats.serverTime;
          }
          const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
          if (type !== 'application/json') return { body: text, headers, status: response.status };
          let body: unknown;
          try {
            body = text === '' ? {} : JSON.parse(text);
          } catch {
            // A proxy's error page or a truncated answer: worth another try, then an honest failure.
            problem = `invalid JSON in a ${response.status} answer`;
          }
          if (body !== undefined) {
            logAttempt(response.status);
            return { body, headers, status: response.status };
          }
        } else if (!RETRY_STATUSES.has(response.status)) {
          logAttempt(response.status);
          throw new GitlabHttpError(response.status, shown, describe(text));
        } else {
          problem = `HTTP ${response.status}`;
          if (response.status === 429) retryIn = retryAfterMs(response.headers, deps.now());
        }
      }
      lastProblem = problem!;
      if (attempt === policy.maxRetries) break;
      const wait = Math.min(policy.maxDelayMs, retryIn ?? backoff(attempt));
      logAttempt(response?.status ?? 'network', wait);
      stats.retries += 1;
      stats.waitedMs += wait;
      await deps.sleep(wait);
    }
    throw new GitlabUnavailableError(shown, lastProblem, policy.maxRetries + 1);
  }

  const requesterFn = createRequesterFn((_service, options) => Promise.resolve(options), send as never);
  return { requesterFn, stats, send };
}

/** GitLab's error body, `{"message": "..."}` or `{"error": "..."}`, as one short line. */
function describe(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    if (message !== undefined)
      return (typeof message === 'string' ? message : JSON.stringify(message)).slice(0, 300);
  } catch {
    // not JSON
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}
