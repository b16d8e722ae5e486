import type { StatusItem } from '../../services/status.js';
import { ACTIONS, encodeContext, type ItemViewContext } from './actionIds.js';
import { actions, type Block, button, lineSections, section } from './blocks.js';
import { canSeeTitle, itemLine, itemLines, type Viewer } from './common.js';

/**
 * The items past those shown with buttons, as lines (up to `limit`, then "…and N more" pointing at
 * `/wg items mine`), packed into sections within Slack's limits.
 */
export function remainingItems(items: StatusItem[], viewer: Viewer, limit: number): Block[] {
  const lines = itemLines(items, viewer, { limit, more: (n) => `…and ${n} more: \`/wg items mine\`` });
  return lineSections('', lines, lines.length, () => '');
}

/**
 * An item with its buttons: *Mark done*, *Snooze 2 days*, *Open in GitLab*. Two blocks per item, so a
 * message (50 blocks) shows at most about twenty with buttons; callers list the rest as lines.
 */
export function itemWithButtons(item: StatusItem, viewer: Viewer, ctx: ItemViewContext): Block[] {
  const line: Block = section(itemLine(item, viewer));
  if (item.state === 'done' || !canSeeTitle(item, viewer)) return [line];
  const buttons = [
    button(ACTIONS.itemDone, 'Mark done', { value: String(item.id), style: 'primary' }),
    button(ACTIONS.itemSnooze, 'Snooze 2 days', { value: String(item.id) }),
  ];
  if (item.url && /^https?:\/\//.test(item.url)) {
    buttons.push(button(ACTIONS.itemOpen, 'Open in GitLab', { value: String(item.id), url: item.url }));
  }
  return [line, actions(encodeContext(item.id, ctx), buttons)];
}
