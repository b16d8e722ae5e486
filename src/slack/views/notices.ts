import type { WorkingGroup } from '../../domain/types.js';
import { describeSchedule } from '../../domain/schedule.js';
import type { StatusRole } from '../../services/status.js';
import { lineSections, section } from './blocks.js';
import { noticeView } from './feedback.js';
import { channelMention, mrkdwn, mention, esc } from './mrkdwn.js';
import { type MessageView, roleLines } from './status.js';

/** The answers of the `/wg` subcommands that change or queue something: what happened, in a line or two. */

export function notLinkedView(group: WorkingGroup): MessageView {
  return noticeView(
    ':link:',
    `${esc(group.name)} is not linked to GitLab yet.`,
    mrkdwn`A facilitator can link its epic: \`/wg link <epic-url>\``,
  );
}

export function syncQueuedView(group: WorkingGroup): MessageView {
  return noticeView(
    ':arrows_counterclockwise:',
    `Sync of *${esc(group.name)}* queued.`,
    '`/wg status` shows the result in a moment.',
  );
}

export function boundView(group: WorkingGroup): MessageView {
  return noticeView(
    ':house:',
    `This channel is now the home of *${esc(group.name)}*: \`/wg\` here means it, and its digest is posted here.`,
  );
}

/** `/wg role` (or `role list`): who has which role. */
export function rolesView(group: WorkingGroup, roles: StatusRole[]): MessageView {
  const title = `*Roles in ${esc(group.name)}*`;
  return {
    text: `Roles in ${esc(group.name)}`,
    blocks:
      roles.length > 0
        ? lineSections(title, roleLines(roles), 200, (n) => `…and ${n} more`).slice(0, 50)
        : [section(`${title}\n_Nobody has a role yet: \`/wg role add @user facilitator\`._`)],
  };
}

export function roleAddedView(
  group: WorkingGroup,
  userId: string,
  role: string,
  created: boolean,
): MessageView {
  return noticeView(
    ':busts_in_silhouette:',
    mrkdwn`${created ? mrkdwn`Added` : mrkdwn`Already there:`} ${mention(userId, userId)} as *${esc(role)}* of ${esc(group.name)}.`,
  );
}

export function roleRemovedView(
  group: WorkingGroup,
  userId: string,
  role: string | null,
  removed: number,
): MessageView {
  return noticeView(
    ':busts_in_silhouette:',
    removed > 0
      ? mrkdwn`Removed ${removed === 1 ? mrkdwn`the role` : mrkdwn`${removed} roles`} of ${mention(userId, userId)} in ${esc(group.name)}.`
      : mrkdwn`${mention(userId, userId)} has no ${role ? mrkdwn`*${esc(role)}* ` : mrkdwn``}role in ${esc(group.name)}.`,
  );
}

/** 'Mondays at 09:00 (the default)', 'weekdays at 08:30', 'never (turned off)': the CLI's words too. */
function scheduleText(group: WorkingGroup, timeZone: string): string {
  if (group.digestCron === 'off') return 'never (turned off)';
  const words = describeSchedule(group.digestCron, timeZone);
  return group.digestCron ? words : `${words} (the default)`;
}

/** `/wg schedule`: when the digest is posted; `changed` after a new schedule was set. */
export function scheduleView(group: WorkingGroup, timeZone: string, changed: boolean): MessageView {
  return noticeView(
    ':calendar:',
    `The digest of *${esc(group.name)}* ${changed ? 'will be' : 'is'} posted ${esc(scheduleText(group, timeZone))}.`,
  );
}

export function scheduleOffView(group: WorkingGroup): MessageView {
  return noticeView(
    ':no_bell:',
    `No more weekly digests for *${esc(group.name)}* until a new \`/wg schedule\`.`,
  );
}

/** The DM confirming a group made with the create form (plain mrkdwn text). */
export function groupCreatedText(
  group: WorkingGroup,
  facilitator: string,
  channelId: string | null,
  linked: boolean,
): string {
  const sync = linked ? ' Its GitLab items are being synced.' : '';
  return mrkdwn`:tada: *${esc(group.name)}* (\`${esc(group.slug)}\`) is set up with ${mention(facilitator, facilitator)} as facilitator.${esc(sync)} Try \`/wg status\`${channelId ? mrkdwn` in ${channelMention(channelId)}` : mrkdwn``}.`;
}

/** The DM when the create form was accepted but its group could not be made after all (plain mrkdwn). */
export function groupNotCreatedText(name: string, reason: string): string {
  return `:warning: wgbot did not create *${esc(name)}*: ${esc(reason)} Open the form again with \`/wg create\`.`;
}

/** The DM when Slack would not open the status window (an expired trigger, Slack down): where else to look. */
export function statusNotOpenedText(slug: string, reason: string): string {
  return `:warning: Slack did not open the status window (${esc(reason)}). Try *Open status* again, or send \`/wg status ${esc(slug)}\`.`;
}
