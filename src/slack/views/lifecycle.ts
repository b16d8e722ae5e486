import type { WorkingGroup } from '../../domain/types.js';
import type { LifecycleOutcome } from '../../services/lifecycle.js';
import { longDate } from './common.js';
import { noticeView } from './feedback.js';
import { mrkdwn, mention, esc } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** 'ended on Mar 1, 2024', 'ended', 'paused'. */
function stateWords(group: WorkingGroup): string {
  if (group.lifecycle === 'ended') return group.endedOn ? `ended on ${longDate(group.endedOn)}` : 'ended';
  return group.lifecycle === 'paused' ? 'paused' : 'active';
}

/** What `/wg archive` or `/wg unarchive` did, for the channel to read. */
export function lifecycleView(
  action: 'archive' | 'unarchive',
  { group, changed, pageSaysEnded }: LifecycleOutcome,
  byUserId: string,
): MessageView {
  const name = mrkdwn`*${esc(group.name)}*`;
  if (!changed)
    return noticeView(':information_source:', `${name} is already ${stateWords(group)}; nothing changed.`);
  if (action === 'archive') {
    return noticeView(
      ':checkered_flag:',
      mrkdwn`${mention(byUserId, byUserId)} ended ${name} (${esc(stateWords(group))}). No more digests, nudges or GitLab syncs; it is off \`/wg list\` and the App Home.`,
      `\`/wg unarchive ${group.slug}\` makes it active again.`,
    );
  }
  return noticeView(
    ':arrow_forward:',
    mrkdwn`${mention(byUserId, byUserId)} made ${name} active again: digests, nudges and syncs resume.`,
    pageSaysEnded
      ? 'Its handbook page still says it ended or paused: importing the page again will say so again unless the page changes.'
      : undefined,
  );
}

/** `/wg digest now` or `/wg nudge` for a paused or ended group: nothing is sent, and this says why. */
export function notActiveView(group: WorkingGroup, what: 'digests' | 'nudges'): MessageView {
  return noticeView(
    ':double_vertical_bar:',
    `*${esc(group.name)}* is ${stateWords(group)}: it gets no ${what}.`,
    `\`/wg unarchive ${group.slug}\` makes it active again (facilitators).`,
  );
}
