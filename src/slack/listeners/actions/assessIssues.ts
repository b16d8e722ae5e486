import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { backlogView } from '../../views/assessment.js';
import type { Listening } from '../deps.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * *Create backlog issues* under a round's summary: for the group's facilitators, who hear privately what
 * was filed (or that wgbot's token lacks the `api` scope).
 */
export function assessIssues(deps: Listening) {
  return async ({ ack, body, action, respond }: Args) => {
    await ack();
    const answer = (view: { text: string; blocks: unknown[] }) =>
      respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: view.text,
        blocks: view.blocks as never,
      }).catch((error: Error) =>
        deps.logger.warn({ err: error.message }, 'could not answer Create backlog issues'),
      );
    const round = deps.teamHealth.assessments.rounds.get(Number(action.value));
    const group = round ? deps.teamHealth.assessments.groupOf(round) : null;
    if (!round || !group) {
      await answer(backlogView({ kind: 'no-round' }));
      return;
    }
    const project = deps.teamHealth.backlog.targetProject(round, group);
    const verdict = await deps.gate.backlogIssues(group, body.user.id, project);
    if (!verdict.ok) {
      await answer(verdict.view);
      return;
    }
    await answer(backlogView(await deps.writes.fileAssessmentIssues(verdict.ctx, round.id)));
  };
}
