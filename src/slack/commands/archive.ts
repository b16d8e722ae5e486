import { lifecycleView } from '../views/lifecycle.js';
import { slugOnly } from './args.js';
import { groupCommand } from './command.js';

const USAGE = 'archive [slug]';

/** `/wg archive`: ends the group; everyone in the channel sees why its digests stop. */
export const archiveCommand = groupCommand({
  name: 'archive',
  usage: USAGE,
  example: '/wg archive',
  summary: 'end the group: no more digests or nudges, off the lists (facilitators)',
  answersInAck: false,
  requires: 'facilitator',
  refusal: 'end the group',
  parse: (words: string[]) => slugOnly(words, USAGE),
  run(ctx, _args, deps) {
    const outcome = deps.writes.archive(ctx);
    return { view: lifecycleView('archive', outcome, ctx.userId), inChannel: outcome.changed };
  },
});
