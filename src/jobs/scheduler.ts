import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';

export interface JobInfo {
  name: string;
  pattern: string;
  timezone: string;
  nextRun: string | null;
  lastError: string | null;
}

/**
 * Named cron jobs on node-cron, with time zones. Re-scheduling a name replaces its job, so a changed
 * digest schedule takes effect without a restart. Jobs are plain functions; they read the time from the
 * injected clock, never from the trigger, so the same functions run in tests without cron.
 */
export class Scheduler {
  readonly #tasks = new Map<
    string,
    {
      task: ScheduledTask;
      pattern: string;
      timezone: string;
      lastError: string | null;
      run: () => Promise<void>;
    }
  >();
  #running = true;
  /** Jobs under way, so `stop()` can let them finish (a digest being posted, a nudge run). */
  readonly #inFlight = new Set<Promise<void>>();

  /**
   * `cron`: node-cron fires the jobs on the wall clock. `manual`: nothing fires by itself; `tick(now)`
   * runs the jobs whose pattern matches `now` — how tests and the demo run weeks in milliseconds.
   */
  constructor(
    private readonly logger: Logger = silentLogger,
    private readonly mode: 'cron' | 'manual' = 'cron',
  ) {}

  schedule(name: string, pattern: string, timezone: string, job: () => Promise<unknown> | unknown): void {
    if (!cron.validate(pattern)) throw new Error(`'${pattern}' is not a cron expression`);
    this.unschedule(name);
    if (!this.#running) return;
    const entry = {
      task: undefined as unknown as ScheduledTask,
      pattern,
      timezone,
      lastError: null as string | null,
      run: async () => {
        const running = (async () => {
          try {
            await job();
            entry.lastError = null;
          } catch (error) {
            entry.lastError = (error as Error).message;
            this.logger.error({ job: name, err: entry.lastError }, 'scheduled job failed');
          }
        })();
        this.#inFlight.add(running);
        try {
          await running;
        } finally {
          this.#inFlight.delete(running);
        }
      },
    };
    entry.task = cron.createTask(pattern, () => entry.run(), { timezone, name, noOverlap: true });
    if (this.mode === 'cron') void entry.task.start();
    this.#tasks.set(name, entry);
  }

  /** Runs a job once, now (start-up work), tracked like a scheduled one: `stop()` waits for it. */
  runNow(name: string, job: () => Promise<unknown> | unknown): Promise<void> {
    if (!this.#running) return Promise.resolve();
    const running = (async () => {
      try {
        await job();
      } catch (error) {
        this.logger.error({ job: name, err: (error as Error).message }, 'job failed');
      }
    })();
    this.#inFlight.add(running);
    void running.finally(() => this.#inFlight.delete(running));
    return running;
  }

  unschedule(name: string): void {
    const entry = this.#tasks.get(name);
    if (!entry) return;
    void entry.task.destroy();
    this.#tasks.delete(name);
  }

  /** Manual mode: runs, one after the other, every job due at `now` (a whole minute). Returns their names. */
  async tick(now: Date): Promise<string[]> {
    const due = [...this.#tasks.entries()].filter(([, e]) => e.task.match(now));
    for (const [, entry] of due) await entry.run();
    return due.map(([name]) => name);
  }

  has(name: string): boolean {
    return this.#tasks.has(name);
  }

  /** Fires nothing more; returns once the jobs under way have finished. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const name of [...this.#tasks.keys()]) this.unschedule(name);
    await Promise.all([...this.#inFlight]);
  }

  get running(): boolean {
    return this.#running;
  }

  jobs(): JobInfo[] {
    return [...this.#tasks.entries()].map(([name, e]) => ({
      name,
      pattern: e.pattern,
      timezone: e.timezone,
      nextRun: this.mode === 'cron' ? (e.task.getNextRun()?.toISOString() ?? null) : null,
      lastError: e.lastError,
    }));
  }
}
