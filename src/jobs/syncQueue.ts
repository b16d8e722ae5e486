import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';

export interface SyncQueueOptions {
  /** Wait this long after the last request for a group before syncing it: a burst of webhooks is one sync. */
  debounceMs: number;
  /** …but never longer than this after the first request, so a steady stream still syncs. */
  maxWaitMs: number;
  /**
   * How many groups sync at once (each group at most once). More than one, so a group whose GitLab answers
   * slowly or without end cannot hold up the others until its budget runs out; few, since GitLab's rate
   * limit is per token and the requester shares it anyway.
   */
  maxConcurrent?: number;
  /** The clock, in ms (injected like every clock in wgbot). */
  now?: () => number;
}

/** What a queued run is handed: its group, why it runs, and a signal aborted when the queue stops. */
export type SyncRun = (wgId: number, reasons: string[], signal: AbortSignal) => Promise<unknown>;

interface Pending {
  timer: NodeJS.Timeout;
  firstAt: number;
  reasons: Set<string>;
  urgent: boolean;
}

export const DEFAULT_SYNC_CONCURRENCY = 2;

/**
 * Runs group syncs in the background, fairly: requests for a group are debounced; a group never syncs
 * twice at once, and a request that arrives while its group syncs queues exactly one more run, at the back
 * of the line (round-robin: a group synced again and again cannot starve the others). Up to
 * `maxConcurrent` groups run at once; a person's request (`/wg sync`) goes ahead of background ones.
 * `stop()` aborts the runs under way through their signal.
 */
export class SyncQueue {
  readonly #pending = new Map<number, Pending>();
  /** Ready to run, oldest first: people's requests, then webhooks' and the cron's. */
  readonly #urgent: number[] = [];
  readonly #ready: number[] = [];
  readonly #running = new Map<number, AbortController>();
  readonly #rerun = new Map<number, boolean>();
  readonly #reasons = new Map<number, string[]>();
  readonly #maxConcurrent: number;
  #idleWaiters: (() => void)[] = [];
  #stopped = false;

  constructor(
    private readonly run: SyncRun,
    private readonly options: SyncQueueOptions = { debounceMs: 5_000, maxWaitMs: 60_000 },
    private readonly logger: Logger = silentLogger,
  ) {
    this.#maxConcurrent = Math.max(1, options.maxConcurrent ?? DEFAULT_SYNC_CONCURRENCY);
  }

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
    this.#pending.set(wgId, { timer, firstAt, reasons, urgent: immediate || (pending?.urgent ?? false) });
  }

  /** Groups waiting or running: what /healthz and `/wg sync` report (`running`: the longest-running one). */
  get state(): { pending: number; running: number | null } {
    return {
      pending: this.#pending.size + this.#urgent.length + this.#ready.length,
      running: this.#running.keys().next().value ?? null,
    };
  }

  /** The groups syncing now, in the order they started. */
  get runningGroups(): number[] {
    return [...this.#running.keys()];
  }

  /** Resolves once nothing is pending or running (tests and graceful shutdown wait on it). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Drops what has not started and aborts the syncs under way: their GitLab requests end at once and
   * they write nothing (a sync writes in one transaction at its end, so nothing is left half-done).
   */
  stop(reason = 'wgbot is stopping'): void {
    this.#stopped = true;
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
    this.#urgent.length = 0;
    this.#ready.length = 0;
    this.#rerun.clear();
    for (const controller of this.#running.values()) controller.abort(reason);
    this.#settle();
  }

  #isIdle(): boolean {
    return (
      this.#pending.size === 0 &&
      this.#urgent.length === 0 &&
      this.#ready.length === 0 &&
      this.#running.size === 0
    );
  }

  #enqueue(wgId: number): void {
    const pending = this.#pending.get(wgId);
    this.#pending.delete(wgId);
    const urgent = pending?.urgent ?? false;
    const reasons = [...new Set([...(this.#reasons.get(wgId) ?? []), ...(pending?.reasons ?? [])])];
    this.#reasons.set(wgId, reasons);
    if (this.#running.has(wgId)) {
      this.#rerun.set(wgId, urgent || (this.#rerun.get(wgId) ?? false));
      return;
    }
    this.#line(wgId, urgent);
    this.#drain();
  }

  /** Puts a group in line once; a person's request moves it to the urgent line. */
  #line(wgId: number, urgent: boolean): void {
    if (this.#urgent.includes(wgId)) return;
    const waiting = this.#ready.indexOf(wgId);
    if (waiting >= 0 && !urgent) return;
    if (waiting >= 0) this.#ready.splice(waiting, 1);
    (urgent ? this.#urgent : this.#ready).push(wgId);
  }

  #drain(): void {
    while (!this.#stopped && this.#running.size < this.#maxConcurrent) {
      const next = this.#urgent.shift() ?? this.#ready.shift();
      if (next === undefined) break;
      void this.#start(next);
    }
    this.#settle();
  }

  async #start(wgId: number): Promise<void> {
    const controller = new AbortController();
    this.#running.set(wgId, controller);
    const reasons = this.#reasons.get(wgId) ?? [];
    this.#reasons.delete(wgId);
    try {
      await this.run(wgId, reasons, controller.signal);
    } catch (error) {
      this.logger.error({ wgId, err: (error as Error).message }, 'sync job failed');
    } finally {
      this.#running.delete(wgId);
      const rerun = this.#rerun.get(wgId);
      this.#rerun.delete(wgId);
      if (rerun !== undefined && !this.#stopped) this.#line(wgId, rerun);
      this.#drain();
    }
  }

  #settle(): void {
    if (this.#isIdle()) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
