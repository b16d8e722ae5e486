import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { checkPickedDate, isIsoDate, localDate } from '../../../domain/dates.js';
import type { Authorized, Configure, GroupContext } from '../../gate.js';
import { CREATE_FIELDS } from '../../views/createModal.js';
import { groupCreatedText } from '../../views/notices.js';
import type { Listening } from '../deps.js';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

interface CreateForm {
  name: string;
  channelId: string | null;
  target: string | null;
  epicUrl: string | null;
  facilitator: string;
}

function readForm({ view, body }: Args): CreateForm {
  const values = view.state.values;
  const value = (id: string) => values[id]?.[id];
  return {
    name: value(CREATE_FIELDS.name)?.value?.trim() ?? '',
    channelId: value(CREATE_FIELDS.channel)?.selected_conversation ?? null,
    target: value(CREATE_FIELDS.target)?.selected_date ?? null,
    epicUrl: value(CREATE_FIELDS.epic)?.value?.trim() || null,
    facilitator: value(CREATE_FIELDS.facilitator)?.selected_user ?? body.user.id,
  };
}

/**
 * What is wrong with the form, by field, and the proof that the caller may take the channel from the
 * group that lives there. Due within Slack's 3 s: the zone and the rights come from what is cached.
 */
async function validate(deps: Listening, form: CreateForm, userId: string) {
  const errors: Record<string, string> = {};
  if (!form.name) errors[CREATE_FIELDS.name] = 'Give the working group a name.';
  if (form.epicUrl) {
    try {
      deps.links.parseUrl(form.epicUrl);
    } catch (error) {
      errors[CREATE_FIELDS.epic] = (error as Error).message.split('. wgbot accepts')[0]!.slice(0, 150);
    }
  }
  const today = localDate(deps.now(), deps.directory.cachedTimeZone(userId) ?? 'UTC');
  const picked = form.target === null ? null : checkPickedDate(form.target, today);
  if (form.target && isIsoDate(form.target) && form.target < today)
    errors[CREATE_FIELDS.target] = 'The target end date is in the past.';
  else if (picked && !picked.ok) errors[CREATE_FIELDS.target] = picked.reason;
  // A channel is home to one group: taking it from another group is for that group's facilitators.
  const here = form.channelId ? deps.groups.resolve(null, form.channelId, null) : null;
  let home: Authorized<GroupContext, Configure> | null = null;
  if (here?.kind === 'found') {
    home = await deps.gate.facilitatorNow(here.group, userId);
    if (!home)
      errors[CREATE_FIELDS.channel] =
        `This channel is the home of ${here.group.name.slice(0, 60)}; only its facilitators can move it. Pick another channel.`;
  }
  return { errors, home };
}

/** The `/wg create` form submitted: checked in the ack, then the group is made and confirmed by DM. */
export function createGroup(deps: Listening) {
  return async (args: Args) => {
    const { ack, body, client } = args;
    const form = readForm(args);
    const { errors, home } = await validate(deps, form, body.user.id);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const caller = await deps.gate.caller(body.user.id, 'anyone', 'create a working group');
    if (!caller.ok) return;
    const person = await deps.identity.personFor(form.facilitator);
    const channel = form.channelId ? await deps.directory.channel(form.channelId).catch(() => null) : null;
    const input = {
      name: form.name,
      channelId: form.channelId,
      channelName: channel?.name ?? null,
      targetEndDate: form.target,
      facilitatorPersonId: person.id,
      timezone: await deps.identity.timeZoneOf(form.facilitator),
    };
    const group = deps.writes.createGroup(caller.ctx, input, form.epicUrl, home);
    const text = groupCreatedText(group, form.facilitator, form.channelId, form.epicUrl !== null);
    await client.chat.postMessage({ channel: body.user.id, text }).catch((error: Error) => {
      deps.logger.warn({ err: error.message }, 'could not confirm the new group by DM');
    });
  };
}
