import { driftItemIds, driftView } from '../views/drift.js';
import { noMore, ok, slugArg } from './args.js';
import { groupCommand, privately, readerOf } from './command.js';

const USAGE = 'drift [slug]';

/**
 * `/wg drift`: where the epic's task lines and the exit criteria disagree with GitLab, each with its
 * owners, and — for facilitators — buttons that create a missing story or tick a line.
 */
export const driftCommand = groupCommand({
  name: 'drift',
  usage: USAGE,
  example: '/wg drift',
  summary: 'where the plan and GitLab disagree, with buttons to put it right',
  answersInAck: true,
  showsItems: true,
  requires: 'anyone',
  parse(words: string[]) {
    const slug = slugArg(words[0], USAGE);
    if ('ok' in slug) return slug;
    return noMore(words.slice(1), USAGE) ?? ok({ slug: slug.slug });
  },
  async run({ group, userId }, _args, deps) {
    const report = deps.drift.report(group);
    const reader = await readerOf(deps, userId, group, false, driftItemIds(report));
    return privately(driftView(report, reader.unreadable ?? new Set()));
  },
});
