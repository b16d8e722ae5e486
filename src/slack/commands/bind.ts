import { boundView } from '../views/notices.js';
import { fail, noMore, ok, slugArg } from './args.js';
import { groupCommand, inChannel, privately } from './command.js';

const USAGE = 'bind <slug>';

/** `/wg bind <slug>`: makes this channel the group's home; taking it from another group is theirs to allow. */
export const bindCommand = groupCommand({
  name: 'bind',
  usage: USAGE,
  example: '/wg bind improve-ops-quality',
  summary: 'make this channel the home of a working group (facilitators)',
  answersInAck: false,
  requires: 'facilitator',
  refusal: 'move the channel',
  parse(words: string[]) {
    const slug = slugArg(words[0], USAGE);
    if ('ok' in slug) return slug;
    if (!slug.slug)
      return fail('Say which working group this channel belongs to.', '/wg bind improve-ops-quality');
    return noMore(words.slice(1), USAGE) ?? ok({ slug: slug.slug });
  },
  async run(ctx, _args, deps, call) {
    const here = deps.groups.resolve(null, call.channelId, null);
    let home = null;
    if (here.kind === 'found' && here.group.id !== ctx.group.id) {
      const verdict = await deps.gate.groupFound(
        here.group,
        ctx.userId,
        'facilitator',
        'give this channel to another group',
      );
      if (!verdict.ok) return privately(verdict.view);
      home = verdict.ctx;
    }
    const channel = await deps.directory.channel(call.channelId).catch(() => null);
    const group = deps.writes.bind(ctx, call.channelId, channel?.name ?? call.channelName, home);
    return inChannel(boundView(group));
  },
});
