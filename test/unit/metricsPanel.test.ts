import { describe, expect, it } from 'vitest';
import { burnupSvg, MIN_FONT, renderPng, type BurnupInput } from '../../src/charts/burnup.js';
import { metricPeriod, metricsPanel } from '../../src/charts/panels/metrics.js';
import { EM_WIDTH } from '../../src/charts/svg.js';
import { weeklyFigures } from '../../src/domain/usage.js';
import type { MetricSeries } from '../../src/services/digestData.js';

const NOW = new Date('2026-11-30T09:00:00Z');
const DAY = 86_400_000;
const WEEK_STARTS = Array.from({ length: 8 }, (_, i) =>
  new Date(NOW.getTime() - (8 - i) * 7 * DAY).toISOString().slice(0, 10),
);

function usage(
  values: (number | null)[],
  source = 'Prometheus at prom.example: sum(rate(http_requests_total[5m]))',
): MetricSeries {
  return { label: 'Usage', source, weeks: values.map((value, i) => ({ start: WEEK_STARTS[i]!, value })) };
}

const bars = (parts: string[]) => parts.join('').match(/<rect data-series="metric-week"[^>]*>/g) ?? [];
const gaps = (parts: string[]) => parts.join('').match(/<line data-series="metric-gap"[^>]*>/g) ?? [];
const attr = (el: string, name: string) => Number(new RegExp(`${name}="([-\\d.]+)"`).exec(el)![1]);
const labelled = (parts: string[], label: string) =>
  [...parts.join('').matchAll(new RegExp(`<text [^>]*data-label="${label}"[^>]*>([^<]*)</text>`, 'g'))].map(
    (m) => m[1],
  );

describe('weeklyFigures', () => {
  it('keeps the last reading of each week and leaves a week without one null, never zero', () => {
    const weeks = weeklyFigures(
      [
        { at: '2026-11-29T09:00:00Z', value: 10 },
        { at: '2026-11-29T10:00:00Z', value: 12 },
        { at: '2026-11-17T09:00:00Z', value: 0 },
        { at: '2026-09-01T09:00:00Z', value: 99 },
        { at: '2026-12-01T09:00:00Z', value: 77 },
      ],
      NOW,
    );
    expect(weeks.map((w) => w.start)).toEqual(WEEK_STARTS);
    expect(weeks.map((w) => w.value)).toEqual([null, null, null, null, null, null, 0, 12]);
  });
});

describe('metricsPanel', () => {
  it('draws no panel at all without a series, or with series that have no figure', () => {
    expect(metricsPanel([], 100, '2026-11-30')).toEqual({ parts: [], height: 0 });
    expect(metricsPanel([usage(Array(8).fill(null))], 100, '2026-11-30')).toEqual({ parts: [], height: 0 });
  });

  it('draws a bar per week with a figure and a gap mark, not a bar, for a week without one', () => {
    const { parts, height } = metricsPanel([usage([5, null, 7, 0, null, 9, 10, 12])], 100, '2026-11-30');
    expect(height).toBeGreaterThan(0);
    expect(bars(parts).map((b) => /data-week="([\d-]+)"/.exec(b)![1])).toEqual(
      [0, 2, 3, 5, 6, 7].map((i) => WEEK_STARTS[i]),
    );
    expect(gaps(parts).map((g) => /data-week="([\d-]+)"/.exec(g)![1])).toEqual([
      WEEK_STARTS[1],
      WEEK_STARTS[4],
    ]);
    // The zero is a figure: a hairline bar on the axis, still drawn.
    const zero = bars(parts).find((b) => b.includes('data-value="0"'))!;
    expect(attr(zero, 'height')).toBe(1);
  });

  it('scales the bars to the figures: the tallest is the largest, heights proportional from zero', () => {
    const { parts } = metricsPanel([usage([100, 200, 400, null, null, null, null, 300])], 0, '2026-11-30');
    const heights = bars(parts).map((b) => attr(b, 'height'));
    expect(Math.max(...heights)).toBe(heights[2]);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 1);
    expect(heights[2]! / heights[0]!).toBeCloseTo(4, 1);
    // The scale's top is written beside the bars (rounded up to a round figure).
    expect(labelled(parts, 'metric-latest')).toEqual(['300']);
    expect(parts.join('')).toContain('>400<');
  });

  it('labels each small multiple with its source and its period, gaps counted', () => {
    const { parts } = metricsPanel(
      [
        usage([1, null, 3, 4, 5, 6, 7, 8]),
        { ...usage([2, 2, 2, 2, 2, 2, 2, null]), label: 'Deploys', source: 'GitLab DORA: group/app' },
      ],
      0,
      '2026-11-30',
    );
    expect(labelled(parts, 'metric-source')).toEqual([
      'Prometheus at prom.example: sum(rate(h…',
      'GitLab DORA: group/app',
    ]);
    expect(labelled(parts, 'metric-period')).toEqual([
      'Oct 5 – Nov 30 · 1 week unknown',
      'Oct 5 – Nov 30 · 1 week unknown',
    ]);
    expect(metricPeriod(usage([1, 2, 3, 4, 5, 6, 7, 8]), '2026-11-30')).toBe('Oct 5 – Nov 30');
    // This week has no figure: said, not drawn as zero.
    expect(labelled(parts, 'metric-latest')).toEqual(['8', 'no figure this week']);
  });

  it('fits every text in its cell at 9 px or more in Slack’s preview', () => {
    const long = usage([1, 2, 3, 4, 5, 6, 7, 8], `JSON at ${'very-long-host.'.repeat(12)}example`);
    const { parts } = metricsPanel([long, long, long], 0, '2026-11-30');
    const cellWidth = (640 - 32 - 24) / 2;
    for (const m of parts.join('').matchAll(/<text [^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(MIN_FONT);
      expect(m[2]!.length * Number(m[1]) * EM_WIDTH).toBeLessThanOrEqual(cellWidth + 1);
    }
  });
});

describe('burn-up with key metrics', () => {
  const base: BurnupInput = {
    title: 'Improve Ops Quality',
    points: [{ at: NOW, overall: 40, criteria: { '1': 40 }, items: 4, done: 1 }],
    criteriaTitles: { '1': 'One' },
    targetEndDate: '2027-01-31',
    startDate: '2026-08-01',
    todayDate: '2026-11-30',
    forecast: null,
    today: NOW,
  };

  it('is exactly today’s chart without series, and taller with the panel appended when there are', () => {
    const plain = burnupSvg(base);
    expect(burnupSvg({ ...base, metrics: [] })).toBe(plain);
    const withMetrics = burnupSvg({ ...base, metrics: [usage([1, 2, null, 4, 5, 6, 7, 8])] });
    expect(withMetrics).toContain('Key metrics, week by week');
    const height = (svg: string) => Number(/height="(\d+)"/.exec(svg)![1]);
    expect(height(withMetrics)).toBeGreaterThan(height(plain));
    expect(renderPng(withMetrics).subarray(1, 4).toString()).toBe('PNG');
  });
});
