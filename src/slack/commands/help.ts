import { helpView } from '../views/feedback.js';
import { ok } from './args.js';
import { callerCommand, privately } from './command.js';

/** `/wg help` (also plain `/wg`): every subcommand, generated from the registry. */
export const helpCommand = callerCommand({
  name: 'help',
  aliases: ['?'],
  usage: 'help',
  example: '/wg help',
  summary: 'this list',
  answersInAck: true,
  requires: 'anyone',
  parse: (words: string[]) => ok({ topic: words[0]?.toLowerCase() ?? null }),
  run: (_ctx, _args, _deps, call) => privately(helpView(call.commands)),
});
