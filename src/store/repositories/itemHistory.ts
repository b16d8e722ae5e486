import type { FactValue, ItemEvent, ItemEventKind, TrackedItem } from '../../domain/itemHistory.js';
import type { ItemState } from '../../domain/types.js';
import type { Db } from '../db.js';

/** An item's last recorded facts, with its title and confidentiality as stored now (for "gone" lines). */
export interface RecordedItem extends TrackedItem {
  title: string;
  confidential: boolean;
}

interface StateRow {
  item_id: number;
  present: 0 | 1;
  state: ItemState;
  sprint_number: number | null;
  sprint_title: string | null;
  due_date: string | null;
  title: string;
  confidential: 0 | 1;
}

interface EventRow {
  item_id: number;
  at: string;
  kind: ItemEventKind;
  from_value: FactValue;
  to_value: FactValue;
}

/** Items' history as events (item_events) beside each item's last recorded facts (item_states). */
export class ItemHistoryRepository {
  readonly #recorded;
  readonly #upsertState;
  readonly #insertEvent;
  readonly #eventsAfter;

  constructor(db: Db) {
    this.#recorded = db.prepare<[number], StateRow>(
      `SELECT s.item_id, s.present, s.state, s.sprint_number, s.sprint_title, s.due_date, i.title, i.confidential
       FROM item_states s JOIN action_items i ON i.id = s.item_id WHERE s.wg_id = ? ORDER BY i.position, i.id`,
    );
    this.#upsertState = db.prepare(
      `INSERT INTO item_states (item_id, wg_id, present, state, sprint_number, sprint_title, due_date)
       VALUES (@itemId, @wgId, @present, @state, @sprintNumber, @sprintTitle, @dueDate)
       ON CONFLICT (item_id) DO UPDATE SET wg_id = excluded.wg_id, present = excluded.present,
         state = excluded.state, sprint_number = excluded.sprint_number,
         sprint_title = excluded.sprint_title, due_date = excluded.due_date`,
    );
    this.#insertEvent = db.prepare<[number, number, string, ItemEventKind, FactValue, FactValue]>(
      'INSERT INTO item_events (wg_id, item_id, at, kind, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#eventsAfter = db.prepare<[number, string], EventRow>(
      `SELECT item_id, at, kind, from_value, to_value FROM item_events
       WHERE wg_id = ? AND at > ? ORDER BY at, id`,
    );
  }

  recorded(wgId: number): RecordedItem[] {
    return this.#recorded.all(wgId).map((r) => ({
      itemId: r.item_id,
      present: r.present === 1,
      state: r.state,
      sprintNumber: r.sprint_number,
      sprintTitle: r.sprint_title,
      dueDate: r.due_date,
      title: r.title,
      confidential: r.confidential === 1,
    }));
  }

  /** Appends the events and records the changed items' facts. Call inside a transaction. */
  record(wgId: number, events: ItemEvent[], changed: TrackedItem[]): void {
    for (const e of events) this.#insertEvent.run(wgId, e.itemId, e.at, e.kind, e.from, e.to);
    for (const item of changed) {
      this.#upsertState.run({
        itemId: item.itemId,
        wgId,
        present: item.present ? 1 : 0,
        state: item.state,
        sprintNumber: item.sprintNumber,
        sprintTitle: item.sprintTitle,
        dueDate: item.dueDate,
      });
    }
  }

  /** The group's item events after `at` (an instant), oldest first. */
  eventsAfter(wgId: number, at: string): ItemEvent[] {
    return this.#eventsAfter.all(wgId, at).map((r) => ({
      itemId: r.item_id,
      at: r.at,
      kind: r.kind,
      from: r.from_value,
      to: r.to_value,
    }));
  }
}
