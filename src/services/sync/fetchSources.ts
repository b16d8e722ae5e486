import type { GitlabClient } from '../../gitlab/client.js';
import { type ContainerInfo, type SourceCursor, sourceFor } from '../../gitlab/sources.js';
import { SyncMemo } from '../../gitlab/syncMemo.js';
import type { SourceRef } from '../../domain/sources.js';
import type { StoredSource } from '../../store/repositories/gitlabSources.js';
import type { Store } from '../../store/store.js';
import type { Fetched } from './outcomes.js';

type Got = Omit<Fetched, 'source'>;

/**
 * One GitLab object's fetch for every link that holds it (the group's epic and the same epic behind a
 * criterion, say); its failure is its own, not the group's. The links may have been synced at different
 * times: the fetch resumes from the oldest cursor — or fetches everything if any link needs that — and
 * counts as known what any of them held, so what it answers is right for each.
 */
export async function fetchSource(
  store: Store,
  client: GitlabClient,
  sharing: StoredSource[],
  options: { full: boolean; now: Date; memo: SyncMemo },
): Promise<Got> {
  const { known, knownChildEpics } = await knownMembers(store, sharing);
  const oldest = oldestCursor(sharing);
  try {
    const result = await sourceFor(client, sharing[0]!.ref, options.memo).fetch({
      cursor: oldest?.cursor ?? null,
      known,
      knownChildEpics,
      stored: oldest ? storedContainer(oldest) : null,
      full: options.full,
      now: options.now,
    });
    return { result };
  } catch (error) {
    return { error };
  }
}

/** Members read per statement: 5,000 index seeks take a few milliseconds. */
const MEMBER_PAGE = 5000;

/**
 * The external ids of the issues and child epics the links held, read a page at a time with the event
 * loop handed back between pages: an epic of 100,000 issues held the process for 400 ms in one read.
 */
async function knownMembers(
  store: Store,
  sharing: StoredSource[],
): Promise<{ known: Set<string>; knownChildEpics: Set<string> }> {
  const known = new Set<string>();
  const knownChildEpics = new Set<string>();
  for (const source of sharing) {
    for (let after = 0; ;) {
      const page = store.sources.membersPage(source.id, after, MEMBER_PAGE);
      for (const m of page) {
        if (m.externalId && m.source === 'gitlab_issue') known.add(m.externalId);
        if (m.externalId && m.source === 'gitlab_epic') knownChildEpics.add(m.externalId);
      }
      if (page.length < MEMBER_PAGE) break;
      after = page.at(-1)!.itemId;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return { known, knownChildEpics };
}

/** The link to resume from: the one synced longest ago; null when one was never synced (fetch it all). */
function oldestCursor(sharing: StoredSource[]): (StoredSource & { cursor: SourceCursor }) | null {
  let oldest: (StoredSource & { cursor: SourceCursor }) | null = null;
  for (const source of sharing) {
    const cursor = source.cursor;
    if (!cursor?.lastFullAt) return null;
    if (!oldest || resumesAt(cursor) < resumesAt(oldest.cursor)) oldest = { ...source, cursor };
  }
  if (!oldest) return null;
  // The oldest full fetch decides when the next one is due; a webhook's request for child epics holds.
  const lastFullAt = sharing.map((s) => s.cursor!.lastFullAt!).sort()[0]!;
  const refetchChildren = sharing.some((s) => s.cursor!.refetchChildren);
  return {
    ...oldest,
    cursor: { ...oldest.cursor, lastFullAt, ...(refetchChildren ? { refetchChildren } : {}) },
  };
}

function resumesAt(cursor: SourceCursor): string {
  return cursor.updatedAt ?? cursor.lastFullAt ?? '';
}

/** The container as the link's last fetch recorded it; null when it did not record it all. */
function storedContainer(source: StoredSource): ContainerInfo | null {
  if (source.title === null || source.description === null || source.externalId === null) return null;
  return {
    title: source.title,
    description: source.description === '' ? null : source.description,
    state: source.state,
    webUrl: source.webUrl,
    externalId: source.externalId,
    dueDate: source.dueDate,
    updatedAt: source.cursor?.containerUpdatedAt ?? null,
  };
}

/** Which GitLab object a link reads: links with the same key are fetched once. */
export function objectKey(ref: SourceRef): string {
  // GitLab paths are case-insensitive.
  const path = ref.path.toLowerCase();
  if (ref.kind === 'issues')
    return JSON.stringify([ref.kind, ref.namespaceKind, path, [...ref.labels].sort(), ref.milestone]);
  return JSON.stringify([ref.kind, ref.namespaceKind, path, ref.iid]);
}

/** Epics first, then the other group-level links, then project-level ones: projects reuse groups' iterations. */
function fetchOrder(ref: SourceRef): number {
  if (ref.kind === 'epic') return 0;
  return ref.namespaceKind === 'group' ? 1 : 2;
}

/**
 * Every linked GitLab object's fetch, each on its own, once however many links hold it. One sync's fetches
 * share a memo, so the iterations of a group are listed once. `afterEach` runs after each real fetch; when
 * it answers false (the lease was lost), the fetching stops and this answers null. The answer is in the
 * order of `sources`, one entry per link.
 *
 * The fewest requests a full sync can make: per epic 3 (the epic, its issues, its child epics), per
 * milestone 2 (the milestone, for its title, and its issues), per labelled list or single issue 1, plus one
 * page more per 100 issues beyond the first, plus the open iterations once per group (a project under a
 * group already asked uses that group's). A group with an epic, a milestone and a labelled list in one
 * group, each linked twice, needs 3 + 2 + 1 + 1 = 7.
 */
export async function fetchEach(
  sources: StoredSource[],
  fetch: (sharing: StoredSource[], memo: SyncMemo) => Promise<Got>,
  afterEach: () => boolean,
  memo: SyncMemo,
): Promise<Fetched[] | null> {
  const byObject = new Map<string, StoredSource[]>();
  for (const source of sources) {
    const key = objectKey(source.ref);
    byObject.set(key, [...(byObject.get(key) ?? []), source]);
  }
  const order = [...byObject.values()].sort((a, b) => fetchOrder(a[0]!.ref) - fetchOrder(b[0]!.ref));
  const got = new Map<string, Got>();
  for (const sharing of order) {
    got.set(objectKey(sharing[0]!.ref), await fetch(sharing, memo));
    if (!afterEach()) return null;
  }
  return sources.map((source) => ({ source, ...got.get(objectKey(source.ref))! }) as Fetched);
}
