import type { Clock } from '../clock.js';
import type { GitlabClient } from '../gitlab/client.js';
import { DigestSchedules } from '../jobs/digestSchedules.js';
import { Scheduler } from '../jobs/scheduler.js';
import { SyncQueue, type SyncQueueOptions } from '../jobs/syncQueue.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Services } from './services.js';

export interface Jobs {
  scheduler: Scheduler;
  syncQueue: SyncQueue;
  schedules: DigestSchedules;
  /**
   * Stops the jobs and syncs, waiting up to SHUTDOWN_GRACE_MS for the ones under way: Docker sends SIGKILL
   * 10 s after SIGTERM. Work cut off there is safe to redo — a sync writes in one transaction, a digest is
   * found by its marker before it is posted again.
   */
  settle(): Promise<void>;
  /**
   * Start-up work, once the app listens: digests a stopped or crashed wgbot left half done are finished,
   * and those whose minute passed while it was down are caught up (or recorded as skipped).
   */
  startUp(): Promise<void>;
}

export interface JobOptions {
  syncIntervalMinutes: number;
  /** 'manual': jobs run only when called (tests drive them by hand); 'cron': on their schedules. */
  mode: 'cron' | 'manual';
  /** Overrides of the sync queue's debounce (tests shorten it). */
  syncQueue?: Partial<SyncQueueOptions> | undefined;
  /** Its requests in flight are ended by a stop, whoever made them. */
  gitlab?: GitlabClient | null;
}

/** How long a stop waits for the job under way (Docker kills 10 s after SIGTERM). */
const SHUTDOWN_GRACE_MS = 8_000;

/** The sync job's cron: every N minutes, or every N hours when N is whole hours (120 → two-hourly). */
export function syncCron(minutes: number): string {
  if (minutes >= 60 && minutes % 60 === 0) return `0 */${minutes / 60} * * *`;
  return `*/${Math.min(minutes, 59)} * * * *`;
}

/** The sync queue and the scheduled jobs: periodic sync, each group's digest, nudges and their retries. */
export function registerJobs(
  store: Store,
  services: Services,
  clock: Clock,
  logger: Logger,
  options: JobOptions,
): Jobs {
  const { sync, digests, nudges } = services;
  const syncQueue = new SyncQueue(
    async (wgId, _reasons, signal) => {
      const group = store.groups.getById(wgId);
      if (group) await sync.syncGroup(group, { signal });
    },
    { debounceMs: 5_000, maxWaitMs: 60_000, now: () => clock.now().getTime(), ...options.syncQueue },
    logger.child({ component: 'sync-queue' }),
  );
  const scheduler = new Scheduler(logger.child({ component: 'scheduler' }), options.mode);
  scheduler.schedule('sync', syncCron(options.syncIntervalMinutes), 'UTC', () => {
    for (const source of new Set(store.sources.listAll().map((s) => s.wgId)))
      syncQueue.request(source, 'cron');
  });
  const schedules = new DigestSchedules(
    scheduler,
    store,
    digests,
    () => clock.now(),
    logger.child({ component: 'digest-schedules' }),
  );
  schedules.reloadAll();
  // Schedules changed by another process (`wgbot schedule`, a new group from `wgbot import`) within a
  // minute; a digest whose minute passed unposted (a missed tick) is caught up.
  scheduler.schedule('schedules', '* * * * *', 'UTC', async () => {
    await schedules.refresh();
    await schedules.catchUp(clock.now());
  });
  scheduler.schedule('nudges', '*/15 * * * *', 'UTC', async () => {
    await nudges.run();
    await schedules.retryFailed(clock.now());
    // Groups that reached 100 % or ended get their exit report once (#16).
    await services.exitReports.run();
  });

  // Self-assessment rounds: reminders in each member's working hours, rounds closed at their due time.
  scheduler.schedule('assessments', '*/15 * * * *', 'UTC', () => services.teamHealth.assessments.tick());

  const settle = async () => {
    const jobs = scheduler.stop();
    syncQueue.stop();
    // GitLab requests end now, whoever made them (a sync, a link's first sync, a digest's metrics line).
    options.gitlab?.abort('wgbot is stopping');
    services.teamHealth.abort('wgbot is stopping');
    const finished = await Promise.race([
      Promise.all([jobs, syncQueue.idle()]).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref()),
    ]);
    if (!finished) logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'stopping with a job still under way');
  };
  const startUp = () => scheduler.runNow('digest-recovery', () => schedules.recover(clock.now()));
  return { scheduler, syncQueue, schedules, settle, startUp };
}
