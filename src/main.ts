import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import type { Clock } from './clock.js';
import { type Config, ConfigError } from './config.js';
import { createGitlabClient, type GitlabClient } from './gitlab/client.js';
import type { RequestPolicy } from './gitlab/http.js';
import { createGitlabWebhookHandler } from './gitlab/webhook.js';
import { createHealthHandler } from './http/health.js';
import { DigestSchedules } from './jobs/digestSchedules.js';
import { Scheduler } from './jobs/scheduler.js';
import { SyncQueue, type SyncQueueOptions } from './jobs/syncQueue.js';
import type { Logger } from './logger.js';
import { DigestService } from './services/digestService.js';
import { boundedClientOptions, digestWebClient } from './slack/webClients.js';
import { GroupService } from './services/groups.js';
import { IdentityService } from './services/identity.js';
import { ItemActionService } from './services/itemActions.js';
import { LinkService } from './services/linkService.js';
import { MetricsService, metricsLine } from './services/metricsService.js';
import { NudgeService } from './services/nudgeService.js';
import { StatusService } from './services/status.js';
import { SyncService } from './services/syncService.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
import { boltLogger } from './slack/boltLogger.js';
import { SlackDirectory } from './slack/directory.js';
import { openStore, type Store } from './store/store.js';

export interface ServerOptions {
  config: Config;
  clock: Clock;
  logger: Logger;
  /** Overrides for tests and benchmarks (fast retries, short debounce). */
  slackRetries?: number;
  gitlabPolicy?: Partial<RequestPolicy>;
  gitlabSleep?: (ms: number) => Promise<void>;
  syncQueue?: Partial<SyncQueueOptions>;
  /** Whether to run cron jobs (periodic sync); tests drive jobs by hand. */
  cron?: boolean;
  host?: string;
  /** Aborted: a stop (SIGTERM, SIGINT) asked for while starting; start then gives up at once. */
  signal?: AbortSignal;
  /** Socket Mode's pong timeout and reconnect delay step; tests shorten the 5 s default. */
  socketPingTimeoutMs?: number;
}

export interface RunningServer {
  address: AddressInfo;
  store: Store;
  digests: DigestService;
  nudges: NudgeService;
  schedules: DigestSchedules;
  slack: SlackApp;
  syncQueue: SyncQueue;
  scheduler: Scheduler;
  sync: SyncService;
  gitlab: GitlabClient | null;
  /** Graceful: stops taking work, finishes the sync in flight, closes the server and the database. */
  stop(): Promise<void>;
}

/** The sync job's cron: every N minutes, or every N hours when N is whole hours (120 → two-hourly). */
export function syncCron(minutes: number): string {
  if (minutes >= 60 && minutes % 60 === 0) return `0 */${minutes / 60} * * *`;
  return `*/${Math.min(minutes, 59)} * * * *`;
}

/** How long a stop waits for the job under way (Docker kills 10 s after SIGTERM). */
const SHUTDOWN_GRACE_MS = 8_000;

