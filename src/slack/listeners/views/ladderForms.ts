import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { checkPickedDate, localDate } from '../../../domain/dates.js';
import type { Delivered } from '../../../services/ports.js';
import { refusedNotice, type ClickNotice } from '../../views/itemNotices.js';
import { blockedNotice, LADDER_FIELDS, type LadderModalMeta, onItNotice } from '../../views/ladder.js';
import type { MessageView } from '../../views/status.js';
import type { Listening } from '../deps.js';
import { redrawNudge } from '../actions/redraw.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The item and the DM a form was opened from (private_metadata, as wgbot wrote it); null when unreadable. */
function metaOf(args: Args): LadderModalMeta | null {
  try {
    const meta = JSON.parse(args.view.private_metadata) as Partial<LadderModalMeta>;
    if (typeof meta.itemId !== 'number' || !Number.isInteger(meta.itemId)) return null;
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 40) : null);
    return { itemId: meta.itemId, channel: text(meta.channel), ts: text(meta.ts) };
  } catch {
    return null;
  }
}

/** Says what the form did: in the nudge DM it came from (redrawn), else by DM. */
async function tell(deps: Listening, args: Args, meta: LadderModalMeta, said: MessageView | ClickNotice) {
  const notice = 'blocks' in said ? refusedNotice(said) : said;
  const userId = args.body.user.id;
  const message: Delivered | null = meta.channel && meta.ts ? { channel: meta.channel, ts: meta.ts } : null;
  if (message && (await redrawNudge(deps, args.client, userId, message, notice))) return;
  await args.client.chat
    .postMessage({ channel: userId, text: notice.text })
    .catch((error: Error) => deps.logger.warn({ err: error.message }, 'could not answer a ladder form'));
}

/** "I'm on it — new date" submitted: the new due date, and the ladder waits until it has passed. */
export function onItForm(deps: Listening) {
  return async (args: Args) => {
    const { ack, body, view } = args;
    const meta = metaOf(args);
    const timeZone = deps.directory.cachedTimeZone(body.user.id) ?? 'UTC';
    const today = localDate(deps.now(), timeZone);
    const value = view.state.values[LADDER_FIELDS.date]?.[LADDER_FIELDS.date]?.selected_date;
    const picked = checkPickedDate(value, today);
    const error = !picked.ok ? picked.reason : picked.date < today ? 'Pick today or a later day.' : null;
    if (error || !meta || !picked.ok) {
      await ack({
        response_action: 'errors',
        errors: {
          [LADDER_FIELDS.date]: error ?? 'This form is broken: close it and press the button again.',
        },
      });
      return;
    }
    await ack();
    const verdict = await deps.gate.itemWrite(
      meta.itemId,
      body.user.id,
      'due-date',
      'give this item a new date',
    );
    if (!verdict.ok) {
      await tell(deps, args, meta, verdict.view);
      return;
    }
    const result = await deps.writes.setDueDate(verdict.ctx, picked.date);
    await tell(
      deps,
      args,
      meta,
      result
        ? { text: onItNotice(picked.date, today), problem: false }
        : { text: ':ghost: This item is gone.', problem: true },
    );
  };
}

/** "Blocked — tell the facilitator" submitted: the facilitators are asked at once, with the note. */
export function blockedForm(deps: Listening) {
  return async (args: Args) => {
    const { ack, body, view } = args;
    const meta = metaOf(args);
    const note = view.state.values[LADDER_FIELDS.note]?.[LADDER_FIELDS.note]?.value?.trim() ?? '';
    if (!meta || note === '') {
      await ack({
        response_action: 'errors',
        errors: {
          [LADDER_FIELDS.note]: meta
            ? 'Say what is in the way.'
            : 'This form is broken: close it and press the button again.',
        },
      });
      return;
    }
    await ack();
    const verdict = await deps.gate.item(meta.itemId, body.user.id, 'tell the facilitators about this item');
    if (!verdict.ok) {
      await tell(deps, args, meta, verdict.view);
      return;
    }
    const outcome = await deps.writes.blocked(verdict.ctx, note);
    const timeZone = await deps.identity.timeZoneOf(body.user.id);
    const viewer = { slackUserId: body.user.id, timeZone, now: deps.now(), audience: 'private' as const };
    await tell(deps, args, meta, blockedNotice(outcome, viewer));
  };
}
