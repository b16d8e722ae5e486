// What the operator (or a file name) gives an import — a slug, a channel, a title — checked and normalised.
import { ImportError } from '../import/errors.js';
import { isSlug } from '../import/slug.js';

/** 'wg-data-platform.md' → 'wg data platform': a title for a page that has none. */
export function titleFromFileName(sourceRef: string | undefined): string | null {
  if (!sourceRef) return null;
  const base = sourceRef.split(/[\\/]/).at(-1) ?? '';
  const title = base
    .replace(/\.[A-Za-z0-9]{1,9}$/, '')
    .replace(/^\d+[-_ ]+/, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return title || null;
}

// Channel names are lower-case; IDs upper-case (C… public, G… private).
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

/** '#name', 'name' or a channel ID as the operator typed it → what we store. */
export function normalizeChannel(input: string): { channel: string; slackChannelId: string | null } {
  const trimmed = input.trim();
  if (CHANNEL_ID.test(trimmed)) return { channel: trimmed, slackChannelId: trimmed };
  const name = trimmed.replace(/^#/, '').toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{0,79}$/.test(name)) {
    throw new ImportError(
      `'${input}' is not a Slack channel: give '#channel-name' or a channel ID like C0123456789`,
    );
  }
  return { channel: `#${name}`, slackChannelId: null };
}

/** The slug as given, or an error that says what a slug looks like. */
export function checkSlug(slug: string): string {
  if (!isSlug(slug)) {
    throw new ImportError(
      `'${slug}' is not a valid slug: use lower-case letters, digits and dashes, like 'devops-cicd'`,
    );
  }
  return slug;
}

/** 'devops-cicd' → 'Devops Cicd': a name for a group created from an epic, until someone gives a better one. */
export function nameFromSlug(slug: string): string {
  return slug
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
