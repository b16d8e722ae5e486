import type { Db } from '../db.js';

export type DigestKind = 'scheduled' | 'manual';

export interface DigestRecord {
  id: number;
  wgId: number;
  period: string;
  state: 'intent' | 'posted' | 'failed' | 'skipped';
  kind: DigestKind;
  channel: string | null;
  messageTs: string | null;
  marker: string;
  snapshotId: number | null;
  attempts: number;
  error: string | null;
  createdAt: string;
  postedAt: string | null;
  /** When a scheduled digest was due (its cron minute); null for a manual one. */
  dueAt: string | null;
  threadTs: string | null;
  chartFileId: string | null;
  /** Set while the thread reply or chart is being sent: Slack may have it though it is not recorded. */
  threadPendingAt: string | null;
  chartPendingAt: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
}

interface DigestRow {
  id: number;
  wg_id: number;
  period: string;
  state: DigestRecord['state'];
  kind: DigestKind;
  channel: string | null;
  message_ts: string | null;
  marker: string;
  snapshot_id: number | null;
  attempts: number;
  error: string | null;
  created_at: string;
  posted_at: string | null;
  due_at: string | null;
  thread_ts: string | null;
  chart_file_id: string | null;
  thread_pending_at: string | null;
  chart_pending_at: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
}

function toRecord(r: DigestRow): DigestRecord {
  return {
    id: r.id,
    wgId: r.wg_id,
    period: r.period,
    state: r.state,
    kind: r.kind,
    channel: r.channel,
    messageTs: r.message_ts,
    marker: r.marker,
    snapshotId: r.snapshot_id,
    attempts: r.attempts,
    error: r.error,
    createdAt: r.created_at,
    postedAt: r.posted_at,
    dueAt: r.due_at,
    threadTs: r.thread_ts,
    chartFileId: r.chart_file_id,
    threadPendingAt: r.thread_pending_at,
    chartPendingAt: r.chart_pending_at,
    claimedBy: r.claimed_by,
    claimedUntil: r.claimed_until,
  };
}

/** A digest to record: its period, what asked for it, and (scheduled) when it was due. */
export interface DigestIntent {
  wgId: number;
  period: string;
  marker: string;
  kind: DigestKind;
  dueAt: Date | null;
}

/** A claim on a row: who takes it, until when, and which other owner's claim may be taken over (a dead one). */
export interface ClaimRequest {
  owner: string;
  now: Date;
  until: Date;
  /** Says whether a live claim's owner is gone (a process that died): its claim is then taken at once. */
  ownerGone?: (owner: string) => boolean;
}

