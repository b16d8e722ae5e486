import { lifecycleView } from '../views/lifecycle.js';
import { slugOnly } from './args.js';
import { groupCommand } from './command.js';

const USAGE = 'unarchive [slug]';

/** `/wg unarchive`: makes an ended or paused group active again; the channel sees it. */
export const unarchiveCommand = groupCommand({
  name: 'unarchive',
  usage: USAGE,
  example: '/wg unarchive improve-ops-quality',
  summary: 'make an ended or paused group active again (facilitators)',
  answersInAck: false,
  requires: 'facilitator',
  refusal: 'make the group active again',
  parse: (words: string[]) => slugOnly(words, USAGE),
  run(ctx, _args, deps) {
    const outcome = deps.writes.unarchive(ctx);
    return { view: lifecycleView('unarchive', outcome, ctx.userId), inChannel: outcome.changed };
  },
});
