import {
  DEFAULT_LADDER,
  type LadderSettings,
  type LadderStep,
  type StepReason,
} from '../../domain/ladder.js';
import type { Db } from '../db.js';

/** A step an item reached. */
export interface ReachedStep {
  itemId: number;
  step: LadderStep;
  reachedAt: Date;
  reason: StepReason;
  note: string | null;
}

/** One person a step asks, and whether they have been asked yet. */
export interface LadderAsk {
  itemId: number;
  step: LadderStep;
  slackUserId: string;
  name: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  askedAt: Date | null;
}

interface StepRow {
  item_id: number;
  step: LadderStep;
  reached_at: string;
  reason: StepReason;
  note: string | null;
}

interface AskRow {
  item_id: number;
  step: LadderStep;
  slack_user_id: string;
  name: string;
  state: LadderAsk['state'];
  asked_at: string | null;
}

const toStep = (r: StepRow): ReachedStep => ({
  itemId: r.item_id,
  step: r.step,
  reachedAt: new Date(r.reached_at),
  reason: r.reason,
  note: r.note,
});

const toAsk = (r: AskRow): LadderAsk => ({
  itemId: r.item_id,
  step: r.step,
  slackUserId: r.slack_user_id,
  name: r.name,
  state: r.state,
  askedAt: r.asked_at ? new Date(r.asked_at) : null,
});

/** Asks handed out per call: a run sends at most this many messages' worth, the rest wait for the next. */
const PENDING_PAGE = 2_000;

