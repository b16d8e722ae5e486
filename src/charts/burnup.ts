import { Resvg } from '@resvg/resvg-js';
import { forecastWords } from '../format.js';
// The chart's input is the digest's data, defined beside it: services never import a renderer.
import type { BurnupInput } from '../services/digestData.js';
import { frame } from './frame.js';
import { criteriaPanel } from './panels/criteria.js';
import { itemsPanel } from './panels/items.js';
import { metricsPanel } from './panels/metrics.js';
import { overallPanel } from './panels/overall.js';
import { COLORS, EM_WIDTH, fit, FONT, legend, PAD, text, WIDTH } from './svg.js';

export type { BurnupInput, BurnupPoint } from '../services/digestData.js';
export { MIN_FONT, WIDTH } from './svg.js';

/** The PNG is drawn at 1.5 times the SVG's size (960 px wide): sharper on dense screens, same proportions. */
const PNG_SCALE = 1.5;

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
  top += criteria.height;
  const metrics = metricsPanel(input.metrics ?? [], top + 40, input.todayDate);
  if (metrics.height > 0) {
    parts.push(...metrics.parts);
    top += 40 + metrics.height;
  }
  const height = Math.round(top + PAD);
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
