import { notActiveView } from '../views/lifecycle.js';
import { nudgeRunView } from '../views/scheduled.js';
import { slugOnly } from './args.js';
import { groupCommand, privately } from './command.js';

const USAGE = 'nudge [slug]';

/** `/wg nudge`: reminds the group's owners of overdue items by DM now (still once a day each). */
export const nudgeCommand = groupCommand({
  name: 'nudge',
  usage: USAGE,
  example: '/wg nudge',
  summary: 'remind owners of overdue items by DM now (facilitators)',
  answersInAck: false,
  requires: 'facilitator',
  refusal: 'send nudges',
  parse: (words: string[]) => slugOnly(words, USAGE),
  async run(ctx, _args, deps) {
    if (ctx.group.lifecycle !== 'active') return privately(notActiveView(ctx.group, 'nudges'));
    return privately(nudgeRunView(await deps.writes.nudge(ctx)));
  },
});
