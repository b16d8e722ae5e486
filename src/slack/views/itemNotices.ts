import type { DoneResult } from '../../services/itemActions.js';
import { esc, link } from './mrkdwn.js';

/** What an item button says besides redrawing: nothing when it did its work. */

export const ITEM_GONE = 'That item is no longer in GitLab or on the page.';

export const GROUP_GONE = ':ghost: That working group has been removed.';

export function markDoneNotice(result: DoneResult): string | null {
  switch (result.kind) {
    case 'done':
    case 'already':
      return null;
    case 'gone':
      return ITEM_GONE;
    case 'read-only':
    case 'failed':
      return `Could not mark *${esc(result.item.title)}* done: ${esc(result.reason)}. ${link(result.item.url, 'Open it in GitLab')}`;
  }
}
