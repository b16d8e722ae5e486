import type { WorkingGroup } from '../../domain/types.js';
import type { DigestOutcome } from '../../services/digestService.js';
import type { NudgeRun } from '../../services/nudgeService.js';
import { context, fitBlocks, LIMITS, section } from './blocks.js';
import { noticeView } from './feedback.js';
import { channelMention, mrkdwn, mention, esc } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** The answers of `/wg digest`, `/wg nudge` and `/wg metrics`. */

/** The digest as it would be posted, for the caller only, with a line saying so. */
export function digestPreviewView(preview: MessageView): MessageView {
  return {
    text: preview.text,
    blocks: fitBlocks(
      [context(':eyes: Preview — only you can see this. `/wg digest now` posts it.'), ...preview.blocks],
      LIMITS.messageBlocks,
      (n) => context(`…and ${n} more blocks in the posted digest’s thread.`),
    ),
  };
}

/** What `/wg digest now` did. */
export function digestPostedView(group: WorkingGroup, outcome: DigestOutcome): MessageView {
  switch (outcome.status) {
    case 'posted':
    case 'recovered':
      return noticeView(
        ':mega:',
        mrkdwn`Digest of *${esc(group.name)}* posted in ${channelMention(outcome.channel ?? '')}.`,
      );
    case 'already-posted':
      return noticeView(':mega:', 'That digest was just posted.');
    case 'busy':
      return noticeView(':hourglass:', 'A digest of this group is being posted right now.');
    default:
      return noticeView(
        ':warning:',
        `The digest could not be posted: ${esc(outcome.error ?? outcome.status)}.`,
      );
  }
}

/** Who `/wg nudge` reminded, who was reminded already, and who could not be. */
export function nudgeRunView(run: NudgeRun): MessageView {
  const lines = [
    run.sent.length > 0
      ? `Reminded ${run.sent.map((s) => mention(s.slackUserId, s.person)).join(', ')}.`
      : 'Nobody needed a reminder.',
    run.alreadyToday.length > 0 ? `Already reminded today: ${run.alreadyToday.map(esc).join(', ')}.` : '',
    run.unreachable.length > 0
      ? `Not reachable in Slack (sent to you as a list): ${run.unreachable.map(esc).join(', ')}.`
      : '',
    run.failed.length > 0
      ? `Failed: ${run.failed.map((f) => `${esc(f.person)} (${esc(f.error)})`).join(', ')}.`
      : '',
  ].filter(Boolean);
  return { text: 'Nudges sent', blocks: [section(`:bell: ${lines.join('\n')}`)] };
}

export function noProjectsView(group: WorkingGroup): MessageView {
  return noticeView(
    ':bar_chart:',
    `No projects are tracked for *${esc(group.name)}*.`,
    `An operator adds them with \`wgbot metrics ${group.slug} --add group/project\`.`,
  );
}

/** DORA metrics of the group's projects: one line each, as `metricsLine` writes them. */
export function metricsView(group: WorkingGroup, lines: string[]): MessageView {
  return {
    text: `DevOps key metrics — ${esc(group.name)}`,
    blocks: [
      section(
        `*DevOps key metrics — ${esc(group.name)}* (last 30 days)\n${lines.join('\n') || '_GitLab did not answer; try again later._'}`,
      ),
      context(
        'Deployment frequency, lead time for changes, change failure rate and time to restore service (DORA).',
      ),
    ],
  };
}
