import { GitlabLimitError } from './errors.js';

/** The page a listing request asks for (gitbeaker's first request names none: page 1). */
export function requestedPage(search: string): number {
  const page = Number(new URLSearchParams(search).get('page') ?? '1');
  return Number.isInteger(page) && page > 0 ? page : 1;
}

/** The `page` of the Link header's rel="next" URL: '' when there is no next link, null when it has no page. */
function linkNextPage(link: string | null): string | null {
  const next = /<([^>]*)>\s*;\s*rel="next"/.exec(link ?? '');
  if (!next) return '';
  try {
    return new URL(next[1]!, 'http://base.invalid/').searchParams.get('page');
  } catch {
    return null;
  }
}

/**
 * Bounds every chain of listing pages, whatever the server sends. Both gitbeaker (following the Link header)
 * and wgbot's own paging (x-next-page) ask for page n+1 after page n, so: an answer may only offer the page
 * that follows it (not itself again, not a page without a number), and not beyond GitLab's own
 * `x-total-pages`; and no request goes beyond page `maxPages` (see `send`).
 */
export function checkOfferedPage(headers: Headers, search: string, endpoint: string): void {
  const current = requestedPage(search);
  const offered = [headers.get('x-next-page') ?? '', linkNextPage(headers.get('link'))].filter(
    (next) => next !== '',
  );
  if (offered.length === 0) return;
  const refuse = (why: string) => {
    throw new GitlabLimitError('pages', endpoint, `stopped paging ${endpoint} at page ${current}: ${why}`);
  };
  if (offered.some((next) => next !== String(current + 1)))
    refuse(`GitLab offered page ${offered.map((n) => n ?? '(none)').join(' / ')} as the next one`);
  const totalPages = Number(headers.get('x-total-pages') ?? '');
  if (Number.isInteger(totalPages) && totalPages > 0 && current >= totalPages)
    refuse(`GitLab said there are ${totalPages} pages but offered another`);
}

/** The body as text, refusing more than `maxBytes` (by Content-Length first, then as it arrives). */
export async function readCapped(response: Response, maxBytes: number, endpoint: string): Promise<string> {
  const tooBig = () =>
    new GitlabLimitError('size', endpoint, `GitLab's answer to ${endpoint} is larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooBig();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Refuses a request for a page beyond `maxPages` (GITLAB_MAX_PAGES), whoever asked for it. */
export function checkPageLimit(search: string, endpoint: string, maxPages: number): void {
  if (requestedPage(search) > maxPages)
    throw new GitlabLimitError(
      'pages',
      endpoint,
      `stopped paging ${endpoint} at page ${maxPages}: GitLab offers more than GITLAB_MAX_PAGES (${maxPages}) pages`,
    );
}
