import { scaleLinear } from 'd3-scale';
import { formatDay, plural } from '../../format.js';
import type { MetricSeries } from '../../services/digestData.js';
import { COLORS, EM_WIDTH, fit, FONT, MIN_FONT, PAD, text, WIDTH } from '../svg.js';

/** Small multiples per row: two keep each one wide enough for its source line. */
const COLUMNS = 2;
const GUTTER = 24;
const CELL_HEIGHT = 150;
/** The most metrics drawn: the DORA four and usage, with room to spare. */
const MAX_SERIES = 8;
const DAY_MS = 86_400_000;

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A figure as the chart writes it: short ('1.2K'), so it fits a small multiple. */
export function metricFigure(value: number): string {
  return compact.format(value);
}

/** The days a series covers and how many of its weeks have no figure: 'Oct 5 – Nov 30 · 1 week unknown'. */
export function metricPeriod(series: MetricSeries, todayDate: string): string {
  const first = series.weeks[0]?.start;
  const lastStart = series.weeks.at(-1)?.start;
  if (!first || !lastStart) return 'no weeks';
  const end = new Date(new Date(`${lastStart}T00:00:00Z`).getTime() + 7 * DAY_MS).toISOString().slice(0, 10);
  const gaps = series.weeks.filter((w) => w.value === null).length;
  const period = `${formatDay(first, todayDate)} – ${formatDay(end, todayDate)}`;
  return gaps === 0 ? period : `${period} · ${plural(gaps, 'week', 'weeks')} unknown`;
}

/** One small multiple: its label and latest figure, source, period, and a bar per week (none for a gap). */
function cell(series: MetricSeries, x: number, y: number, width: number, todayDate: string): string[] {
  const known = series.weeks.flatMap((w) => (w.value === null ? [] : [w.value]));
  const latest = series.weeks.at(-1)?.value ?? null;
  const latestText = latest === null ? 'no figure this week' : metricFigure(latest);
  const latestWidth = latestText.length * FONT.text * EM_WIDTH;
  const parts = [
    text(x, y + 12, fit(series.label, width - latestWidth - 8, FONT.text), { size: FONT.text, bold: true }),
    text(x + width, y + 12, latestText, {
      anchor: 'end',
      bold: latest !== null,
      fill: latest === null ? COLORS.muted : COLORS.ink,
      series: `metric-latest`,
    }),
    text(x, y + 28, fit(series.source, width, MIN_FONT), { fill: COLORS.muted, series: 'metric-source' }),
    text(x, y + 43, fit(metricPeriod(series, todayDate), width, MIN_FONT), {
      fill: COLORS.muted,
      series: 'metric-period',
    }),
  ];
  const [top, bottom] = [y + 56, y + CELL_HEIGHT - 24];
  const low = Math.min(0, ...known);
  const high = Math.max(0, ...known);
  const scale = scaleLinear()
    .domain(high === low ? [low, low + 1] : [low, high])
    .range([bottom, top])
    .nice(3);
  const axisWidth = Math.max(...scale.domain().map((d) => metricFigure(d).length)) * MIN_FONT * EM_WIDTH + 6;
  const plotLeft = x + axisWidth;
  const step = (x + width - plotLeft) / Math.max(1, series.weeks.length);
  const zero = scale(0);
  parts.push(
    text(plotLeft - 4, top + MIN_FONT * 0.7, metricFigure(scale.domain()[1]!), {
      anchor: 'end',
      fill: COLORS.muted,
    }),
    text(plotLeft - 4, bottom, metricFigure(scale.domain()[0]!), { anchor: 'end', fill: COLORS.muted }),
    `<line x1="${plotLeft.toFixed(1)}" x2="${(x + width).toFixed(1)}" y1="${zero.toFixed(1)}" y2="${zero.toFixed(1)}" stroke="${COLORS.muted}"/>`,
  );
  series.weeks.forEach((w, i) => {
    const left = plotLeft + i * step + step * 0.15;
    const barWidth = step * 0.7;
    if (w.value === null) {
      // A week without a figure is a gap: a faint dashed mark on the axis, never a bar of zero.
      parts.push(
        `<line data-series="metric-gap" data-week="${w.start}" x1="${left.toFixed(1)}" x2="${(left + barWidth).toFixed(1)}" y1="${(zero - 3).toFixed(1)}" y2="${(zero - 3).toFixed(1)}" stroke="${COLORS.ideal}" stroke-dasharray="2 3"/>`,
      );
      return;
    }
    const at = scale(w.value);
    // A zero is a thin bar on the axis: a figure, visibly distinct from a gap.
    const [barTop, barHeight] = [Math.min(at, zero), Math.max(1, Math.abs(zero - at))];
    parts.push(
      `<rect data-series="metric-week" data-week="${w.start}" data-value="${w.value}" x="${left.toFixed(1)}" y="${barTop.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${COLORS.forecast}"/>`,
    );
  });
  const first = series.weeks[0];
  const last = series.weeks.at(-1);
  if (first && last) {
    parts.push(
      text(plotLeft, bottom + 16, formatDay(first.start, todayDate), { fill: COLORS.muted }),
      text(x + width, bottom + 16, formatDay(last.start, todayDate), { anchor: 'end', fill: COLORS.muted }),
    );
  }
  return parts;
}

/**
 * Panel 4: the key metrics over the last weeks, one small multiple each, each labelled with its source and
 * period. No series: no panel at all (height 0), so a group without weekly figures keeps the chart it had.
 */
export function metricsPanel(
  series: readonly MetricSeries[],
  top: number,
  todayDate: string,
): { parts: string[]; height: number } {
  const shown = series.filter((s) => s.weeks.some((w) => w.value !== null)).slice(0, MAX_SERIES);
  if (shown.length === 0) return { parts: [], height: 0 };
  const width = (WIDTH - 2 * PAD - GUTTER * (COLUMNS - 1)) / COLUMNS;
  const parts = [text(PAD, top - 10, `Key metrics, week by week`, { size: FONT.text, bold: true })];
  shown.forEach((s, i) => {
    const x = PAD + (i % COLUMNS) * (width + GUTTER);
    const y = top + Math.floor(i / COLUMNS) * CELL_HEIGHT;
    parts.push(...cell(s, x, y, width, todayDate));
  });
  return { parts, height: Math.ceil(shown.length / COLUMNS) * CELL_HEIGHT };
}
