import type {
  AllMiddlewareArgs,
  BlockAction,
  DatepickerAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { checkPickedDate, localDate } from '../../../domain/dates.js';
import { decodeContext } from '../../views/actionIds.js';
import { dueDateNotice } from '../../views/itemNotices.js';
import type { Listening } from '../deps.js';
import { answerClick, tellClick } from './redraw.js';

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
    const timeZone = deps.directory.cachedTimeZone(body.user.id) ?? 'UTC';
    const picked = checkPickedDate(action.selected_date, localDate(deps.now(), timeZone));
    if (!picked.ok) {
      await tellClick(deps, body, client, respond, { text: `:warning: ${picked.reason}`, problem: true });
      return;
    }
    const verdict = await deps.gate.itemWrite(
      decoded.itemId,
      body.user.id,
      'due-date',
      'change the due date of this item',
    );
    if (!verdict.ok) {
      await tellClick(deps, body, client, respond, verdict.view);
      return;
    }
    const result = await deps.writes.setDueDate(verdict.ctx, picked.date);
    await answerClick(deps, body, client, respond, dueDateNotice(result, { now: deps.now() }));
  };
}
