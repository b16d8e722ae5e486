import type { KnownBlock } from '@slack/types';
import { daysBetween, localDate } from '../../domain/dates.js';
import { plural } from '../../format.js';
import type { EscalatedItem, NudgeItem, UnreachableOwner } from '../../services/ports.js';
import type { StatusItem } from '../../services/status.js';
import { ACTIONS, encodeContext } from './actionIds.js';
import {
  actions,
  type Block,
  button,
  context,
  fitBlocks,
  header,
  LIMITS,
  lineSections,
  section,
} from './blocks.js';
import { canSeeTitle, itemLine, shortDate, UNREADABLE_TITLE, unreadableFor, type Viewer } from './common.js';
import { askedLine } from './ladder.js';
import { esc, link, mention } from './mrkdwn.js';
import type { MessageView } from './status.js';

const WITH_BUTTONS = 15;
const AS_LINES = 40;

/**
 * The DM an owner gets: their overdue items across groups, each with Mark done, Snooze, New due date.
 * After a click it is drawn again in place with what is left and `notice`, one line saying what the
 * click did ("Marked done — closed in GitLab"); it never mentions its own reader.
 */
export function nudgeView(items: NudgeItem[], viewer: Viewer, notice: string | null = null): MessageView {
  const said = notice ? [section(notice)] : [];
  if (items.length === 0) {
    return {
      text: notice ? 'All done from this reminder' : 'All caught up',
      blocks: [...said, section(':tada: Nothing is left from this reminder. Thank you!')],
    };
  }
  const them = items.length === 1 ? 'it' : 'them';
  const blocks: Block[] = [
    header(`${plural(items.length, 'overdue action item', 'overdue action items')}`),
    ...said,
    context(
      `A friendly reminder from wgbot. Mark ${them} done, snooze ${them} for two days, or give ${them} a new due date.`,
    ),
  ];
  for (const { group, item, asked } of items.slice(0, WITH_BUTTONS)) {
    const ladder = asked && asked.length > 0 ? `\n${askedLine(asked, viewer)}` : '';
    blocks.push(
      section(`${nudgeLine(item, viewer)}\n_${esc(group.name)}_${ladder}`),
      buttonsOf(item, viewer),
    );
  }
  if (items.length > WITH_BUTTONS) {
    const rest = items.slice(WITH_BUTTONS).map(({ item }) => nudgeLine(item, viewer));
    blocks.push(...lineSections('', rest, AS_LINES, (n) => `…and ${n} more: \`/wg items mine\``));
  }
  return {
    text: `You have ${plural(items.length, 'overdue action item', 'overdue action items')}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, () => context('…and more: `/wg items mine`')),
  };
}

function buttonsOf(item: StatusItem, viewer: Viewer): KnownBlock {
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
    button(ACTIONS.ladderOnIt, 'I’m on it — new date', { value: String(item.id) }),
    button(ACTIONS.ladderBlocked, 'Blocked — tell the facilitator', { value: String(item.id) }),
  ]);
  (row.elements as unknown[]).push(picker);
  return row as KnownBlock;
}

/**
 * One item of the reader's own: how late it is, since when, who else owns it and its sprint —
 * ':red_circle: <url|Fix the runner> — *5 days late* (due Nov 18) · with <@U0KENNY> · Sprint 20'.
 */
export function nudgeLine(item: StatusItem, viewer: Viewer): string {
  const title = canSeeTitle(item, viewer)
    ? link(item.url, item.title)
    : unreadableFor(item, viewer)
      ? UNREADABLE_TITLE
      : '_confidential item_';
  const bits: string[] = [];
  const since = lateSince(item);
  if (since) {
    const today = localDate(viewer.now, viewer.timeZone);
    const late = Math.max(1, daysBetween(since, today));
    const why =
      item.dueDate === since ? `due ${shortDate(since, today)}` : `sprint ended ${shortDate(since, today)}`;
    bits.push(`*${plural(late, 'day', 'days')} late* (${why})`);
  }
  const others = item.owners
    .map((name, i) => ({ name, id: item.ownerSlackUserIds[i] }))
    .filter((o) => o.id !== viewer.slackUserId);
  if (others.length > 0) bits.push(`with ${others.map((o) => mention(o.id, o.name)).join(', ')}`);
  if (item.sprint) bits.push(esc(item.sprint));
  return `:red_circle: ${title}${bits.length > 0 ? ` — ${bits.join(' · ')}` : ''}`;
}

/** The day the item became due: the earlier of its due date and its sprint's end (as `isOverdue` counts). */
function lateSince(item: Pick<StatusItem, 'dueDate' | 'sprintEnd'>): string | null {
  if (item.dueDate && item.sprintEnd) return item.dueDate < item.sprintEnd ? item.dueDate : item.sprintEnd;
  return item.dueDate ?? item.sprintEnd;
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
      `• *${esc(name)}*: ${items.map((i) => (canSeeTitle(i, viewer) ? link(i.url, i.title) : unreadableFor(i, viewer) ? UNREADABLE_TITLE : '_a confidential item_')).join(', ')}`,
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
