import type { StatusReport } from '../../services/status.js';
import type { Viewer } from '../views/common.js';
import { type MessageView, statusView } from '../views/status.js';
import { ok, slugArg, noMore, takeShare } from './args.js';
import { groupCommand, readerOf } from './command.js';

const USAGE = 'status [slug] [share]';

/**
 * Rendered views by report (while the report is current) and by what the view depends on: audience,
 * reader (only when confidential items make it matter), zone and minute (for "N min ago").
 */
const rendered = new WeakMap<StatusReport, Map<string, MessageView>>();

function cachedStatusView(report: StatusReport, viewer: Viewer): MessageView {
  const personal = report.items.some((i) => i.confidential) || viewer.unreadable !== undefined;
  const reader = personal ? `${viewer.slackUserId}|${[...(viewer.unreadable ?? [])].join(',')}` : '*';
  const key = `${viewer.audience}|${reader}|${viewer.timeZone}|${Math.floor(viewer.now.getTime() / 60_000)}`;
  let views = rendered.get(report);
  if (!views) {
    views = new Map();
    rendered.set(report, views);
  }
  let view = views.get(key);
  if (!view) {
    view = statusView(report, viewer);
    if (views.size > 100) views.clear();
    views.set(key, view);
  }
  return view;
}

/** `/wg status`: exit criteria, this sprint, overdue items and roles, from SQLite in the acknowledgement. */
export const statusCommand = groupCommand({
  name: 'status',
  usage: USAGE,
  example: '/wg status',
  summary: 'exit criteria, this sprint, overdue items and roles',
  answersInAck: true,
  showsItems: true,
  requires: 'anyone',
  parse(words: string[]) {
    const { share, rest } = takeShare(words);
    const slug = slugArg(rest[0], USAGE);
    if ('ok' in slug) return slug;
    return noMore(rest.slice(1), USAGE) ?? ok({ slug: slug.slug, share });
  },
  async run({ group, userId }, { share }, deps) {
    const report = deps.status.report(group);
    const view = cachedStatusView(report, await readerOf(deps, userId, group, share, report.items));
    return { view, inChannel: share };
  },
});
