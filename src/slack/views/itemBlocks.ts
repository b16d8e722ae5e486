import type { StatusItem } from '../../services/status.js';
import { ACTIONS, encodeContext, type ItemViewContext } from './actionIds.js';
import { actions, type Block, button, section } from './blocks.js';
import { canSeeTitle, itemLine, type Viewer } from './common.js';

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
