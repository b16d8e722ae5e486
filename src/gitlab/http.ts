import { AsyncLocalStorage } from 'node:async_hooks';
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

/**
 * A request refused because of a bound wgbot sets itself: the pages of one listing, the size of an answer or
 * the time budget of a sync. Retrying does not help; the message names the bound and its setting.
 */
export class GitlabLimitError extends Error {
  override name = 'GitlabLimitError';

  constructor(
    readonly limit: 'pages' | 'size' | 'budget',
    readonly endpoint: string,
    message: string,
  ) {
    super(message);
  }
}

/** Requests stopped on purpose (wgbot is stopping); nothing about GitLab is wrong. */
export class GitlabAbortedError extends Error {
  override name = 'GitlabAbortedError';

  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`GitLab request ${endpoint} stopped: ${reason}`);
  }
}

/**
 * What one piece of work (a group's sync) allows its GitLab requests: an abort signal and a deadline on the
 * injected clock. gitbeaker passes no options of ours through to the requester, so the scope travels with
 * the async context instead of as an argument.
 */
export interface RequestScope {
  signal?: AbortSignal;
  /**
   * Time left, in ms, on the clock of whoever set the budget (the sync service's injected clock): no
   * request starts and no wait continues past it. Asked each time, so the requester needs no clock of its
   * own to agree with.
   */
  remainingMs?: () => number;
  /** How the budget was set, for the message (e.g. 'SYNC_BUDGET_SECONDS (300 s)'). */
  budget?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with its GitLab requests bound by `scope`. */
export function withRequestScope<T>(scope: RequestScope, work: () => Promise<T>): Promise<T> {
  return scopes.run(scope, work);
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

  /** Waits for a slot; rejects (taking none) if `signal` aborts first. */
  async acquire(signal: AbortSignal): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      this.#waiting.push(grant);
      signal.addEventListener('abort', cancel, { once: true });
    });
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
    private readonly deps: Pick<HttpDeps, 'now'>,
  ) {}

  /** Takes a slot in the window, waiting with `wait` (which may refuse: a deadline, an abort). */
  async take(wait: (ms: number) => Promise<void>): Promise<number> {
    let waited = 0;
    for (;;) {
      const now = this.deps.now().getTime();
      while (this.#starts.length > 0 && this.#starts[0]! <= now - 60_000) this.#starts.shift();
      if (this.#starts.length < this.perMinute) {
        this.#starts.push(now);
        return waited;
      }
      const ms = this.#starts[0]! + 60_000 - now;
      waited += ms;
      await wait(ms);
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

/** The page a listing request asks for (gitbeaker's first request names none: page 1). */
function requestedPage(search: string): number {
  const page = Number(new URLSearchParams(search).get('page') ?? '1');
  return Number.isInteger(page) && page > 0 ? page : 1;
}

/** The `page` of the Link header's rel="next" URL: '' when there is no next link, null when it has no page. */
function linkNextPage(link: string | null): string | null {
  const next = /<([^>]*)>\s*;\s*rel="next"/.exec(link ?? '');
  if (!next) return '';
  try {
    return new URL(next[1]!, 'http://base.invalid/').searchParams.get('page');
  } catch {
    return null;
  }
}

/**
 * Bounds every chain of listing pages, whatever the server sends. Both gitbeaker (following the Link header)
 * and wgbot's own paging (x-next-page) ask for page n+1 after page n, so: an answer may only offer the page
 * that follows it (not itself again, not a page without a number), and not beyond GitLab's own
 * `x-total-pages`; and no request goes beyond page `maxPages` (see `send`).
 */
function checkOfferedPage(headers: Headers, search: string, endpoint: string): void {
  const current = requestedPage(search);
  const offered = [headers.get('x-next-page') ?? '', linkNextPage(headers.get('link'))].filter(
    (next) => next !== '',
  );
  if (offered.length === 0) return;
  const refuse = (why: string) => {
    throw new GitlabLimitError('pages', endpoint, `stopped paging ${endpoint} at page ${current}: ${why}`);
  };
  if (offered.some((next) => next !== String(current + 1)))
    refuse(`GitLab offered page ${offered.map((n) => n ?? '(none)').join(' / ')} as the next one`);
  const totalPages = Number(headers.get('x-total-pages') ?? '');
  if (Number.isInteger(totalPages) && totalPages > 0 && current >= totalPages)
    refuse(`GitLab said there are ${totalPages} pages but offered another`);
}

/** The body as text, refusing more than `maxBytes` (by Content-Length first, then as it arrives). */
async function readCapped(response: Response, maxBytes: number, endpoint: string): Promise<string> {
  const tooBig = () =>
    new GitlabLimitError('size', endpoint, `GitLab's answer to ${endpoint} is larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooBig();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Builds the gitbeaker `requesterFn` plus the counters the benchmarks and logs read. */
export function createGitlabRequester(policy: RequestPolicy = DEFAULT_POLICY, deps: HttpDeps = realDeps) {
  const stats = emptyStats();
  const semaphore = new Semaphore(policy.maxConcurrency);
  const window = new RateWindow(policy.requestsPerMinute, deps);
  // Aborted when the process stops: every request in flight or waiting ends at once.
  const stopping = new AbortController();
  const count = (status: number | string) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  };

  const backoff = (attempt: number) =>
    Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt * (0.5 + deps.random() / 2));

  /** The bounds one request runs under: the process's stop, and its scope's abort signal and time left. */
  function bounds(shown: string) {
    const scope = scopes.getStore();
    const signal = scope?.signal ? AbortSignal.any([stopping.signal, scope.signal]) : stopping.signal;
    const budgetError = () =>
      new GitlabLimitError(
        'budget',
        shown,
        `stopped at ${shown}: the sync ran out of its time budget${scope?.budget ? `, ${scope.budget}` : ''}`,
      );
    const left = () => scope?.remainingMs?.() ?? Infinity;
    const check = () => {
      if (signal.aborted) throw new GitlabAbortedError(shown, String(signal.reason ?? 'aborted'));
      if (left() <= 0) throw budgetError();
    };
    /** Waits `ms` unless that passes the deadline (refused at once) or the signal aborts (cut short). */
    const wait = async (ms: number) => {
      check();
      if (ms >= left()) throw budgetError();
      let onAbort = () => {};
      const aborted = new Promise<void>((resolve) => {
        onAbort = resolve;
        signal.addEventListener('abort', onAbort, { once: true });
      });
      await Promise.race([deps.sleep(ms), aborted]).finally(() =>
        signal.removeEventListener('abort', onAbort),
      );
      check();
    };
    return { signal, check, wait, left, budgetError };
  }

  async function send(endpoint: string, options: GitbeakerRequestOptions): Promise<GitbeakerResponse> {
    const method = options.method ?? 'GET';
    const base = options.prefixUrl?.endsWith('/') ? options.prefixUrl : `${options.prefixUrl ?? ''}/`;
    const url = new URL(endpoint, base);
    url.search = options.searchParams ?? '';
    const shown = `${endpoint}${url.search}`;
    const bound = bounds(shown);
    const page = requestedPage(url.search);
    if (page > policy.maxPages)
      throw new GitlabLimitError(
        'pages',
        endpoint,
        `stopped paging ${endpoint} at page ${policy.maxPages}: GitLab offers more than GITLAB_MAX_PAGES (${policy.maxPages}) pages`,
      );
    let lastProblem = '';
    for (let attempt = 0; attempt <= policy.maxRetries; attempt += 1) {
      bound.check();
      stats.waitedMs += await window.take(bound.wait);
      await semaphore.acquire(bound.signal).catch((error: unknown) => {
        bound.check();
        throw error;
      });
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
      let answer: Attempt;
      try {
        answer = await attemptOnce(url, method, options, shown, bound);
      } finally {
        semaphore.release();
      }
      if (answer.kind === 'failed') {
        count(answer.counted);
        logAttempt(answer.counted);
      } else {
        const { response, text } = answer;
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
          const body = parseJson(text);
          if (body !== undefined) {
            logAttempt(response.status);
            if (Array.isArray(body)) checkOfferedPage(response.headers, url.search, endpoint);
            return { body, headers, status: response.status };
          }
          // A proxy's error page or a truncated answer: worth another try, then an honest failure.
          answer = { ...answer, problem: `invalid JSON in a ${response.status} answer` };
        } else if (!RETRY_STATUSES.has(response.status)) {
          logAttempt(response.status);
          throw new GitlabHttpError(response.status, shown, describe(text));
        }
      }
      lastProblem = answer.problem;
      if (attempt === policy.maxRetries) break;
      const wait = Math.min(policy.maxDelayMs, answer.retryIn ?? backoff(attempt));
      logAttempt(answer.kind === 'answered' ? answer.response.status : answer.counted, wait);
      stats.retries += 1;
      stats.waitedMs += wait;
      await bound.wait(wait);
    }
    throw new GitlabUnavailableError(shown, lastProblem, policy.maxRetries + 1);
  }

  type Attempt =
    | { kind: 'answered'; response: Response; text: string; problem: string; retryIn: number | null }
    | { kind: 'failed'; counted: 'timeout' | 'network'; problem: string; retryIn: null };

  /** One HTTP exchange, bounded by the request timeout, the scope's deadline and the stop signal. */
  async function attemptOnce(
    url: URL,
    method: string,
    options: GitbeakerRequestOptions,
    shown: string,
    bound: ReturnType<typeof bounds>,
  ): Promise<Attempt> {
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
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timedOut && budgetBinds) throw bound.budgetError();
      const problem = timedOut
        ? `timeout after ${policy.timeoutMs} ms`
        : `network error: ${(error as Error).message}`;
      return { kind: 'failed', counted: timedOut ? 'timeout' : 'network', problem, retryIn: null };
    }
  }

  const requesterFn = createRequesterFn((_service, options) => Promise.resolve(options), send as never);
  /** Ends every request in flight or waiting, and refuses new ones: the process is stopping. */
  const abort = (reason: string) => stopping.abort(reason);
  return { requesterFn, stats, send, abort };
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
