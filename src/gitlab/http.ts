import { createRequesterFn } from '@gitbeaker/requester-utils';
import { GitlabHttpError, GitlabLimitError, GitlabUnavailableError } from './errors.js';
import { checkOfferedPage, checkPageLimit, readCapped } from './limits.js';
import { type RequestBounds, requestBounds } from './requestScope.js';
import { RateWindow, Semaphore } from './throttle.js';

export { GitlabAbortedError, GitlabHttpError, GitlabLimitError, GitlabUnavailableError } from './errors.js';
export { type RequestScope, withRequestScope } from './requestScope.js';

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
  /**
   * The most pages one listing may take when GitLab does not say how many there are (`x-total-pages`):
   * a GitLab or proxy that keeps offering a next page must not keep a sync going for ever.
   */
  maxPages: number;
  /** The largest answer read, in bytes: a page of 100 issues is well under a megabyte. */
  maxResponseBytes: number;
}

export const DEFAULT_POLICY: RequestPolicy = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  timeoutMs: 30_000,
  maxConcurrency: 4,
  // GitLab.com allows about 2,000 authenticated requests a minute per user; stay well inside it.
  requestsPerMinute: 600,
  maxPages: 500,
  maxResponseBytes: 20 * 1024 * 1024,
};

export interface HttpDeps {
  /** Waits `ms`; a wait is cut short (by racing it) when the request's scope is aborted. */
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
  // Unref'd: a wait that an abort cut short must not keep a stopping process alive.
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
  now: () => new Date(),
  random: Math.random,
};

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
  // Aborted when the process stops: every request in flight or waiting ends at once.
  const stopping = new AbortController();
  const backoff = (attempt: number) =>
    Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt * (0.5 + deps.random() / 2));

  async function send(endpoint: string, options: GitbeakerRequestOptions): Promise<GitbeakerResponse> {
    const method = options.method ?? 'GET';
    const base = options.prefixUrl?.endsWith('/') ? options.prefixUrl : `${options.prefixUrl ?? ''}/`;
    const url = new URL(endpoint, base);
    url.search = options.searchParams ?? '';
    const shown = `${endpoint}${url.search}`;
    const bound = requestBounds(stopping.signal, deps.sleep, shown);
    checkPageLimit(url.search, endpoint, policy.maxPages);
    let lastProblem = '';
    for (let attempt = 0; attempt <= policy.maxRetries; attempt += 1) {
      bound.check();
      stats.waitedMs += await window.take(bound.wait);
      await semaphore.acquire(bound.signal).catch((error: unknown) => {
        bound.check();
        throw error;
      });
      const logAttempt = attemptLogger(deps, { method, endpoint: shown, attempt });
      let answer: Attempt;
      try {
        answer = await attemptOnce(policy, deps, stats, { url, method, options, shown, bound });
      } finally {
        semaphore.release();
      }
      const settled = settle(answer, stats, { url, endpoint, shown, logAttempt });
      if ('done' in settled) return settled.done;
      lastProblem = settled.retry.problem;
      if (attempt === policy.maxRetries) break;
      const retry = settled.retry;
      const wait = Math.min(policy.maxDelayMs, retry.retryIn ?? backoff(attempt));
      logAttempt(retry.kind === 'answered' ? retry.response.status : retry.counted, wait);
      stats.retries += 1;
      stats.waitedMs += wait;
      await bound.wait(wait);
    }
    throw new GitlabUnavailableError(shown, lastProblem, policy.maxRetries + 1);
  }

  const requesterFn = createRequesterFn((_service, options) => Promise.resolve(options), send as never);
  /** Ends every request in flight or waiting, and refuses new ones: the process is stopping. */
  const abort = (reason: string) => stopping.abort(reason);
  return { requesterFn, stats, send, abort };
}

type Attempt =
  | { kind: 'answered'; response: Response; text: string; problem: string; retryIn: number | null }
  | { kind: 'failed'; counted: 'timeout' | 'network'; problem: string; retryIn: null };

