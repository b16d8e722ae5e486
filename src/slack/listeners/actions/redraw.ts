import type { BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { viewerOf } from '../../commands/command.js';
import { decodeContext } from '../../views/actionIds.js';
import { type ItemFilter, itemListView } from '../../views/itemList.js';
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

/**
 * After an item button did its work, the place it was clicked in is drawn again from the services: the
 * App Home, the nudge DM (chat.update of that message), or the `/wg items` list (via response_url).
 * `notice` says what went wrong, if anything.
 */
export async function redrawAfter(
  deps: Listening,
  body: BlockAction,
  client: WebClient,
  respond: RespondFn,
  notice: string | null,
): Promise<void> {
  const decoded = decodeContext(body.actions[0]?.block_id);
  const userId = body.user.id;
  if (!decoded || decoded.ctx.view === 'home' || body.view?.type === 'home') {
    await publishHome(deps, client, userId, notice);
    return;
  }
  if (decoded.ctx.view === 'nudge' && body.channel?.id && body.message?.ts) {
    await deps.refreshNudge(userId, body.channel.id, body.message.ts);
  } else if (decoded.ctx.view === 'items') {
    const found = deps.groups.resolve(decoded.ctx.slug, null, null);
    if (found.kind === 'found') {
      // Only these two lists carry buttons; anything else in a (forged) block id shows them all.
      const kind = decoded.ctx.filter;
      const filter: ItemFilter = kind === 'mine' || kind === 'overdue' ? { kind } : { kind: 'all' };
      const view = itemListView(
        deps.status.report(found.group),
        filter,
        viewerOf(deps, userId, found.group, false),
      );
      await respond({ replace_original: true, text: view.text, blocks: view.blocks });
    }
  }
  if (notice) await respond(aside(notice));
}
