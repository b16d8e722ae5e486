import type { Db } from '../db.js';

export interface DigestRecord {
  id: number;
  wgId: number;
  period: string;
  state: 'intent' | 'posted' | 'failed';
  channel: string | null;
  messageTs: string | null;
  marker: string;
  snapshotId: number | null;
  attempts: number;
  error: string | null;
  createdAt: string;
  postedAt: string | null;
  threadTs: string | null;
  chartFileId: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
}

interface DigestRow {
  id: number;
  wg_id: number;
  period: string;
  state: DigestRecord['state'];
  channel: string | null;
  message_ts: string | null;
  marker: string;
  snapshot_id: number | null;
  attempts: number;
  error: string | null;
  created_at: string;
  posted_at: string | null;
  thread_ts: string | null;
  chart_file_id: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
}

function toRecord(r: DigestRow): DigestRecord {
  return {
    id: r.id,
    wgId: r.wg_id,
    period: r.period,
    state: r.state,
    channel: r.channel,
    messageTs: r.message_ts,
    marker: r.marker,
    snapshotId: r.snapshot_id,
    attempts: r.attempts,
    error: r.error,
    createdAt: r.created_at,
    postedAt: r.posted_at,
    threadTs: r.thread_ts,
    chartFileId: r.chart_file_id,
    claimedBy: r.claimed_by,
    claimedUntil: r.claimed_until,
  };
}

/**
 * The digest log: one row per (group, period), written before a digest is posted and after. A row is
 * claimed by one process at a time; a claim that outlives its process expires so the work is not lost.
 */
export class DigestRepository {
  readonly #get;
  readonly #insert;
  readonly #claim;
  readonly #posted;
  readonly #failed;
  readonly #thread;
  readonly #lastPosted;
  readonly #retryable;
  readonly #all;
  readonly #latestPerGroup;

  constructor(db: Db) {
    this.#get = db.prepare<[number, string], DigestRow>(
      'SELECT * FROM digest_log WHERE wg_id = ? AND period = ?',
    );
    this.#insert = db.prepare(
      `INSERT INTO digest_log (wg_id, period, state, marker, created_at, updated_at)
       VALUES (@wgId, @period, 'intent', @marker, @now, @now) ON CONFLICT (wg_id, period) DO NOTHING`,
    );
    this.#claim = db.prepare(
      `UPDATE digest_log SET claimed_by = @owner, claimed_until = @until, attempts = attempts + 1, updated_at = @now
       WHERE id = @id AND state != 'posted' AND (claimed_until IS NULL OR claimed_until < @now)`,
    );
    this.#posted = db.prepare(
      `UPDATE digest_log SET state = 'posted', channel = @channel, message_ts = @ts, snapshot_id = @snapshotId,
         posted_at = @now, error = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = @now WHERE id = @id`,
    );
    this.#failed = db.prepare(
      `UPDATE digest_log SET state = 'failed', error = @error, claimed_by = NULL, claimed_until = NULL, updated_at = @now
       WHERE id = @id AND state != 'posted'`,
    );
    this.#thread = db.prepare(
      `UPDATE digest_log SET thread_ts = coalesce(@threadTs, thread_ts), chart_file_id = coalesce(@chartFileId, chart_file_id),
         updated_at = @now WHERE id = @id`,
    );
    this.#lastPosted = db.prepare<[number], DigestRow>(
      `SELECT * FROM digest_log WHERE wg_id = ? AND state = 'posted' ORDER BY posted_at DESC, id DESC LIMIT 1`,
    );
    // A posted digest's details are retried only once its own run has had time to post them.
    this.#retryable = db.prepare<[string, number, string], DigestRow>(
      `SELECT * FROM digest_log WHERE created_at >= ?
         AND ((state != 'posted' AND attempts < ?)
           OR (state = 'posted' AND (thread_ts IS NULL OR chart_file_id IS NULL) AND posted_at < ?))
       ORDER BY id`,
    );
    this.#latestPerGroup = db.prepare<[], DigestRow>(
      'SELECT * FROM digest_log d WHERE id = (SELECT max(id) FROM digest_log WHERE wg_id = d.wg_id)',
    );
    this.#all = db.prepare<[number], DigestRow>('SELECT * FROM digest_log WHERE wg_id = ? ORDER BY id');
  }

  get(wgId: number, period: string): DigestRecord | null {
    const row = this.#get.get(wgId, period);
    return row ? toRecord(row) : null;
  }

  /**
   * Records the intent to post (once per group and period) and claims it for `owner` until `until`.
   * Returns the row, and whether this process holds the claim and may post.
   */
  claim(
    wgId: number,
    period: string,
    marker: string,
    owner: string,
    now: Date,
    until: Date,
  ): { record: DigestRecord; claimed: boolean } {
    this.#insert.run({ wgId, period, marker, now: now.toISOString() });
    const row = this.#get.get(wgId, period)!;
    const claimed =
      row.state !== 'posted' &&
      this.#claim.run({ id: row.id, owner, until: until.toISOString(), now: now.toISOString() }).changes ===
        1;
    return { record: toRecord(this.#get.get(wgId, period)!), claimed };
  }

  markPosted(id: number, channel: string, ts: string, snapshotId: number | null, now: Date): void {
    this.#posted.run({ id, channel, ts, snapshotId, now: now.toISOString() });
  }

  markFailed(id: number, error: string, now: Date): void {
    this.#failed.run({ id, error: error.slice(0, 1000), now: now.toISOString() });
  }

  setThread(id: number, threadTs: string | null, chartFileId: string | null, now: Date): void {
    this.#thread.run({ id, threadTs, chartFileId, now: now.toISOString() });
  }

  lastPosted(wgId: number): DigestRecord | null {
    const row = this.#lastPosted.get(wgId);
    return row ? toRecord(row) : null;
  }

  /**
   * Digests to try again: not posted (fewer than `maxAttempts` tries), or posted before `settledBefore`
   * with their thread reply or chart missing.
   */
  retryable(since: Date, maxAttempts: number, settledBefore: Date = since): DigestRecord[] {
    return this.#retryable.all(since.toISOString(), maxAttempts, settledBefore.toISOString()).map(toRecord);
  }

  /** Each group's newest digest row: what /healthz reports. */
  latestPerGroup(): DigestRecord[] {
    return this.#latestPerGroup.all().map(toRecord);
  }

  all(wgId: number): DigestRecord[] {
    return this.#all.all(wgId).map(toRecord);
  }
}
