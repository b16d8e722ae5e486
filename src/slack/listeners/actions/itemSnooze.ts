import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ITEM_GONE } from '../../views/itemNotices.js';
import type { Listening } from '../deps.js';
import { aside, redrawAfter } from './redraw.js';

const SNOOZE_DAYS = 2;

/** *Snooze 2 days*: no reminders about the item until then; for its owners and facilitators. */
export function itemSnooze(deps: Listening) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
    await ack();
    const verdict = await deps.gate.item(Number(action.value), body.user.id, 'snooze this item');
    if (!verdict.ok) {
      await respond(aside(verdict.view.text, verdict.view));
      return;
    }
    const snoozed = deps.writes.snooze(verdict.ctx, SNOOZE_DAYS);
    await redrawAfter(deps, body, client, respond, snoozed ? null : ITEM_GONE);
  };
}
