import type { Store } from '../../store/store.js';

/** Items checked per transaction: 2,000 index seeks take a few milliseconds. */
export const ORPHAN_PAGE = 2000;

/**
 * Marks removed the group's synced items that no linked source holds any more (moved, deleted or hidden
 * in GitLab), a page of items at a time with the event loop handed back between pages, after the sync's
 * writing transaction: checking 100,000 items in it held the process for over 100 ms. Returns how many.
 * Until the last page commits a `/wg status` may still list one of them, as it did before the sync.
 */
export async function removeOrphans(store: Store, groupId: number, now: Date): Promise<number> {
  let removed = 0;
  let after: Parameters<Store['sources']['orphanPage']>[1] = null;
  for (;;) {
    const page = store.transaction(() => {
      const found = store.sources.orphanPage(groupId, after, ORPHAN_PAGE);
      store.items.markRemoved(found.orphans, now);
      return found;
    });
    removed += page.orphans.length;
    if (page.next === null) return removed;
    after = page.next;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
