import type { Parsed } from './command.js';

/** Helpers the subcommands' `parse` share: pure, no Slack and no database. */

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

export function fail<A>(error: string, suggestion: string | null = null): Parsed<A> {
  return { ok: false, error, suggestion };
}

export function ok<A>(args: A): Parsed<A> {
  return { ok: true, args };
}

/** A slug (lower-cased), null without one, or an error that says what a slug looks like. */
export function slugArg(token: string | undefined, usage: string): { slug: string | null } | Parsed<never> {
  if (token === undefined) return { slug: null };
  const lower = token.toLowerCase();
  if (SLUG.test(lower)) return { slug: lower };
  return fail(
    `\`${token}\` is not a working-group slug (like \`improve-ops-quality\`); \`/wg list\` shows them.`,
    `/wg ${usage}`,
  );
}

/** An error for words left over, else null. */
export function noMore(words: string[], usage: string): Parsed<never> | null {
  return words.length > 0 ? fail(`Unexpected \`${words.join(' ')}\`.`, `/wg ${usage}`) : null;
}

/** Takes `share` (or `public`, `post`) out of the words: the answer is then for the whole channel. */
export function takeShare(words: string[]): { share: boolean; rest: string[] } {
  const i = words.findIndex((a) => /^(share|public|post)$/i.test(a));
  return i < 0 ? { share: false, rest: words } : { share: true, rest: words.filter((_, j) => j !== i) };
}

/** `[slug]` and nothing else: what most group subcommands take. */
export function slugOnly(words: string[], usage: string): Parsed<{ slug: string | null }> {
  const slug = slugArg(words[0], usage);
  if ('ok' in slug) return slug;
  return noMore(words.slice(1), usage) ?? ok({ slug: slug.slug });
}

/**
 * Slack escapes `&`, `<` and `>` in what the user typed (the manifest's `should_escape` turns mentions and
 * links into `<…>` entities, and everything else arrives HTML-escaped): this gives back the typed text.
 */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Splits like a shell: "double quotes" (also “curly” ones) keep spaces; Slack's `<…>` entities stay whole
 * (links, mentions); everything else is unescaped back to what was typed.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /<[^>]*>|"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const quoted = match[1] ?? match[2];
    tokens.push(
      quoted !== undefined
        ? unescapeSlack(quoted)
        : match[0].startsWith('<')
          ? match[0]
          : unescapeSlack(match[0]),
    );
  }
  return tokens.filter((t) => t.length > 0);
}
