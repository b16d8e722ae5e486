import type { WorkingGroup } from '../../domain/types.js';
import type { DigestSchedules } from '../../jobs/digestSchedules.js';
import type { Logger } from '../../logger.js';
import type { AccessService } from '../../services/access.js';
import type { ConnectService } from '../../services/connect.js';
import type { DigestService } from '../../services/digestService.js';
import type { DriftActionService } from '../../services/driftActions.js';
import type { GroupService } from '../../services/groups.js';
import type { HomeData } from '../../services/home.js';
import type { IdentityService } from '../../services/identity.js';
import type { ItemActionService } from '../../services/itemActions.js';
import type { LadderService } from '../../services/ladderService.js';
import type { LinkService } from '../../services/linkService.js';
import type { MetricsService } from '../../services/metricsService.js';
import type { NudgeService } from '../../services/nudgeService.js';
import type { Delivered, NudgeItem, Viewer } from '../../services/ports.js';
import type { StatusService } from '../../services/status.js';
import type { WritebackService } from '../../services/writeback.js';
import type { SyncCooldown } from '../../services/syncCooldown.js';
import type { SyncOutcome } from '../../services/syncService.js';
import type { TeamHealth } from '../../services/teamHealth.js';
import type { Person } from '../../store/repositories/people.js';
import type { Store } from '../../store/store.js';
import type { CommandDeps } from '../commands/command.js';
import type { SlackDirectory } from '../directory.js';

/** What the composition root gives the Slack listeners: every dependency required, none optional. */
export interface ListenerDeps {
  store: Store;
  now: () => Date;
  logger: Logger;
  /** GITLAB_URL: what the create form accepts epic URLs on. */
  gitlabUrl: string;
  status: StatusService;
  groups: GroupService;
  identity: IdentityService;
  /** What each user's GitLab account may do; their mapping. */
  access: AccessService;
  /** `/wg connect`: GitLab sign-in. */
  connect: ConnectService;
  directory: SlackDirectory;
  links: LinkService;
  items: ItemActionService;
  /** The drift buttons: create a missing story, tick a line. */
  driftActions: DriftActionService;
  digests: Pick<DigestService, 'build' | 'post' | 'manualPeriod'>;
  nudges: Pick<NudgeService, 'run' | 'remaining'>;
  metrics: MetricsService;
  ladder: Pick<LadderService, 'board' | 'settings' | 'setSettings' | 'hold' | 'blocked'>;
  schedules: Pick<DigestSchedules, 'reload' | 'timeZoneOf'>;
  requestSync: (wgId: number) => void;
  /** `/wg sync` once a minute per group. */
  syncCooldown: Pick<SyncCooldown, 'claim'>;
  /** Syncs a group now; null without a GitLab token. */
  syncNow: ((group: WorkingGroup) => Promise<SyncOutcome>) | null;
  /** The digest's *Update the handbook page*. */
  writeback: Pick<WritebackService, 'run'>;
  /** Self-assessment rounds and the Definition-of-Done check. */
  teamHealth: TeamHealth;
}

/** What each listener works with: the subcommands' dependencies and a few of the listeners' own. */
export interface Listening extends CommandDeps {
  groups: Pick<GroupService, 'resolve' | 'claimSubmission' | 'finishSubmission' | 'slugOf'>;
  logger: Logger;
  gitlabUrl: string;
  identity: Pick<IdentityService, 'personFor' | 'timeZoneOf'>;
  /** A person's App Home: their open items and their groups. */
  home(person: Person): HomeData;
  /** What a nudge DM shows after a click on one of its buttons: what is left of it, for its reader. */
  /** An item's title and due date, for the forms its buttons open; null when it is gone. */
  itemBrief(itemId: number): { title: string; dueDate: string | null } | null;
  nudgeItems(userId: string, message: Delivered): Promise<{ items: NudgeItem[]; viewer: Viewer } | null>;
}
