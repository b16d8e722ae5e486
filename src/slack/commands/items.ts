import { closest, distance } from 'fastest-levenshtein';
import { type ItemFilter, itemListView } from '../views/itemList.js';
import { fail, ok, slugArg } from './args.js';
import { groupCommand, type Parsed, readerOf } from './command.js';

const USAGE = 'items [mine|overdue|sprint N] [slug]';
const FILTERS = ['mine', 'overdue', 'sprint', 'all'];

type ItemsArgs = { filter: ItemFilter; slug: string | null };

function parseSprint(second: string | undefined, third: string | undefined): Parsed<ItemsArgs> {
  let number: number | null = null;
  let rest = second;
  if (second !== undefined && /^#?\d{1,4}$/.test(second)) {
    number = Number(second.replace('#', ''));
    rest = third;
  }
  const slug = slugArg(rest, USAGE);
  if ('ok' in slug) return slug;
  return ok({ filter: { kind: 'sprint', number }, slug: slug.slug });
}

function parseItems(words: string[]): Parsed<ItemsArgs> {
  const [first, second, third] = words;
  if (first === undefined) return ok({ filter: { kind: 'all' }, slug: null });
  const word = first.toLowerCase();
  if (word === 'mine' || word === 'overdue' || word === 'all') {
    const slug = slugArg(second, USAGE);
    if ('ok' in slug) return slug;
    if (third !== undefined) return fail(`Unexpected \`${third}\`.`, `/wg ${USAGE}`);
    return ok({ filter: { kind: word }, slug: slug.slug });
  }
  if (word === 'sprint') return parseSprint(second, third);
  const near = closest(word, FILTERS);
  if (distance(word, near) <= 2) return fail(`\`${first}\` is not a filter.`, `/wg items ${near}`);
  const slug = slugArg(first, USAGE);
  if ('ok' in slug)
    return fail(`\`${first}\` is not a filter: use \`mine\`, \`overdue\` or \`sprint N\`.`, '/wg items mine');
  return ok({ filter: { kind: 'all' }, slug: slug.slug });
}

/**
 * `/wg items`: action items, filtered. `mine` answers after the ack, once the caller is linked to the
 * person the page names (which may ask Slack); the other lists come from SQLite in the ack.
 */
export const itemsCommand = groupCommand({
  name: 'items',
  usage: USAGE,
  example: '/wg items overdue',
  summary: 'action items, filtered',
  answersInAck: ({ filter }: ItemsArgs) => filter.kind !== 'mine',
  showsItems: true,
  requires: 'anyone',
  parse: parseItems,
  async run({ group, userId }, { filter }, deps) {
    if (filter.kind === 'mine') await deps.identity.personFor(userId);
    const report = deps.status.report(group);
    const view = itemListView(report, filter, await readerOf(deps, userId, group, false, report.items));
    return { view, inChannel: false };
  },
});
