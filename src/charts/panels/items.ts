import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { plural } from '../../format.js';
import type { BurnupPoint } from '../../services/digestData.js';
import { type Frame, timeTicks } from '../frame.js';
import { COLORS, FONT, LEFT, PAD, text, WIDTH } from '../svg.js';

/** Panel 2: the scope (items in the group) and the items done, over the same days. */
export function itemsPanel(f: Frame, top: number, height: number): string[] {
  const known = f.points.filter((p) => p.items !== null && p.done !== null);
  const parts: string[] = [text(PAD, top - 10, 'Action items', { size: FONT.text, bold: true })];
  if (known.length === 0) {
    parts.push(text(LEFT, top + 20, 'No item history recorded yet.', { fill: COLORS.muted }));
    return parts;
  }
  const max = Math.max(1, ...known.map((p) => p.items!));
  const y = scaleLinear()
    .domain([0, max])
    .nice(4)
    .range([top + height, top]);
  for (const tick of y.ticks(3).filter(Number.isInteger)) {
    parts.push(
      `<line x1="${LEFT}" x2="${f.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="${COLORS.grid}"/>`,
      text(LEFT - 6, y(tick) + 4, String(tick), { anchor: 'end', fill: COLORS.muted }),
    );
  }
  const done = area<BurnupPoint>()
    .x((p) => f.x(p.at))
    .y0(y(0))
    .y1((p) => y(p.done!))(known);
  const scope = line<BurnupPoint>()
    .x((p) => f.x(p.at))
    .y((p) => y(p.items!))(known);
  if (done)
    parts.push(
      `<path data-series="done" d="${done}" fill="${COLORS.done}" fill-opacity="0.35" stroke="${COLORS.done}" stroke-width="2"/>`,
    );
  if (scope)
    parts.push(
      `<path data-series="scope" d="${scope}" fill="none" stroke="${COLORS.scope}" stroke-width="2.5"/>`,
    );
  // The counts now, in the panel's title row: beside a line they would cover it.
  const last = known.at(-1)!;
  parts.push(
    text(WIDTH - PAD, top - 10, `${last.done} of ${plural(last.items!, 'item', 'items')} done`, {
      anchor: 'end',
      bold: true,
      series: 'items',
    }),
  );
  parts.push(...timeTicks(f, top + height));
  return parts;
}
