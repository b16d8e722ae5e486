/**
 * Where a group's handbook page lives in the handbook project (HANDBOOK_PROJECT), from what the import
 * recorded as the page's source (`wgbot import <file>` keeps the path or URL it was given):
 *
 * - a GitLab file URL (`…/-/blob/<ref>/<path>` or `…/-/raw/<ref>/<path>`): `<path>`;
 * - a local path with a `content/` folder in it (`~/handbook/content/handbook/x/wg.md`): from `content/` on;
 * - a relative path (`content/handbook/x/wg.md`, `./x/wg.md`): that path, without `./`;
 * - a published handbook URL (`https://handbook.example.com/handbook/x/wg/`): `content/handbook/x/wg.md`,
 *   then `content/handbook/x/wg/_index.md`, then `…/index.md` (Hugo's three ways to write one page);
 * - anything else (an absolute path without `content/`, nothing recorded): no guess.
 *
 * The first candidate that exists in the project is the page. A group's own path (`wgbot writeback <slug>
 * --path …`) overrides the rule. Pure: no I/O.
 */
export function handbookPathCandidates(sourceRef: string | null): string[] {
  const ref = sourceRef?.trim() ?? '';
  if (ref === '') return [];
  const url = /^https?:\/\//i.test(ref) ? safeUrl(ref) : null;
  if (url) {
    const file = /\/-\/(?:blob|raw)\/[^/]+\/(.+)$/.exec(url.pathname);
    if (file) return [cleanPath(decodeURIComponent(file[1]!))].filter(Boolean);
    const page = url.pathname
      .replace(/\/+$/, '')
      .replace(/\.html?$/, '')
      .replace(/^\/+/, '');
    if (page === '') return [];
    const base = `content/${decodeURIComponent(page)}`;
    return [`${base}.md`, `${base}/_index.md`, `${base}/index.md`];
  }
  const path = ref.replace(/\\/g, '/');
  const content = path.lastIndexOf('/content/');
  if (content >= 0) return [cleanPath(path.slice(content + 1))];
  if (path.startsWith('content/')) return [cleanPath(path)];
  if (path.startsWith('/') || /^[A-Za-z]:\//.test(path) || path.startsWith('~')) return [];
  return [cleanPath(path)].filter(Boolean);
}

/** A repository path: no leading './' or '/', no '..' climbing out of the project. */
export function cleanPath(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) return '';
  return parts.join('/');
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
