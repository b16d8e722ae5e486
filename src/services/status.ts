import { localDate } from '../domain/dates.js';
import { didYouMean } from '../domain/suggest.js';
import { ROLE_KIND_ORDER } from '../domain/roles.js';
import type {
  Coverage,
  CriterionProgress,
  FollowUp,
  GitlabFigureOrigin,
  Health,
  IsoDate,
  Lifecycle,
  PercentSource,
  RoleKind,
  WorkingGroup,
} from '../domain/types.js';
import type { Store } from '../store/store.js';
import { driftReportFrom } from './drift.js';
import { type HistoryAnswer, historyOf } from './criteriaHistory.js';
import type { Forecast } from './forecast.js';
import { type EvaluatedItem, type GroupState, loadGroupState } from './groupState.js';

/**
 * `wgbot status <slug> --json` — a contract: other programs read these names (the README lists them).
 * Fields beyond the contract are additions, never renames.
 */
export interface StatusReport {
  slug: string;
  name: string;
  targetEndDate: IsoDate | null;
  channel: string | null;
  /** Mean of the top-level exit criteria that have a figure; null when none has one (never a made-up 0). */
  overall: number | null;
  syncedAt: string | null;
  criteria: StatusCriterion[];
  roles: StatusRole[];
  items: StatusItem[];
  lifecycle: Lifecycle;
  /** The day the group ended; null unless it has ended. */
  endedOn: IsoDate | null;
  /** How many top-level exit criteria have a figure, of how many. */
  coverage: Coverage;
  // Additions:
  outcome: string | null;
  description: string | null;
  businessGoal: string | null;
  createdDate: IsoDate | null;
  today: IsoDate;
  daysLeft: number | null;
  currentSprint: {
    title: string;
    number: number | null;
    startDate: IsoDate | null;
    endDate: IsoDate | null;
  } | null;
  entryCriteria: StatusCriterion[];
  followUps: FollowUp[];
  syncError: { message: string; at: string } | null;
  counts: { items: number; open: number; done: number; overdue: number };
  docUrl: string | null;
  taskBoardUrl: string | null;
  /** The Slack channel the group is bound to, when known. */
  channelId: string | null;
  /** Each GitLab link and how its latest fetch went: one failing link does not stop the others. */
  links: StatusLink[];
  /**
   * Where the overall figure is going: the day 100 % is reached at the pace of the last weeks (null when
   * no day can be said), the pace in percentage points a week, and the verdict against the target. Null
   * for a paused or ended group.
   */
  forecast: Forecast | null;
  /** How many things the plan and GitLab disagree on (`wgbot drift`); absent where they were not counted. */
  disagreements?: number;
}

export interface StatusLink {
  url: string;
  /** As GitLab last reported it; null before the first good fetch. */
  title: string | null;
  /** The exit criterion the link is behind; null for the group's own items. */
  criterionId: number | null;
  lastOkAt: string | null;
  /** The latest fetch failed: why, and when. */
  error: { message: string; at: string } | null;
}

export interface StatusCriterion {
  title: string;
  percent: number | null;
  source: PercentSource | null;
  children: StatusCriterion[];
  url: string | null;
  owner: string | null;
  /** 'page says 100 %, sub-items say 33 %' when a figure and its sub-items' roll-up disagree. */
  flag: string | null;
  // Additions:
  /** GitLab's health of the object behind the criterion; null when GitLab gives none. */
  health?: Health | null;
  /** For a figure from GitLab: the object it comes from (its title) and when it was synced. */
  gitlabFrom?: GitlabFigureOrigin | null;
  /** Made from a key result of an objective the group links. */
  fromOkr?: boolean;
}

export interface StatusRole {
  role: string;
  kind: RoleKind;
  name: string;
  title: string | null;
  slackUserId: string | null;
  /** The person's GitLab username (@handle), when known. */
  handle: string | null;
}

