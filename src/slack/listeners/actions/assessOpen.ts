import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { assessmentModal, assessNotice } from '../../views/assessment.js';
import type { Listening } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * *Answer* in an assessment DM: the form, with the person's earlier answers filled in. Everything it needs
 * is in SQLite, so views.open is the first call to Slack, well within the trigger's 3 seconds.
 */
export function assessOpen(deps: Listening) {
  return async ({ ack, body, action, client }: Args) => {
    await ack();
    const { assessments } = deps.teamHealth;
    const round = assessments.rounds.get(Number(action.value));
    const dm = (text: string) =>
      client.chat
        .postMessage({ channel: body.user.id, ...assessNotice(text) })
        .catch((error: Error) =>
          deps.logger.warn({ err: error.message }, 'could not answer the Answer button'),
        );
    if (!round || round.closedAt) {
      await dm('That self-assessment round is closed: answers are no longer taken.');
      return;
    }
    const earlier = assessments.rounds.answers(round.id).find((a) => a.slackUserId === body.user.id);
    await client.views
      .open({
        trigger_id: body.trigger_id,
        view: assessmentModal(round.id, round.questionnaire, earlier?.answers ?? null),
      })
      .catch(async (error: Error) => {
        deps.logger.warn({ err: error.message }, 'assessment form did not open');
        await dm('Slack did not open the form: press *Answer* again.');
      });
  };
}
