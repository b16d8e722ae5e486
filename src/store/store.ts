import type { Statement } from 'better-sqlite3';
import { type Db, inTransaction, type OpenMode, openDatabase } from './db.js';
import { checkSchema, migrate, MigrationError } from './migrate.js';
import { ActionItemRepository } from './repositories/actionItems.js';
import { CriterionChangeRepository } from './repositories/criterionChanges.js';
import { CriterionRepository } from './repositories/criteria.js';
import { DigestRepository } from './repositories/digests.js';
import { FollowUpRepository } from './repositories/followUps.js';
import { GitlabIdentityRepository } from './repositories/gitlabIdentities.js';
import { GitlabSourceRepository } from './repositories/gitlabSources.js';
import { GroupSubmissionRepository } from './repositories/groupSubmissions.js';
import { GroupSummaryRepository } from './repositories/groupSummaries.js';
import { NudgeRepository } from './repositories/nudges.js';
import { WebhookDeliveryRepository } from './repositories/webhookDeliveries.js';
import { PeopleRepository } from './repositories/people.js';
import { ItemHistoryRepository } from './repositories/itemHistory.js';
import { LadderRepository } from './repositories/ladder.js';
import { MetricProjectRepository } from './repositories/metricProjects.js';
import { ProgressDaysRepository } from './repositories/progressDays.js';
import { ProgressPagesRepository } from './repositories/progressPages.js';
import { RoleRepository } from './repositories/roles.js';
import { SnapshotRepository } from './repositories/snapshots.js';
import { SprintRepository } from './repositories/sprints.js';
import { SyncStateRepository } from './repositories/syncState.js';
import { StoreHealth } from './storeErrors.js';
import { WorkingGroupRepository } from './repositories/workingGroups.js';

/** The database and one repository per table; services take this, never a raw connection. */
export class Store {
  readonly groups: WorkingGroupRepository;
  /** A group's entry and exit criteria. */
  readonly criteria: CriterionRepository;
  /** Every change of a criterion's figure, source, title or owner. */
  readonly criterionChanges: CriterionChangeRepository;
  readonly roles: RoleRepository;
  readonly followUps: FollowUpRepository;
  /** The GitLab projects whose DevOps key metrics a group follows. */
  readonly metricProjects: MetricProjectRepository;
  readonly people: PeopleRepository;
  readonly items: ActionItemRepository;
  readonly sprints: SprintRepository;
  /** Digest baselines: the figures at each posted digest. */
  readonly snapshots: SnapshotRepository;
  readonly progressDays: ProgressDaysRepository;
  readonly itemHistory: ItemHistoryRepository;
  readonly progressPages: ProgressPagesRepository;
  readonly syncState: SyncStateRepository;
  readonly sources: GitlabSourceRepository;
  readonly digests: DigestRepository;
  readonly nudges: NudgeRepository;
  readonly deliveries: WebhookDeliveryRepository;
  readonly summaries: GroupSummaryRepository;
  /** Create-form submissions, so one form makes at most one group. */
  readonly submissions: GroupSubmissionRepository;
  /** A full or failing disk, seen by the last write; `/healthz` reports it. */
  readonly health: StoreHealth;
  /** Slack users' GitLab accounts and how each was proven; OAuth states of connects under way. */
  readonly identities: GitlabIdentityRepository;
  /** The escalation ladder: settings per group, the steps items reached, who was asked, holds. */
  readonly ladder: LadderRepository;

  constructor(
    readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#stamp = db.prepare(
      'SELECT total_changes() AS t, (SELECT data_version FROM pragma_data_version()) AS d',
    );
    this.groups = new WorkingGroupRepository(db);
    this.criteria = new CriterionRepository(db);
    this.criterionChanges = new CriterionChangeRepository(db);
    this.roles = new RoleRepository(db);
    this.followUps = new FollowUpRepository(db);
    this.metricProjects = new MetricProjectRepository(db);
    this.people = new PeopleRepository(db);
    this.items = new ActionItemRepository(db);
    this.sprints = new SprintRepository(db);
    this.snapshots = new SnapshotRepository(db);
    this.progressDays = new ProgressDaysRepository(db);
    this.itemHistory = new ItemHistoryRepository(db);
    this.progressPages = new ProgressPagesRepository(db);
    this.syncState = new SyncStateRepository(db);
    this.sources = new GitlabSourceRepository(db);
    this.digests = new DigestRepository(db);
    this.nudges = new NudgeRepository(db);
    this.deliveries = new WebhookDeliveryRepository(db);
    this.summaries = new GroupSummaryRepository(db, this.groups, this.criteria, this.sprints);
    this.submissions = new GroupSubmissionRepository(db);
    this.health = new StoreHealth(now);
    this.identities = new GitlabIdentityRepository(db);
    this.ladder = new LadderRepository(db);
  }

  /**
   * Changes every time anything is written — by this connection (SQLite's total_changes) or by another
   * process (data_version). Caches of computed answers key on it, so they are never stale.
   */
  changeStamp(): string {
    const row = this.#stamp.get()!;
    return `${row.t}:${row.d}`;
  }

  readonly #stamp: Statement<[], { t: number; d: number }>;

  /**
   * Runs `fn` as one write transaction: every write wgbot makes goes through here. Before it commits, the
   * summaries of the groups it changed are recomputed (`/wg list` reads them), so they never lag the data.
   * A store failure (disk full, I/O error, read-only) is recorded in `health` until a write succeeds.
   */
  transaction<T>(fn: () => T): T {
    let result: T;
    try {
      result = inTransaction(this.db, () => {
        const value = fn();
        this.summaries.refreshStale(this.now());
        return value;
      });
    } catch (error) {
      // A full or failing disk is remembered (it cannot be written down) for /healthz and the logs.
      this.health.record(error);
      throw error;
    }
    this.health.recovered();
    return result;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens the database (see OpenMode: only `create` may make one), applies pending migrations — or, opened
 * read-only, checks there are none — and returns the store. Every refusal names the path.
 */
export function openStore(
  path: string,
  now: () => Date = () => new Date(),
  mode: OpenMode = 'create',
): Store {
  const db = openDatabase(path, mode);
  try {
    if (db.readonly) checkSchema(db);
    else migrate(db, undefined, now);
  } catch (error) {
    db.close();
    if (error instanceof MigrationError) throw new MigrationError(`${path}: ${error.message}`);
    throw error;
  }
  const store = new Store(db, now);
  // Summaries a migration added, or an older wgbot left stale, are computed once here rather than per read.
  if (store.summaries.hasStale()) store.transaction(() => {});
  return store;
}
