import { describe, expect, it } from 'vitest';
import { burnupSvg, renderPng, type BurnupInput } from '../../src/charts/burnup.js';
import { forecast } from '../../src/domain/forecast.js';

const TODAY = new Date('2026-11-25T10:00:00Z');
const DAY = 86_400_000;

/** Ten weekly points: overall climbing to 67.5 %, criteria at 100 %, 52.6 %, 100 %, unknown and rising. */
function input(overrides: Partial<BurnupInput> = {}): BurnupInput {
  const points = Array.from({ length: 10 }, (_, i) => ({
    at: new Date(TODAY.getTime() - (9 - i) * 7 * DAY),
    overall: 18 + i * 5.5,
    criteria: { '1': 100, '2': i > 3 ? 52.6 : null, '3': 100, '4': null, '5': 10 + i * 5 },
    items: 10 + i,
    done: 2 + i,
  }));
  const history = points.map((p) => ({ day: p.at.toISOString().slice(0, 10), overall: p.overall }));
  return {
    title: 'Improve Ops Quality',
    points,
    criteriaTitles: {
      '1': 'Add runner executable E2E test environment',
      '2': 'Document the on-call runbook',
      '3': 'Four',
      '4': 'Nobody measured this yet',
      '5': 'Five',
    },
    targetEndDate: '2027-01-31',
    startDate: '2026-08-01',
    todayDate: '2026-11-25',
    forecast: forecast({ history, overall: 67.5, today: '2026-11-25', targetEndDate: '2027-01-31' }),
    today: TODAY,
    ...overrides,
  };
}

const viewBoxWidth = (svg: string) => Number(/viewBox="0 0 (\d+(?:\.\d+)?) /.exec(svg)![1]);
const fontSizes = (svg: string) => [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
const series = (svg: string, name: string) =>
  [...svg.matchAll(new RegExp(`<[a-z]+ data-series="${name}"[^>]*>`, 'g'))].map((m) => m[0]);
const attr = (element: string, name: string) => Number(new RegExp(` ${name}="([-\\d.]+)"`).exec(element)![1]);
const labelOf = (svg: string, name: string) =>
  new RegExp(`<text [^>]*data-label="${name}"[^>]*>([^<]*)</text>`).exec(svg)?.[1];

describe('the burn-up chart', () => {
  it('draws every series: overall, ideal, forecast, target, scope, done and each criterion', () => {
    const svg = burnupSvg(input());
    for (const name of ['overall', 'ideal', 'forecast', 'target', 'scope', 'done'])
      expect(series(svg, name), name).toHaveLength(1);
    expect(
      series(svg, 'criterion')
        .map((e) => /data-path="([^"]+)"/.exec(e)![1])
        .sort(),
    ).toEqual(['1', '2', '3', '4', '5']);
    for (const name of ['ideal', 'forecast', 'overall', 'scope', 'done'])
      expect(series(svg, name)[0]).toMatch(/ d="M[\d.]+,[\d.]+[LC]/);
  });

  it('hides no series behind another: criteria at the same value get rows of their own', () => {
    const svg = burnupSvg(input());
    const bars = series(svg, 'criterion');
    const ys = bars.map((b) => attr(b, 'y')).sort((a, b) => a - b);
    const height = attr(bars[0]!, 'height');
    for (let i = 1; i < ys.length; i += 1) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(height);
    // Both criteria at 100 % and the one at 52.6 % are there, each with its own figure.
    expect(labelOf(svg, 'criterion-1')).toBe('100%');
    expect(labelOf(svg, 'criterion-3')).toBe('100%');
    expect(labelOf(svg, 'criterion-2')).toBe('52.6%');
    expect(labelOf(svg, 'criterion-4')).toBe('no figure');
    // Ranked: highest first, unknown last.
    const order = bars.map((b) => [attr(b, 'y'), /data-path="([^"]+)"/.exec(b)![1]] as const);
    expect(order.sort((a, b) => a[0] - b[0]).map(([, path]) => path)).toEqual(['1', '3', '5', '2', '4']);
    // Items (counts) and the overall (percent) never share an axis: the items panel is below the other.
    const overallBottom = Math.max(
      ...[...series(svg, 'overall')[0]!.matchAll(/,([\d.]+)/g)].map((m) => Number(m[1])),
    );
    const scopeTop = Math.min(
      ...[...series(svg, 'scope')[0]!.matchAll(/,([\d.]+)/g)].map((m) => Number(m[1])),
    );
    expect(scopeTop).toBeGreaterThan(overallBottom);
  });

  it('keeps every text at 9 px or more in Slack’s 480 px preview, and the PNG in the same proportions', () => {
    const svg = burnupSvg(input());
    const width = viewBoxWidth(svg);
    const sizes = fontSizes(svg);
    expect(sizes.length).toBeGreaterThan(20);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual((9 * width) / 480);
    const png = renderPng(svg);
    const pngWidth = png.readUInt32BE(16);
    const pngHeight = png.readUInt32BE(20);
    const svgHeight = Number(/viewBox="0 0 [\d.]+ ([\d.]+)"/.exec(svg)![1]);
    expect(pngHeight / pngWidth).toBeCloseTo(svgHeight / width, 2);
    // Scaled to 480 px, the smallest text is still 9 px.
    expect((Math.min(...sizes) * (pngWidth / width) * 480) / pngWidth).toBeGreaterThanOrEqual(9);
  });

  it('writes percents as the digest text does (67.5%, not 68%), and names in full where they fit', () => {
    const svg = burnupSvg(input());
    expect(labelOf(svg, 'overall')).toBe('67.5%');
    expect(svg).toContain('1. Add runner executable E2E test environment');
    expect(labelOf(svg, 'items')).toBe('11 of 19 items done');
    expect(labelOf(svg, 'verdict')).toMatch(/^On track · 100% around Jan \d+, 2027 at \+5\.5 points a week/);
  });

  it('says how many more criteria there are, in the right number', () => {
    const titles = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [String(i + 1), `Criterion ${i + 1}`]),
    );
    expect(burnupSvg(input({ criteriaTitles: titles }))).toContain('+1 more criterion');
    titles['12'] = 'Twelve';
    expect(burnupSvg(input({ criteriaTitles: titles }))).toContain('+2 more criteria');
  });

  it('draws no forecast line without a forecast day, and no ideal line without a target', () => {
    const svg = burnupSvg(input({ targetEndDate: null, forecast: null }));
    expect(series(svg, 'forecast')).toHaveLength(0);
    expect(series(svg, 'ideal')).toHaveLength(0);
    expect(series(svg, 'target')).toHaveLength(0);
    expect(series(svg, 'overall')).toHaveLength(1);
    expect(svg).not.toContain('NaN');
  });

  it('says so when no item history was recorded instead of drawing zero items', () => {
    const points = input().points.map((p) => ({ ...p, items: null, done: null }));
    const svg = burnupSvg(input({ points }));
    expect(series(svg, 'scope')).toHaveLength(0);
    expect(svg).toContain('No item history recorded yet.');
  });
});
