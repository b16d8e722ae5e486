import type { KnownBlock } from '@slack/types';
import type { EscalatedItem, NudgeItem, UnreachableOwner } from '../../services/ports.js';
import { ACTIONS, encodeContext } from './actionIds.js';
import { actions, type Block, button, context, fitBlocks, header, LIMITS, section } from './blocks.js';
import { itemLine, type Viewer } from './common.js';
import { remainingItems } from './itemBlocks.js';
import { esc, link } from './mrkdwn.js';
import type { MessageView } from './status.js';

const WITH_BUTTONS = 15;

/** The DM an owner gets: every overdue item of theirs across groups, each with Mark done, Snooze, New due date. */
export function nudgeView(items: NudgeItem[], viewer: Viewer): MessageView {
  if (items.length === 0) {
    return {
      text: 'All caught up',
      blocks: [section(':tada: Nothing of yours is overdue any more. Thank you!')],
    };
  }
  const blocks: Block[] = [
    header(`${items.length} overdue action item${items.length === 1 ? '' : 's'}`),
    context(
      'A friendly reminder from wgbot. Mark them done, snooze them for two days, or give them a new due date.',
    ),
  ];
  for (const { group, item } of items.slice(0, WITH_BUTTONS)) {
    blocks.push(section(`${itemLine(item, viewer)}\n_${esc(group.name)}_`));
    const picker = {
      type: 'datepicker' as const,
      action_id: ACTIONS.itemDueDate,
      placeholder: { type: 'plain_text' as const, text: 'New due date' },
      ...(item.dueDate && item.dueDate >= viewer.now.toISOString().slice(0, 10)
        ? { initial_date: item.dueDate }
        : {}),
    };
    const row = actions(encodeContext(item.id, { view: 'nudge' }), [
      button(ACTIONS.itemDone, 'Mark done', { value: String(item.id), style: 'primary' }),
      button(ACTIONS.itemSnooze, 'Snooze 2 days', { value: String(item.id) }),
    ]);
    (row.elements as unknown[]).push(picker);
    blocks.push(row as KnownBlock);
  }
  if (items.length > WITH_BUTTONS) {
    blocks.push(
      ...remainingItems(
        items.slice(WITH_BUTTONS).map((i) => i.item),
        viewer,
        40,
      ),
    );
  }
  return {
    text: `You have ${items.length} overdue action item${items.length === 1 ? '' : 's'}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…and more: `/wg items mine`')),
  };
}

/** To facilitators: items reminded about three times without an answer. */
export function escalationView(groupName: string, items: EscalatedItem[], viewer: Viewer): MessageView {
  const lines = items.map(
    ({ item, reminders }) => `${itemLine(item, viewer)} — ${reminders} reminders unanswered`,
  );
  return {
    text: `${items.length} overdue item${items.length === 1 ? '' : 's'} in ${esc(groupName)} need${items.length === 1 ? 's' : ''} you`,
    blocks: [
      section(
        `:rotating_light: *${esc(groupName)}*: these overdue items were reminded about three times with no answer. Their owners may need a hand, or the items a new plan.`,
      ),
      section(lines.join('\n')),
    ],
  };
}

/** To facilitators: owners of overdue items wgbot cannot reach in Slack, so nothing gets dropped silently. */
export function unreachableView(groupName: string, owners: UnreachableOwner[], viewer: Viewer): MessageView {
  const lines = owners.map(
    ({ name, items }) =>
      `• *${esc(name)}*: ${items.map((i) => (i.confidential ? '_a confidential item_' : link(i.url, i.title))).join(', ')}`,
  );
  return {
    text: `Owners in ${esc(groupName)} wgbot cannot remind`,
    blocks: [
      section(
        `:mailbox_with_no_mail: *${esc(groupName)}*: wgbot could not remind these owners of overdue items — they are not linked to a Slack user (or their account is inactive). Link them with \`/wg role add @user member\`, or remind them yourself.`,
      ),
      section(lines.join('\n')),
      context(`As of ${viewer.now.toISOString().slice(0, 10)}`),
    ],
  };
}
