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
        default:
          return '';
      }
    })
    .join('\n');
}
