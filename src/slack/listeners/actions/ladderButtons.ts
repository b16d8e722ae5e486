import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { localDate } from '../../../domain/dates.js';
import { blockedModal, type LadderModalMeta, onItModal } from '../../views/ladder.js';
import type { Listening } from '../deps.js';
import { tellClick } from './redraw.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * The nudge DM's "I'm on it — new date" and "Blocked — tell the facilitator": for the item's owners (and
 * its facilitators), checked by the gate before the small form opens and again when it is submitted.
 */
export function ladderButton(deps: Listening, kind: 'on-it' | 'blocked') {
  return async ({ ack, body, action, client, respond }: Args) => {
    await ack();
    const itemId = Number(action.value);
    const what = kind === 'on-it' ? 'give this item a new date' : 'tell the facilitators about this item';
    const verdict = await deps.gate.item(itemId, body.user.id, what);
    if (!verdict.ok) {
      await tellClick(deps, body, client, respond, verdict.view);
      return;
    }
    const item = deps.itemBrief(itemId);
    if (!item) {
      await tellClick(deps, body, client, respond, { text: ':ghost: This item is gone.', problem: true });
      return;
    }
    const meta: LadderModalMeta = {
      itemId,
      channel: body.channel?.id ?? body.container?.channel_id ?? null,
      ts: body.message?.ts ?? body.container?.message_ts ?? null,
    };
    const today = localDate(deps.now(), deps.directory.cachedTimeZone(body.user.id) ?? 'UTC');
    const initial = item.dueDate && item.dueDate > today ? item.dueDate : null;
    const view = kind === 'on-it' ? onItModal(meta, item.title, initial) : blockedModal(meta, item.title);
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
}
