import type { App } from '@slack/bolt';
import { driftReport } from '../../services/drift.js';
import { countGroups, groupPage, LISTED_LIFECYCLES } from '../../services/groupList.js';
import { homeData } from '../../services/home.js';
import { PermissionGate } from '../gate.js';
import { GuardedWrites } from '../writes.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import type { ListenerDeps, Listening } from './deps.js';
import { registerEvents } from './events/index.js';
import { registerViews } from './views/index.js';

export type { ListenerDeps } from './deps.js';

/** The listeners' working set, from the services: the gate and the guarded writes built once here. */
export function listening(d: ListenerDeps): Listening {
  const gate = new PermissionGate({
    groups: d.groups,
    identity: d.identity,
    directory: d.directory,
    status: d.status,
    item: (itemId) => d.store.items.getById(itemId),
    access: d.access,
  });
  const writes = new GuardedWrites(d);
  return {
    now: d.now,
    logger: d.logger,
    gitlabUrl: d.gitlabUrl,
    status: d.status,
    groups: d.groups,
    identity: d.identity,
    access: d.access,
    connect: d.connect,
    directory: d.directory,
    links: d.links,
    digests: d.digests,
    drift: {
      report: (group) => driftReport(d.store, group, d.now()),
      storyProject: (itemId) => d.driftActions.storyProject(itemId),
    },
    metrics: d.metrics,
    ladder: d.ladder,
    lists: {
      page: (page) => groupPage(d.store, d.now(), page, LISTED_LIFECYCLES),
      endedCount: () => countGroups(d.store, ['ended']),
      groupsOf: (person) => homeData(d.store, person, d.now()).groups,
    },
    home: (person) => homeData(d.store, person, d.now()),
    nudgeItems: (userId, message) => d.nudges.remaining(userId, message),
    itemBrief: (itemId) => {
      const item = d.store.items.getById(itemId);
      return item && !item.removedAt ? { title: item.title, dueDate: item.dueDate } : null;
    },
    requestSync: d.requestSync,
    syncCooldown: d.syncCooldown,
    syncNow: d.syncNow,
    gate,
    writes,
    teamHealth: d.teamHealth,
  };
}

/** Every Slack listener wgbot has: `/wg`, the buttons, the App Home event and the create form. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const l = listening(deps);
  registerCommands(app, l);
  registerActions(app, l);
  registerEvents(app, l);
  registerViews(app, l);
}
