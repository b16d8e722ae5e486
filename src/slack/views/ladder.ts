import type { ModalView } from '@slack/types';
import type { LadderSettings, LadderStep } from '../../domain/ladder.js';
import type { WorkingGroup } from '../../domain/types.js';
import { plural } from '../../format.js';
import type { BlockedOutcome, LadderBoard, LadderBoardItem } from '../../services/ladderService.js';
import type { LadderAsked, LadderItem, LadderMessage } from '../../services/ports.js';
import { VIEWS } from './actionIds.js';
import { type Block, context, fitBlocks, header, LIMITS, section } from './blocks.js';
import { itemLine, localDateTime, shortDate, viewerToday, type Viewer } from './common.js';
import { noticeView } from './feedback.js';
import { esc, mention, mrkdwn, slackDate } from './mrkdwn.js';
import type { MessageView } from './status.js';

const STEP_WORDS: Record<LadderStep, string> = {
  owner: 'owner',
  facilitators: 'facilitator',
  sponsor: 'executive sponsor',
};

const REASON_WORDS: Record<LadderItem['reason'], string> = {
  overdue: 'it is overdue',
  nudges: 'its reminders went unanswered',
  late: 'it has stayed late',
  blocked: 'its owner is blocked',
  'after-facilitators': 'it is still late since the facilitators were asked',
};

/** 'Thor (owner) on Nov 16 at 09:00', each date in the reader's own zone (Slack renders it). */
export function askedLine(asked: LadderAsked[], viewer: Viewer): string {
  if (asked.length === 0) return 'Nobody was asked before.';
  const each = asked.map(
    (a) =>
      `${mention(a.slackUserId, a.name)} (${STEP_WORDS[a.step]}) on ${slackDate(a.at, '{date_short_pretty} at {time}', localDateTime(a.at, viewer.timeZone))}`,
  );
  return `Already asked: ${each.join(', ')}.`;
}

/** 'Next: the executive sponsor on Dec 4, if nothing changes.' */
function nextLine(next: LadderItem['next'], viewer: Viewer): string {
  if (!next) return 'This is the last step.';
  const who =
    next.step === 'owner'
      ? 'the owner'
      : `the ${STEP_WORDS[next.step]}${next.step === 'facilitators' ? 's' : ''}`;
  const when = next.on ? ` on ${shortDate(next.on, viewerToday(viewer))}` : '';
  return `Next: ${who}${when}, if nothing changes.`;
}

/** To a facilitator or the executive sponsor: overdue items that climbed to them, each with its history. */
export function ladderStepView(message: LadderMessage, viewer: Viewer): MessageView {
  const { group, step, items } = message;
  const role = step === 'sponsor' ? 'executive sponsor' : 'a facilitator';
  const blocks: Block[] = [
    header(`${plural(items.length, 'overdue item needs', 'overdue items need')} you`),
    context(
      `*${esc(group.name)}* · you are asked as ${role} · \`/wg ladder ${group.slug}\` shows the whole ladder`,
    ),
  ];
  for (const entry of items) {
    // A quote, line by line: Slack reads an escaped `&gt;` at a line's start as one.
    const quote = mrkdwn`\n> `;
    const note = entry.note ? `${quote}${esc(entry.note).split('\n').join(quote)}` : '';
    blocks.push(
      section(`${itemLine(entry.item, viewer)}\n_Asked because ${REASON_WORDS[entry.reason]}._${note}`),
      context(`${askedLine(entry.asked, viewer)} ${nextLine(entry.next, viewer)}`),
    );
  }
  return {
    text: `${plural(items.length, 'overdue item', 'overdue items')} in ${esc(group.name)} need${items.length === 1 ? 's' : ''} you`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, (n) =>
      context(`…and ${n} more: \`/wg ladder ${group.slug}\``),
    ),
  };
}

function boardLine(entry: LadderBoardItem, viewer: Viewer): string {
  const where = entry.step ? `*${STEP_WORDS[entry.step]}*` : '_not asked yet_';
  const waiting = entry.waiting.map((w) => `${esc(w.name)} (${STEP_WORDS[w.step]}, in their working hours)`);
  const state = entry.state;
  const next =
    state.kind === 'held'
      ? `:hourglass: on it — new date ${shortDate(state.until, viewerToday(viewer))}; the ladder resumes after it`
      : state.kind === 'climbing'
        ? nextLine(state.next, viewer)
        : 'no longer overdue';
  return [
    itemLine(entry.item, viewer),
    `Step: ${where}. ${askedLine(entry.asked, viewer)}`,
    ...(waiting.length > 0 ? [`Waiting to be asked: ${waiting.join(', ')}.`] : []),
    next,
  ].join('\n');
}

/** `/wg ladder`: who is where on the escalation ladder, per overdue item. */
export function ladderBoardView(board: LadderBoard, viewer: Viewer): MessageView {
  const { group, settings, items } = board;
  const blocks: Block[] = [
    header(`Escalation ladder · ${group.name.slice(0, 100)}`),
    context(settingsLine(settings)),
  ];
  if (items.length === 0)
    blocks.push(section(':white_check_mark: No overdue items: nobody is on the ladder.'));
  for (const entry of items) blocks.push(section(boardLine(entry, viewer)));
  const notes = unreachableNotes(board.unreachable);
  if (notes) blocks.push(context(notes));
  return {
    text: `Escalation ladder of ${esc(group.name)}: ${plural(items.length, 'overdue item', 'overdue items')}`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks, (n) => context(`…and ${n} more`)),
  };
}