function statements(db: Db) {
  return {
    get: db.prepare<[number, string], DigestRow>('SELECT * FROM digest_log WHERE wg_id = ? AND period = ?'),
    byId: db.prepare<[number], DigestRow>('SELECT * FROM digest_log WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO digest_log (wg_id, period, state, kind, marker, due_at, created_at, updated_at)
       VALUES (@wgId, @period, 'intent', @kind, @marker, @dueAt, @now, @now) ON CONFLICT (wg_id, period) DO NOTHING`,
    ),
    skip: db.prepare(
      `INSERT INTO digest_log (wg_id, period, state, kind, marker, due_at, error, created_at, updated_at)
       VALUES (@wgId, @period, 'skipped', @kind, @marker, @dueAt, @error, @now, @now)
       ON CONFLICT (wg_id, period) DO NOTHING`,
    ),
    // A claim is free when it lapsed, or when its owner is known to be gone (`@gone`, checked by the caller).
    claim: db.prepare(
      `UPDATE digest_log SET claimed_by = @owner, claimed_until = @until, attempts = attempts + @tries, updated_at = @now
       WHERE id = @id AND state IN (@stateA, @stateB)
         AND (claimed_until IS NULL OR claimed_until < @now OR claimed_by = @gone)`,
    ),
    release: db.prepare(
      `UPDATE digest_log SET claimed_by = NULL, claimed_until = NULL WHERE id = @id AND claimed_by = @owner`,
    ),
    posted: db.prepare(
      `UPDATE digest_log SET state = 'posted', channel = @channel, message_ts = @ts, snapshot_id = @snapshotId,
         posted_at = @now, error = NULL, updated_at = @now WHERE id = @id`,
    ),
    failed: db.prepare(
      `UPDATE digest_log SET state = 'failed', error = @error, claimed_by = NULL, claimed_until = NULL, updated_at = @now
       WHERE id = @id AND state IN ('intent', 'failed')`,
    ),
    skipped: db.prepare(
      `UPDATE digest_log SET state = 'skipped', error = @error, claimed_by = NULL, claimed_until = NULL, updated_at = @now
       WHERE id = @id AND state IN ('intent', 'failed')`,
    ),
    threadPending: db.prepare(
      'UPDATE digest_log SET thread_pending_at = coalesce(thread_pending_at, @now), updated_at = @now WHERE id = @id',
    ),
    chartPending: db.prepare(
      'UPDATE digest_log SET chart_pending_at = coalesce(chart_pending_at, @now), updated_at = @now WHERE id = @id',
    ),
    thread: db.prepare(
      'UPDATE digest_log SET thread_ts = @value, thread_pending_at = NULL, updated_at = @now WHERE id = @id',
    ),
    chart: db.prepare(
      'UPDATE digest_log SET chart_file_id = @value, chart_pending_at = NULL, updated_at = @now WHERE id = @id',
    ),
    lastPosted: db.prepare<[number], DigestRow>(
      `SELECT * FROM digest_log WHERE wg_id = ? AND state = 'posted' ORDER BY posted_at DESC, id DESC LIMIT 1`,
    ),
    // Scheduled digests not posted yet, and posted digests whose details are missing once their own run has
    // had time to post them. A manual digest that failed was reported failed: it is never posted later.
    retryable: db.prepare<[string, number, string], DigestRow>(
      `SELECT * FROM digest_log WHERE created_at >= ?
         AND ((state IN ('intent', 'failed') AND kind = 'scheduled' AND attempts < ?)
           OR (state = 'posted' AND (thread_ts IS NULL OR chart_file_id IS NULL) AND posted_at < ?))
       ORDER BY id`,
    ),
    latestPerGroup: db.prepare<[], DigestRow>(
      'SELECT * FROM digest_log d WHERE id = (SELECT max(id) FROM digest_log WHERE wg_id = d.wg_id)',
    ),
    all: db.prepare<[number], DigestRow>('SELECT * FROM digest_log WHERE wg_id = ? ORDER BY id'),
  };
}

/**
 * The digest log: one row per (group, period), written before a digest is posted and after, and before
 * and after each of its parts (thread reply, chart). A row is claimed by one process at a time; a claim
 * that outlives its process expires — or is taken over at once when its owner is known to be dead.
 */
export class DigestRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  get(wgId: number, period: string): DigestRecord | null {
    const row = this.#sql.get.get(wgId, period);
    return row ? toRecord(row) : null;
  }

  byId(id: number): DigestRecord | null {
    const row = this.#sql.byId.get(id);
    return row ? toRecord(row) : null;
  }

  /**
   * Records the intent to post (once per group and period) and claims it. Returns the row, and whether
   * this process holds the claim and may post.
   */
  claim(intent: DigestIntent, request: ClaimRequest): { record: DigestRecord; claimed: boolean } {
    const now = request.now.toISOString();
    this.#sql.insert.run({
      wgId: intent.wgId,
      period: intent.period,
      marker: intent.marker,
      kind: intent.kind,
      dueAt: intent.dueAt?.toISOString() ?? null,
      now,
    });
    const row = this.#sql.get.get(intent.wgId, intent.period)!;
    const claimed =
      (row.state === 'intent' || row.state === 'failed') &&
      this.#take(row, request, { tries: 1, states: ['intent', 'failed'] });
    return { record: toRecord(this.#sql.get.get(intent.wgId, intent.period)!), claimed };
  }

  /** Claims a posted digest to finish its thread reply and chart (no attempt counted). */
  claimDetails(id: number, request: ClaimRequest): boolean {
    const row = this.#sql.byId.get(id);
    return row?.state === 'posted' && this.#take(row, request, { tries: 0, states: ['posted', 'posted'] });
  }

  #take(row: DigestRow, request: ClaimRequest, how: { tries: number; states: [string, string] }): boolean {
    const now = request.now.toISOString();
    const live = row.claimed_by && row.claimed_until && row.claimed_until >= now;
    const gone = live && row.claimed_by !== request.owner && request.ownerGone?.(row.claimed_by!);
    const result = this.#sql.claim.run({
      id: row.id,
      owner: request.owner,
      until: request.until.toISOString(),
      now,
      tries: how.tries,
      stateA: how.states[0],
      stateB: how.states[1],
      gone: gone ? row.claimed_by : null,
    });
    return result.changes === 1;
  }

  release(id: number, owner: string): void {
    this.#sql.release.run({ id, owner });
  }

  /** A scheduled digest missed beyond its catch-up window: recorded (once), never posted. */
  recordSkipped(intent: DigestIntent, reason: string, now: Date): boolean {
    return (
      this.#sql.skip.run({
        wgId: intent.wgId,
        period: intent.period,
        marker: intent.marker,
        kind: intent.kind,
        dueAt: intent.dueAt?.toISOString() ?? null,
        error: reason.slice(0, 1000),
        now: now.toISOString(),
      }).changes === 1
    );
  }

  /** Posted: the claim stays with the run, which goes on with the details and then releases it. */
  markPosted(id: number, channel: string, ts: string, snapshotId: number | null, now: Date): void {
    this.#sql.posted.run({ id, channel, ts, snapshotId, now: now.toISOString() });
  }

  markFailed(id: number, error: string, now: Date): void {
    this.#sql.failed.run({ id, error: error.slice(0, 1000), now: now.toISOString() });
  }

  markSkipped(id: number, reason: string, now: Date): void {
    this.#sql.skipped.run({ id, error: reason.slice(0, 1000), now: now.toISOString() });
  }

  /** About to send a part: from here until it is confirmed, Slack may have it without our knowing. */
  markPartPending(id: number, part: 'thread' | 'chart', now: Date): void {
    (part === 'thread' ? this.#sql.threadPending : this.#sql.chartPending).run({
      id,
      now: now.toISOString(),
    });
  }

  /** A part Slack has (its ts or file ID, or 'none' when there was nothing to send). */
  confirmPart(id: number, part: 'thread' | 'chart', value: string, now: Date): void {
    (part === 'thread' ? this.#sql.thread : this.#sql.chart).run({ id, value, now: now.toISOString() });
  }

  lastPosted(wgId: number): DigestRecord | null {
    const row = this.#sql.lastPosted.get(wgId);
    return row ? toRecord(row) : null;
  }

  /**
   * Digests to try again: scheduled ones not posted (fewer than `maxAttempts` tries), or posted before
   * `settledBefore` with their thread reply or chart missing.
   */
  retryable(since: Date, maxAttempts: number, settledBefore: Date = since): DigestRecord[] {
    return this.#sql.retryable
      .all(since.toISOString(), maxAttempts, settledBefore.toISOString())
      .map(toRecord);
  }

  /** Each group's newest digest row: what /healthz reports. */
  latestPerGroup(): DigestRecord[] {
    return this.#sql.latestPerGroup.all().map(toRecord);
  }

  all(wgId: number): DigestRecord[] {
    return this.#sql.all.all(wgId).map(toRecord);
  }
}
