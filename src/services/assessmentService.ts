import {
  type Answers,
  areaScores,
  MIN_ANSWERS_FOR_SUMMARY,
  DEFAULT_ROUND_DAYS,
  gapAreas,
  NO_REMINDER_BEFORE_MS,
  REMIND_WITHIN_MS,
  summarizeRound,
} from '../domain/assessment.js';
import { isWorkingHours } from '../domain/schedule.js';
import type { WorkingGroup } from '../domain/types.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import {
  AssessmentRepository,
  type StoredAnswer,
  type StoredRound,
} from '../store/repositories/assessments.js';
import type { Store } from '../store/store.js';
import type { IdentityService } from './identity.js';
import { deliveryFailure, type Viewer } from './ports.js';
import type { QuestionnaireResult } from './questionnaires.js';
import type { AssessmentInvite, AssessmentSender, RoundReport } from './teamHealthPorts.js';

/** The most members one round asks: a group's roles table, bounded. */
const MAX_INVITES = 200;

export type StartOutcome =
  | { kind: 'started'; round: StoredRound; invited: string[]; unreachable: string[] }
  | { kind: 'already-open'; round: StoredRound }
  | { kind: 'no-questionnaire'; reason: string }
  | { kind: 'past-due' };

export type SubmitOutcome =
  { kind: 'saved'; round: StoredRound } | { kind: 'closed' } | { kind: 'not-invited' };

export type CloseOutcome = { kind: 'closed'; report: RoundReport; posted: boolean } | { kind: 'none-open' };

/**
 * Self-assessment rounds: a questionnaire DM'd to each member of a group, answered in a modal, reminded
 * once in each member's working hours before the due time, closed at it (or by hand), summed up in the
 * group's channel — aggregates only, and none below three answers. A person's own answers are theirs and
 * the facilitators' to read.
 */
export class AssessmentService {
  readonly rounds: AssessmentRepository;

  constructor(
    private readonly store: Store,
    private readonly sender: AssessmentSender,
    private readonly identity: Pick<IdentityService, 'slackUserOf' | 'timeZoneOf'>,
    private readonly questionnaire: (slug: string) => QuestionnaireResult,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
  ) {
    this.rounds = new AssessmentRepository(store.db);
  }

  /** Opens a round and invites every member wgbot can reach in Slack. */
  async start(group: WorkingGroup, startedBy: string, due: Date | null): Promise<StartOutcome> {
    const now = this.now();
    const open = this.rounds.open(group.id);
    if (open) return { kind: 'already-open', round: open };
    const questionnaire = this.questionnaire(group.slug);
    if (!questionnaire.ok) return { kind: 'no-questionnaire', reason: questionnaire.reason };
    const dueAt = due ?? new Date(now.getTime() + DEFAULT_ROUND_DAYS * 86_400_000);
    if (dueAt <= now) return { kind: 'past-due' };
    const round = this.store.transaction(() =>
      this.rounds.start(group.id, questionnaire.value, startedBy, now, dueAt),
    );
    const { members, unreachable } = await this.#members(group);
    const invited: string[] = [];
    for (const slackUserId of members) {
      const sent = await this.#send('invite', round, group, slackUserId);
      if (sent) {
        this.store.transaction(() => this.rounds.invite(round.id, slackUserId, now));
        invited.push(slackUserId);
      } else unreachable.push(`<@${slackUserId}>`);
    }
    return { kind: 'started', round, invited, unreachable };
  }

