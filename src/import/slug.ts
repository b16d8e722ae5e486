import { createHash } from 'node:crypto';
import anyAscii from 'any-ascii';

/**
 * 'Improve Ops Quality' → 'improve-ops-quality': lower-case ASCII letters, digits and single dashes. Other
 * scripts are transliterated first ('Straße' → 'strasse', 'シャーディング' → 'shiyadeingu'), so a title in any
 * language gives a slug.
 */
export function slugify(text: string): string {
  return anyAscii(text.normalize('NFC'))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** A slug for a title nothing can be made of ('🚀🚀'): 'wg-' and a short hash of it, the same every time. */
export function hashSlug(text: string): string {
  return `wg-${createHash('sha256').update(text).digest('hex').slice(0, 10)}`;
}

export function isSlug(text: string): boolean {
  return /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/.test(text) && !text.includes('--');
}
