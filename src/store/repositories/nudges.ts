import type { Db } from '../db.js';

/**
 * The nudge log: at most one reminder per person and local day. A row is written before the DM is sent;
 * if the process dies before recording the result, the day counts as used — a second reminder the same
 * day is worse than none.
 */
export class NudgeRepository {
  readonly #insert;
  readonly #get;
  readonly #sent;
  readonly #failed;
  readonly #addItem;
  readonly #unanswered;
  readonly #escalated;
  readonly #escalate;
  readonly #noticeInsert;
  readonly #countSent;
  readonly #byMessage;
  readonly #itemsOf;

  constructor(db: Db) {
    this.#insert = db.prepare(
      `INSERT INTO nudge_log (person_id, day, state, kind, created_at, updated_at)
       VALUES (@personId, @day, 'intent', @kind, @now, @now) ON CONFLICT (person_id, day) DO NOTHING`,
    );
    this.#get = db.prepare<[number, string], { id: number; state: string }>(
      'SELECT id, state FROM nudge_log WHERE person_id = ? AND day = ?',
    );
    this.#sent = db.prepare(
      `UPDATE nudge_log SET state = 'sent', channel = @channel, message_ts = @ts, updated_at = @now WHERE id = @id`,
    );
    this.#failed = db.prepare(
      `UPDATE nudge_log SET state = 'failed', error = @error, updated_at = @now WHERE id = @id`,
    );
    this.#addItem = db.prepare<[number, number]>(
      'INSERT OR IGNORE INTO nudge_log_items (nudge_id, item_id) VALUES (?, ?)',
    );
    this.#unanswered = db.prepare<[number], { n: number }>(
      `SELECT count(*) AS n FROM nudge_log_items ni JOIN nudge_log n ON n.id = ni.nudge_id
       JOIN action_items i ON i.id = ni.item_id
       WHERE ni.item_id = ? AND n.state = 'sent' AND n.kind = 'owner'
         AND (i.last_response_at IS NULL OR n.created_at > i.last_response_at)`,
    );
    this.#escalated = db.prepare<[number], { item_id: number }>(
      'SELECT item_id FROM escalations WHERE item_id = ?',
    );
    this.#escalate = db.prepare(
      'INSERT OR IGNORE INTO escalations (item_id, escalated_at, facilitators) VALUES (@itemId, @now, @facilitators)',
    );
    this.#noticeInsert = db.prepare(
      'INSERT OR IGNORE INTO unreachable_notices (wg_id, day, sent_at) VALUES (@wgId, @day, @now)',
    );
    this.#byMessage = db.prepare<[number, string, string], { id: number }>(
      "SELECT id FROM nudge_log WHERE person_id = ? AND channel = ? AND message_ts = ? AND state = 'sent'",
    );
    this.#itemsOf = db.prepare<[number], { item_id: number }>(
      'SELECT item_id FROM nudge_log_items WHERE nudge_id = ? ORDER BY item_id',
    );
    this.#countSent = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM nudge_log WHERE state = 'sent' AND day = ?",
    );
  }

  /** Takes the person's reminder for `day`; false when the day's reminder was already taken. */
  begin(personId: number, day: string, kind: 'owner' | 'facilitator', now: Date): number | null {
    const changes = this.#insert.run({ personId, day, kind, now: now.toISOString() }).changes;
    if (changes === 0) return null;
    return this.#get.get(personId, day)!.id;
  }

  markSent(id: number, channel: string, ts: string, itemIds: number[], now: Date): void {
    this.#sent.run({ id, channel, ts, now: now.toISOString() });
    for (const itemId of itemIds) this.#addItem.run(id, itemId);
  }

  markFailed(id: number, error: string, now: Date): void {
    this.#failed.run({ id, error: error.slice(0, 500), now: now.toISOString() });
  }

  /** Reminders about an item since its owner last did something about it. */
  unansweredCount(itemId: number): number {
    return this.#unanswered.get(itemId)?.n ?? 0;
  }

  isEscalated(itemId: number): boolean {
    return this.#escalated.get(itemId) !== undefined;
  }

  recordEscalation(itemId: number, facilitators: string[], now: Date): void {
    this.#escalate.run({ itemId, now: now.toISOString(), facilitators: JSON.stringify(facilitators) });
  }

  /** Takes a group's notice about unreachable owners for `day`; false when already taken. */
  beginUnreachableNotice(wgId: number, day: string, now: Date): boolean {
    return this.#noticeInsert.run({ wgId, day, now: now.toISOString() }).changes === 1;
  }

  /** The items a person's reminder at `channel`/`ts` was about; null when no such reminder of theirs. */
  itemsOfMessage(personId: number, channel: string, ts: string): number[] | null {
    const nudge = this.#byMessage.get(personId, channel, ts);
    return nudge ? this.#itemsOf.all(nudge.id).map((r) => r.item_id) : null;
  }

  sentOn(day: string): number {
    return this.#countSent.get(day)?.n ?? 0;
  }
}
