/**
 * Block Kit → HTML, for the offline demo page: what Slack would show, drawn from the very payloads the
 * app sends. Text arrives as Slack mrkdwn that the views already escaped (&amp; &lt; &gt;), so the only
 * `<…>` left are Slack's own entities (links, mentions, dates), which become HTML here.
 */

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  red_circle: '🔴',
  white_circle: '⚪',
  tada: '🎉',
  dart: '🎯',
  arrows_counterclockwise: '🔄',
  warning: '⚠️',
  lock: '🔒',
  zzz: '💤',
  arrow_up_small: '🔼',
  arrow_down_small: '🔽',
  turtle: '🐢',
  heavy_plus_sign: '➕',
  heavy_minus_sign: '➖',
  leftwards_arrow_with_hook: '↩️',
  rotating_light: '🚨',
  bell: '🔔',
  sparkles: '✨',
  mailbox_with_no_mail: '📭',
  bar_chart: '📊',
  calendar: '📅',
  eyes: '👀',
  link: '🔗',
  mega: '📣',
  house: '🏠',
  busts_in_silhouette: '👥',
  thinking_face: '🤔',
  no_entry: '⛔',
  compass: '🧭',
  hourglass: '⏳',
  scissors: '✂️',
  no_bell: '🔕',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  grey_question: '❔',
  hourglass_flowing_sand: '⏳',
};

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plain text (headers, buttons): not escaped by Slack rules, so escaped for HTML here. */
export function plainToHtml(text: string): string {
  return attr(text).replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
}

