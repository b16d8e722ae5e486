import type { TrackedItem } from '../../domain/itemHistory.js';
import type { ItemState } from '../../domain/types.js';
import type { Db } from '../db.js';
import type { StoredActionItem } from './actionItems.js';
import { LIST_COLUMNS, rowOf, rowToItem } from './actionItemRows.js';

/** Where a page of a group's current items stopped: the last item's place in the listing order. */
export interface ItemPageKey {
  source: string;
  position: number;
  id: number;
}

/** A current item beside its last recorded facts (null when none were recorded yet). */
export interface PagedItem {
  item: StoredActionItem;
  recorded: TrackedItem | null;
}

const RECORDED = 's.present, s.state, s.sprint_number, s.sprint_title, s.due_date';
const ITEM_COLUMNS = LIST_COLUMNS.split(', ')
  .map((c) => `i.${c}`)
  .join(', ');
const CURRENT = `SELECT ${ITEM_COLUMNS}, ${RECORDED} FROM action_items i
  LEFT JOIN item_states s ON s.item_id = i.id AND s.wg_id = i.wg_id
  WHERE i.wg_id = @wgId AND i.removed_at IS NULL`;
const ORDER = 'ORDER BY i.source, i.position, i.id LIMIT @limit';

interface RemovedRow {
  item_id: number;
  state: ItemState;
  sprint_number: number | null;
  sprint_title: string | null;
  due_date: string | null;
}

/**
 * A group's items and their recorded history a page at a time, for the progress record after a sync:
 * each page is an index seek (action_items_wg_order, item_states' key), so reading 100,000 items never
 * holds the process for long in one statement. Same order and same rows as `items.listByWg` and
 * `itemHistory.recorded` (owners' ids aside, which progress does not read).
 */
export class ProgressPagesRepository {
  readonly #first;
  readonly #after;
  readonly #gone;

  constructor(db: Db) {
    this.#first = db.prepare<[{ wgId: number; limit: number }], unknown[]>(`${CURRENT} ${ORDER}`).raw(true);
    this.#after = db
      .prepare<[{ wgId: number; limit: number } & ItemPageKey], unknown[]>(
        `${CURRENT} AND (i.source, i.position, i.id) > (@source, @position, @id) ${ORDER}`,
      )
      .raw(true);
    // Recorded as present but removed since: what a record marks removed. Seeks the group's removed items
    // (action_items_wg), not every recorded one.
    this.#gone = db.prepare<[{ wgId: number; limit: number }], RemovedRow>(
      `SELECT s.item_id, s.state, s.sprint_number, s.sprint_title, s.due_date
       FROM action_items i JOIN item_states s ON s.item_id = i.id AND s.wg_id = i.wg_id
       WHERE i.wg_id = @wgId AND i.removed_at IS NOT NULL AND s.present = 1
       ORDER BY i.id LIMIT @limit`,
    );
  }

  /** Up to `limit` current items after `after` (from the first when null), in the listing order. */
  current(wgId: number, after: ItemPageKey | null, limit: number): PagedItem[] {
    const rows = after ? this.#after.all({ wgId, limit, ...after }) : this.#first.all({ wgId, limit });
    const width = LIST_COLUMNS.split(', ').length;
    return rows.map((values) => {
      const item = rowToItem(rowOf(values));
      const [present, state, sprintNumber, sprintTitle, dueDate] = values.slice(width);
      const recorded =
        present === null || present === undefined
          ? null
          : {
              itemId: item.id,
              present: present === 1,
              state: state as ItemState,
              sprintNumber: sprintNumber as number | null,
              sprintTitle: sprintTitle as string | null,
              dueDate: dueDate as string | null,
            };
      return { item, recorded };
    });
  }

  /** Up to `limit` items recorded as present that are no longer current, by id. */
  gone(wgId: number, limit: number): TrackedItem[] {
    return this.#gone.all({ wgId, limit }).map((r) => ({
      itemId: r.item_id,
      present: true,
      state: r.state,
      sprintNumber: r.sprint_number,
      sprintTitle: r.sprint_title,
      dueDate: r.due_date,
    }));
  }
}