  /** The group's people with a role, as Slack users (linked now where needed); names of those not found. */
  async #members(group: WorkingGroup): Promise<{ members: string[]; unreachable: string[] }> {
    const ids = this.store.db
      .prepare<[number], { person_id: number }>('SELECT DISTINCT person_id FROM roles WHERE wg_id = ?')
      .all(group.id)
      .slice(0, MAX_INVITES);
    const members = new Set<string>();
    const unreachable: string[] = [];
    for (const { person_id } of ids) {
      const person = this.store.people.getById(person_id);
      if (!person) continue;
      const slackUserId = await this.identity.slackUserOf(person).catch(() => null);
      if (slackUserId) members.add(slackUserId);
      else unreachable.push(person.name);
    }
    return { members: [...members], unreachable };
  }

  async #send(
    what: 'invite' | 'remind',
    round: StoredRound,
    group: WorkingGroup,
    to: string,
  ): Promise<boolean> {
    const invite: AssessmentInvite = {
      roundId: round.id,
      group: { slug: group.slug, name: group.name },
      questionnaire: round.questionnaire.name,
      dueAt: new Date(round.dueAt),
    };
    try {
      await this.sender[what](to, invite, await this.#viewer(to, group));
      return true;
    } catch (error) {
      this.logger.warn(
        { round: round.id, user: to, err: deliveryFailure(error).reason },
        `assessment ${what} failed`,
      );
      return false;
    }
  }

  async #viewer(slackUserId: string, group: WorkingGroup): Promise<Viewer> {
    const timeZone = await this.identity.timeZoneOf(slackUserId, group.timezone);
    return { slackUserId, timeZone, now: this.now(), audience: 'private' };
  }

  /** Whether `slackUserId` may answer the round: it is open and was sent to them. */
  mayAnswer(roundId: number, slackUserId: string): 'yes' | 'closed' | 'not-invited' {
    const round = this.rounds.get(roundId);
    if (!round || round.closedAt) return 'closed';
    return this.rounds.invitees(roundId).some((i) => i.slackUserId === slackUserId) ? 'yes' : 'not-invited';
  }

  /** A member's answers to an open round they were invited to (a second submission replaces the first). */
  submit(roundId: number, slackUserId: string, answers: Answers): SubmitOutcome {
    const may = this.mayAnswer(roundId, slackUserId);
    if (may !== 'yes') return { kind: may };
    this.store.transaction(() => this.rounds.saveAnswer(roundId, slackUserId, answers, this.now()));
    return { kind: 'saved', round: this.rounds.get(roundId)! };
  }

  /**
   * The scheduled work (every 15 minutes): rounds past their due time are closed and summed up; members
   * who have not answered are reminded once, within two days of the due time, in their working hours
   * (and not within 12 hours of being asked).
   */
  async tick(): Promise<void> {
    const now = this.now();
    for (const round of this.rounds.allOpen()) {
      const group = this.store.groups.getById(round.wgId);
      if (!group) continue;
      if (new Date(round.dueAt) <= now) await this.close(group);
      else if (
        new Date(round.dueAt).getTime() - now.getTime() <= REMIND_WITHIN_MS &&
        now.getTime() - new Date(round.startedAt).getTime() >= NO_REMINDER_BEFORE_MS
      )
        await this.#remind(round, group, now);
    }
  }

  async #remind(round: StoredRound, group: WorkingGroup, now: Date): Promise<void> {
    const answered = new Set(this.rounds.answers(round.id).map((a) => a.slackUserId));
    for (const invitee of this.rounds.invitees(round.id)) {
      if (invitee.remindedAt || answered.has(invitee.slackUserId)) continue;
      const zone = await this.identity.timeZoneOf(invitee.slackUserId, group.timezone);
      if (!isWorkingHours(now, zone)) continue;
      // Marked first: a reminder that fails is not sent again and again every 15 minutes.
      this.store.transaction(() => this.rounds.markReminded(round.id, invitee.slackUserId, now));
      await this.#send('remind', round, group, invitee.slackUserId);
    }
  }

  /** Closes the group's open round and posts its summary to the group's channel. */
  async close(group: WorkingGroup): Promise<CloseOutcome> {
    const round = this.rounds.open(group.id);
    if (!round || !this.store.transaction(() => this.rounds.close(round.id, this.now())))
      return { kind: 'none-open' };
    const report = this.report({ ...round, closedAt: this.now().toISOString() }, group);
    if (!group.slackChannelId) return { kind: 'closed', report, posted: false };
    try {
      const viewer: Viewer = {
        slackUserId: null,
        timeZone: group.timezone,
        now: this.now(),
        audience: 'channel',
      };
      const ts = await this.sender.postSummary(group.slackChannelId, report, viewer);
      this.store.transaction(() => this.rounds.markSummaryPosted(round.id, ts));
      return { kind: 'closed', report, posted: true };
    } catch (error) {
      this.logger.warn(
        { round: round.id, err: deliveryFailure(error).reason },
        'assessment summary not posted',
      );
      return { kind: 'closed', report, posted: false };
    }
  }

  /** A round's aggregates, compared with the group's round before it. */
  report(round: StoredRound, group: WorkingGroup): RoundReport {
    const answers = this.rounds.answers(round.id).map((a) => a.answers);
    const before = this.rounds.previous(round);
    const beforeAnswers = before ? this.rounds.answers(before.id).map((a) => a.answers) : [];
    // A round hidden for too few answers is no baseline: the change would give its few scores away.
    const previous =
      before && beforeAnswers.length >= MIN_ANSWERS_FOR_SUMMARY
        ? areaScores(before.questionnaire, beforeAnswers)
        : null;
    const summary = summarizeRound(round.questionnaire, answers, previous);
    return {
      roundId: round.id,
      group: { slug: group.slug, name: group.name },
      questionnaire: round.questionnaire.name,
      summary,
      gaps: gapAreas(summary, round.questionnaire.backlog.threshold).map((a) => a.title),
      invited: this.rounds.invitees(round.id).length,
    };
  }

  /** The group a round is of (null once the group was deleted). */
  groupOf(round: StoredRound): WorkingGroup | null {
    return this.store.groups.getById(round.wgId);
  }

  /** The round `/wg assess mine` and `answers` are about: the open one, else the latest closed. */
  currentRound(group: WorkingGroup): StoredRound | null {
    return this.rounds.open(group.id) ?? this.rounds.latestClosed(group.id);
  }

  /** One person's own answers in the current round (null: none given). */
  mine(group: WorkingGroup, slackUserId: string): { round: StoredRound; answer: StoredAnswer | null } | null {
    const round = this.currentRound(group);
    if (!round) return null;
    return {
      round,
      answer: this.rounds.answers(round.id).find((a) => a.slackUserId === slackUserId) ?? null,
    };
  }

  /** Everyone's answers in the current round: for the group's facilitators only (the caller checks). */
  allAnswers(group: WorkingGroup): { round: StoredRound; answers: StoredAnswer[] } | null {
    const round = this.currentRound(group);
    return round ? { round, answers: this.rounds.answers(round.id) } : null;
  }
}
