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
    { task: ScheduledTask; pattern: string; timezone: string; lastError: string | null }
  >();
  #running = true;

  constructor(private readonly logger: Logger = silentLogger) {}

  schedule(name: string, pattern: string, timezone: string, job: () => Promise<unknown> | unknown): void {
    if (!cron.validate(pattern)) throw new Error(`'${pattern}' is not a cron expression`);
    this.unschedule(name);
    if (!this.#running) return;
    const entry = {
      task: undefined as unknown as ScheduledTask,
      pattern,
      timezone,
      lastError: null as string | null,
    };
    entry.task = cron.schedule(
      pattern,
      async () => {
        try {
          await job();
          entry.lastError = null;
        } catch (error) {
          entry.lastError = (error as Error).message;
          this.logger.error({ job: name, err: entry.lastError }, 'scheduled job failed');
        }
      },
      { timezone, name, noOverlap: true },
    );
    this.#tasks.set(name, entry);
  }

  unschedule(name: string): void {
    const entry = this.#tasks.get(name);
    if (!entry) return;
    void entry.task.destroy();
    this.#tasks.delete(name);
  }

  has(name: string): boolean {
    return this.#tasks.has(name);
  }

  stop(): void {
    this.#running = false;
    for (const name of [...this.#tasks.keys()]) this.unschedule(name);
  }

  get running(): boolean {
    return this.#running;
  }

  jobs(): JobInfo[] {
    return [...this.#tasks.entries()].map(([name, e]) => ({
      name,
      pattern: e.pattern,
      timezone: e.timezone,
      nextRun: e.task.getNextRun()?.toISOString() ?? null,
      lastError: e.lastError,
    }));
  }
}