const ROLE_WORDS: Record<string, string> = {
  facilitator: 'facilitator',
  executive_sponsor: 'executive sponsor',
};

/** Roles the ladder could not reach: people with no Slack user, and roles the group does not have. */
function unreachableNotes(unreachable: LadderBoard['unreachable']): string | null {
  const role = (kind: string) => ROLE_WORDS[kind] ?? kind;
  const people = unreachable.filter((u) => u.name !== '').map((u) => `${esc(u.name)} (${role(u.kind)})`);
  const roles = unreachable
    .filter((u) => u.name === '')
    .map((u) => `an ${role(u.kind)}`.replace('an f', 'a f'));
  const said: string[] = [];
  if (people.length > 0)
    said.push(`:warning: The ladder cannot reach ${people.join(', ')}: no Slack user found by that name.`);
  if (roles.length > 0) said.push(`:warning: The group has no ${roles.join(' or ')} for the ladder to ask.`);
  return said.length > 0 ? `${said.join(' ')} ${mrkdwn`\`/wg role add @user <role>\` links someone.`}` : null;
}

function settingsLine(s: LadderSettings & { custom: boolean }): string {
  return `Owner first; the facilitators after ${plural(s.afterNudges, 'unanswered reminder', 'unanswered reminders')} or ${plural(s.afterLateDays, 'day', 'days')} late; the executive sponsor ${plural(s.sponsorAfterDays, 'day', 'days')} after the facilitators${s.custom ? '' : ' (the defaults)'}.`;
}

/** `/wg escalation`: the group's ladder settings, after a change or as they are. */
export function escalationSettingsView(
  group: WorkingGroup,
  settings: LadderSettings & { custom: boolean },
  changed: boolean,
): MessageView {
  return noticeView(
    ':ladder:',
    `${changed ? 'Escalation ladder of' : 'The escalation ladder of'} *${esc(group.name)}*${changed ? ' changed' : ''}: ${settingsLine(settings)}`,
    'Facilitators change it: `/wg escalation N M K` (reminders, days late, days until the sponsor).',
  );
}

/** Where a modal opened from a nudge DM came from: the item, and the DM to redraw. */
export interface LadderModalMeta {
  itemId: number;
  channel: string | null;
  ts: string | null;
}

export const LADDER_FIELDS = { date: 'ladder_date', note: 'ladder_note' } as const;

/** "I'm on it — new date": one date picker. */
export function onItModal(meta: LadderModalMeta, title: string, initialDate: string | null): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.ladderOnIt,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: "I'm on it" },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `*${esc(title.slice(0, 200))}*\nBy when will it be done? Nobody else is asked about it until then.`,
      ),
      {
        type: 'input',
        block_id: LADDER_FIELDS.date,
        label: { type: 'plain_text', text: 'New date' },
        element: {
          type: 'datepicker',
          action_id: LADDER_FIELDS.date,
          ...(initialDate ? { initial_date: initialDate } : {}),
        },
      },
    ] as ModalView['blocks'],
  };
}

/** "Blocked — tell the facilitator": what is in the way, sent to the facilitators. */
export function blockedModal(meta: LadderModalMeta, title: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.ladderBlocked,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Blocked' },
    submit: { type: 'plain_text', text: 'Tell the facilitator' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${esc(title.slice(0, 200))}*\nThe group's facilitators are asked at once, with your note.`),
      {
        type: 'input',
        block_id: LADDER_FIELDS.note,
        label: { type: 'plain_text', text: 'What is in the way?' },
        element: {
          type: 'plain_text_input',
          action_id: LADDER_FIELDS.note,
          multiline: true,
          max_length: 1000,
        },
      },
    ] as ModalView['blocks'],
  };
}

/** What the DM says after "I'm on it". */
export function onItNotice(date: string, today: string): string {
  return `:hourglass: On it — new date ${shortDate(date, today)}. Nobody else is asked about it until then.`;
}

/** What the DM says after "Blocked". */
export function blockedNotice(outcome: BlockedOutcome, viewer: Viewer): { text: string; problem: boolean } {
  switch (outcome.kind) {
    case 'asked':
      return {
        text: `:sos: Told ${outcome.facilitators.map(esc).join(', ')} (facilitators), in their working hours, with your note.`,
        problem: false,
      };
    case 'already':
      return {
        text: `:information_source: The facilitators were already asked about it on ${localDateTime(outcome.at, viewer.timeZone)}; tell them your note in their channel.`,
        problem: true,
      };
    case 'nobody':
      return { text: ':warning: This group has no facilitator wgbot can reach in Slack.', problem: true };
    default:
      return {
        text: ':information_source: It is closed already: nobody needs to be asked.',
        problem: true,
      };
  }
}
