import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';

export interface SyncQueueOptions {
  /** Wait this long after the last request for a group before syncing it: a burst of webhooks is one sync. */
  debounceMs: number;
  /** …but never longer than this after the first request, so a steady stream still syncs. */
  maxWaitMs: number;
  /** The clock, in ms (injected like every clock in wgbot). */
  now?: () => number;
}

interface Pending {
  timer: NodeJS.Timeout;
  firstAt: number;
  reasons: Set<string>;
}

/**
 * Runs group syncs one at a time, in the background. Requests for a group are debounced; a group never
 * syncs twice at once, and a request that arrives while its group syncs queues exactly one more run.
 */
export class SyncQueue {
  readonly #pending = new Map<number, Pending>();
  readonly #ready: number[] = [];
  #running: number | null = null;
  readonly #rerun = new Set<number>();
  readonly #reasons = new Map<number, string[]>();
  #idleWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(
    private readonly run: (wgId: number, reasons: string[]) => Promise<unknown>,
    private readonly options: SyncQueueOptions = { debounceMs: 5_000, maxWaitMs: 60_000 },
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Asks for a sync of the group; `immediate` skips the debounce (a person asked with /wg sync). */
  request(wgId: number, reason: string, immediate = false): void {
    if (this.#stopped) return;
    const now = (this.options.now ?? Date.now)();
    const pending = this.#pending.get(wgId);
    if (pending) {
      clearTimeout(pending.timer);
      pending.reasons.add(reason);
    }
    const firstAt = pending?.firstAt ?? now;
    const reasons = pending?.reasons ?? new Set([reason]);
    const delay = immediate
      ? 0
      : Math.max(0, Math.min(this.options.debounceMs, firstAt + this.options.maxWaitMs - now));
    const timer = setTimeout(() => this.#enqueue(wgId), delay);
    timer.unref?.();
    this.#pending.set(wgId, { timer, firstAt, reasons });
  }

  /** Groups waiting or running: what /healthz and `/wg sync` report. */
  get state(): { pending: number; running: number | null } {
    return { pending: this.#pending.size + this.#ready.length, running: this.#running };
  }

  /** Resolves once nothing is pending or running (tests and graceful shutdown wait on it). */
  idle(): Promise<void> {
    if (this.#pending.size === 0 && this.#ready.length === 0 && this.#running === null)
      return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Drops what has not started; the sync in flight finishes (SIGTERM waits for it via idle()). */
  stop(): void {
    this.#stopped = true;
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    this.#ready.length = 0;
    this.#settle();
  }

  #enqueue(wgId: number): void {
    const pending = this.#pending.get(wgId);
    this.#pending.delete(wgId);
    if (this.#running === wgId) {
      this.#rerun.add(wgId);
      this.#reasons.set(wgId, [...(pending?.reasons ?? [])]);
      return;
    }
    if (!this.#ready.includes(wgId)) this.#ready.push(wgId);
    this.#reasons.set(wgId, [...(pending?.reasons ?? [])]);
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#running !== null) return;
    const next = this.#ready.shift();
    if (next === undefined) {
      this.#settle();
      return;
    }
    this.#running = next;
    const reasons = this.#reasons.get(next) ?? [];
    this.#reasons.delete(next);
    try {
      await this.run(next, reasons);
    } catch (error) {
      this.logger.error({ wgId: next, err: (error as Error).message }, 'sync job failed');
    } finally {
      this.#running = null;
      if (this.#rerun.delete(next) && !this.#stopped && !this.#ready.includes(next)) this.#ready.push(next);
      void this.#drain();
    }
  }

  #settle(): void {
    if (this.#pending.size === 0 && this.#ready.length === 0 && this.#running === null) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }
}
