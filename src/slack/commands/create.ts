import { createGroupModal } from '../views/createModal.js';
import { callerCommand, privately } from './command.js';

/**
 * `/wg create`: opens the form for workspace admins and members of WGBOT_CREATORS (others are told who may);
 * the current channel is offered unless it is already some group's home.
 */
export const createCommand = callerCommand({
  name: 'create',
  aliases: ['new'],
  usage: 'create',
  example: '/wg create',
  summary: 'start a new working group in a form (workspace admins and WGBOT_CREATORS)',
  answersInAck: false,
  requires: 'anyone',
  async run({ userId }, _args, deps, call) {
    const creator = await deps.gate.creator(userId);
    if (!creator.ok) return privately(creator.view);
    const free = deps.groups.resolve(null, call.channelId, null).kind !== 'found';
    return { modal: createGroupModal({ channelId: free ? call.channelId : null, userId }) };
  },
});
