import type { BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Delivered } from '../../../services/ports.js';
import { readerOf } from '../../commands/command.js';
import { decodeContext } from '../../views/actionIds.js';
import { type ItemFilter, itemListView } from '../../views/itemList.js';
import { type ClickNotice, refusedNotice } from '../../views/itemNotices.js';
import { nudgeView } from '../../views/nudge.js';
import type { MessageView } from '../../views/status.js';
import type { Listening } from '../deps.js';
import { publishHome } from '../home.js';

/** A message only the clicker sees, next to the one they clicked in. */
export function aside(text: string, view?: MessageView) {
  return {
    response_type: 'ephemeral' as const,
    replace_original: false,
    text,
    ...(view ? { blocks: view.blocks } : {}),
  };
}

/** The message a button was clicked in, when it is one (not the App Home or a modal). */
function clickedMessage(body: BlockAction): Delivered | null {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const ts = body.message?.ts ?? body.container?.message_ts;
  return typeof channel === 'string' && typeof ts === 'string' ? { channel, ts } : null;
}

/**
 * After an item button did its work (or could not), the place it was clicked in is drawn again from the
 * services: the nudge DM in place (one chat.update, `notice` on top — whatever happened), the App Home, or
 * the `/wg items` list (via response_url). The last two say only a `problem`, beside them.
 */
export async function answerClick(
  deps: Listening,
  body: BlockAction,
  client: WebClient,
  respond: RespondFn,
  notice: ClickNotice,
): Promise<void> {
  const decoded = decodeContext(body.actions[0]?.block_id);
  const userId = body.user.id;
  if (!decoded || decoded.ctx.view === 'home' || body.view?.type === 'home') {
    await publishHome(deps, client, userId, notice.problem ? notice.text : null);
    return;
  }
  const message = clickedMessage(body);
  if (decoded.ctx.view === 'nudge' && message) {
    if (await redrawNudge(deps, client, userId, message, notice)) return;
  } else if (decoded.ctx.view === 'items') {
    const found = deps.groups.resolve(decoded.ctx.slug, null, null);
    if (found.kind === 'found') {
      // Only these two lists carry buttons; anything else in a (forged) block id shows them all.
      const kind = decoded.ctx.filter;
      const filter: ItemFilter = kind === 'mine' || kind === 'overdue' ? { kind } : { kind: 'all' };
      const report = deps.status.report(found.group);
      const reader = await readerOf(deps, userId, found.group, false, report.items);
      const view = itemListView(report, filter, reader);
      await respond({ replace_original: true, text: view.text, blocks: view.blocks });
    }
  }
  if (notice.problem) await respond(aside(notice.text));
}

/**
 * A click that changed nothing — refused by the gate (`view`), or a date out of range: in a nudge DM the
 * DM itself says so (its reader may be refused a GitLab write); elsewhere it is said beside the message.
 */
export async function tellClick(
  deps: Listening,
  body: BlockAction,
  client: WebClient,
  respond: RespondFn,
  said: MessageView | ClickNotice,
): Promise<void> {
  const notice = 'blocks' in said ? refusedNotice(said) : said;
  const message = clickedMessage(body);
  if (decodeContext(body.actions[0]?.block_id)?.ctx.view === 'nudge' && message) {
    if (await redrawNudge(deps, client, body.user.id, message, notice)) return;
  }
  await respond('blocks' in said ? aside(said.text, said) : aside(said.text));
}

/** The nudge DM drawn again with what is left of it and `notice`; false when it could not be. */
export async function redrawNudge(
  deps: Listening,
  client: WebClient,
  userId: string,
  message: Delivered,
  notice: ClickNotice,
): Promise<boolean> {
  const left = await deps.nudgeItems(userId, message);
  if (!left) return false;
  const view = nudgeView(left.items, left.viewer, notice.text);
  try {
    await client.chat.update({ ...message, text: view.text, blocks: view.blocks });
    return true;
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message }, 'could not redraw the nudge DM');
    return false;
  }
}