/** The composition root: config → database → adapters → services → Bolt app + scheduler. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, clock, logger } = options;
  // Checked before anything starts: a process that cannot serve must exit, not linger with its cron jobs.
  if (!config.slack.botToken)
    throw new ConfigError('SLACK_BOT_TOKEN is required to serve (see README: Slack app)');
  if (!config.slack.appToken && !config.slack.signingSecret)
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  const now = () => clock.now();
  const store = openStore(config.databasePath, now);

  const gitlab = config.gitlab.token
    ? createGitlabClient({
        url: config.gitlab.url,
        token: config.gitlab.token,
        ...(options.gitlabPolicy ? { policy: options.gitlabPolicy } : {}),
        deps: {
          now,
          ...(options.gitlabSleep ? { sleep: options.gitlabSleep } : {}),
          log: (e) =>
            logger.debug(
              { gitlab: e.endpoint, status: e.status, attempt: e.attempt, ms: e.ms },
              'gitlab request',
            ),
        },
      })
    : null;
  if (!gitlab)
    logger.warn('GITLAB_TOKEN is not set: wgbot answers from what it has stored and does not sync');

  const sync = new SyncService(store, gitlab, now, logger.child({ component: 'sync' }));
  const syncQueue = new SyncQueue(
    async (wgId) => {
      const group = store.groups.getById(wgId);
      if (group) await sync.syncGroup(group);
    },
    { debounceMs: 5_000, maxWaitMs: 60_000, now: () => clock.now().getTime(), ...options.syncQueue },
    logger.child({ component: 'sync-queue' }),
  );
  const scheduler = new Scheduler(
    logger.child({ component: 'scheduler' }),
    options.cron === false ? 'manual' : 'cron',
  );
  scheduler.schedule('sync', syncCron(config.syncIntervalMinutes), 'UTC', () => {
    for (const source of new Set(store.sources.listAll().map((s) => s.wgId)))
      syncQueue.request(source, 'cron');
  });

  const status = new StatusService(store, now);
  const groups = new GroupService(store, now);
  const links = new LinkService(store, config.gitlab.url, now);
  const items = new ItemActionService(store, gitlab, now, logger.child({ component: 'items' }));
  // The directory has a Web API client of its own (same token and URL as Bolt's): users.info and
  // conversations.info are reads any listener may need, before or outside Bolt's request context.
  const slackClient = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
    ...boundedClientOptions(options.slackRetries),
  });
  const directory = new SlackDirectory(slackClient, now);
  const identity = new IdentityService(store, directory, now);
  const requestSync = (wgId: number) => syncQueue.request(wgId, 'slack', true);
  const metrics = new MetricsService(store, gitlab, now, logger.child({ component: 'metrics' }));
  const digestClient = digestWebClient(config.slack.botToken, {
    apiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
  });
  const digests = new DigestService(store, digestClient, now, {
    logger: logger.child({ component: 'digest' }),
    metricsLine: async (group) => (await metrics.forGroup(group)).map(metricsLine).join('\n') || null,
  });
  const nudges = new NudgeService(
    store,
    slackClient,
    directory,
    identity,
    now,
    logger.child({ component: 'nudges' }),
  );
  const schedules = new DigestSchedules(
    scheduler,
    store,
    digests,
    logger.child({ component: 'digest-schedules' }),
  );
  schedules.reloadAll();
  // Schedules changed by another process (`wgbot schedule`, a new group from `wgbot import`) within a minute.
  scheduler.schedule('schedules', '* * * * *', 'UTC', () => schedules.refresh());
  scheduler.schedule('nudges', '*/15 * * * *', 'UTC', async () => {
    await nudges.run();
    await schedules.retryFailed(now());
  });
  /**
   * Stops the jobs and syncs, waiting up to SHUTDOWN_GRACE_MS for the ones under way: Docker sends SIGKILL
   * 10 s after SIGTERM. Work cut off there is safe to redo — a sync writes in one transaction, a digest is
   * found by its marker before it is posted again.
   */
  const settle = async () => {
    const jobs = scheduler.stop();
    syncQueue.stop();
    const finished = await Promise.race([
      Promise.all([jobs, syncQueue.idle()]).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref()),
    ]);
    if (!finished) logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'stopping with a job still under way');
  };
  const abandon = async () => {
    await settle();
    store.close();
  };
  let slack: ReturnType<typeof createSlackApp>;
  let address: Awaited<ReturnType<typeof slack.start>>;
  try {
    slack = createSlackApp({
      botToken: config.slack.botToken,
      signingSecret: config.slack.signingSecret,
      appToken: config.slack.appToken,
      apiUrl: config.slack.apiUrl,
      startTimeoutMs: config.slack.startTimeoutMs,
      ...(options.socketPingTimeoutMs ? { socketPingTimeoutMs: options.socketPingTimeoutMs } : {}),
      now,
      logger,
      ...(options.slackRetries !== undefined ? { retries: options.slackRetries } : {}),
      routes: {
        '/gitlab/webhook': {
          POST: createGitlabWebhookHandler({
            store,
            secret: config.gitlab.webhookSecret,
            schedule: (wgId, reason) => syncQueue.request(wgId, reason),
            now,
            logger,
          }),
        },
        '/healthz': {
          GET: createHealthHandler({
            store,
            now,
            staleAfterMs: config.syncIntervalMinutes * 3 * 60_000,
            ...(config.healthzToken ? { detailsToken: config.healthzToken } : {}),
            // Socket Mode: healthy only while the WebSocket to Slack is up.
            slack: () => slack.connected(),
            scheduler: () => ({
              running: scheduler.running,
              jobs: scheduler.jobs(),
              syncQueue: syncQueue.state,
            }),
          }),
        },
      },
      listeners: {
        store,
        now,
        logger,
        gitlabUrl: config.gitlab.url,
        status,
        groups,
        identity,
        directory,
        links,
        items,
        digests,
        nudges,
        metrics,
        schedules,
        requestSync,
        syncNow: gitlab ? (group) => sync.syncGroup(group) : null,
      },
    });
    address = await slack.start(config.port, options.host, options.signal);
  } catch (error) {
    // A port in use or a token Slack refuses: stop what already started, so the process can exit.
    await abandon();
    throw error;
  }
  logger.info({ port: address.port, mode: config.slack.appToken ? 'socket' : 'http' }, 'wgbot is listening');

  let stopped = false;
  return {
    address,
    store,
    digests,
    nudges,
    schedules,
    slack,
    syncQueue,
    scheduler,
    sync,
    gitlab,
    async stop() {
      if (stopped) return;
      stopped = true;
      // No new jobs or syncs; the digest, nudge run or sync under way finishes; then Slack and the database.
      await settle();
      await slack.stop();
      store.close();
      logger.info('wgbot stopped');
    },
  };
}