type LogAttempt = (status: RequestEvent['status'], retryInMs?: number) => void;

/** Logs one attempt's end (and its retry, if any), timed from when this was called. */
function attemptLogger(
  deps: HttpDeps,
  event: Pick<RequestEvent, 'method' | 'endpoint' | 'attempt'>,
): LogAttempt {
  const started = deps.now().getTime();
  return (status, retryInMs) =>
    deps.log?.({
      method: event.method,
      endpoint: event.endpoint,
      status,
      attempt: event.attempt,
      ms: deps.now().getTime() - started,
      ...(retryInMs !== undefined ? { retryInMs } : {}),
    });
}

function count(stats: RequestStats, status: number | string): void {
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
}

/**
 * What one attempt comes to: the answer to hand gitbeaker, an error that retrying will not change (thrown),
 * or the attempt to retry (a 429 or 5xx, a timeout, a network error, an unreadable JSON answer).
 */
function settle(
  answer: Attempt,
  stats: RequestStats,
  request: { url: URL; endpoint: string; shown: string; logAttempt: LogAttempt },
): { done: GitbeakerResponse } | { retry: Attempt } {
  const { logAttempt } = request;
  if (answer.kind === 'failed') {
    count(stats, answer.counted);
    logAttempt(answer.counted);
    return { retry: answer };
  }
  const { response, text } = answer;
  count(stats, response.status);
  const headers = Object.fromEntries(response.headers.entries());
  if (response.ok) {
    const date = Date.parse(response.headers.get('date') ?? '');
    if (!Number.isNaN(date)) {
      stats.serverTime = new Date(date).toISOString();
      stats.firstServerTime ??= stats.serverTime;
    }
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (type !== 'application/json') return { done: { body: text, headers, status: response.status } };
    const body = parseJson(text);
    if (body !== undefined) {
      logAttempt(response.status);
      if (Array.isArray(body)) checkOfferedPage(response.headers, request.url.search, request.endpoint);
      return { done: { body, headers, status: response.status } };
    }
    // A proxy's error page or a truncated answer: worth another try, then an honest failure.
    return { retry: { ...answer, problem: `invalid JSON in a ${response.status} answer` } };
  }
  if (!RETRY_STATUSES.has(response.status)) {
    logAttempt(response.status);
    throw new GitlabHttpError(response.status, request.shown, describe(text));
  }
  return { retry: answer };
}

/** One HTTP exchange, bounded by the request timeout, the scope's deadline and the stop signal. */
async function attemptOnce(
  policy: RequestPolicy,
  deps: HttpDeps,
  stats: RequestStats,
  request: {
    url: URL;
    method: string;
    options: GitbeakerRequestOptions;
    shown: string;
    bound: RequestBounds;
  },
): Promise<Attempt> {
  const { url, method, options, shown, bound } = request;
  const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, bound.left()));
  const budgetBinds = timeoutMs < policy.timeoutMs;
  try {
    stats.requests += 1;
    const response = await fetch(url, {
      method,
      headers: options.headers,
      body: options.body ?? null,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), bound.signal]),
    });
    const text = await readCapped(response, policy.maxResponseBytes, shown);
    const retryIn = response.status === 429 ? retryAfterMs(response.headers, deps.now()) : null;
    return { kind: 'answered', response, text, problem: `HTTP ${response.status}`, retryIn };
  } catch (error) {
    if (error instanceof GitlabLimitError) throw error;
    bound.check();
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    if (timedOut && budgetBinds) throw bound.budgetError();
    const problem = timedOut
      ? `timeout after ${policy.timeoutMs} ms`
      : `network error: ${(error as Error).message}`;
    return { kind: 'failed', counted: timedOut ? 'timeout' : 'network', problem, retryIn: null };
  }
}

/** Parsed JSON ({} for an empty body), or undefined when the text is not JSON. */
function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
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
