import type { WorkingGroup } from '../../domain/types.js';
import type { CheckedLink, LinkResult } from '../../services/linkService.js';
import { noticeView } from './feedback.js';
import { esc } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** The answers of `/wg link`: what was linked to what, and how its first sync went. */

function target(group: WorkingGroup, criterion: LinkResult['criterion']): string {
  return criterion ? `exit criterion ${criterion.path} (${esc(criterion.title)})` : esc(group.name);
}

/** Linked without GitLab configured: a sync is queued. */
export function linkQueuedView(group: WorkingGroup, result: LinkResult, described: string): MessageView {
  return noticeView(
    ':link:',
    `${result.created ? 'Linked' : 'Already linked'}: ${target(group, result.criterion)} ← ${esc(described)}.`,
    'A sync is queued; `/wg status` shows the figures in a moment.',
  );
}

/** Linked and synced at once: kept only if that sync reached it. */
export function linkCheckedView(group: WorkingGroup, checked: CheckedLink, described: string): MessageView {
  const what = esc(described);
  const problem = checked.fetch?.error ?? (checked.sync.status === 'failed' ? checked.sync.error : null);
  if (!checked.kept)
    return noticeView(
      ':warning:',
      `Not linked: GitLab could not be reached for ${what}: ${esc((problem ?? 'the sync did not reach it').slice(0, 500))}`,
      'Check the URL and that wgbot’s GitLab token can see it, then try again.',
    );
  return noticeView(
    problem ? ':warning:' : ':link:',
    `${checked.created ? 'Linked' : 'Already linked'}: ${target(group, checked.criterion)} ← ${what}.`,
    problem
      ? `Its sync failed: ${esc(problem.slice(0, 500))}`
      : checked.sync.status === 'busy'
        ? 'Another wgbot process is syncing this group; `/wg status` shows the figures once it is done.'
        : 'Synced: `/wg status` shows the figures.',
  );
}

export function unlinkedView(url: string): MessageView {
  return noticeView(':scissors:', `Unlinked ${esc(url)}.`);
}
