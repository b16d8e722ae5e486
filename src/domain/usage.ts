/**
 * Usage and traffic from a group's own source: a Prometheus instant query (`…/api/v1/query?query=…`) or
 * a JSON endpoint answering a number or `{"value": n}`. Pure: what an answer means, and its trend.
 */
export type UsageKind = 'prometheus' | 'json';

/** Which kind a URL is: Prometheus's instant query API by its path, anything else JSON. */
export function usageKind(url: URL): UsageKind {
  return /\/api\/v1\/query$/.test(url.pathname) && url.searchParams.has('query') ? 'prometheus' : 'json';
}

/** Parses a number the way Prometheus writes sample values ("123.4", "NaN", "+Inf"): finite ones only. */
function finite(value: unknown): number | null {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(n) ? n : null;
}

/**
 * The figure an answer carries, or why there is none. Prometheus: `{status: "success", data: {resultType,
 * result}}` — a scalar's `[ts, "v"]`, or a vector's samples summed (one series per label set); an empty
 * vector is no figure (unknown is not zero).
 */
export function usageValue(
  kind: UsageKind,
  body: unknown,
): { ok: true; value: number } | { ok: false; reason: string } {
  if (kind === 'json') {
    const value = finite(
      typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : body,
    );
    return value === null
      ? { ok: false, reason: 'the answer is not a number or {"value": n}' }
      : { ok: true, value };
  }
  const answer = body as { status?: unknown; data?: { resultType?: unknown; result?: unknown } } | null;
  if (answer?.status !== 'success') return { ok: false, reason: 'Prometheus did not answer success' };
  const { resultType, result } = answer.data ?? {};
  if (resultType === 'scalar' && Array.isArray(result)) {
    const value = finite(result[1]);
    return value === null ? { ok: false, reason: 'the scalar is not a number' } : { ok: true, value };
  }
  if (resultType !== 'vector' || !Array.isArray(result))
    return { ok: false, reason: `a ${String(resultType)} result, not a vector or scalar` };
  const samples = result.slice(0, 1000).map((s) => finite((s as { value?: unknown[] })?.value?.[1]));
  if (samples.length === 0) return { ok: false, reason: 'the query matched no series' };
  if (samples.some((s) => s === null)) return { ok: false, reason: 'a sample is not a number' };
  return { ok: true, value: (samples as number[]).reduce((a, b) => a + b, 0) };
}

/** Change from `before` to `now` in percent (one decimal); null when there is no earlier figure or it was 0. */
export function usageTrend(now: number, before: number | null): number | null {
  if (before === null || before === 0) return null;
  return Math.round(((now - before) / Math.abs(before)) * 1000) / 10;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A text sparkline of weekly figures, oldest first ("▁▃▅█"): the 8-week trend in a line of text. */
export function sparkline(values: readonly number[]): string {
  if (values.length < 2) return '';
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  return values
    .map((v) => BARS[span === 0 ? 3 : Math.round(((v - min) / span) * (BARS.length - 1))])
    .join('');
}

const WEEK_MS = 7 * 86_400_000;

/** One week of a weekly series: the day it starts and its figure, null when nothing was read that week. */
export interface WeekFigure {
  start: string;
  value: number | null;
}

/**
 * The last reading of each of the `count` 7-day spans ending at `now`, oldest first. A span without a
 * reading is null — a gap, never a zero — and readings outside the spans are ignored.
 */
export function weeklyFigures(
  readings: readonly { at: string; value: number }[],
  now: Date,
  count = 8,
): WeekFigure[] {
  const weeks: { start: string; value: number | null; at: number }[] = Array.from(
    { length: count },
    (_, i) => ({
      start: new Date(now.getTime() - (count - i) * WEEK_MS).toISOString().slice(0, 10),
      value: null,
      at: -Infinity,
    }),
  );
  for (const r of readings) {
    const at = new Date(r.at).getTime();
    const back = Math.floor((now.getTime() - at) / WEEK_MS);
    if (!Number.isFinite(at) || at > now.getTime() || back >= count || !Number.isFinite(r.value)) continue;
    const week = weeks[count - 1 - back]!;
    if (at >= week.at) Object.assign(week, { value: r.value, at });
  }
  return weeks.map(({ start, value }) => ({ start, value }));
}
