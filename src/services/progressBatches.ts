import { criterionProgress, overallProgress } from '../domain/criteria.js';
import { localDate } from '../domain/dates.js';
import { type ItemEvent, type ItemFacts, itemChanges, type TrackedItem } from '../domain/itemHistory.js';
import { snapshotCriteria } from '../domain/snapshot.js';
import type { ItemPageKey } from '../store/repositories/progressPages.js';
import type { Store } from '../store/store.js';
import { evaluateItems, FingerprintHash } from './groupState.js';

/**
 * Items read, compared and hashed per transaction. A transaction holds the process (better-sqlite3 is
 * synchronous): 500 items take some 10–40 ms on a busy machine, far from the 100 ms a `/wg status`
 * may wait.
 */
export const PROGRESS_PAGE = 500;

const handBack = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * What `recordProgress` records — an event for each item added, removed, closed, reopened, or moved
 * sprint or due date since the last record, and today's figures when the group's fingerprint moved —
 * a page of items at a time with the event loop handed back between pages, for a sync of a group whose
 * items (100,000 in an epic) would otherwise be read in one transaction lasting seconds.
 *
 * Each page reads its items' recorded facts and writes their events in one transaction, so a record made
 * meanwhile by someone else (a digest's baseline) never doubles an event. The figures are recorded last,
 * in a transaction of their own. A write between pages (an item closed from Slack) is recorded by this
 * record or the next, as a write just after a whole-group record would be.
 */
export async function recordProgressInBatches(store: Store, groupId: number, now: Date): Promise<void> {
  const group = store.groups.getById(groupId);
  if (!group) return;
  const at = now.toISOString();
  const today = localDate(now, group.timezone);
  const exit = store.criteria.of(group.id, 'exit').map(criterionProgress);
  const { overall } = overallProgress(exit);
  const criteria = snapshotCriteria(exit);
  const sprints = store.sprints.list(group.id);
  const fingerprint = new FingerprintHash(overall, criteria);

  let after: ItemPageKey | null = null;
  for (;;) {
    const page = store.transaction(() => {
      const rows = store.progressPages.current(group.id, after, PROGRESS_PAGE);
      const evaluated = evaluateItems(
        rows.map((r) => r.item),
        sprints,
        group.cadence,
        today,
      );
      const facts = evaluated.map(({ item, sprint }): ItemFacts => factsOf(item, sprint));
      const recorded = rows.flatMap((r) => (r.recorded ? [r.recorded] : []));
      const { events, changed } = itemChanges(recorded, facts, at);
      store.itemHistory.record(group.id, events, changed);
      return evaluated;
    });
    for (const item of page) fingerprint.add(item);
    const last = page.at(-1)?.item;
    if (!last || page.length < PROGRESS_PAGE) break;
    after = { source: last.source, position: last.position, id: last.id };
    await handBack();
  }
  await recordRemovals(store, group.id, at);
  store.transaction(() =>
    store.progressDays.record(group.id, at, { overall, criteria }, fingerprint.digest()),
  );
}

function factsOf(
  item: { id: number; state: ItemFacts['state']; dueDate: string | null },
  sprint: { number: number | null; title: string } | null,
): ItemFacts {
  return {
    itemId: item.id,
    state: item.state,
    sprintNumber: sprint?.number ?? null,
    sprintTitle: sprint?.title ?? null,
    dueDate: item.dueDate,
  };
}

/** The items recorded as present that left the group since: a `removed` event each, a page at a time. */
async function recordRemovals(store: Store, groupId: number, at: string): Promise<void> {
  for (;;) {
    const count = store.transaction(() => {
      // Each page's rows become not present, so the next page starts again from the first id.
      const gone = store.progressPages.gone(groupId, PROGRESS_PAGE);
      const events = gone.map((g): ItemEvent => ({
        itemId: g.itemId,
        at,
        kind: 'removed',
        from: null,
        to: null,
      }));
      const changed = gone.map((g): TrackedItem => ({ ...g, present: false }));
      store.itemHistory.record(groupId, events, changed);
      return gone.length;
    });
    if (count < PROGRESS_PAGE) return;
    await handBack();
  }
}
