import { formatPercent, plural } from '../../format.js';
import type { BurnupInput } from '../../services/digestData.js';
import { COLORS, fit, FONT, LEFT, MIN_FONT, PAD, text, WIDTH, xmlText } from '../svg.js';

const MAX_CRITERIA_ROWS = 10;

/** Panel 3: each top-level criterion as its own bar, ranked — no line can hide another. */
export function criteriaPanel(input: BurnupInput, top: number): { parts: string[]; height: number } {
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
