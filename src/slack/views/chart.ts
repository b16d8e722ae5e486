import { addDaysIso } from '../../domain/dates.js';
import { formatDay, formatPercent } from '../../format.js';
import type { BurnupInput } from '../../services/digestData.js';
import { plain } from './mrkdwn.js';

/*
 * Slack's data visualization block (Block Kit, June 2026; docs.slack.dev/reference/block-kit/blocks/
 * data-visualization-block), typed here because @slack/types 3.2 does not have it yet. Only the line chart
 * wgbot sends is typed. Limits from the reference: title ≤ 50 characters; 1–6 series, each named in
 * ≤ 20 characters, names unique; each series has one point per category, labels as in `categories`;
 * 1–20 points; category labels ≤ 20 characters; axis labels ≤ 50. The block has no alt text field: the
 * message's `text` and a context line under the chart say what it shows, for screen readers and for
 * clients that cannot draw it.
 */
export interface DataPoint {
  label: string;
  value: number;
}

export interface DataSeries {
  name: string;
  data: DataPoint[];
}

export interface LineChart {
  type: 'line';
  series: DataSeries[];
  axis_config: { categories: string[]; x_label?: string; y_label?: string };
}

export interface DataVisualizationBlock {
  type: 'data_visualization';
  title: string;
  chart: LineChart;
  block_id?: string;
}

export const CHART_LIMITS = {
  title: 50,
  series: 6,
  seriesName: 20,
  points: 20,
  category: 20,
  axisLabel: 50,
} as const;

/** Weeks shown in the native chart: one point a week, as many as Slack takes and a quarter holds. */
const CHART_WEEKS = 12;

/** The figure held at the end of `day`: the last point on or before it (null: unknown then). */
function heldOn(input: BurnupInput, day: string): number | null | undefined {
  let held: number | null | undefined;
  for (const p of input.points) {
    if (p.at.toISOString().slice(0, 10) > day) break;
    held = p.overall;
  }
  return held;
}

/** The ideal line's value on `day`: 0 % at the start, 100 % on the target. */
function idealOn(input: BurnupInput, start: string, day: string): number {
  const span = Date.parse(input.targetEndDate!) - Date.parse(start);
  const share = (Date.parse(day) - Date.parse(start)) / span;
  return Math.max(0, Math.min(100, share * 100));
}

/** Percent as written everywhere else ('67.5'), as a number for the chart. */
const rounded = (value: number) => Number(formatPercent(value).slice(0, -1));

/**
 * The digest's chart as Slack's own line chart: the overall figure once a week for up to 12 weeks (only
 * weeks whose figure is known: unknown is no point at 0), and the ideal line when there is a target.
 * Null when fewer than two weeks have a figure: one point is no line.
 */
export function burnupChartBlock(input: BurnupInput, blockId?: string): DataVisualizationBlock | null {
  const sorted = { ...input, points: [...input.points].sort((a, b) => a.at.getTime() - b.at.getTime()) };
  const weeks: { day: string; overall: number }[] = [];
  for (let k = CHART_WEEKS - 1; k >= 0; k -= 1) {
    const day = addDaysIso(input.todayDate, -7 * k);
    const overall = k === 0 ? (sorted.points.at(-1)?.overall ?? null) : heldOn(sorted, day);
    if (overall !== null && overall !== undefined) weeks.push({ day, overall });
  }
  if (weeks.length < 2) return null;
  const categories = weeks.map((w) => formatDay(w.day, input.todayDate).slice(0, CHART_LIMITS.category));
  const series: DataSeries[] = [
    { name: 'Overall %', data: weeks.map((w, i) => ({ label: categories[i]!, value: rounded(w.overall) })) },
  ];
  const start = input.startDate ?? sorted.points[0]?.at.toISOString().slice(0, 10) ?? null;
  if (input.targetEndDate && start && input.targetEndDate > start) {
    series.push({
      name: 'Ideal %',
      data: weeks.map((w, i) => ({ label: categories[i]!, value: rounded(idealOn(input, start, w.day)) })),
    });
  }
  return {
    type: 'data_visualization',
    title: plain(`${input.title} — overall progress`, CHART_LIMITS.title),
    chart: {
      type: 'line',
      series,
      axis_config: { categories, x_label: 'Week', y_label: '% of exit criteria done' },
    },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

/** The chart in words, under it: what a reader who cannot see it needs ('Overall 40% on Sep 2 → 67.5% …'). */
export function chartAltText(block: DataVisualizationBlock): string {
  const [overall, ideal] = block.chart.series;
  const first = overall!.data[0]!;
  const last = overall!.data.at(-1)!;
  const idealNow = ideal?.data.at(-1);
  return `Chart: overall ${formatPercent(first.value)} on ${first.label} → ${formatPercent(last.value)} on ${last.label}${idealNow ? ` (ideal line: ${formatPercent(idealNow.value)})` : ''}.`;
}
