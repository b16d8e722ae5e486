import type { Config } from '../config.js';
import { createGitlabWebhookHandler } from '../gitlab/webhook.js';
import { createHealthHandler } from '../http/health.js';
import { createOauthCallbackHandler } from '../http/oauthCallback.js';
import type { Logger } from '../logger.js';
import type { ConnectService } from '../services/connect.js';
import type { RouteHandler } from '../slack/receiver.js';
import type { Store } from '../store/store.js';
import type { Jobs } from './jobs.js';

export type Routes = Record<string, Partial<Record<'GET' | 'POST', RouteHandler>>>;

/** The HTTP routes beside Slack's: GitLab's webhook, GitLab sign-in's callback and the health check. */
export function httpRoutes(deps: {
  store: Store;
  config: Config;
  jobs: Jobs;
  now: () => Date;
  logger: Logger;
  /** `/wg connect`: GitLab's OAuth2 redirect comes back here. */
  connect: Pick<ConnectService, 'finish'>;
  /** Socket Mode: whether the WebSocket to Slack is up; null in HTTP mode. */
  slackConnected: () => boolean | null;
}): Routes {
  const { store, config, jobs, now, logger } = deps;
  return {
    '/gitlab/webhook': {
      POST: createGitlabWebhookHandler({
        store,
        secret: config.gitlab.webhookSecret,
        schedule: (wgId, reason) => jobs.syncQueue.request(wgId, reason),
        now,
        logger,
      }),
    },
    '/gitlab/oauth/callback': {
      GET: createOauthCallbackHandler({
        connect: deps.connect,
        logger: logger.child({ component: 'connect' }),
      }),
    },
    '/healthz': {
      GET: createHealthHandler({
        store,
        now,
        staleAfterMs: config.syncIntervalMinutes * 3 * 60_000,
        ...(config.healthzToken ? { detailsToken: config.healthzToken } : {}),
        // Socket Mode: healthy only while the WebSocket to Slack is up.
        slack: deps.slackConnected,
        scheduler: () => ({
          running: jobs.scheduler.running,
          jobs: jobs.scheduler.jobs(),
          syncQueue: jobs.syncQueue.state,
        }),
      }),
    },
  };
}
