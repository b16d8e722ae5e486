// The chart's drawing kit: its sizes, colours and the few SVG pieces every panel writes.

/**
 * The chart's width in SVG units. Slack previews images 480 px wide, so every text is at least
 * 9 · WIDTH / 480 units high: 9 px or more in that preview (test/unit/burnup.test.ts holds it to that).
 */
export const WIDTH = 640;
export const MIN_FONT = (9 * WIDTH) / 480;
export const PAD = 16;
export const LEFT = 48;
export const FONT = { title: 17, text: 13, small: MIN_FONT } as const;
/** DejaVu Sans is about this wide per character, in ems: how many characters a width holds. */
export const EM_WIDTH = 0.62;
export const COLORS = {
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

export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Cut to what `width` units hold at `size`, ending in '…' when cut. */
export function fit(text: string, width: number, size: number): string {
  const max = Math.max(4, Math.floor(width / (size * EM_WIDTH)));
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export function text(
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

/** One legend row: a short stroke sample and a label per entry. */
export function legend(
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
