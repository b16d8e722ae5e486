import type { GitlabClient } from '../../gitlab/client.js';
import { sourceFor } from '../../gitlab/sources.js';
import type { StoredSource } from '../../store/repositories/gitlabSources.js';
import type { Store } from '../../store/store.js';
import type { Fetched } from './outcomes.js';

/** One source's fetch; its failure is its own, not the group's. */
export async function fetchSource(
  store: Store,
  client: GitlabClient,
  source: StoredSource,
  full: boolean,
  now: Date,
): Promise<Omit<Fetched, 'source'>> {
  const known = new Set(
    store.sources
      .members(source.id)
      .filter((m) => m.source === 'gitlab_issue' && m.externalId)
      .map((m) => m.externalId!),
  );
  try {
    const result = await sourceFor(client, source.ref).fetch({ cursor: source.cursor, known, full, now });
    return { result };
  } catch (error) {
    return { error };
  }
}

/**
 * Every source's fetch, each on its own, in order. The same GitLab object linked twice (the group's epic,
 * and behind a criterion) with the same cursor is fetched once. `afterEach` runs after each real fetch;
 * when it answers false (the lease was lost), the fetching stops and this answers null.
 */
export async function fetchEach(
  sources: StoredSource[],
  fetch: (source: StoredSource) => Promise<Omit<Fetched, 'source'>>,
  afterEach: () => boolean,
): Promise<Fetched[] | null> {
  const fetched: Fetched[] = [];
  const byUrl = new Map<string, { cursor: string; got: Omit<Fetched, 'source'> }>();
  for (const source of sources) {
    const reuse = byUrl.get(source.url);
    if (reuse && reuse.cursor === JSON.stringify(source.cursor)) {
      fetched.push({ source, ...reuse.got } as Fetched);
      continue;
    }
    const got = await fetch(source);
    fetched.push({ source, ...got } as Fetched);
    byUrl.set(source.url, { cursor: JSON.stringify(source.cursor), got });
    if (!afterEach()) return null;
  }
  return fetched;
}
