import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { snoozeNotice } from '../../views/itemNotices.js';
import type { Listening } from '../deps.js';
import { answerClick, tellClick } from './redraw.js';

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
      await tellClick(deps, body, client, respond, verdict.view);
      return;
    }
    const snoozed = deps.writes.snooze(verdict.ctx, SNOOZE_DAYS);
    const viewer = { timeZone: await deps.identity.timeZoneOf(body.user.id), now: deps.now() };
    await answerClick(deps, body, client, respond, snoozeNotice(snoozed, viewer));
  };
}
