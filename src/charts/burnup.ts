import { Resvg } from '@resvg/resvg-js';
import { scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
// The chart's input is the digest's data, defined beside it: services never import a renderer.
import type { BurnupInput } from '../services/digestData.js';

export type { BurnupInput, BurnupPoint } from '../services/digestData.js';

const WIDTH = 960;
const HEIGHT = 480;
const MARGIN = { top: 48, right: 250, bottom: 40, left: 52 };
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#ff9da7', '#9c755f'];
const MAX_CRITERIA_LINES = PALETTE.length;

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The burn-up chart as SVG: overall % (thick) and each top-level criterion (thin) over time, the target
 * end date marked. Scales and paths come from d3 (pure functions, no DOM); the SVG is text, so the same
 * chart renders in the demo page, in tests and, through resvg, as the PNG attached to the digest.
 */
export function burnupSvg(input: BurnupInput): string {
  const points = [...input.points].sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = points[0]?.at ?? input.today;
  const target = input.targetEndDate ? new Date(`${input.targetEndDate}T00:00:00Z`) : null;
  const last = new Date(
    Math.max(input.today.getTime(), target?.getTime() ?? 0, first.getTime() + 7 * 86_400_000),
  );
  const x = scaleUtc()
    .domain([first, last])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear()
    .domain([0, 100])
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const pathOf = (values: { at: Date; value: number | null }[]) =>
    line<{ at: Date; value: number | null }>()
      .defined((d) => d.value !== null)
      .x((d) => x(d.at))
      .y((d) => y(d.value ?? 0))(values) ?? '';

  const parts: string[] = [];
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${MARGIN.left}" y="28" font-size="18" font-weight="bold" fill="#1d1c1d">${xmlText(shorten(input.title, 70))} — progress</text>`,
  );
  for (const tick of y.ticks(5)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e8e8e8"/>`,
      `<text x="${MARGIN.left - 8}" y="${y(tick) + 4}" font-size="12" text-anchor="end" fill="#616061">${tick}%</text>`,
    );
  }
  for (const tick of x.ticks(6)) {
    const label = tick.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
    parts.push(
      `<text x="${x(tick)}" y="${HEIGHT - MARGIN.bottom + 20}" font-size="12" text-anchor="middle" fill="#616061">${label}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="#616061"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${y(0)}" y2="${y(100)}" stroke="#616061"/>`,
  );
  if (target) {
    parts.push(
      `<line x1="${x(target)}" x2="${x(target)}" y1="${y(0)}" y2="${y(100)}" stroke="#e01e5a" stroke-width="2" stroke-dasharray="6 4"/>`,
      `<text x="${x(target) - 4}" y="${y(100) - 6}" font-size="12" text-anchor="end" fill="#e01e5a">target ${input.targetEndDate}</text>`,
    );
  }
  parts.push(
    `<line x1="${x(input.today)}" x2="${x(input.today)}" y1="${y(0)}" y2="${y(100)}" stroke="#aaaaaa" stroke-dasharray="2 3"/>`,
  );

  const paths = Object.keys(input.criteriaTitles).slice(0, MAX_CRITERIA_LINES);
  paths.forEach((path, i) => {
    const d = pathOf(points.map((p) => ({ at: p.at, value: p.criteria[path] ?? null })));
    if (d)
      parts.push(
        `<path d="${d}" fill="none" stroke="${PALETTE[i]}" stroke-width="1.5" stroke-opacity="0.85"/>`,
      );
  });
  const overall = pathOf(points.map((p) => ({ at: p.at, value: p.overall })));
  if (overall) parts.push(`<path d="${overall}" fill="none" stroke="#1d1c1d" stroke-width="3.5"/>`);
  for (const p of points.slice(-1)) {
    if (p.overall === null) continue;
    parts.push(
      `<circle cx="${x(p.at)}" cy="${y(p.overall)}" r="4.5" fill="#1d1c1d"/>`,
      `<text x="${x(p.at) + 8}" y="${y(p.overall) - 8}" font-size="14" font-weight="bold" fill="#1d1c1d">${Math.round(p.overall)}%</text>`,
    );
  }

  const legendX = WIDTH - MARGIN.right + 20;
  const legend = [
    { color: '#1d1c1d', label: 'Overall', width: 3.5 },
    ...paths.map((path, i) => ({
      color: PALETTE[i]!,
      label: `${path}. ${input.criteriaTitles[path]}`,
      width: 1.5,
    })),
  ];
  const hidden = Object.keys(input.criteriaTitles).length - paths.length;
  legend.forEach((entry, i) => {
    const ly = MARGIN.top + 8 + i * 22;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 22}" y1="${ly}" y2="${ly}" stroke="${entry.color}" stroke-width="${entry.width}"/>`,
      `<text x="${legendX + 30}" y="${ly + 4}" font-size="12" fill="#1d1c1d">${xmlText(shorten(entry.label, 30))}</text>`,
    );
  });
  if (hidden > 0) {
    parts.push(
      `<text x="${legendX}" y="${MARGIN.top + 8 + legend.length * 22 + 4}" font-size="12" fill="#616061">+${hidden} more criteria</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">${parts.join('')}</svg>`;
}

/** SVG → PNG with resvg (Rust, no browser): the bytes uploaded with the digest. */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'width', value: WIDTH },
  });
  return Buffer.from(resvg.render().asPng());
}
