import type { DigestSchedules } from '../../jobs/digestSchedules.js';
import type { DigestService } from '../../services/digestService.js';
import { type MetricsService, metricsLine } from '../../services/metricsService.js';
import type { NudgeService } from '../../services/nudgeService.js';
import { context, fitBlocks, LIMITS, section } from '../views/blocks.js';
import { noticeView } from '../views/feedback.js';
import { esc } from '../views/mrkdwn.js';
import type { ExtraCommands } from './handlers.js';

/** `/wg digest`, `/wg nudge`, `/wg metrics` and schedule reloads, on top of the digest and nudge services. */
export function extraCommands(deps: {
  digests: DigestService;
  nudges: NudgeService;
  metrics: MetricsService;
  schedules: DigestSchedules;
}): ExtraCommands {
  return {
    async digest(group, mode, viewer) {
      if (mode === 'preview') {
        const preview = await deps.digests.preview(group, viewer.timeZone);
        return {
          text: preview.text,
          blocks: fitBlocks(
            [
              context(':eyes: Preview — only you can see this. `/wg digest now` posts it.'),
              ...preview.blocks,
            ],
            LIMITS.messageBlocks,
            (n) => context(`…and ${n} more blocks in the posted digest’s thread.`),
          ),
        };
      }
      const outcome = await deps.digests.post(
        { ...group, digestTimezone: deps.schedules.timeZoneOf(group) },
        deps.digests.manualPeriod(group),
      );
      switch (outcome.status) {
        case 'posted':
        case 'recovered':
          return noticeView(':mega:', `Digest of *${esc(group.name)}* posted in <#${outcome.channel}>.`);
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
    },
    async nudge(group) {
      const run = await deps.nudges.run({ group, force: true });
      const lines = [
        run.sent.length > 0
          ? `Reminded ${run.sent.map((s) => `<@${s.slackUserId}>`).join(', ')}.`
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
    },
    async metrics(group) {
      const projects = deps.metrics.projects(group);
      if (projects.length === 0) {
        return noticeView(
          ':bar_chart:',
          `No projects are tracked for *${esc(group.name)}*.`,
          `An operator adds them with \`wgbot metrics ${group.slug} --add group/project\`.`,
        );
      }
      const metrics = await deps.metrics.forGroup(group);
      const lines = metrics.map(metricsLine);
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
    },
    scheduleChanged(group) {
      deps.schedules.reload(group);
    },
  };
}
