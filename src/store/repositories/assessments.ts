import type { Answers, Questionnaire } from '../../domain/assessment.js';
import type { Db } from '../db.js';

export interface StoredRound {
  id: number;
  wgId: number;
  questionnaire: Questionnaire;
  startedBy: string;
  startedAt: string;
  dueAt: string;
  closedAt: string | null;
  summaryTs: string | null;
}

export interface StoredAnswer {
  slackUserId: string;
  answers: Answers;
  submittedAt: string;
}

interface RoundRow {
  id: number;
  wg_id: number;
  questionnaire: string;
  started_by: string;
  started_at: string;
  due_at: string;
  closed_at: string | null;
  summary_ts: string | null;
}

const toRound = (r: RoundRow): StoredRound => ({
  id: r.id,
  wgId: r.wg_id,
  questionnaire: JSON.parse(r.questionnaire) as Questionnaire,
  startedBy: r.started_by,
  startedAt: r.started_at,
  dueAt: r.due_at,
  closedAt: r.closed_at,
  summaryTs: r.summary_ts,
});

function statements(db: Db) {
  return {
    insertRound: db.prepare<[number, string, string, string, string], { id: number }>(
      `INSERT INTO assessment_rounds (wg_id, questionnaire, started_by, started_at, due_at)
       VALUES (?, ?, ?, ?, ?) RETURNING id`,
    ),
    round: db.prepare<[number], RoundRow>('SELECT * FROM assessment_rounds WHERE id = ?'),
    open: db.prepare<[number], RoundRow>(
      'SELECT * FROM assessment_rounds WHERE wg_id = ? AND closed_at IS NULL',
    ),
    allOpen: db.prepare<[], RoundRow>('SELECT * FROM assessment_rounds WHERE closed_at IS NULL ORDER BY id'),
    latestClosed: db.prepare<[number], RoundRow>(
      'SELECT * FROM assessment_rounds WHERE wg_id = ? AND closed_at IS NOT NULL ORDER BY closed_at DESC, id DESC LIMIT 1',
    ),
    previous: db.prepare<[number, number], RoundRow>(
      `SELECT * FROM assessment_rounds WHERE wg_id = ? AND id < ? AND closed_at IS NOT NULL
       ORDER BY id DESC LIMIT 1`,
    ),
    close: db.prepare<[string, number]>(
      'UPDATE assessment_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL',
    ),
    summaryPosted: db.prepare<[string, number]>('UPDATE assessment_rounds SET summary_ts = ? WHERE id = ?'),
    invite: db.prepare<[number, string, string]>(
      `INSERT INTO assessment_invites (round_id, slack_user_id, invited_at) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET invited_at = excluded.invited_at`,
    ),
    invitees: db.prepare<[number], { slack_user_id: string; reminded_at: string | null }>(
      'SELECT slack_user_id, reminded_at FROM assessment_invites WHERE round_id = ? AND invited_at IS NOT NULL ORDER BY slack_user_id',
    ),
    reminded: db.prepare<[string, number, string]>(
      'UPDATE assessment_invites SET reminded_at = ? WHERE round_id = ? AND slack_user_id = ?',
    ),
    answer: db.prepare<[number, string, string, string]>(
      `INSERT INTO assessment_answers (round_id, slack_user_id, answers, submitted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET answers = excluded.answers, submitted_at = excluded.submitted_at`,
    ),
    answers: db.prepare<[number], { slack_user_id: string; answers: string; submitted_at: string }>(
      'SELECT slack_user_id, answers, submitted_at FROM assessment_answers WHERE round_id = ? ORDER BY slack_user_id',
    ),
    issue: db.prepare<[number, string, string, string]>(
      'INSERT INTO assessment_issues (round_id, area, web_url, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    issues: db.prepare<[number], { area: string; web_url: string }>(
      'SELECT area, web_url FROM assessment_issues WHERE round_id = ? ORDER BY area',
    ),
  };
}

/**
 * `assessment_rounds` and what hangs off them: who was asked, who answered what, which backlog issues
 * were filed. Answers are personal: only the assessment service reads them, and only aggregates leave it
 * for a channel.
 */
export class AssessmentRepository {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.#sql = statements(db);
  }

  start(wgId: number, questionnaire: Questionnaire, startedBy: string, now: Date, dueAt: Date): StoredRound {
    const { id } = this.#sql.insertRound.get(
      wgId,
      JSON.stringify(questionnaire),
      startedBy,
      now.toISOString(),
      dueAt.toISOString(),
    )!;
    return this.get(id)!;
  }

  get(id: number): StoredRound | null {
    const row = this.#sql.round.get(id);
    return row ? toRound(row) : null;
  }

  open(wgId: number): StoredRound | null {
    const row = this.#sql.open.get(wgId);
    return row ? toRound(row) : null;
  }

  allOpen(): StoredRound[] {
    return this.#sql.allOpen.all().map(toRound);
  }

  latestClosed(wgId: number): StoredRound | null {
    const row = this.#sql.latestClosed.get(wgId);
    return row ? toRound(row) : null;
  }

  /** The group's closed round before `round`, to compare with. */
  previous(round: StoredRound): StoredRound | null {
    const row = this.#sql.previous.get(round.wgId, round.id);
    return row ? toRound(row) : null;
  }

  /** Closes the round; false when it was closed already (by the other of the job and `/wg assess close`). */
  close(roundId: number, now: Date): boolean {
    return this.#sql.close.run(now.toISOString(), roundId).changes > 0;
  }

  markSummaryPosted(roundId: number, ts: string): void {
    this.#sql.summaryPosted.run(ts, roundId);
  }

  invite(roundId: number, slackUserId: string, now: Date): void {
    this.#sql.invite.run(roundId, slackUserId, now.toISOString());
  }

  invitees(roundId: number): { slackUserId: string; remindedAt: string | null }[] {
    return this.#sql.invitees
      .all(roundId)
      .map((r) => ({ slackUserId: r.slack_user_id, remindedAt: r.reminded_at }));
  }

  markReminded(roundId: number, slackUserId: string, now: Date): void {
    this.#sql.reminded.run(now.toISOString(), roundId, slackUserId);
  }

  saveAnswer(roundId: number, slackUserId: string, answers: Answers, now: Date): void {
    this.#sql.answer.run(roundId, slackUserId, JSON.stringify(answers), now.toISOString());
  }

  answers(roundId: number): StoredAnswer[] {
    return this.#sql.answers.all(roundId).map((r) => ({
      slackUserId: r.slack_user_id,
      answers: JSON.parse(r.answers) as Answers,
      submittedAt: r.submitted_at,
    }));
  }

  recordIssue(roundId: number, area: string, webUrl: string, now: Date): void {
    this.#sql.issue.run(roundId, area, webUrl, now.toISOString());
  }

  issues(roundId: number): Map<string, string> {
    return new Map(this.#sql.issues.all(roundId).map((r) => [r.area, r.web_url]));
  }
}
