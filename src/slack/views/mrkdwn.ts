/**
 * Control characters (C0 but tab and newline, DEL, C1) and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069): NUL breaks clients, and an override makes a title read backwards —
 * `‮fdp.exe` shows as `exe.pdf`.
 */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Text without the characters no message should carry; every text wgbot sends passes through here. */
export function stripUnsafe(text: string): string {
  return text.replace(UNSAFE, '');
}

declare const safe: unique symbol;

/**
 * mrkdwn that may be sent as it is: made by `esc`, `link`, `mention`, `channelMention`, `slackDate` or
 * `mrkdwn`. A plain string is not one, so `mrkdwn` cannot be handed unescaped data.
 */
export type Mrkdwn = string & { readonly [safe]: true };

/**
 * The one way to write user-facing mrkdwn with fixed text in it: `mrkdwn` escapes `&`, `<` and `>` in the
 * template's own text as well as in data, so a hint like `/wg status <slug>` arrives as written instead of
 * as a broken link. Values must be mrkdwn already (`esc(title)`, `link(…)`, `mention(…)`, another `mrkdwn`) or
 * numbers; markup (`*bold*`, `_italic_`, backticks) is written as usual. `test/unit/mrkdwn.test.ts` fails
 * on any fixed text in `src/slack/views` with one of the three characters outside an `mrkdwn` template.
 */
export function mrkdwn(strings: TemplateStringsArray, ...values: (Mrkdwn | number)[]): Mrkdwn {
  let text = esc(strings[0]!) as string;
  values.forEach((value, i) => {
    text += `${value}${esc(strings[i + 1]!)}`;
  });
  return text as Mrkdwn;
}

/**
 * Text for Slack's mrkdwn, safe against whatever GitLab titles and handbook pages contain. Slack reads
 * `<…>` as links, mentions and broadcasts, so a title like `<!channel> fix` or `<@U123>` must arrive as
 * text; `&`, `<` and `>` are the three characters Slack asks apps to escape.
 */
export function esc(text: string): Mrkdwn {
  return (
    stripUnsafe(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // A bare @here / @channel / @everyone is not a broadcast in mrkdwn, but clients highlight it; a
      // word joiner keeps it inert in every client.
      .replace(/@(here|channel|everyone)\b/gi, '@\u2060$1') as Mrkdwn
  );
}

/** Plain text fields (headers, buttons) are not parsed for links, only for the broadcast words. */
export function plain(text: string, max: number): string {
  return truncate(stripUnsafe(text).replace(/@(here|channel|everyone)\b/gi, '@\u2060$1'), max);
}

/**
 * Cuts to at most `max` UTF-16 units with an ellipsis, never between the two halves of an emoji. Every
 * block text goes through here or `truncateMrkdwn`, so they strip what `esc` strips even from text that
 * was not escaped.
 */
export function truncate(raw: string, max: number): string {
  const text = stripUnsafe(raw);
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * Cuts mrkdwn like `truncate`, but never inside a `<link|label>`, a mention or an `&amp;` entity: a
 * half link is shown as raw markup, or worse, swallows the rest of the message.
 */
export function truncateMrkdwn(raw: string, max: number): string {
  const text = stripUnsafe(raw);
  if (text.length <= max) return text;
  let cut = truncate(text, max).slice(0, -1);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';') && cut.length - amp <= 8) cut = cut.slice(0, amp);
  return `${cut.trimEnd()}…`;
}

/** A link when the URL is absolute http(s), else the escaped text alone (relative handbook links do not work in Slack). */
export function link(url: string | null, text: string): Mrkdwn {
  const label = esc(text).replace(/\|/g, '│') as Mrkdwn;
  if (!url || !/^https?:\/\/[^\s<>|]+$/i.test(url) || stripUnsafe(url) !== url) return label;
  return `<${url}|${label}>` as Mrkdwn;
}

/** `<@U123>` when the person is known in Slack (a real mention), else their name. */
export function mention(slackUserId: string | null | undefined, name: string): Mrkdwn {
  return slackUserId && /^[UW][A-Z0-9]+$/.test(slackUserId) ? (`<@${slackUserId}>` as Mrkdwn) : esc(name);
}

/** `<#C123>` for a channel ID (Slack shows its name to each reader), else the text as given. */
export function channelMention(channelId: string): Mrkdwn {
  return /^[CGD][A-Z0-9]+$/.test(channelId) ? (`<#${channelId}>` as Mrkdwn) : esc(channelId);
}

/**
 * A time Slack renders in each reader's own zone (`<!date^…>`), with `fallback` for clients that cannot.
 * Format tokens: {date_short_pretty}, {time}, {ago} …
 */
export function slackDate(at: Date, format: string, fallback: string): Mrkdwn {
  return `<!date^${Math.floor(at.getTime() / 1000)}^${format}|${esc(fallback)}>` as Mrkdwn;
}
