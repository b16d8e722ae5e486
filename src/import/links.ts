import type { Definition, Nodes, Root } from 'mdast';
import { walk } from './markdown.js';

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * A link as the page wrote it, made absolute when it is relative ('/handbook/…', '../foo', 'foo/') and a
 * base URL is known; else kept as written. Fragments ('#roles') and absolute URLs stay.
 */
export function resolveUrl(url: string, baseUrl: string | null): string {
  if (!baseUrl || url === '' || ABSOLUTE.test(url) || url.startsWith('#') || url.startsWith('//')) return url;
  try {
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    return new URL(url, base).toString();
  } catch {
    return url;
  }
}

/**
 * Turns reference links (`[text][ref]` with `[ref]: url` below) into plain links, and resolves relative
 * URLs against `baseUrl`, so every reader after this sees one kind of link with a usable URL.
 */
export function normalizeLinks(root: Root, baseUrl: string | null): void {
  const definitions = new Map<string, string>();
  for (const node of walk(root)) {
    if (node.type === 'definition') definitions.set((node as Definition).identifier.toLowerCase(), node.url);
  }
  for (const node of walk(root) as Iterable<Nodes>) {
    if (node.type === 'link' || node.type === 'definition' || node.type === 'image') {
      node.url = resolveUrl(node.url, baseUrl);
    } else if (node.type === 'linkReference') {
      const url = definitions.get(node.identifier.toLowerCase());
      if (url !== undefined) {
        const link = node as unknown as { type: string; url: string; title: null };
        link.type = 'link';
        link.url = resolveUrl(url, baseUrl);
        link.title = null;
      }
    }
  }
}
