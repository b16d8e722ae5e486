import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { writebackNoticeView } from '../../views/writeback.js';
import type { Listening } from '../deps.js';
import { aside, tellClick } from './redraw.js';

/**
 * The digest's *Update the handbook page*: for the group's facilitators; opens or updates the merge
 * request that sets the page's markers to wgbot's figures, and tells the presser how it went.
 */
export function writebackOpen(deps: Listening) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const target = { slug: action.value ?? '', channelId: null, channelName: null };
    const verdict = await deps.gate.group(target, body.user.id, 'facilitator', 'update the handbook page');
    if (!verdict.ok) {
      await tellClick(deps, body, client, respond, verdict.view);
      return;
    }
    let view;
    try {
      view = writebackNoticeView(await deps.writes.writeback(verdict.ctx));
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message }, 'write-back failed');
      view = writebackNoticeView({ kind: 'no-page', reason: `GitLab failed: ${(error as Error).message}` });
    }
    await respond(aside(view.text, view));
  };
}
