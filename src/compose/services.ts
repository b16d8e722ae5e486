import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { esc } from '../slack/views/mrkdwn.js';
import type { Logger } from '../logger.js';
import { AccessService } from '../services/access.js';
import { ConnectService } from '../services/connect.js';
import { DigestService } from '../services/digestService.js';
import { DriftActionService } from '../services/driftActions.js';
import { ExitReportService } from '../services/exitReport.js';
import { WritebackService } from '../services/writeback.js';
import { GroupService } from '../services/groups.js';
import { IdentityService } from '../services/identity.js';
import { ItemActionService } from '../services/itemActions.js';
import { LadderService } from '../services/ladderService.js';
import { LinkService } from '../services/linkService.js';
import { MetricsService, metricsLine } from '../services/metricsService.js';
import { NudgeService } from '../services/nudgeService.js';
import { StatusService } from '../services/status.js';
import { SyncService } from '../services/syncService.js';
import { type TeamHealth, teamHealthLines } from '../services/teamHealth.js';
import { teamHealth } from './teamHealth.js';
import type { Store } from '../store/store.js';
import type { Adapters } from './adapters.js';

export interface Services {
  access: AccessService;
  connect: ConnectService;
  status: StatusService;
  groups: GroupService;
  links: LinkService;
  items: ItemActionService;
  driftActions: DriftActionService;
  identity: IdentityService;
  metrics: MetricsService;
  sync: SyncService;
  digests: DigestService;
  nudges: NudgeService;
  /** The escalation ladder: owner, facilitators, executive sponsor. */
  ladder: LadderService;
  exitReports: ExitReportService;
  writeback: WritebackService;
  teamHealth: TeamHealth;
}

/** The use cases, each given the store, the adapters it needs (as ports) and the clock. */
export function buildServices(
  store: Store,
  adapters: Adapters,
  config: Pick<Config, 'gitlab' | 'creators' | 'handbookProject' | 'usageAllowedHosts'>,
  now: () => Date,
  logger: Logger,
  options: { digestCatchUpMs?: number; syncBudgetMs?: number } = {},
): Services {
  const { gitlab, directory, gitlabPeople } = adapters;
  const gitlabUrl = config.gitlab.url;
  const identity = new IdentityService(store, directory, now);
  const access = new AccessService(store, gitlabPeople, directory, now, {
    allowedNamespaces: config.gitlab.allowedNamespaces,
    creators: config.creators,
    oauth: gitlabPeople?.signIn != null,
  });
  // States are signed with a key derived from the OAuth application's secret; without one, nothing is signed.
  const connect = new ConnectService(
    store,
    access,
    gitlabPeople?.signIn ?? null,
    now,
    config.gitlab.oauth?.clientSecret ?? randomBytes(32).toString('hex'),
  );
  const ladder = new LadderService(
    store,
    adapters.messenger,
    directory,
    identity,
    now,
    logger.child({ component: 'ladder' }),
    access,
  );
  const metrics = new MetricsService(store, gitlab, now, logger.child({ component: 'metrics' }));
  const health = teamHealth(store, adapters, identity, now, logger, config.usageAllowedHosts);
  return {
    access,
    connect,
    status: new StatusService(store, now),
    groups: new GroupService(store, now),
    links: new LinkService(store, gitlabUrl, now, config.gitlab.allowedNamespaces),
    items: new ItemActionService(store, gitlab, now, logger.child({ component: 'items' })),
    driftActions: new DriftActionService(store, adapters.storyWrites, logger.child({ component: 'drift' })),
    identity,
    metrics,
    sync: new SyncService(store, gitlab, now, logger.child({ component: 'sync' }), {
      ...(options.syncBudgetMs !== undefined ? { budgetMs: options.syncBudgetMs } : {}),
    }),
    digests: new DigestService(store, adapters.digestPoster, now, {
      logger: logger.child({ component: 'digest' }),
      ...(options.digestCatchUpMs !== undefined ? { catchUpMs: options.digestCatchUpMs } : {}),
      metricsLine: async (group) => {
        const delivery = await metrics.forGroup(group).catch(() => []);
        const lines = [...delivery.map(metricsLine), await teamHealthLines(health, group, esc)];
        return lines.filter(Boolean).join('\n') || null;
      },
      metricSeries: (group) => metrics.weeklyForGroup(group),
    }),
    nudges: new NudgeService(
      store,
      adapters.messenger,
      directory,
      identity,
      now,
      logger.child({ component: 'nudges' }),
      access,
      ladder,
    ),
    ladder,
    writeback: new WritebackService(store, adapters.handbookRepo, config.handbookProject ?? null, now),
    exitReports: new ExitReportService(
      store,
      adapters.exitReportPoster,
      now,
      logger.child({ component: 'exit' }),
    ),
    teamHealth: health,
  };
}
