/**
 * What the team-health services (#17: self-assessment rounds, the Definition-of-Done check) need from the
 * outside world. Bound in src/compose/ to Slack (src/slack/assessmentSender.ts) and GitLab
 * (src/gitlab/teamHealth.ts); tests bind fakes.
 */
import type { RoundSummary } from '../domain/assessment.js';
import type { Viewer } from './ports.js';

/** What an invitation and its reminder say: which group asks, what, and until when. */
export interface AssessmentInvite {
  roundId: number;
  group: { slug: string; name: string };
  questionnaire: string;
  dueAt: Date;
}

/** A closed round as the channel sees it: aggregates only, never who answered what. */
export interface RoundReport {
  roundId: number;
  group: { slug: string; name: string };
  questionnaire: string;
  summary: RoundSummary;
  /** Areas below the gap threshold, for the facilitators' "Create backlog issues" button. */
  gaps: string[];
  invited: number;
}

/** The DMs and the channel post of a round. Failures throw (DeliveryError where Slack refused). */
export interface AssessmentSender {
  invite(to: string, invite: AssessmentInvite, viewer: Viewer): Promise<void>;
  remind(to: string, invite: AssessmentInvite, viewer: Viewer): Promise<void>;
  /** The round's summary in the group's channel; its ts. */
  postSummary(channel: string, report: RoundReport, viewer: Viewer): Promise<string>;
}

export type { ClosingMr, CreatedIssue, MrPipeline, TeamHealthGitlab } from '../gitlab/teamHealth.js';
