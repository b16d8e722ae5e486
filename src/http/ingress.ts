import type { IncomingMessage, Server } from 'node:http';
import { isIPv6, type Socket } from 'node:net';

/**
 * What the public port accepts before a request is trusted (signature or webhook token checked). Every
 * request from the internet is a stranger until then: it may hold a socket and a few bytes, not memory.
 */
export interface IngressLimits {
  /** Open connections in all (`server.maxConnections`); more are closed as they arrive. */
  maxConnections: number;
  /** Open connections from one address (an IPv6 /64 counts as one). */
  maxConnectionsPerAddress: number;
  /**
   * Requests from one address that are not yet trusted, as a token bucket: this many at once, refilled at
   * this many a minute. A request that proves itself (signed, right token) gives its token back, so Slack
   * and GitLab are never slowed; refused and unfinished ones keep it.
   */
  untrustedPerAddress: number;
  /** Bytes of bodies buffered before their check, across all requests; past it a request gets 503. */
  untrustedBytes: number;
  /** Time for a request's headers, for its body once the headers are in, and for the whole request. */
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_INGRESS_LIMITS: IngressLimits = {
  maxConnections: 1_000,
  maxConnectionsPerAddress: 100,
  untrustedPerAddress: 60,
  untrustedBytes: 32 * 1024 * 1024,
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
};

/** The key an address is counted under: IPv4 as is, IPv6 by its /64 (one host holds a whole /64). */
export function addressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4) return v4[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Token buckets per address. The map is bounded: when it is full, buckets that have filled up again (no
 * debt to remember) are dropped first, then the oldest.
 */
export class AddressBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly refillPerMinute: number,
    /** Monotonic milliseconds (performance.now in the server; a counter in tests). */
    private readonly nowMs: () => number,
    private readonly maxAddresses = 50_000,
  ) {}

  #refilled(key: string): { tokens: number; at: number } {
    const now = this.nowMs();
    const bucket = this.#buckets.get(key) ?? { tokens: this.capacity, at: now };
    const earned = ((now - bucket.at) / 60_000) * this.refillPerMinute;
    bucket.tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, earned));
    bucket.at = now;
    return bucket;
  }

  /** Takes a token; false when the address has none left. */
  take(key: string): boolean {
    const bucket = this.#refilled(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    this.#evict();
    return true;
  }

  /** Gives a token back: the request proved who sent it. */
  refund(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.capacity, bucket.tokens + 1);
  }

  get size(): number {
    return this.#buckets.size;
  }

  #evict(): void {
    if (this.#buckets.size <= this.maxAddresses) return;
    for (const [key] of this.#buckets) {
      if (this.#buckets.size <= this.maxAddresses) return;
      if (this.#refilled(key).tokens >= this.capacity) this.#buckets.delete(key);
    }
    // Map order is least recently used first.
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= this.maxAddresses) return;
      this.#buckets.delete(key);
    }
  }
}

/** Bytes buffered from requests not yet trusted, in all: charged as they arrive, released when done. */
export class ByteBudget {
  #used = 0;

  constructor(readonly limit: number) {}

  charge(bytes: number): boolean {
    if (this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }

  get used(): number {
    return this.#used;
  }
}

/** How long a refused request may go on sending the body nobody reads before its socket is closed. */
export const LINGER_MS = 1_000;

/**
 * After a refusal: the rest of the body is read and thrown away (no memory), for at most `lingerMs`, then
 * the socket is closed if the body has still not ended. Closing at once would lose the answer to a client
 * still sending (the kernel resets a socket closed with unread data); lingering forever would let a slow
 * sender hold it.
 */
export function discardBody(req: IncomingMessage, lingerMs = LINGER_MS): void {
  if (req.complete) return;
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), lingerMs);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
}

/** Requests admitted by a guard: how to give their token back, and how their body may be read. */
const admitted = new WeakMap<
  IncomingMessage,
  { refund: () => void; body: { timeoutMs: number; budget: ByteBudget } }
>();

/** Called by a route once a request is authenticated (a matching webhook token, a valid signature). */
export function markTrusted(req: IncomingMessage): void {
  const entry = admitted.get(req);
  entry?.refund();
  if (entry) entry.refund = () => {};
}

/** The body timeout and shared byte budget of a request a guard admitted (`readBody` applies them). */
export function admittedBodyLimits(
  req: IncomingMessage,
): { timeoutMs: number; budget: ByteBudget } | undefined {
  return admitted.get(req)?.body;
}

/**
 * The limits, applied to one HTTP server: the server's own timeouts and connection cap, a cap per address,
 * and the per-address bucket of untrusted requests that the routes draw on (`admit`).
 */
export class IngressGuard {
  readonly limits: IngressLimits;
  readonly bytes: ByteBudget;
  readonly #buckets: AddressBuckets;
  readonly #open = new Map<string, number>();

  constructor(limits: Partial<IngressLimits> = {}, nowMs: () => number = () => performance.now()) {
    this.limits = { ...DEFAULT_INGRESS_LIMITS, ...limits };
    this.bytes = new ByteBudget(this.limits.untrustedBytes);
    this.#buckets = new AddressBuckets(
      this.limits.untrustedPerAddress,
      this.limits.untrustedPerAddress,
      nowMs,
    );
  }

  /** Options for `createServer`: Node checks its timeouts every 30 s unless told otherwise. */
  serverOptions() {
    return {
      headersTimeout: this.limits.headersTimeoutMs,
      requestTimeout: this.limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, this.limits.headersTimeoutMs),
    };
  }

  attach(server: Server): void {
    server.maxConnections = this.limits.maxConnections;
    server.headersTimeout = this.limits.headersTimeoutMs;
    server.requestTimeout = this.limits.requestTimeoutMs;
    server.on('connection', (socket: Socket) => this.#countConnection(socket));
  }

  #countConnection(socket: Socket): void {
    const key = addressKey(socket.remoteAddress);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    this.#open.set(key, open + 1);
    socket.once('close', () => {
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left <= 0) this.#open.delete(key);
      else this.#open.set(key, left);
    });
  }

  /** Takes a token for an untrusted request; false: the address has sent too many, answer 429. */
  admit(req: IncomingMessage): boolean {
    const key = addressKey(req.socket.remoteAddress);
    if (!this.#buckets.take(key)) return false;
    admitted.set(req, {
      refund: () => this.#buckets.refund(key),
      body: { timeoutMs: this.limits.bodyTimeoutMs, budget: this.bytes },
    });
    return true;
  }

  get openConnections(): number {
    let total = 0;
    for (const n of this.#open.values()) total += n;
    return total;
  }
}
