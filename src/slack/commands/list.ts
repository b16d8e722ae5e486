import { groupListView } from '../views/lists.js';
import { fail, noMore, ok, takeShare } from './args.js';
import { callerCommand, type Parsed } from './command.js';

const USAGE = 'list [page] [share]';

/** `/wg list`: a page of working groups (active and paused), with the ended ones counted. */
export const listCommand = callerCommand({
  name: 'list',
  usage: USAGE,
  example: '/wg list',
  summary: 'all working groups with overall progress and days to target',
  answersInAck: true,
  requires: 'anyone',
  parse(words: string[]): Parsed<{ page: number; share: boolean }> {
    const { share, rest } = takeShare(words);
    const [first, ...more] = rest;
    if (first !== undefined && !/^[1-9]\d{0,5}$/.test(first))
      return fail(`\`${first}\` is not a page number (like \`2\`).`, '/wg list 2');
    const page = first === undefined ? 1 : Number(first);
    return noMore(more, USAGE) ?? ok({ page, share });
  },
  run(_ctx, { page, share }, deps) {
    return { view: groupListView(deps.lists.page(page), deps.lists.endedCount()), inChannel: share };
  },
});
