import { localDate } from '../domain/dates.js';
import type { Forecast } from '../domain/forecast.js';
import { countsByDay, rewind } from '../domain/itemHistory.js';
import {
  diffSnapshots,
  type ProgressBaseline,
  type ProgressSnapshot,
  type SnapshotDiff,
} from '../domain/snapshot.js';
import { resolveSprint } from '../domain/sprints.js';
import type { WorkingGroup } from '../domain/types.js';
import type { WeekFigure } from '../domain/usage.js';
import type { Store } from '../store/store.js';
import { type DriftReport, driftReportFrom } from './drift.js';
import { metricSeries } from './metricSeries.js';
import { loadGroupState, toSnapshot } from './groupState.js';
import { type StatusItem, type StatusReport, statusReport } from './status.js';

export interface BurnupPoint {
  at: Date;
  /** Null while no top-level criterion had a figure: the line has a gap there. */
  overall: number | null;
  /** Top-level criteria by path ('1', '2', …). */
  criteria: Record<string, number | null>;
  /** Action items in the group (the scope) and done at the end of that day; null when not recorded. */
  items: number | null;
  done: number | null;
}

/** The burn-up chart's input (src/charts draws it). */
export interface BurnupInput {
  title: string;
  /** One per recorded day, oldest first; the last is now. */
  points: BurnupPoint[];
  /** Labels for the criteria, by path. */
  criteriaTitles: Record<string, string>;
  targetEndDate: string | null;
  /** Where the ideal line starts at 0 %: the group's start date, else its first recorded day. */
  startDate: string | null;
  /** The group's calendar day now. */
  todayDate: string;
  forecast: Forecast | null;
  today: Date;
  /** Key metrics week by week (the last 8), drawn under the burn-up; absent or empty: no such panel. */
  metrics?: MetricSeries[];
}

/** One key metric over the last weeks, with where its figures come from. */
export interface MetricSeries {
  /** What it measures ('Usage'). */
  label: string;
  /** Where the figures come from ('Prometheus at prom.example: sum(rate(…))'). */
  source: string;
  /** Oldest first; a null week had no figure. */
  weeks: WeekFigure[];
}

export interface SprintRollover {
  sprint: string;
  endDate: string;
  /** Moved to a later sprint since the last digest. */
  movedOn: { title: string; to: string; item: StatusItem | null }[];
  /** Still open in the sprint that ended. */
  stillOpen: StatusItem[];
}

export interface DigestData {
  report: StatusReport;
  snapshot: ProgressSnapshot;
  previous: { snapshot: ProgressBaseline; postedAt: string } | null;
  diff: SnapshotDiff;
  /** Change of each criterion since the last digest, by its path ('1', '1.2'). */
  criterionDelta: Record<string, number>;
  rollovers: SprintRollover[];
  chart: BurnupInput;
  epicUrl: string | null;
  /** Where the plan and GitLab disagree now. */
  drift: DriftReport;
}

const DAY_MS = 86_400_000;
const CHART_DAYS = 180;

/**
 * One point per day (the day's last figures) from the stored days, and today's from now; each with the
 * items and done items at the end of its day, from the item history (today's from the items now).
 */
function dailyPoints(
  store: Store,
  group: WorkingGroup,
  now: ProgressSnapshot,
  counts: { items: number; done: number },
): BurnupPoint[] {
  const from = new Date(new Date(now.takenAt).getTime() - CHART_DAYS * DAY_MS).toISOString();
  const byDay = new Map<string, BurnupPoint>();
  for (const d of store.progressDays.burnup(group.id, from))
    byDay.set(d.day, {
      at: new Date(d.at),
      overall: d.overall,
      criteria: d.criteria,
      items: null,
      done: null,
    });
  const today = now.takenAt.slice(0, 10);
  byDay.set(today, {
    at: new Date(now.takenAt),
    overall: now.overall,
    criteria: Object.fromEntries(
      now.criteria.filter((c) => !c.path.includes('.')).map((c) => [c.path, c.percent]),
    ),
    ...counts,
  });
  const past = [...byDay.keys()].filter((day) => day !== today);
  const recorded = store.itemHistory.recorded(group.id);
  // Item history began with migration 0005: a day before any item was recorded has no counts, not zero.
  if (recorded.length > 0) {
    for (const c of countsByDay(recorded, store.itemHistory.eventsAfter(group.id, from), past)) {
      const point = byDay.get(c.day)!;
      point.items = c.items;
      point.done = c.done;
    }
  }
  return [...byDay.values()];
}

