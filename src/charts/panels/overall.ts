import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { formatPercent } from '../../format.js';
import type { BurnupPoint } from '../../services/digestData.js';
import { dayDate, type Frame, isoDay, timeTicks } from '../frame.js';
import { COLORS, FONT, LEFT, PAD, text } from '../svg.js';

/** The ideal line: 0 % at the group's start to 100 % on the target date, flat after it. */
function idealPath(f: Frame, y: (v: number) => number): string | null {
  const startIso = f.input.startDate ?? (f.points[0] ? isoDay(f.points[0].at) : null);
  if (!f.target || !startIso) return null;
  const start = dayDate(startIso).getTime();
  const span = f.target.getTime() - start;
  if (span <= 0) return null;
  const [from, to] = f.x.domain().map((d) => d.getTime()) as [number, number];
  const at = (t: number) => Math.max(0, Math.min(100, ((t - start) / span) * 100));
  const stops = [from, ...[start, f.target.getTime()].filter((t) => t > from && t < to), to];
  return `M${stops.map((t) => `${f.x(new Date(t)).toFixed(1)},${y(at(t)).toFixed(1)}`).join('L')}`;
}

/** The forecast line: from the figure now to 100 % on the forecast day (cut at the chart's edge). */
function forecastPath(f: Frame, y: (v: number) => number): { d: string; end: [number, number] } | null {
  const now = f.points.at(-1);
  const fc = f.input.forecast;
  if (!fc?.date || fc.verdict === 'done' || now?.overall == null) return null;
  const t0 = now.at.getTime();
  const t1 = dayDate(fc.date).getTime();
  const edge = f.x.domain()[1]!.getTime();
  const tEnd = Math.min(t1, edge);
  const vEnd = t1 <= t0 ? 100 : now.overall + ((100 - now.overall) * (tEnd - t0)) / (t1 - t0);
  const end: [number, number] = [f.x(new Date(tEnd)), y(vEnd)];
  return {
    d: `M${f.x(now.at).toFixed(1)},${y(now.overall).toFixed(1)}L${end[0].toFixed(1)},${end[1].toFixed(1)}`,
    end,
  };
}

/** Panel 1: the overall % with the ideal and forecast lines, the target and today. */
export function overallPanel(f: Frame, top: number, height: number): string[] {
  const y = scaleLinear()
    .domain([0, 100])
    .range([top + height, top]);
  const parts: string[] = [text(PAD, top - 10, 'Overall progress', { size: FONT.text, bold: true })];
  for (const tick of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line x1="${LEFT}" x2="${f.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="${COLORS.grid}"/>`,
      text(LEFT - 6, y(tick) + 4, `${tick}%`, { anchor: 'end', fill: COLORS.muted }),
    );
  }
  const ideal = idealPath(f, y);
  if (ideal)
    parts.push(
      `<path data-series="ideal" d="${ideal}" fill="none" stroke="${COLORS.ideal}" stroke-width="2" stroke-dasharray="7 5"/>`,
    );
  if (f.target && f.target <= f.x.domain()[1]!) {
    const tx = f.x(f.target);
    parts.push(
      `<line data-series="target" x1="${tx}" x2="${tx}" y1="${y(0)}" y2="${y(100) - 4}" stroke="${COLORS.target}" stroke-width="2"/>`,
      text(tx - 6, y(0) - 8, `target ${f.day(f.input.targetEndDate!)}`, {
        anchor: 'end',
        fill: COLORS.target,
        series: 'target',
      }),
    );
  }
  const todayX = f.x(f.input.today);
  parts.push(
    `<line x1="${todayX}" x2="${todayX}" y1="${y(0)}" y2="${y(100)}" stroke="#aaaaaa" stroke-dasharray="2 3"/>`,
  );
  const fc = forecastPath(f, y);
  if (fc) {
    parts.push(
      `<path data-series="forecast" d="${fc.d}" fill="none" stroke="${COLORS.forecast}" stroke-width="2.5" stroke-dasharray="2 4" stroke-linecap="round"/>`,
    );
    if (fc.end[1] <= y(100) + 0.5)
      parts.push(
        `<circle cx="${fc.end[0]}" cy="${fc.end[1]}" r="4" fill="none" stroke="${COLORS.forecast}" stroke-width="2"/>`,
      );
  }
  const overall = line<BurnupPoint>()
    .defined((p) => p.overall !== null)
    .x((p) => f.x(p.at))
    .y((p) => y(p.overall ?? 0))(f.points);
  if (overall)
    parts.push(
      `<path data-series="overall" d="${overall}" fill="none" stroke="${COLORS.ink}" stroke-width="3.5"/>`,
    );
  const now = f.points.at(-1);
  if (now && now.overall !== null) {
    const [cx, cy] = [f.x(now.at), y(now.overall)];
    parts.push(
      `<circle cx="${cx}" cy="${cy}" r="4.5" fill="${COLORS.ink}"/>`,
      text(cx - 8, cy - 10, formatPercent(now.overall), {
        size: FONT.text,
        bold: true,
        anchor: 'end',
        series: 'overall',
      }),
    );
  }
  parts.push(...timeTicks(f, top + height));
  return parts;
}
