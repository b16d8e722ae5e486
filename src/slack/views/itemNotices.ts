import type { DoneResult, DueDateResult, SnoozeResult, WriteBlock } from '../../services/itemActions.js';
import type { Viewer } from './common.js';
import { esc, link } from './mrkdwn.js';
import type { MessageView } from './status.js';

/**
 * What an item button says in one line. The nudge DM shows every one at its top; the App Home and the
 * `/wg items` lists, which redraw without the item's change being in doubt, show the `problem` ones.
 */
export interface ClickNotice {
  text: string;
  /** Something did not happen as asked (not done, not in GitLab, gone, refused). */
  problem: boolean;
}

export const ITEM_GONE = 'That item is no longer in GitLab or on the page.';

export const GROUP_GONE = ':ghost: That working group has been removed.';

const gone: ClickNotice = { text: `:ghost: ${ITEM_GONE}`, problem: true };

/** The same words on every button for an item wgbot cannot change in GitLab. */
function cannotWrite(reason: string): string {
  return `wgbot cannot change it in GitLab: ${esc(reason)}.`;
}

/** A refusal (the gate's view) as a notice: its first section, which says who may and whom to ask. */
export function refusedNotice(view: MessageView): ClickNotice {
  const first = view.blocks.find((b) => b.type === 'section') as { text?: { text?: string } } | undefined;
  return { text: first?.text?.text ?? esc(view.text), problem: true };
}

export function markDoneNotice(result: DoneResult): ClickNotice {
  switch (result.kind) {
    case 'done':
      if (result.where === 'wgbot') return { text: ':white_check_mark: Marked done', problem: false };
      return {
        text: `:white_check_mark: Marked done — ${result.item.source === 'gitlab_issue' ? 'closed in GitLab' : 'ticked in the GitLab epic'}`,
        problem: false,
      };
    case 'already':
      return { text: ':white_check_mark: Already done — nothing to change', problem: false };
    case 'gone':
      return gone;
    case 'read-only':
      return {
        text: `:warning: Not marked done — ${cannotWrite(result.reason)} ${link(result.item.url, 'Close it in GitLab')}`,
        problem: true,
      };
    case 'failed':
      return {
        text: `:warning: Not marked done — ${esc(result.reason)}. Try again, or ${link(result.item.url, 'close it in GitLab')}.`,
        problem: true,
      };
  }
}

export function snoozeNotice(result: SnoozeResult, viewer: Pick<Viewer, 'timeZone' | 'now'>): ClickNotice {
  if (!result) return gone;
  const until = dayName(result.until, viewer.timeZone, viewer.now);
  return withBlock(`:zzz: Snoozed until ${until} — no reminders till then`, result.blocked, null);
}

export function dueDateNotice(result: DueDateResult, viewer: Pick<Viewer, 'now'>): ClickNotice {
  if (!result) return gone;
  const day = dayName(new Date(`${result.dueDate}T12:00:00Z`), 'UTC', viewer.now);
  if (result.where === 'gitlab')
    return { text: `:calendar: New due date ${day} — set in GitLab too`, problem: false };
  return withBlock(
    `:calendar: New due date ${day}${result.blocked ? ', in wgbot only' : ''}`,
    result.blocked,
    link(result.item.url, 'Change it in GitLab'),
  );
}

function withBlock(line: string, blocked: WriteBlock, fix: string | null): ClickNotice {
  if (!blocked) return { text: line, problem: false };
  return { text: `${line} · ${cannotWrite(blocked)}${fix ? ` ${fix}` : ''}`, problem: true };
}

/** 'Thu 3 Dec' in the reader's zone; 'Thu 3 Dec 2027' when not this year. */
export function dayName(at: Date, timeZone: string, now: Date): string {
  const year = (d: Date) => d.toLocaleDateString('en-GB', { year: 'numeric', timeZone });
  const text = at.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone });
  return `${text.replace(',', '')}${year(at) === year(now) ? '' : ` ${year(at)}`}`;
}
