import { Resvg } from '@resvg/resvg-js';
import { scaleLinear, scaleUtc, type ScaleTime } from 'd3-scale';
import { area, line } from 'd3-shape';
import { formatDay, formatPercent, forecastWords, plural } from '../format.js';
// The chart's input is the digest's data, defined beside it: services never import a renderer.
import type { BurnupInput, BurnupPoint } from '../services/digestData.js';

export type { BurnupInput, BurnupPoint } from '../services/digestData.js';

/**
 * The chart's width in SVG units. Slack previews images 480 px wide, so every text is at least
 * 9 · WIDTH / 480 units high: 9 px or more in that preview (test/unit/burnup.test.ts holds it to that).
 */
export const WIDTH = 640;
export const MIN_FONT = (9 * WIDTH) / 480;
/** The PNG is drawn at 1.5 times the SVG's size (960 px wide): sharper on dense screens, same proportions. */
const PNG_SCALE = 1.5;
const PAD = 16;
const LEFT = 48;
const FONT = { title: 17, text: 13, small: MIN_FONT } as const;
/** DejaVu Sans is about this wide per character, in ems: how many characters a width holds. */
const EM_WIDTH = 0.62;
const MAX_CRITERIA_ROWS = 10;
const DAY_MS = 86_400_000;
const COLORS = {
  ink: '#1d1c1d',
  muted: '#616061',
  grid: '#e8e8e8',
  ideal: '#8d8d8d',
  forecast: '#1264a3',
  target: '#e01e5a',
  scope: '#e8912d',
  done: '#2eb67d',
  track: '#eeeeee',
};

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Cut to what `width` units hold at `size`, ending in '…' when cut. */
function fit(text: string, width: number, size: number): string {
  const max = Math.max(4, Math.floor(width / (size * EM_WIDTH)));
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function text(
  x: number,
  y: number,
  content: string,
  options: {
    size?: number;
    anchor?: 'start' | 'middle' | 'end';
    fill?: string;
    bold?: boolean;
    series?: string;
  } = {},
): string {
  const size = options.size ?? FONT.small;
  const attrs = [
    `x="${x.toFixed(1)}"`,
    `y="${y.toFixed(1)}"`,
    `font-size="${size}"`,
    options.anchor && options.anchor !== 'start' ? `text-anchor="${options.anchor}"` : '',
    `fill="${options.fill ?? COLORS.ink}"`,
    options.bold ? 'font-weight="bold"' : '',
    options.series ? `data-label="${options.series}"` : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${xmlText(content)}</text>`;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayDate = (iso: string) => new Date(`${iso}T00:00:00Z`);

interface Frame {
  input: BurnupInput;
  points: BurnupPoint[];
  x: ScaleTime<number, number>;
  right: number;
  target: Date | null;
  day: (iso: string) => string;
}

/** The time axis: the history, today, the target and (within reason) the forecast day. */
function frame(input: BurnupInput): Frame {
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
function overallPanel(f: Frame, top: number, height: number): string[] {
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

/** Dates under a panel: a few ticks, the year shown when it is not this year's. */
function timeTicks(f: Frame, bottom: number): string[] {
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

/** One legend row: a short stroke sample and a label per entry. */
function legend(
  entries: { label: string; color: string; dash?: string; width?: number }[],
  y: number,
): string[] {
  let x = LEFT;
  return entries.flatMap((e) => {
    const parts = [
      `<line x1="${x}" x2="${x + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${e.color}" stroke-width="${e.width ?? 2.5}"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`,
      text(x + 28, y, e.label, { fill: COLORS.muted }),
    ];
    x += 28 + e.label.length * MIN_FONT * EM_WIDTH + 18;
    return parts;
  });
}

/** Panel 2: the scope (items in the group) and the items done, over the same days. */
function itemsPanel(f: Frame, top: number, height: number): string[] {
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

/** Panel 3: each top-level criterion as its own bar, ranked — no line can hide another. */
function criteriaPanel(input: BurnupInput, top: number): { parts: string[]; height: number } {
  const now = input.points.at(-1)?.criteria ?? {};
  const rows = Object.entries(input.criteriaTitles)
    .map(([path, title]) => ({ path, title, percent: now[path] ?? null }))
    .sort(
      (a, b) =>
        (b.percent ?? -1) - (a.percent ?? -1) || a.path.localeCompare(b.path, 'en', { numeric: true }),
    );
  const parts: string[] = [text(PAD, top - 10, 'Exit criteria', { size: FONT.text, bold: true })];
  if (rows.length === 0) {
    parts.push(text(LEFT, top + 14, 'No exit criteria yet.', { fill: COLORS.muted }));
    return { parts, height: 24 };
  }
  // Each criterion is a small panel of its own: its name on a full line, its bar under it.
  const rowHeight = 36;
  const barLeft = PAD;
  const barRight = WIDTH - PAD;
  const shown = rows.slice(0, MAX_CRITERIA_ROWS);
  shown.forEach((r, i) => {
    const y = top + i * rowHeight;
    const width =
      r.percent === null ? 0 : ((barRight - barLeft) * Math.max(0, Math.min(100, r.percent))) / 100;
    parts.push(
      text(PAD, y + 12, fit(`${r.path}. ${r.title}`, WIDTH - 2 * PAD - 80, MIN_FONT)),
      text(WIDTH - PAD, y + 12, r.percent === null ? 'no figure' : formatPercent(r.percent), {
        anchor: 'end',
        bold: true,
        series: `criterion-${r.path}`,
      }),
      `<rect x="${barLeft}" y="${y + 18}" width="${barRight - barLeft}" height="10" fill="${COLORS.track}"/>`,
      `<rect data-series="criterion" data-path="${xmlText(r.path)}" x="${barLeft}" y="${y + 18}" width="${width.toFixed(1)}" height="10" fill="${COLORS.forecast}"/>`,
    );
  });
  let height = shown.length * rowHeight;
  if (rows.length > shown.length) {
    parts.push(
      text(
        PAD,
        top + height + 12,
        `+${plural(rows.length - shown.length, 'more criterion', 'more criteria')}`,
        { fill: COLORS.muted },
      ),
    );
    height += 20;
  }
  return { parts, height };
}

/** The verdict line under the title, in as many as two lines. */
function verdictLines(input: BurnupInput, day: (iso: string) => string): string[] {
  if (!input.forecast) return [];
  const words = forecastWords(input.forecast, input.targetEndDate, day);
  const line1 = `${words.label} · ${words.detail}`;
  const max = Math.floor((WIDTH - 2 * PAD) / (FONT.text * EM_WIDTH));
  if (line1.length <= max) return [line1];
  const cut = line1.lastIndexOf(' · ', max);
  return cut > 0
    ? [line1.slice(0, cut), fit(line1.slice(cut + 3), WIDTH - 2 * PAD, FONT.text)]
    : [fit(line1, WIDTH - 2 * PAD, FONT.text)];
}

/**
 * The burn-up chart as SVG: the overall % over time with the ideal line from the start to the target and
 * the forecast line from today; the scope and the items done over the same days; each exit criterion as
 * its own ranked bar. Scales and paths come from d3 (pure functions, no DOM); the SVG is text, so the
 * same chart renders in the demo page, in tests and, through resvg, as the PNG attached to a digest.
 * Every percent is written by `formatPercent`, as in the digest's text.
 */
export function burnupSvg(input: BurnupInput): string {
  const f = frame(input);
  const parts: string[] = [
    text(PAD, 26, fit(`${input.title} — burn-up`, WIDTH - 2 * PAD, FONT.title), {
      size: FONT.title,
      bold: true,
    }),
  ];
  const verdict = verdictLines(input, f.day);
  verdict.forEach((l, i) =>
    parts.push(
      text(PAD, 48 + i * 17, l, {
        size: FONT.text,
        fill: COLORS.muted,
        series: i === 0 ? 'verdict' : undefined,
      }),
    ),
  );
  let top = 48 + verdict.length * 17 + 28;
  parts.push(...overallPanel(f, top, 180));
  top += 180 + 40;
  parts.push(
    ...legend(
      [
        { label: 'Overall', color: COLORS.ink, width: 3.5 },
        { label: 'Ideal', color: COLORS.ideal, dash: '7 5' },
        { label: 'Forecast', color: COLORS.forecast, dash: '2 4' },
        { label: 'Target', color: COLORS.target },
      ],
      top,
    ),
  );
  top += 40;
  parts.push(...itemsPanel(f, top, 80));
  top += 80 + 40;
  parts.push(
    ...legend(
      [
        { label: 'Items (scope)', color: COLORS.scope },
        { label: 'Done', color: COLORS.done, width: 6 },
      ],
      top,
    ),
  );
  top += 40;
  const criteria = criteriaPanel(input, top);
  parts.push(...criteria.parts);
  const height = Math.round(top + criteria.height + PAD);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"><rect width="${WIDTH}" height="${height}" fill="#ffffff"/>${parts.join('')}</svg>`;
}

/** SVG → PNG with resvg (Rust, no browser): the bytes uploaded with the digest when Slack draws no chart. */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'width', value: WIDTH * PNG_SCALE },
  });
  return Buffer.from(resvg.render().asPng());
}
