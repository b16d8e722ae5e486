import type { ModalView } from '@slack/types';
import { VIEWS } from './actionIds.js';

/** Block and action ids of the create form; the submission handler reads the values by these. */
export const CREATE_FIELDS = {
  name: 'name',
  channel: 'channel',
  target: 'target',
  epic: 'epic',
  facilitator: 'facilitator',
} as const;

/** `/wg create`: name, channel, target date, GitLab epic (or milestone/issue list) and facilitator. */
export function createGroupModal(defaults: { channelId: string | null; userId: string }): ModalView {
  const input = (
    id: string,
    label: string,
    element: Record<string, unknown>,
    optional = false,
    hint?: string,
  ) => ({
    type: 'input' as const,
    block_id: id,
    optional,
    label: { type: 'plain_text' as const, text: label },
    element: { action_id: id, ...element },
    ...(hint ? { hint: { type: 'plain_text' as const, text: hint } } : {}),
  });
  return {
    type: 'modal',
    callback_id: VIEWS.createGroup,
    private_metadata: JSON.stringify({ channelId: defaults.channelId }),
    title: { type: 'plain_text', text: 'New working group' },
    submit: { type: 'plain_text', text: 'Create' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      input(CREATE_FIELDS.name, 'Name', {
        type: 'plain_text_input',
        max_length: 120,
        placeholder: { type: 'plain_text', text: 'Improve Ops Quality' },
      }),
      input(
        CREATE_FIELDS.channel,
        'Channel',
        {
          type: 'conversations_select',
          filter: { include: ['public', 'private'], exclude_bot_users: true },
          ...(defaults.channelId ? { initial_conversation: defaults.channelId } : {}),
        },
        false,
        'Where the weekly digest is posted and where /wg means this group.',
      ),
      input(
        CREATE_FIELDS.target,
        'Target end date',
        // No initial date: an untouched picker would set the target to today.
        { type: 'datepicker', placeholder: { type: 'plain_text', text: 'When it should be done' } },
        true,
      ),
      input(
        CREATE_FIELDS.epic,
        'GitLab epic, milestone or labelled issue list',
        {
          type: 'url_text_input',
          placeholder: { type: 'plain_text', text: 'https://gitlab.com/groups/acme/-/epics/42' },
        },
        true,
        'Its issues become the action items. You can link more later with /wg link.',
      ),
      input(CREATE_FIELDS.facilitator, 'Facilitator', {
        type: 'users_select',
        initial_user: defaults.userId,
      }),
    ] as ModalView['blocks'],
  };
}

/** The name field's error when a group by that name was submitted moments ago (plain text). */
export function sameNameError(claim: { wgId: number | null }, slug: string | null): string {
  return claim.wgId !== null && slug
    ? `A working group by this name was created a moment ago (/wg status ${slug}). Pick another name for a second one.`
    : 'A working group by this name is being created right now. Pick another name for a second one.';
}
