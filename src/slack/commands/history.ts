import { NotFoundError } from '../../services/status.js';
import { noticeView } from '../views/feedback.js';
import { historyView } from '../views/history.js';
import { fail, noMore, ok, slugArg, takeShare } from './args.js';
import { groupCommand, type Parsed, viewerOf } from './command.js';

const USAGE = 'history [slug] [criterion number]';
interface HistoryArgs {
  slug: string | null;
  path: string | null;
  share: boolean;
}

const PATH = /^\d{1,3}(?:\.\d{1,3}){0,3}$/;

/** `/wg history`: who or what changed the exit criteria (figure, source, title, owner), newest first. */
export const historyCommand = groupCommand({
  name: 'history',
  usage: USAGE,
  example: '/wg history 2',
  summary: 'what changed in the exit criteria, by whom and when',
  answersInAck: true,
  requires: 'anyone',
  parse(words: string[]): Parsed<HistoryArgs> {
    const { share, rest } = takeShare(words);
    const [first, ...others] = rest;
    const slug = first === undefined || PATH.test(first) ? { slug: null } : slugArg(first, USAGE);
    if ('ok' in slug) return slug;
    const left = slug.slug === null ? rest : others;
    const path = left[0];
    if (path !== undefined && !PATH.test(path))
      return fail(
        `Name the criterion by its number, like \`2\` or \`1.3\`, not \`${path}\`.`,
        '/wg history 2',
      );
    return noMore(left.slice(1), USAGE) ?? ok({ slug: slug.slug, path: path ?? null, share });
  },
  run({ group, userId }, { path, share }, deps) {
    try {
      const view = historyView(deps.status.history(group, path), viewerOf(deps, userId, group, share));
      return { view, inChannel: share };
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return {
        view: noticeView(':mag:', error.message, '`/wg criteria` lists them with their numbers.'),
        inChannel: false,
      };
    }
  },
});
