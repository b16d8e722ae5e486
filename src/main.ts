import type { AddressInfo } from 'node:net';
import type { Clock } from './clock.js';
import { buildAdapters } from './compose/adapters.js';
import { type Jobs, registerJobs } from './compose/jobs.js';
import { httpRoutes } from './compose/routes.js';
import { buildServices } from './compose/services.js';
import { slackListeners } from './compose/slack.js';
import { type Config, ConfigError } from './config.js';
import type { GitlabClient } from './gitlab/client.js';
import type { RequestPolicy } from './gitlab/http.js';
import type { DigestSchedules } from './jobs/digestSchedules.js';
import type { Scheduler } from './jobs/scheduler.js';
import type { SyncQueue, SyncQueueOptions } from './jobs/syncQueue.js';
import type { Logger } from './logger.js';
import type { DigestService } from './services/digestService.js';
import type { NudgeService } from './services/nudgeService.js';
import type { SyncService } from './services/syncService.js';
import { createSlackApp, type SlackApp } from './slack/app.js';
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
  /** Overrides HOST (config.host). */
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
  /** The start-up digest recovery (finishing cut-off digests, catching up missed ones), settled. */
  recovery: Promise<void>;
  /** Graceful: stops taking work, finishes the sync in flight, closes the server and the database. */
  stop(): Promise<void>;
}

/** Checked before anything starts: a process that cannot serve must exit, not linger with its cron jobs. */
function requireSlackCredentials(config: Config): asserts config is Config & { slack: { botToken: string } } {
  if (!config.slack.botToken)
    throw new ConfigError('SLACK_BOT_TOKEN is required to serve (see README: Slack app)');
  if (!config.slack.appToken && !config.slack.signingSecret)
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    );
}

/** The composition root: config → database → adapters → services → jobs → Bolt app and HTTP routes. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, clock, logger } = options;
  requireSlackCredentials(config);
  const now = () => clock.now();
  const store = openStore(config.databasePath, now);
  const adapters = buildAdapters(config, logger, now, options);
  const services = buildServices(store, adapters, config, now, logger, {
    digestCatchUpMs: config.digestCatchUpMs,
    syncBudgetMs: config.syncBudgetMs,
  });
  const jobs = registerJobs(store, services, clock, logger, {
    syncIntervalMinutes: config.syncIntervalMinutes,
    mode: options.cron === false ? 'manual' : 'cron',
    syncQueue: options.syncQueue,
    gitlab: adapters.gitlab,
  });
  let slack: SlackApp;
  let address: AddressInfo;
  try {
    slack = createSlackApp({
      botToken: config.slack.botToken,
      signingSecret: config.slack.signingSecret,
      appToken: config.slack.appToken,
      apiUrl: config.slack.apiUrl,
      startTimeoutMs: config.slack.startTimeoutMs,
      ...(options.socketPingTimeoutMs ? { socketPingTimeoutMs: options.socketPingTimeoutMs } : {}),
      ...(options.slackRetries !== undefined ? { retries: options.slackRetries } : {}),
      now,
      logger,
      ingress: config.ingress,
      routes: httpRoutes({
        store,
        config,
        jobs,
        now,
        logger,
        connect: services.connect,
        slackConnected: () => slack.connected(),
      }),
      listeners: slackListeners(store, services, adapters, jobs, config, now, logger),
    });
    address = await slack.start(config.port, options.host ?? config.host, options.signal);
  } catch (error) {
    // A port in use or a token Slack refuses: stop what already started, so the process can exit.
    await jobs.settle();
    store.close();
    throw error;
  }
  logger.info(
    { host: address.address, port: address.port, mode: config.slack.appToken ? 'socket' : 'http' },
    'wgbot is listening',
  );
  const recovery = jobs.startUp();
  return running({
    recovery,
    address,
    store,
    slack,
    jobs,
    services: {
      digests: services.digests,
      nudges: services.nudges,
      sync: services.sync,
      gitlab: adapters.gitlab,
    },
    logger,
  });
}

/** The running server's handle: what tests and `wgbot serve` reach into, and a stop that runs once. */
function running(parts: {
  recovery: Promise<void>;
  address: AddressInfo;
  store: Store;
  slack: SlackApp;
  jobs: Jobs;
  services: Pick<RunningServer, 'digests' | 'nudges' | 'sync' | 'gitlab'>;
  logger: Logger;
}): RunningServer {
  const { store, slack, jobs, logger } = parts;
  let stopped = false;
  return {
    address: parts.address,
    recovery: parts.recovery,
    store,
    ...parts.services,
    schedules: jobs.schedules,
    slack,
    syncQueue: jobs.syncQueue,
    scheduler: jobs.scheduler,
    async stop() {
      if (stopped) return;
      stopped = true;
      // No new jobs or syncs; the digest, nudge run or sync under way finishes; then Slack and the database.
      await jobs.settle();
      await slack.stop();
      store.close();
      logger.info('wgbot stopped');
    },
  };
}
