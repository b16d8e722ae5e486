/**
 * The DevOps key metrics week by week, from a project's deployments and incident issues as GitLab lists
 * them: pure, for the digest's chart. A count of a week GitLab listed is a figure (0 deployments is
 * known); a median of a week with nothing to take it from is a gap (null), never 0.
 */
import type { WeekFigure } from './usage.js';

const WEEK_MS = 7 * 86_400_000;
const HOUR_MS = 3_600_000;

export interface DeploymentFact {
  status: string;
  createdAt: string;
  finishedAt: string | null;
  commitAt: string | null;
}

export interface IncidentFact {
  createdAt: string;
  closedAt: string | null;
}

export interface DeliveryWeeks {
  deployments: WeekFigure[];
  failed: WeekFigure[];
  leadTimeHours: WeekFigure[];
  restoreHours: WeekFigure[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(value * 10) / 10;
}

/** Which of the `count` weeks ending at `now` a time falls in (0 the oldest), or null outside them. */
function weekOf(iso: string | null, now: Date, count: number): number | null {
  const at = iso ? new Date(iso).getTime() : NaN;
  if (!Number.isFinite(at) || at > now.getTime()) return null;
  const back = Math.floor((now.getTime() - at) / WEEK_MS);
  return back < count ? count - 1 - back : null;
}

export function deliveryWeeks(
  deployments: readonly DeploymentFact[],
  incidents: readonly IncidentFact[],
  now: Date,
  count = 8,
): DeliveryWeeks {
  const starts = Array.from({ length: count }, (_, i) =>
    new Date(now.getTime() - (count - i) * WEEK_MS).toISOString().slice(0, 10),
  );
  const buckets = () => starts.map(() => [] as number[]);
  const [ok, failed, lead, restore] = [buckets(), buckets(), buckets(), buckets()];
  for (const d of deployments) {
    const done = d.finishedAt ?? d.createdAt;
    const week = weekOf(done, now, count);
    if (week === null) continue;
    if (d.status === 'success') {
      ok[week]!.push(1);
      const hours = d.commitAt ? (new Date(done).getTime() - new Date(d.commitAt).getTime()) / HOUR_MS : NaN;
      if (Number.isFinite(hours) && hours >= 0) lead[week]!.push(hours);
    } else if (d.status === 'failed') failed[week]!.push(1);
  }
  for (const i of incidents) {
    const week = weekOf(i.closedAt, now, count);
    const hours = i.closedAt
      ? (new Date(i.closedAt).getTime() - new Date(i.createdAt).getTime()) / HOUR_MS
      : NaN;
    if (week !== null && Number.isFinite(hours) && hours >= 0) restore[week]!.push(hours);
  }
  const series = (values: (number | null)[]): WeekFigure[] =>
    starts.map((start, i) => ({ start, value: values[i] ?? null }));
  return {
    deployments: series(ok.map((w) => w.length)),
    failed: series(failed.map((w) => w.length)),
    leadTimeHours: series(lead.map(median)),
    restoreHours: series(restore.map(median)),
  };
}