function statements(db: Db) {
  return {
    settings: db.prepare<
      [number],
      { after_nudges: number; after_late_days: number; sponsor_after_days: number }
    >('SELECT after_nudges, after_late_days, sponsor_after_days FROM escalation_settings WHERE wg_id = ?'),
    setSettings: db.prepare(
      `INSERT INTO escalation_settings (wg_id, after_nudges, after_late_days, sponsor_after_days, updated_by, updated_at)
       VALUES (@wgId, @afterNudges, @afterLateDays, @sponsorAfterDays, @by, @now)
       ON CONFLICT (wg_id) DO UPDATE SET after_nudges = excluded.after_nudges,
         after_late_days = excluded.after_late_days, sponsor_after_days = excluded.sponsor_after_days,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    steps: db.prepare<[number], StepRow>(
      `SELECT item_id, step, reached_at, reason, note FROM ladder_steps WHERE item_id = ?
       ORDER BY reached_at, CASE step WHEN 'owner' THEN 0 WHEN 'facilitators' THEN 1 ELSE 2 END`,
    ),
    reach: db.prepare(
      `INSERT OR IGNORE INTO ladder_steps (item_id, step, reached_at, reason, note)
       VALUES (@itemId, @step, @now, @reason, @note)`,
    ),
    addAsk: db.prepare(
      `INSERT OR IGNORE INTO ladder_asks (item_id, step, slack_user_id, name, state, asked_at)
       VALUES (@itemId, @step, @slackUserId, @name, @state, @askedAt)`,
    ),
    asks: db.prepare<[number], AskRow>(
      `SELECT item_id, step, slack_user_id, name, state, asked_at FROM ladder_asks WHERE item_id = ?
       ORDER BY CASE step WHEN 'owner' THEN 0 WHEN 'facilitators' THEN 1 ELSE 2 END, asked_at, name`,
    ),
    pending: db.prepare<[number], AskRow>(
      `SELECT item_id, step, slack_user_id, name, state, asked_at FROM ladder_asks
       WHERE state = 'pending' ORDER BY item_id, step LIMIT ?`,
    ),
    claim: db.prepare<[string, number, string, string]>(
      `UPDATE ladder_asks SET state = 'sending', asked_at = ?
       WHERE item_id = ? AND step = ? AND slack_user_id = ? AND state = 'pending'`,
    ),
    finish: db.prepare(
      `UPDATE ladder_asks SET state = @state, error = @error
       WHERE item_id = @itemId AND step = @step AND slack_user_id = @slackUserId`,
    ),
    withdraw: db.prepare<[number, string, string]>(
      `DELETE FROM ladder_asks WHERE item_id = ? AND step = ? AND slack_user_id = ? AND state = 'pending'`,
    ),
    unreach: db.prepare<[number, string, number, string]>(
      `DELETE FROM ladder_steps WHERE item_id = ? AND step = ? AND step <> 'owner'
       AND NOT EXISTS (SELECT 1 FROM ladder_asks WHERE item_id = ? AND step = ?)`,
    ),
    hold: db.prepare<[number], { until_date: string }>(
      'SELECT until_date FROM ladder_holds WHERE item_id = ?',
    ),
    setHold: db.prepare(
      `INSERT INTO ladder_holds (item_id, until_date, by_user, created_at) VALUES (@itemId, @until, @by, @now)
       ON CONFLICT (item_id) DO UPDATE SET until_date = excluded.until_date, by_user = excluded.by_user,
         created_at = excluded.created_at`,
    ),
    notice: db.prepare(
      'INSERT OR IGNORE INTO ladder_notices (wg_id, kind, name, noticed_at) VALUES (@wgId, @kind, @name, @now)',
    ),
    notices: db.prepare<[number], { kind: string; name: string }>(
      'SELECT kind, name FROM ladder_notices WHERE wg_id = ? ORDER BY kind, name',
    ),
  };
}

/** The escalation ladder's tables: each group's settings, the steps items reached, who each asked, holds. */
export class LadderRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  /** A group's settings: its own, else the defaults. */
  settings(wgId: number): LadderSettings & { custom: boolean } {
    const row = this.#sql.settings.get(wgId);
    if (!row) return { ...DEFAULT_LADDER, custom: false };
    return {
      afterNudges: row.after_nudges,
      afterLateDays: row.after_late_days,
      sponsorAfterDays: row.sponsor_after_days,
      custom: true,
    };
  }

  setSettings(wgId: number, settings: LadderSettings, by: string | null, now: Date): void {
    this.#sql.setSettings.run({ wgId, ...settings, by, now: now.toISOString() });
  }

  steps(itemId: number): ReachedStep[] {
    return this.#sql.steps.all(itemId).map(toStep);
  }

  /** Records a step reached; false when the item had reached it already (each step once per item). */
  reach(itemId: number, step: LadderStep, reason: StepReason, note: string | null, now: Date): boolean {
    return this.#sql.reach.run({ itemId, step, reason, note, now: now.toISOString() }).changes === 1;
  }

  /** Someone the step asks: pending until sent, or already `sent` (the owner's nudge went out). */
  addAsk(ask: Pick<LadderAsk, 'itemId' | 'step' | 'slackUserId' | 'name'>, sentAt: Date | null = null): void {
    this.#sql.addAsk.run({
      ...ask,
      state: sentAt ? 'sent' : 'pending',
      askedAt: sentAt ? sentAt.toISOString() : null,
    });
  }

  asks(itemId: number): LadderAsk[] {
    return this.#sql.asks.all(itemId).map(toAsk);
  }

  pending(): LadderAsk[] {
    return this.#sql.pending.all(PENDING_PAGE).map(toAsk);
  }

  /** Claims an ask before its message is sent; false when another run claimed it first. */
  claim(ask: Pick<LadderAsk, 'itemId' | 'step' | 'slackUserId'>, now: Date): boolean {
    return this.#sql.claim.run(now.toISOString(), ask.itemId, ask.step, ask.slackUserId).changes === 1;
  }

  finish(ask: Pick<LadderAsk, 'itemId' | 'step' | 'slackUserId'>, error: string | null): void {
    this.#sql.finish.run({ ...ask, state: error ? 'failed' : 'sent', error: error?.slice(0, 500) ?? null });
  }

  /** Drops an ask nobody was sent yet (its item no longer due): it never happened. */
  withdraw(ask: Pick<LadderAsk, 'itemId' | 'step' | 'slackUserId'>): void {
    this.#sql.withdraw.run(ask.itemId, ask.step, ask.slackUserId);
  }

  /**
   * Forgets a step nobody is asked by any more (its asks all withdrawn unsent), so the item can reach it
   * again: a step counts as reached once it is sent to someone. true when it was forgotten.
   */
  unreachIfUnasked(itemId: number, step: LadderStep): boolean {
    return this.#sql.unreach.run(itemId, step, itemId, step).changes === 1;
  }

  holdUntil(itemId: number): string | null {
    return this.#sql.hold.get(itemId)?.until_date ?? null;
  }

  hold(itemId: number, until: string, by: string, now: Date): void {
    this.#sql.setHold.run({ itemId, until, by, now: now.toISOString() });
  }

  /** Records that a role could not be reached; true the first time for this group, role and name. */
  notice(wgId: number, kind: string, name: string, now: Date): boolean {
    return this.#sql.notice.run({ wgId, kind, name, now: now.toISOString() }).changes === 1;
  }

  notices(wgId: number): { kind: string; name: string }[] {
    return this.#sql.notices.all(wgId);
  }
}