export interface StatusItem {
  title: string;
  state: 'open' | 'done';
  sprint: string | null;
  owner: string | null;
  dueDate: IsoDate | null;
  overdue: boolean;
  url: string | null;
  confidential: boolean;
  // Additions:
  id: number;
  owners: string[];
  ownerSlackUserIds: (string | null)[];
  story: string | null;
  sprintEnd: IsoDate | null;
  snoozedUntil: string | null;
  notes: string | null;
  source: 'epic_task' | 'gitlab_issue' | 'gitlab_epic' | 'manual';
  /** Days since it fell due (its due date, or its sprint's end), while overdue; else null. */
  daysLate: number | null;
  /** GitLab's health status of the issue or work item; null or absent when GitLab gives none. */
  health?: Health | null;
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** "no working group 'x'", with the slug that was probably meant, or the ones there are. */
export function noGroupMessage(slug: string, known: string[]): string {
  if (known.length === 0) return `no working group '${slug}': import one first with 'wgbot import <page.md>'`;
  const near = didYouMean(slug, known);
  if (near) return `no working group '${slug}' — did you mean '${near}'?`;
  return `no working group '${slug}' (there are: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''})`;
}

function toStatusCriterion(c: CriterionProgress): StatusCriterion {
  return {
    title: c.title,
    percent: c.percent,
    source: c.source,
    children: c.children.map(toStatusCriterion),
    url: c.url,
    owner: c.owner,
    flag: c.flag,
    health: c.health ?? null,
    gitlabFrom: c.gitlabFrom ?? null,
    fromOkr: c.fromOkr === true,
  };
}

export function toStatusItem({ item, sprint, overdue, daysLate }: EvaluatedItem): StatusItem {
  return {
    title: item.title,
    state: item.state,
    sprint: sprint?.title ?? item.sprint?.title ?? null,
    owner: item.owners.length > 0 ? item.owners.join(', ') : null,
    dueDate: item.dueDate,
    overdue,
    url: item.url,
    confidential: item.confidential,
    id: item.id,
    owners: item.owners,
    ownerSlackUserIds: item.ownerSlackUserIds,
    story: item.storyRef,
    sprintEnd: sprint?.endDate ?? null,
    snoozedUntil: item.snoozedUntil,
    notes: item.notes,
    source: item.source,
    daysLate,
    health: item.health ?? null,
  };
}

/** The status report of a group's state: pure, so the CLI, Slack and the demo show the same thing. */
export function statusReport(state: GroupState): StatusReport {
  const { group } = state;
  const items = state.items.map(toStatusItem);
  const roles = [...state.roles]
    .map((r, i) => ({ r, i }))
    .sort((a, b) => ROLE_KIND_ORDER.indexOf(a.r.kind) - ROLE_KIND_ORDER.indexOf(b.r.kind) || a.i - b.i)
    .map(({ r }) => ({
      role: r.role,
      kind: r.kind,
      name: r.name,
      title: r.title,
      slackUserId: r.slackUserId,
      handle: r.gitlabUsername,
    }));
  return {
    slug: group.slug,
    name: group.name,
    targetEndDate: group.targetEndDate,
    channel: group.channel,
    overall: state.overall,
    syncedAt: state.sync.lastSuccessAt,
    criteria: state.exit.map(toStatusCriterion),
    roles,
    items,
    lifecycle: group.lifecycle,
    endedOn: group.lifecycle === 'ended' ? group.endedOn : null,
    coverage: state.coverage,
    outcome: group.outcome,
    description: group.description,
    businessGoal: group.businessGoal,
    createdDate: group.createdDate,
    today: state.today,
    daysLeft: state.daysLeft,
    currentSprint: state.currentSprint
      ? {
          title: state.currentSprint.title,
          number: state.currentSprint.number,
          startDate: state.currentSprint.startDate,
          endDate: state.currentSprint.endDate,
        }
      : null,
    entryCriteria: state.entry.map(toStatusCriterion),
    followUps: state.followUps,
    syncError:
      state.sync.lastError && state.sync.lastErrorAt
        ? { message: state.sync.lastError, at: state.sync.lastErrorAt }
        : null,
    counts: {
      items: items.length,
      open: items.filter((i) => i.state === 'open').length,
      done: items.filter((i) => i.state === 'done').length,
      overdue: items.filter((i) => i.overdue).length,
    },
    docUrl: group.docUrl,
    taskBoardUrl: group.taskBoardUrl,
    channelId: group.slackChannelId,
    links: state.links.map((l) => ({
      url: l.url,
      title: l.title,
      criterionId: l.criterionId,
      lastOkAt: l.lastOkAt,
      error: l.lastError && l.lastErrorAt ? { message: l.lastError, at: l.lastErrorAt } : null,
    })),
    forecast: state.forecast,
  };
}

const MAX_CACHED_REPORTS = 200;

export class StatusService {
  /** Reports by group, valid while nothing was written and the group's day has not turned. */
  readonly #cache = new Map<number, { key: string; report: StatusReport }>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /**
   * The group's report, computed once per change: `/wg status` is read far more often than GitLab
   * changes, and a 500-item group takes milliseconds to evaluate. Relative times ("synced 4 min ago")
   * are rendered by the views from `now`, so a cached report never shows a stale age.
   */
  report(group: WorkingGroup): StatusReport {
    const now = this.now();
    const key = `${this.store.changeStamp()}|${localDate(now, group.timezone)}|${group.id}`;
    const cached = this.#cache.get(group.id);
    if (cached && cached.key === key) return cached.report;
    const state = loadGroupState(this.store, group, now);
    const drift = driftReportFrom(this.store, group, state.today, state.items);
    const report: StatusReport = { ...statusReport(state), disagreements: drift.findings.length };
    this.#cache.set(group.id, { key, report });
    // Bounded by reports rather than items: a report of a 10,000-item group holds megabytes.
    if (this.#cache.size > MAX_CACHED_REPORTS) this.#cache.delete(this.#cache.keys().next().value!);
    return report;
  }

  /** The group's criteria history, newest first and bounded: of one criterion ('2', '1.3') or of all. */
  history(group: WorkingGroup, criterionPath: string | null, limit?: number): HistoryAnswer {
    return historyOf(this.store, group, criterionPath, limit);
  }

  /** The group with this slug, or a NotFoundError that lists the slugs there are. */
  requireGroup(slug: string) {
    const group = this.store.groups.getBySlug(slug);
    if (group) return group;
    const known = this.store.groups
      .list()
      .filter((g) => g.lifecycle !== 'ended')
      .map((g) => g.slug);
    throw new NotFoundError(noGroupMessage(slug, known));
  }

  status(slug: string): StatusReport {
    return this.report(this.requireGroup(slug));
  }
}