/**
 * The group as the last posted digest saw it: the figures stored with the digest, and the items as
 * recorded now with every later event undone.
 */
function lastDigestBaseline(store: Store, group: WorkingGroup): DigestData['previous'] {
  const last = store.digests.lastPosted(group.id);
  const figures = last?.snapshotId ? store.snapshots.getById(last.snapshotId) : null;
  if (!last || !figures) return null;
  const recorded = store.itemHistory.recorded(group.id);
  const info = new Map(recorded.map((r) => [r.itemId, r]));
  const items = rewind(recorded, store.itemHistory.eventsAfter(group.id, figures.takenAt))
    .filter((i) => i.present)
    .map((i) => ({
      key: `i${i.itemId}`,
      title: info.get(i.itemId)!.title,
      state: i.state,
      sprintNumber: i.sprintNumber,
      sprintTitle: i.sprintTitle,
      dueDate: i.dueDate,
      confidential: info.get(i.itemId)!.confidential,
    }));
  return {
    snapshot: { takenAt: figures.takenAt, overall: figures.overall, criteria: figures.criteria, items },
    postedAt: last.postedAt ?? figures.takenAt,
  };
}

/** Everything a digest says, computed from the store: what it is now, and what changed since the last one. */
export function digestData(store: Store, group: WorkingGroup, now: Date): DigestData {
  const state = loadGroupState(store, group, now);
  const report = statusReport(state);
  const snapshot = toSnapshot(state, now);
  const previous = lastDigestBaseline(store, group);
  const diff = diffSnapshots(previous?.snapshot ?? null, snapshot);

  const pathOfKey = new Map(snapshot.criteria.map((c) => [c.key, c.path]));
  const criterionDelta: Record<string, number> = {};
  if (previous) {
    for (const change of diff.criteria) {
      const path = pathOfKey.get(change.key);
      // A change from or to "no figure yet" has no size: the line shows the new figure without an arrow.
      if (path && change.to !== null && change.from !== null)
        criterionDelta[path] = Math.round((change.to - change.from) * 10) / 10;
    }
  }

  // Sprints that ended since the last digest (or in the last week, for a first digest).
  const since = previous
    ? localDate(new Date(previous.postedAt), group.timezone)
    : localDate(new Date(now.getTime() - 7 * DAY_MS), group.timezone);
  const today = state.today;
  // Every sprint an item was in, now or at the last digest, that ended in between.
  const known = store.sprints.list(group.id);
  const titles = new Map<string, number | null>();
  for (const { item, sprint } of state.items)
    if (sprint) titles.set(sprint.title, sprint.number ?? item.sprint?.number ?? null);
  for (const i of previous?.snapshot.items ?? [])
    if (i.sprintTitle) titles.set(i.sprintTitle, i.sprintNumber);
  const ended = new Map<string, string>();
  for (const [title, number] of titles) {
    const sprint = resolveSprint({ title, number, source: 'text' }, known, group.cadence);
    const end = known.find((k) => k.title === title)?.endDate ?? sprint?.endDate ?? null;
    if (end && end >= since && end < today) ended.set(title, end);
  }
  const byId = new Map(report.items.map((i) => [`i${i.id}`, i]));
  const rollovers: SprintRollover[] = [...ended.entries()].map(([sprint, endDate]) => ({
    sprint,
    endDate,
    movedOn: diff.slipped
      .filter((s) => s.from === sprint)
      .map((s) => ({ title: s.item.title, to: s.to, item: byId.get(s.item.key) ?? null })),
    stillOpen: report.items.filter((i) => i.state === 'open' && i.sprint === sprint),
  }));

  const criteriaTitles = Object.fromEntries(
    snapshot.criteria.filter((c) => !c.path.includes('.')).map((c) => [c.path, c.title]),
  );
  const epic = store.sources.listByWg(group.id).find((s) => s.criterionId === null && s.webUrl);

  return {
    report,
    snapshot,
    previous,
    diff,
    criterionDelta,
    rollovers,
    chart: {
      title: group.name,
      points: dailyPoints(store, group, snapshot, report.counts),
      criteriaTitles,
      targetEndDate: group.targetEndDate,
      startDate: group.createdDate,
      todayDate: report.today,
      forecast: report.forecast,
      today: now,
      metrics: metricSeries(store, group, now),
    },
    epicUrl: epic?.webUrl ?? group.taskBoardUrl,
    drift: driftReportFrom(store, group, state.today, state.items),
  };
}
