import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { checkPickedDate, isIsoDate, localDate } from '../../../domain/dates.js';
import type { Authorized, Configure, GroupContext } from '../../gate.js';
import type { Block } from '../../views/blocks.js';
import { CREATE_FIELDS, sameNameError } from '../../views/createModal.js';
import { groupCreatedText, groupNotCreatedText } from '../../views/notices.js';
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
  // A channel is home to one group: taking it from another group is for that group's facilitators. When
  // the cache cannot tell, the form is accepted and the right is checked after the ack.
  const here = form.channelId ? deps.groups.resolve(null, form.channelId, null) : null;
  let home: Authorized<GroupContext, Configure> | null | 'unknown' = null;
  if (here?.kind === 'found') {
    home = await deps.gate.facilitatorNow(here.group, userId);
    if (!home)
      errors[CREATE_FIELDS.channel] =
        `This channel is the home of ${here.group.name.slice(0, 60)}; only its facilitators can move it. Pick another channel.`;
  }
  return { errors, home };
}

/**
 * The `/wg create` form submitted: checked in the ack from SQLite and what is cached (never Slack), claimed
 * once per view and name, then the group is made and confirmed by DM.
 */
export function createGroup(deps: Listening) {
  return async (args: Args) => {
    const { ack, body, view } = args;
    const form = readForm(args);
    const { errors, home } = await validate(deps, form, body.user.id);
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const claim = deps.groups.claimSubmission(view.id, body.user.id, form.name);
    if (claim.kind === 'same-name') {
      const slug = claim.wgId === null ? null : deps.groups.slugOf(claim.wgId);
      await ack({ response_action: 'errors', errors: { [CREATE_FIELDS.name]: sameNameError(claim, slug) } });
      return;
    }
    await ack();
    // The same view again (Submit pressed twice): the first submission makes the group and answers.
    if (claim.kind === 'same-view') return;
    try {
      await createAfterAck(deps, form, view.id, body.user.id, home, args.client);
    } catch (error) {
      deps.groups.finishSubmission(view.id, 'refused');
      throw error;
    }
  };
}

/**
 * After the ack: the rights the cache could not tell (the channel's home, creating, the epic's access in
 * GitLab), the group, and the DM that says what happened.
 */
async function createAfterAck(
  deps: Listening,
  form: CreateForm,
  viewId: string,
  userId: string,
  cachedHome: Authorized<GroupContext, Configure> | null | 'unknown',
  client: Args['client'],
): Promise<void> {
  const dm = (text: string, blocks?: Block[]) =>
    client.chat
      .postMessage({ channel: userId, text, ...(blocks ? { blocks } : {}) })
      .catch((error: Error) => {
        deps.logger.warn({ err: error.message }, 'could not answer the create form by DM');
      });
  const home = cachedHome === 'unknown' ? await homeAfterAck(deps, form, userId) : cachedHome;
  if (home && 'refusal' in home) {
    deps.groups.finishSubmission(viewId, 'refused');
    await dm(groupNotCreatedText(form.name, home.refusal));
    return;
  }
  // Creating is for creators; an epic is linked only if the caller's GitLab account may read it as a
  // Reporter (the group is made without it otherwise, and the DM says why).
  const creator = await deps.gate.creator(userId);
  if (!creator.ok) {
    deps.groups.finishSubmission(viewId, 'refused');
    await dm(creator.view.text, creator.view.blocks);
    return;
  }
  const sourced = form.epicUrl
    ? await deps.gate.source(creator.ctx, form.epicUrl, deps.links.parseUrl(form.epicUrl))
    : null;
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
  const group = deps.writes.createGroup(sourced?.ok ? sourced.ctx : creator.ctx, input, home);
  deps.groups.finishSubmission(viewId, { wgId: group.id });
  await dm(groupCreatedText(group, form.facilitator, form.channelId, sourced?.ok === true));
  if (sourced && !sourced.ok) await dm(sourced.view.text, sourced.view.blocks);
}

/** Whether the caller may take the channel from the group living there, asked of Slack after the ack. */
async function homeAfterAck(
  deps: Listening,
  form: CreateForm,
  userId: string,
): Promise<Authorized<GroupContext, Configure> | { refusal: string } | null> {
  const here = form.channelId ? deps.groups.resolve(null, form.channelId, null) : null;
  if (here?.kind !== 'found') return null;
  const verdict = await deps.gate.groupFound(here.group, userId, 'facilitator', 'move the channel');
  if (verdict.ok) return verdict.ctx;
  return {
    refusal: `the channel is the home of ${here.group.name.slice(0, 60)}, and only its facilitators can move it.`,
  };
}
