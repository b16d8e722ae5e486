import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Answers } from '../../../domain/assessment.js';
import { FIELD, noteBlock, scoreBlock } from '../../views/assessment.js';
import type { Listening } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The round a form belongs to, from its private metadata; null when it carries none. */
function roundIdOf(metadata: string | undefined): number | null {
  try {
    const parsed = JSON.parse(metadata ?? '') as { roundId?: unknown };
    return typeof parsed.roundId === 'number' && Number.isInteger(parsed.roundId) ? parsed.roundId : null;
  } catch {
    return null;
  }
}

/** The scores (1–5) and notes the form holds, by question; an odd value is left out, not fatal. */
function readAnswers(values: Args['view']['state']['values'], questionIds: string[]): Answers {
  const answers: Answers = { scores: {}, notes: {} };
  for (const id of questionIds) {
    const score = Number(values[scoreBlock(id)]?.[FIELD]?.selected_option?.value);
    if (Number.isInteger(score) && score >= 1 && score <= 5) answers.scores[id] = score;
    const note = values[noteBlock(id)]?.[FIELD]?.value?.trim();
    if (note) answers.notes[id] = note.slice(0, 500);
  }
  return answers;
}

/**
 * The self-assessment form submitted: saved in the acknowledgement (SQLite only), for a member invited
 * to a round still open; otherwise the form says why and stays open.
 */
export function assessmentSubmitted(deps: Listening) {
  return async ({ ack, body, view }: Args) => {
    const { assessments } = deps.teamHealth;
    const round = assessments.rounds.get(roundIdOf(view.private_metadata) ?? -1);
    const questionIds = round?.questionnaire.areas.flatMap((a) => a.questions.map((q) => q.id)) ?? [];
    const first = questionIds[0];
    const refuse = (why: string) =>
      first ? ack({ response_action: 'errors', errors: { [scoreBlock(first)]: why } }) : ack();
    if (!round) return void (await refuse('This round no longer exists.'));
    const may = assessments.mayAnswer(round.id, body.user.id);
    if (may === 'closed') return void (await refuse('This round has closed: answers are no longer taken.'));
    if (may === 'not-invited') return void (await refuse('This round was not sent to you.'));
    const answers = readAnswers(view.state.values, questionIds);
    const missing = questionIds.find((id) => answers.scores[id] === undefined);
    if (missing)
      return void (await ack({
        response_action: 'errors',
        errors: { [scoreBlock(missing)]: 'Pick a score from 1 to 5.' },
      }));
    const saved = assessments.submit(round.id, body.user.id, answers);
    if (saved.kind === 'closed')
      return void (await refuse('This round has closed: answers are no longer taken.'));
    if (saved.kind === 'not-invited') return void (await refuse('This round was not sent to you.'));
    await ack();
  };
}
