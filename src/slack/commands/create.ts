import { createGroupModal } from '../views/createModal.js';
import { callerCommand } from './command.js';

/** `/wg create`: opens the form; the current channel is offered unless it is already some group's home. */
export const createCommand = callerCommand({
  name: 'create',
  aliases: ['new'],
  usage: 'create',
  example: '/wg create',
  summary: 'start a new working group in a form',
  answersInAck: false,
  requires: 'anyone',
  run({ userId }, _args, deps, call) {
    const free = deps.groups.resolve(null, call.channelId, null).kind !== 'found';
    return { modal: createGroupModal({ channelId: free ? call.channelId : null, userId }) };
  },
});
