// The chart's time axis, shared by the panels drawn over the same days.
import { scaleUtc, type ScaleTime } from 'd3-scale';
import { formatDay } from '../format.js';
import type { BurnupInput, BurnupPoint } from '../services/digestData.js';
import { COLORS, EM_WIDTH, LEFT, MIN_FONT, PAD, text, WIDTH } from './svg.js';

const DAY_MS = 86_400_000;

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
export const dayDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

export interface Frame {
  input: BurnupInput;
  points: BurnupPoint[];
  x: ScaleTime<number, number>;
  right: number;
  target: Date | null;
  day: (iso: string) => string;
}

/** The time axis: the history, today, the target and (within reason) the forecast day. */
export function frame(input: BurnupInput): Frame {
  const points = [...input.points].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = points[0]?.at ?? input.today;
  const target = input.targetEndDate ? dayDate(input.targetEndDate) : null;
  const forecastDay = input.forecast?.date ? dayDate(input.forecast.date).getTime() : 0;
  // A forecast far past the target would squash the history into a corner: it is cut at 90 days after.
  const forecastEnd = Math.min(forecastDay, (target?.getTime() ?? input.today.getTime()) + 90 * DAY_MS);
  const last = Math.max(
    input.today.getTime() + 7 * DAY_MS,
    target?.getTime() ?? 0,
    forecastEnd,
    first.getTime() + 14 * DAY_MS,
  );
  const right = WIDTH - PAD - 8;
  // A little room after the last day, so a target or forecast there is not drawn on the frame.
  const end = new Date(last + (last - first.getTime()) * 0.03);
  const x = scaleUtc().domain([first, end]).range([LEFT, right]);
  return { input, points, x, right, target, day: (iso) => formatDay(iso, input.todayDate) };
}

/** Dates under a panel: a few ticks, the year shown when it is not this year's. */
export function timeTicks(f: Frame, bottom: number): string[] {
  return [
    `<line x1="${LEFT}" x2="${f.right}" y1="${bottom}" y2="${bottom}" stroke="${COLORS.muted}"/>`,
    ...f.x.ticks(4).flatMap((tick) => {
      const label = f.day(isoDay(tick));
      // A label that would run off either edge is left out rather than cut.
      const half = (label.length * MIN_FONT * EM_WIDTH) / 2;
      const at = f.x(tick);
      if (at - half < 4 || at + half > WIDTH - 4) return [];
      return [text(at, bottom + 16, label, { anchor: 'middle', fill: COLORS.muted })];
    }),
  ];
}
