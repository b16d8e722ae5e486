import type {
  AllMiddlewareArgs,
  BlockAction,
  DatepickerAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { checkPickedDate, localDate } from '../../../domain/dates.js';
import { decodeContext } from '../../views/actionIds.js';
import { ITEM_GONE } from '../../views/itemNotices.js';
import type { Listening } from '../deps.js';
import { aside, redrawAfter } from './redraw.js';

/** The nudge DM's date picker: a new due date (in GitLab too for an issue); for owners and facilitators. */
export function itemDueDate(deps: Listening) {
  return async ({
    ack,
    body,
    action,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockAction<DatepickerAction>> & AllMiddlewareArgs) => {
    await ack();
    const decoded = decodeContext(action.block_id);
    if (!decoded || !action.selected_date) return;
    const today = localDate(deps.now(), deps.directory.cachedTimeZone(body.user.id) ?? 'UTC');
    const picked = checkPickedDate(action.selected_date, today);
    if (!picked.ok) {
      await respond(aside(picked.reason));
      return;
    }
    const verdict = await deps.gate.item(decoded.itemId, body.user.id, 'change the due date of this item');
    if (!verdict.ok) {
      await respond(aside(verdict.view.text, verdict.view));
      return;
    }
    const result = await deps.writes.setDueDate(verdict.ctx, picked.date);
    await redrawAfter(deps, body, client, respond, result ? null : ITEM_GONE);
  };
}
