import type { Db } from '../db.js';

/** What wgbot last wrote to a group's handbook page, and where the page lives when set by hand. */
export interface HandbookWriteback {
  filePath: string | null;
  branch: string | null;
  mrIid: number | null;
  mrUrl: string | null;
  commitId: string | null;
  changes: number | null;
  writtenAt: string | null;
}

export type ExitReason = 'complete' | 'ended';

export interface ExitReportRecord {
  reason: ExitReason;
  state: 'posting' | 'posted' | 'failed';
  attempts: number;
  channel: string | null;
  messageTs: string | null;
  error: string | null;
  claimedAt: string;
  postedAt: string | null;
}

interface WritebackRow {
  file_path: string | null;
  branch: string | null;
  mr_iid: number | null;
  mr_url: string | null;
  commit_id: string | null;
  changes: number | null;
  written_at: string | null;
}

interface ExitRow {
  reason: ExitReason;
  state: ExitReportRecord['state'];
  attempts: number;
  channel: string | null;
  message_ts: string | null;
  error: string | null;
  claimed_at: string;
  posted_at: string | null;
}

/** A failed exit report is tried this many times in all. */
export const EXIT_REPORT_ATTEMPTS = 3;

function statements(db: Db) {
  return {
    pageSource: db.prepare<[number], { source_ref: string | null }>(
      'SELECT source_ref FROM working_groups WHERE id = ?',
    ),
    writeback: db.prepare<[number], WritebackRow>('SELECT * FROM handbook_writebacks WHERE wg_id = ?'),
    setPath: db.prepare(
      `INSERT INTO handbook_writebacks (wg_id, file_path) VALUES (@wgId, @filePath)
       ON CONFLICT (wg_id) DO UPDATE SET file_path = @filePath`,
    ),
    recordWrite: db.prepare(
      `INSERT INTO handbook_writebacks (wg_id, branch, mr_iid, mr_url, commit_id, changes, written_at)
       VALUES (@wgId, @branch, @mrIid, @mrUrl, @commitId, @changes, @at)
       ON CONFLICT (wg_id) DO UPDATE SET branch = @branch, mr_iid = @mrIid, mr_url = @mrUrl,
         commit_id = @commitId, changes = @changes, written_at = @at`,
    ),
    awaiting: db.prepare<[string], { id: number }>(
      `SELECT g.id FROM working_groups g
         JOIN group_summaries s ON s.wg_id = g.id
         LEFT JOIN exit_reports e ON e.wg_id = g.id
       WHERE (e.wg_id IS NULL OR (e.state = 'failed' AND e.attempts < ${EXIT_REPORT_ATTEMPTS}))
         AND (g.slack_channel_id IS NOT NULL OR g.channel IS NOT NULL)
         AND (g.lifecycle != 'ended' OR g.ended_on >= ?)
         AND (g.lifecycle = 'ended' OR (s.overall >= 100 AND s.total > 0 AND s.measured = s.total))
       ORDER BY g.id LIMIT 500`,
    ),
    exit: db.prepare<[number], ExitRow>('SELECT * FROM exit_reports WHERE wg_id = ?'),
    claimExit: db.prepare(
      `INSERT INTO exit_reports (wg_id, reason, state, claimed_at) VALUES (@wgId, @reason, 'posting', @at)
       ON CONFLICT (wg_id) DO UPDATE SET state = 'posting', attempts = attempts + 1, claimed_at = @at
       WHERE state = 'failed' AND attempts < ${EXIT_REPORT_ATTEMPTS}`,
    ),
    exitPosted: db.prepare(
      `UPDATE exit_reports SET state = 'posted', channel = @channel, message_ts = @ts, error = NULL,
         posted_at = @at WHERE wg_id = @wgId`,
    ),
    exitFailed: db.prepare(`UPDATE exit_reports SET state = 'failed', error = @error WHERE wg_id = @wgId`),
    // Left 'posting', like a post cut off by a crash: never claimed again.
    exitUnsure: db.prepare(`UPDATE exit_reports SET error = @error WHERE wg_id = @wgId`),
  };
}

/** `handbook_writebacks` and `exit_reports` (migration 0018): the page kept true and the closing summary. */
export class FollowThroughRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  writeback(wgId: number): HandbookWriteback | null {
    const row = this.#sql.writeback.get(wgId);
    if (!row) return null;
    return {
      filePath: row.file_path,
      branch: row.branch,
      mrIid: row.mr_iid,
      mrUrl: row.mr_url,
      commitId: row.commit_id,
      changes: row.changes,
      writtenAt: row.written_at,
    };
  }

  /** The path or URL the group's page was imported from (`working_groups.source_ref`), if any. */
  pageSource(wgId: number): string | null {
    return this.#sql.pageSource.get(wgId)?.source_ref ?? null;
  }

  /** Sets (or, with null, forgets) where the group's page lives in the handbook project. */
  setPagePath(wgId: number, filePath: string | null): void {
    this.#sql.setPath.run({ wgId, filePath });
  }

  recordWrite(
    wgId: number,
    write: { branch: string; mrIid: number; mrUrl: string; commitId: string | null; changes: number },
    at: Date,
  ): void {
    this.#sql.recordWrite.run({ wgId, ...write, at: at.toISOString() });
  }

  exitReport(wgId: number): ExitReportRecord | null {
    const row = this.#sql.exit.get(wgId);
    if (!row) return null;
    return {
      reason: row.reason,
      state: row.state,
      attempts: row.attempts,
      channel: row.channel,
      messageTs: row.message_ts,
      error: row.error,
      claimedAt: row.claimed_at,
      postedAt: row.posted_at,
    };
  }

  /**
   * Groups that may owe an exit report (at 100 % by their summary, or ended on or after `endedSince`) and
   * have none posted: the
   * service checks each in full. At most 500 a run; the next run takes the rest.
   */
  groupsAwaitingExitReport(endedSince: string): number[] {
    return this.#sql.awaiting.all(endedSince).map((row) => row.id);
  }

  /** Claims the group's exit report for posting: false when it was posted, is being posted, or gave up. */
  claimExitReport(wgId: number, reason: ExitReason, at: Date): boolean {
    return this.#sql.claimExit.run({ wgId, reason, at: at.toISOString() }).changes > 0;
  }

  exitReportPosted(wgId: number, delivered: { channel: string; ts: string }, at: Date): void {
    this.#sql.exitPosted.run({ wgId, channel: delivered.channel, ts: delivered.ts, at: at.toISOString() });
  }

  exitReportFailed(wgId: number, error: string): void {
    this.#sql.exitFailed.run({ wgId, error: error.slice(0, 500) });
  }

  /** A post that may have landed (a timeout): recorded, and never tried again. */
  exitReportUnsure(wgId: number, error: string): void {
    this.#sql.exitUnsure.run({ wgId, error: `outcome unknown: ${error}`.slice(0, 500) });
  }
}
