import { ladderBoardView } from '../views/ladder.js';
import { slugOnly } from './args.js';
import { groupCommand, privately, readerOf } from './command.js';

const USAGE = 'ladder [slug]';

/** `/wg ladder`: each overdue item's step on the escalation ladder, who was asked when, what comes next. */
export const ladderCommand = groupCommand({
  name: 'ladder',
  usage: USAGE,
  example: '/wg ladder',
  summary: 'who has been asked about each overdue item, and who is next',
  answersInAck: false,
  showsItems: true,
  requires: 'anyone',
  parse: (words: string[]) => slugOnly(words, USAGE),
  async run(ctx, _args, deps) {
    const board = deps.ladder.board(ctx.group);
    const reader = await readerOf(
      deps,
      ctx.userId,
      ctx.group,
      false,
      board.items.map((i) => i.item),
    );
    return privately(ladderBoardView(board, reader));
  },
});
