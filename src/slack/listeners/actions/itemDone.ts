import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { markDoneNotice } from '../../views/itemNotices.js';
import type { Listening } from '../deps.js';
import { answerClick, tellClick } from './redraw.js';

/** *Mark done*: for the item's owners and its group's facilitators; closes it in GitLab where it can. */
export function itemDone(deps: Listening) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const verdict = await deps.gate.itemWrite(
      Number(action.value),
      body.user.id,
      'close',
      'mark this item done',
    );
    if (!verdict.ok) {
      await tellClick(deps, body, client, respond, verdict.view);
      return;
    }
    const result = await deps.writes.markDone(verdict.ctx);
    await answerClick(deps, body, client, respond, markDoneNotice(result));
  };
}
