import type { Db } from '../db.js';

/** What a create-form submission found when it came to claim its place. */
export type SubmissionClaim =
  | { kind: 'claimed' }
  /** This very view was submitted before (Submit pressed twice, or Slack sent it again). */
  | { kind: 'same-view' }
  /** Someone submitted a group by this name within the window: the group it made, if made yet. */
  | { kind: 'same-name'; userId: string; wgId: number | null; at: string };

interface SubmissionRow {
  user_id: string;
  wg_id: number | null;
  created_at: string;
}

function statements(db: Db) {
  return {
    insert: db.prepare(
      `INSERT INTO group_submissions (view_id, user_id, name_key, state, created_at, updated_at)
       VALUES (@viewId, @userId, @nameKey, 'pending', @now, @now) ON CONFLICT (view_id) DO NOTHING`,
    ),
    sameName: db.prepare<[string, string, string], SubmissionRow>(
      `SELECT user_id, wg_id, created_at FROM group_submissions
       WHERE name_key = ? AND created_at >= ? AND state != 'refused' AND view_id != ?
       ORDER BY created_at DESC LIMIT 1`,
    ),
    finish: db.prepare(
      'UPDATE group_submissions SET state = @state, wg_id = @wgId, updated_at = @now WHERE view_id = @viewId',
    ),
  };
}

/**
 * `group_submissions`: the create form's submissions, one row per Slack view. Claimed in the
 * acknowledgement, so a second submission of the same view, or of the same name soon after, is known
 * before anything is created.
 */
export class GroupSubmissionRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  /** Claims `viewId` for a group named `nameKey`, unless it or the name (since `since`) is taken. */
  claim(viewId: string, userId: string, nameKey: string, since: Date, now: Date): SubmissionClaim {
    const same = this.#sql.sameName.get(nameKey, since.toISOString(), viewId);
    if (same) return { kind: 'same-name', userId: same.user_id, wgId: same.wg_id, at: same.created_at };
    const changes = this.#sql.insert.run({ viewId, userId, nameKey, now: now.toISOString() }).changes;
    return changes === 1 ? { kind: 'claimed' } : { kind: 'same-view' };
  }

  /** The group the submission made, or that it was refused after the ack (its name is free again). */
  finish(viewId: string, outcome: { wgId: number } | 'refused', now: Date): void {
    this.#sql.finish.run({
      viewId,
      state: outcome === 'refused' ? 'refused' : 'created',
      wgId: outcome === 'refused' ? null : outcome.wgId,
      now: now.toISOString(),
    });
  }
}