export function mrkdwnToHtml(text: string, names: Record<string, string> = {}): string {
  let html = text.replace(/<([^<>]*)>/g, (_m, inner: string) => {
    if (inner.startsWith('@'))
      return `<span class="mention">@${attr(names[inner.slice(1)] ?? inner.slice(1))}</span>`;
    if (inner.startsWith('#'))
      return `<span class="mention">#${attr(names[inner.slice(1)] ?? inner.slice(1))}</span>`;
    if (inner.startsWith('!date^')) return inner.split('|')[1] ?? '';
    if (inner.startsWith('!')) return '';
    const [url, label] = inner.split('|');
    if (!url || !/^https?:\/\//.test(url)) return label ?? '';
    return `<a href="${attr(url)}" target="_blank" rel="noopener">${label ?? attr(url)}</a>`;
  });
  // Anything else that looks like a tag cannot come from the views; neutralise it all the same.
  html = html.replace(/<(?!\/?(a|span)\b)/g, '&lt;');
  html = html.replace(/`([^`\n]+)`/g, '<code>$1</code>');
  html = html.replace(/(^|[\s(>])\*([^*\n]+)\*/g, '$1<b>$2</b>');
  html = html.replace(/(^|[\s(>])_([^_\n]+)_/g, '$1<i>$2</i>');
  html = html.replace(/(^|[\s(>])~([^~\n]+)~/g, '$1<s>$2</s>');
  html = html.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
  return html.replace(/\n/g, '<br>');
}

type AnyBlock = {
  type: string;
  text?: { type: string; text: string };
  elements?: {
    type: string;
    text?: unknown;
    url?: string;
    action_id?: string;
    style?: string;
    placeholder?: { text: string };
  }[];
  accessory?: { type: string; text?: { text: string }; url?: string };
  image_url?: string;
  alt_text?: string;
};

function textOf(t: { type: string; text: string } | undefined, names: Record<string, string>): string {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwnToHtml(t.text, names) : plainToHtml(t.text);
}

function buttonHtml(b: {
  text?: unknown;
  url?: string;
  style?: string;
  type: string;
  placeholder?: { text: string };
}): string {
  if (b.type === 'datepicker')
    return `<span class="button picker">📅 ${plainToHtml(b.placeholder?.text ?? 'Pick a date')}</span>`;
  const label = plainToHtml((b.text as { text?: string } | undefined)?.text ?? '');
  const cls = `button${b.style ? ` ${b.style}` : ''}`;
  return b.url
    ? `<a class="${cls}" href="${attr(b.url)}" target="_blank" rel="noopener">${label}</a>`
    : `<span class="${cls}">${label}</span>`;
}

const SERIES_COLORS = ['#1d1c1d', '#8d8d8d', '#1264a3', '#e8912d', '#2eb67d', '#e01e5a'];

/**
 * Slack's data visualization block (a line chart) drawn as Slack draws one: its series over its
 * categories, with a legend. Only what the block says is drawn — the demo invents nothing.
 */
function dataVisualizationHtml(block: {
  title?: string;
  chart?: {
    series?: { name: string; data: { label: string; value: number }[] }[];
    axis_config?: { categories?: string[] };
  };
}): string {
  const series = block.chart?.series ?? [];
  const categories = block.chart?.axis_config?.categories ?? [];
  const [w, h, left, top, bottom] = [480, 180, 40, 10, 24];
  const right = 28;
  const x = (i: number) =>
    left + (categories.length > 1 ? (i * (w - left - right)) / (categories.length - 1) : 0);
  const y = (v: number) => top + ((100 - Math.max(0, Math.min(100, v))) * (h - top - bottom)) / 100;
  const grid = [0, 50, 100]
    .map(
      (v) =>
        `<line x1="${left}" x2="${w - right}" y1="${y(v)}" y2="${y(v)}" stroke="#e8e8e8"/><text x="${left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end" fill="#616061">${v}%</text>`,
    )
    .join('');
  const ticks = categories
    .map((c, i) =>
      i % Math.ceil(categories.length / 6) === 0 || i === categories.length - 1
        ? `<text x="${x(i)}" y="${h - 6}" font-size="11" text-anchor="middle" fill="#616061">${plainToHtml(c)}</text>`
        : '',
    )
    .join('');
  const lines = series
    .map(
      (s, k) =>
        `<polyline data-series="${attr(s.name)}" fill="none" stroke="${SERIES_COLORS[k % SERIES_COLORS.length]}" stroke-width="${k === 0 ? 3 : 2}"${k > 0 ? ' stroke-dasharray="6 4"' : ''} points="${s.data.map((d, i) => `${x(i).toFixed(1)},${y(d.value).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const legend = series
    .map(
      (s, k) =>
        `<span><i style="background:${SERIES_COLORS[k % SERIES_COLORS.length]}"></i>${plainToHtml(s.name)}</span>`,
    )
    .join('');
  return `<figure class="block dataviz"><figcaption class="dataviz-title">${plainToHtml(block.title ?? '')}</figcaption><svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${attr(block.title ?? 'chart')}">${grid}${ticks}${lines}</svg><div class="legend">${legend}</div></figure>`;
}

/** One Block Kit surface (message, modal or Home tab) as HTML. */
export function blocksToHtml(blocks: unknown[], names: Record<string, string> = {}): string {
  return (blocks as AnyBlock[])
    .map((block) => {
      switch (block.type) {
        case 'header':
          return `<h3 class="block header">${textOf(block.text, names)}</h3>`;
        case 'section': {
          const accessory = block.accessory
            ? `<div class="accessory">${buttonHtml(block.accessory as never)}</div>`
            : '';
          return `<div class="block section"><div>${textOf(block.text, names)}</div>${accessory}</div>`;
        }
        case 'context':
          return `<div class="block context">${(block.elements ?? [])
            .map((e) => `<span>${textOf(e as unknown as { type: string; text: string }, names)}</span>`)
            .join('')}</div>`;
        case 'divider':
          return '<hr class="block divider">';
        case 'actions':
          return `<div class="block actions">${(block.elements ?? []).map((e) => buttonHtml(e as never)).join('')}</div>`;
        case 'image':
          return `<img class="block image" src="${attr(block.image_url ?? '')}" alt="${attr(block.alt_text ?? '')}">`;
        case 'data_visualization':
          return dataVisualizationHtml(block as never);
        default:
          return '';
      }
    })
    .join('\n');
}
