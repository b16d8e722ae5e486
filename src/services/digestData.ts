import type { BurnupInput, BurnupPoint } from '../charts/burnup.js';
import { localDate } from '../domain/dates.js';
import { diffSnapshots, type ProgressSnapshot, type SnapshotDiff } from '../domain/snapshot.js';
import { resolveSprint } from '../domain/sprints.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { loadGroupState, toSnapshot } from './groupState.js';
import { type StatusItem, type StatusReport, statusReport } from './status.js';

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
  previous: { snapshot: ProgressSnapshot; postedAt: string } | null;
  diff: SnapshotDiff;
  /** Change of each criterion since the last digest, by its path ('1', '1.2'). */
  criterionDelta: Record<string, number>;
  rollovers: SprintRollover[];
  chart: BurnupInput;
  epicUrl: string | null;
}

const DAY_MS = 86_400_000;
const CHART_DAYS = 180;

/** One point per day (the day's last snapshot), so a chart of months of syncs stays light. */
function dailyPoints(snapshots: ProgressSnapshot[], now: ProgressSnapshot): BurnupPoint[] {
  const byDay = new Map<string, ProgressSnapshot>();
  for (const s of [...snapshots, now]) byDay.set(s.takenAt.slice(0, 10), s);
  return [...byDay.values()].map((s) => ({
    at: new Date(s.takenAt),
    overall: s.overall,
    criteria: Object.fromEntries(
      s.criteria.filter((c) => !c.path.includes('.')).map((c) => [c.path, c.percent]),
    ),
  }));
}

/** Everything a digest says, computed from the store: what it is now, and what changed since the last one. */
export function digestData(store: Store, group: WorkingGroup, now: Date): DigestData {
  const state = loadGroupState(store, group, now);
  const report = statusReport(state);
  const snapshot = toSnapshot(state, now);
  const last = store.digests.lastPosted(group.id);
  const lastSnapshot = last?.snapshotId ? store.snapshots.getById(last.snapshotId)?.snapshot : undefined;
  const previous =
    last && lastSnapshot ? { snapshot: lastSnapshot, postedAt: last.postedAt ?? lastSnapshot.takenAt } : null;
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

  const history = store.snapshots.since(
    group.id,
    new Date(now.getTime() - CHART_DAYS * DAY_MS).toISOString(),
  );
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
      points: dailyPoints(
        history.map((h) => h.snapshot),
        snapshot,
      ),
      criteriaTitles,
      targetEndDate: group.targetEndDate,
      today: now,
    },
    epicUrl: epic?.webUrl ?? group.taskBoardUrl,
  };
}
