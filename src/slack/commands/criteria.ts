import { criteriaView } from '../views/lists.js';
import { noMore, ok, slugArg, takeShare } from './args.js';
import { groupCommand, viewerOf } from './command.js';

const USAGE = 'criteria [slug] [share]';

/** `/wg criteria`: every exit criterion and where its figure comes from. */
export const criteriaCommand = groupCommand({
  name: 'criteria',
  usage: USAGE,
  example: '/wg criteria',
  summary: 'every exit criterion and where its figure comes from',
  answersInAck: true,
  requires: 'anyone',
  parse(words: string[]) {
    const { share, rest } = takeShare(words);
    const slug = slugArg(rest[0], USAGE);
    if ('ok' in slug) return slug;
    return noMore(rest.slice(1), USAGE) ?? ok({ slug: slug.slug, share });
  },
  run({ group, userId }, { share }, deps) {
    const view = criteriaView(deps.status.report(group), viewerOf(deps, userId, group, share));
    return { view, inChannel: share };
  },
});
