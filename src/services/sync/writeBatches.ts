import type { WorkingGroup } from '../../domain/types.js';
import { mapIssue } from '../../gitlab/mapping.js';
import type { SourceFetchResult } from '../../gitlab/sources.js';
import type { WriteContext } from './epicTasks.js';
import type { Fetched } from './outcomes.js';
import { upsertItem } from './writeGroup.js';

/**
 * Issues written per transaction. A transaction holds the process (better-sqlite3 is synchronous), and
 * 500 issues take some 20–40 ms on a busy machine: far from the 100 ms a `/wg status` may wait.
 */
export const WRITE_BATCH = 500;

/**
 * The issues of big listings (a full fetch of an epic with 100,000 issues) written before the group's
 * transaction, `WRITE_BATCH` to a transaction with the event loop handed back between them, so no single
 * write holds the process for long. The group's transaction then writes only memberships, cursors and
 * figures. Each batch first checks the sync still holds its lease (`stillOwner`); null when it lost it.
 *
 * Written early, an issue's item is up to date before the group's transaction makes it a member of its
 * link; if that transaction never comes (the process stops), the next sync writes it again.
 */
export async function writeBigListings(
  context: WriteContext,
  group: WorkingGroup,
  fetched: Fetched[],
  stillOwner: () => boolean,
): Promise<Map<SourceFetchResult, number[]> | null> {
  const written = new Map<SourceFetchResult, number[]>();
  for (const { result } of fetched) {
    if (!result || result.issues.length <= WRITE_BATCH || written.has(result)) continue;
    const ids: number[] = [];
    for (let start = 0; start < result.issues.length; start += WRITE_BATCH) {
      const batch = result.issues.slice(start, start + WRITE_BATCH);
      const ok = context.store.transaction(() => {
        if (!stillOwner()) return false;
        for (const [i, issue] of batch.entries())
          ids.push(upsertItem(context, group, mapIssue(issue), 1000 + start + i));
        return true;
      });
      if (!ok) return null;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    written.set(result, ids);
  }
  return written;
}
