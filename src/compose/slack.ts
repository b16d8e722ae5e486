import type { Config } from '../config.js';
import { SyncCooldown } from '../services/syncCooldown.js';
import type { Logger } from '../logger.js';
import type { ListenerDeps } from '../slack/listeners/deps.js';
import type { Store } from '../store/store.js';
import type { Adapters } from './adapters.js';
import type { Jobs } from './jobs.js';
import type { Services } from './services.js';

/** What the `/wg` subcommands, buttons, events and forms are given: the services, the store, the sync queue. */
export function slackListeners(
  store: Store,
  services: Services,
  adapters: Adapters,
  jobs: Jobs,
  config: Config,
  now: () => Date,
  logger: Logger,
): ListenerDeps {
  const { status, groups, identity, links, items, digests, nudges, metrics, sync, access, connect, ladder } =
    services;
  return {
    store,
    now,
    logger,
    gitlabUrl: config.gitlab.url,
    status,
    groups,
    identity,
    access,
    connect,
    directory: adapters.directory,
    links,
    items,
    driftActions: services.driftActions,
    digests,
    nudges,
    metrics,
    ladder,
    schedules: jobs.schedules,
    requestSync: (wgId) => jobs.syncQueue.request(wgId, 'slack', true),
    syncCooldown: new SyncCooldown(now),
    syncNow: adapters.gitlab ? (group) => sync.syncGroup(group) : null,
    writeback: services.writeback,
    teamHealth: services.teamHealth,
  };
}
