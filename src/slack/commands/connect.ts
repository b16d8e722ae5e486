import { connectView } from '../views/access.js';
import { callerCommand, privately } from './command.js';

/**
 * `/wg connect`: tells wgbot which GitLab account is the caller's — by their Slack email where GitLab
 * confirms it, else by signing in to GitLab (OAuth2, a link only they get). What they may link and change
 * through wgbot is then what that account may.
 */
export const connectCommand = callerCommand({
  name: 'connect',
  usage: 'connect',
  example: '/wg connect',
  summary: 'connect your GitLab account: you link and change through wgbot what it may in GitLab',
  answersInAck: false,
  requires: 'anyone',
  async run({ userId }, _args, deps) {
    return privately(connectView(await deps.connect.start(userId)));
  },
});
