import type { DeliveryWeeks } from '../domain/deliveryWeeks.js';
import { usageKind, weeklyFigures } from '../domain/usage.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { MetricSeries } from './digestData.js';
import { describeSource } from './usageService.js';

const WEEKS = 8;
const WEEK_MS = 7 * 86_400_000;

/**
 * The key metrics the store holds week by week, for the chart: usage from its kept readings (the last of
 * each week). A metric with no figure in any of the weeks is left out: the chart draws no empty panel.
 */
export function metricSeries(store: Store, group: WorkingGroup, now: Date): MetricSeries[] {
  const source = store.db
    .prepare<[number], { url: string }>('SELECT url FROM usage_sources WHERE wg_id = ?')
    .get(group.id);
  const readings = store.db
    .prepare<[number, string, string], { at: string; value: number }>(
      'SELECT read_at AS at, value FROM usage_readings WHERE wg_id = ? AND read_at > ? AND read_at <= ? ORDER BY read_at',
    )
    .all(group.id, new Date(now.getTime() - WEEKS * WEEK_MS).toISOString(), now.toISOString());
  const weeks = weeklyFigures(readings, now, WEEKS);
  if (weeks.every((w) => w.value === null)) return [];
  // Readings kept before the source was removed still have a trend; their source is then unnamed.
  const url = source ? safeUrl(source.url) : null;
  return [
    {
      label: 'Usage',
      source: url ? describeSource(url, usageKind(url)) : 'usage source (since removed)',
      weeks,
    },
  ];
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** A project's delivery figures week by week as the chart's series, each naming where it comes from. */
export function deliverySeries(project: string, environment: string, weeks: DeliveryWeeks): MetricSeries[] {
  const deployments = `GitLab deployments to ${environment}: ${project}`;
  return [
    { label: `Deploys · ${project}`, source: deployments, weeks: weeks.deployments },
    { label: `Failed deploys · ${project}`, source: deployments, weeks: weeks.failed },
    {
      label: `Lead time, h · ${project}`,
      source: `${deployments} (commit to deploy)`,
      weeks: weeks.leadTimeHours,
    },
    {
      label: `Time to restore, h · ${project}`,
      source: `GitLab incidents closed: ${project}`,
      weeks: weeks.restoreHours,
    },
  ];
}
