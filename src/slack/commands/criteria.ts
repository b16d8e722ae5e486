import type { CriterionEdit } from '../../services/criteriaHistory.js';
import { NotFoundError } from '../../services/status.js';
import { holds } from '../gate.js';
import { noticeView } from '../views/feedback.js';
import { criterionEditedView } from '../views/history.js';
import { criteriaView } from '../views/lists.js';
import { fail, noMore, ok, slugArg, takeShare } from './args.js';
import { groupCommand, type Parsed, privately, viewerOf } from './command.js';

const USAGE = 'criteria [slug] [share], or [set N NN% | owner N name]';
const EXAMPLE = '/wg criteria set 2 40%';
const PATH = /^\d{1,3}(?:\.\d{1,3}){0,3}$/;
const VERBS = new Set(['set', 'owner']);

type CriteriaArgs =
  | { action: 'list'; slug: string | null; share: boolean }
  | { action: 'edit'; slug: string | null; path: string; edit: CriterionEdit };

/** '40%', '40', '12.5 %' → 40; 'none' → null; anything else (or beyond 0–100) → undefined. */
function percentArg(words: string[]): number | null | undefined {
  const text = words.join('').trim().toLowerCase();
  if (text === 'none' || text === 'clear') return null;
  const match = /^(\d{1,3}(?:\.\d+)?)%?$/.exec(text);
  const value = match ? Number(match[1]) : NaN;
  return value >= 0 && value <= 100 ? value : undefined;
}

function parseEdit(slug: string | null, verb: string, rest: string[]): Parsed<CriteriaArgs> {
  const [path, ...value] = rest;
  if (path === undefined || !PATH.test(path))
    return fail(
      `Name the criterion by its number, like \`2\` or \`1.3\`${path ? `, not \`${path}\`` : ''}.`,
      EXAMPLE,
    );
  if (value.length === 0)
    return fail(`Say what to set criterion ${path}'s ${verb === 'set' ? 'figure' : 'owner'} to.`, EXAMPLE);
  if (verb === 'owner') {
    const owner = value.join(' ').trim();
    return ok({ action: 'edit', slug, path, edit: { owner: /^(none|clear)$/i.test(owner) ? null : owner } });
  }
  const percent = percentArg(value);
  if (percent === undefined)
    return fail(`A figure is a percentage from 0 to 100 (or \`none\`), not \`${value.join(' ')}\`.`, EXAMPLE);
  return ok({ action: 'edit', slug, path, edit: { percent } });
}

function parseCriteria(words: string[]): Parsed<CriteriaArgs> {
  const verbAt = words.findIndex((w) => VERBS.has(w.toLowerCase()));
  if (verbAt === 0 || verbAt === 1) {
    const slug = verbAt === 1 ? slugArg(words[0], USAGE) : { slug: null };
    if ('ok' in slug) return slug;
    return parseEdit(slug.slug, words[verbAt]!.toLowerCase(), words.slice(verbAt + 1));
  }
  const { share, rest } = takeShare(words);
  const slug = slugArg(rest[0], USAGE);
  if ('ok' in slug) return slug;
  return noMore(rest.slice(1), USAGE) ?? ok({ action: 'list', slug: slug.slug, share });
}

/** `/wg criteria`: every exit criterion and where its figure comes from; facilitators set figures and owners. */
export const criteriaCommand = groupCommand({
  name: 'criteria',
  usage: USAGE,
  example: '/wg criteria',
  summary: 'every exit criterion and where its figure comes from (facilitators: set a figure or owner)',
  answersInAck: (args: CriteriaArgs) => args.action === 'list',
  requires: (args: CriteriaArgs) => (args.action === 'list' ? 'anyone' : 'facilitator'),
  refusal: 'change exit criteria',
  parse: parseCriteria,
  run(ctx, args, deps) {
    if (args.action === 'list') {
      const view = criteriaView(
        deps.status.report(ctx.group),
        viewerOf(deps, ctx.userId, ctx.group, args.share),
      );
      return { view, inChannel: args.share };
    }
    if (!holds(ctx, 'facilitator')) throw new Error('/wg criteria set ran without the facilitator check');
    try {
      const outcome = deps.writes.editCriterion(ctx, args.path, args.edit);
      return privately(criterionEditedView(ctx.group, outcome, 'percent' in args.edit ? 'percent' : 'owner'));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return privately(noticeView(':mag:', error.message, '`/wg criteria` lists them with their numbers.'));
    }
  },
});
