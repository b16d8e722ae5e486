import { plural } from '../../format.js';
import { type Block, context, header, section } from './blocks.js';
import { mrkdwn, mention, esc, slackDate } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** What `/wg help` shows of a subcommand. */
export interface HelpEntry {
  name: string;
  usage: string;
  summary: string;
  example: string;
}

/** `/wg help`: every sub-command with an example. */
export function helpView(entries: readonly HelpEntry[]): MessageView {
  const lines = entries.map((s) => mrkdwn`\`/wg ${esc(s.usage)}\` — ${esc(s.summary)}`);
  const blocks: Block[] = [
    header('wgbot — working groups, kept honest'),
    section(lines.join('\n')),
    context(
      'Without a slug, the working group of this channel is meant. Replies are only for you unless you add `share`.',
      'Examples: `/wg status` · `/wg items mine` · `/wg items sprint 21` · `/wg role add @ada facilitator` · `/wg schedule "MON 09:00" Europe/Berlin`',
    ),
  ];
  return { text: 'wgbot commands', blocks };
}

/** A command that could not be understood: what was wrong and, where one is near, the command to try. */
export function usageErrorView(error: string, suggestion: string | null): MessageView {
  const hint = suggestion
    ? `\nTry \`${suggestion}\` — or \`/wg help\` for everything.`
    : '\n`/wg help` lists every command.';
  // The error quotes what the user typed, which Slack delivers with `<…>` for mentions and links.
  return { text: esc(error), blocks: [section(`:thinking_face: ${esc(error)}${esc(hint)}`)] };
}

/** A change the reader may not make, and who can make it. */
export function refusedView(
  what: string,
  whoCan: { slackUserId: string | null; name: string }[],
  owners: string[] = [],
): MessageView {
  const facilitators = whoCan.map((f) => mention(f.slackUserId, f.name));
  const who = [
    ...(owners.length > 0 ? [`its owners (${owners.map(esc).join(', ')})`] : []),
    facilitators.length > 0
      ? `${facilitators.join(', ')} (facilitators) or a workspace admin`
      : 'a facilitator of this working group or a workspace admin',
  ].join(', ');
  const subject = owners.length > 0 ? 'Only its owners and facilitators' : 'Only facilitators';
  // Facilitators named on a page are recognised in Slack by their name only while no one else has it.
  const unlinked = whoCan.some((f) => f.slackUserId === null)
    ? ' Named on the page but not recognised? A workspace admin can link them: `/wg role add @person facilitator`.'
    : '';
  return {
    text: `${subject} can ${esc(what)}`,
    blocks: [section(`:no_entry: ${subject} can ${esc(what)}. Ask ${who}.${unlinked}`)],
  };
}

/** A second `/wg sync` within the cooldown: when it can run again. */
export function syncCooldownView(
  groupName: string,
  wait: { nextAt: Date; waitSeconds: number },
): MessageView {
  const seconds = plural(wait.waitSeconds, 'second', 'seconds');
  return noticeView(
    ':hourglass_flowing_sand:',
    `*${esc(groupName)}* was synced on request a moment ago; \`/wg sync\` can run again in ${seconds} (${slackDate(wait.nextAt, '{time_secs}', wait.nextAt.toISOString().slice(11, 19) + ' UTC')}).`,
    'The periodic sync and GitLab webhooks keep it current meanwhile.',
  );
}

/** wgbot's own storage failed (disk full, I/O error): said as such, not blamed on Slack or the reader. */
export function storeFailureView(reason: string): MessageView {
  return noticeView(
    ':floppy_disk:',
    `wgbot could not save: ${esc(reason)}. Nothing was changed.`,
    'The person who runs wgbot sees this in its health check; please try again once it is fixed.',
  );
}

export function noticeView(emoji: string, text: string, detail?: string): MessageView {
  return {
    text,
    blocks: [section(`${emoji} ${text}`), ...(detail ? [context(detail)] : [])],
  };
}

/** No working group is bound to this channel and none was named. */
export function whichGroupView(known: string[]): MessageView {
  const list =
    known.length > 0
      ? mrkdwn`Known groups: ${esc(
          known
            .slice(0, 15)
            .map((s) => `\`${s}\``)
            .join(', '),
        )}${known.length > 15 ? mrkdwn`, …` : mrkdwn``}.`
      : mrkdwn`There are no working groups yet: \`/wg create\` starts one.`;
  return {
    text: 'Which working group?',
    blocks: [
      section(
        mrkdwn`:compass: This channel is not the home of a working group. Name one (\`/wg status <slug>\`), or make this channel its home with \`/wg bind <slug>\`.\n${list}`,
      ),
    ],
  };
}

/** A slug no group has, and the slugs there are. */
export function noGroupView(slug: string, known: string[]): MessageView {
  const list = known
    .slice(0, 15)
    .map((k) => `\`${k}\``)
    .join(', ');
  return usageErrorView(
    `There is no working group \`${slug}\`.${list ? ` Known: ${list}.` : ''}`,
    known[0] ? `/wg status ${known[0]}` : '/wg create',
  );
}

/** A change only the group's members (anyone with a role in it) may make. */
export function membersOnlyView(what: string, groupName: string): MessageView {
  return {
    text: `Only members can ${esc(what)}`,
    blocks: [
      section(
        `:no_entry: Only members of ${esc(groupName)} can ${esc(what)}. A facilitator can add you: \`/wg role add @you member\`.`,
      ),
    ],
  };
}

/** A change only workspace admins may make. */
export function adminsOnlyView(what: string): MessageView {
  return {
    text: `Only workspace admins can ${esc(what)}`,
    blocks: [section(`:no_entry: Only workspace admins can ${esc(what)}.`)],
  };
}

/** Slack did not answer while wgbot checked who the caller is. */
export function slackUnavailableView(): MessageView {
  const text = 'Slack did not answer while wgbot checked who you are; nothing changed. Please try again.';
  return { text, blocks: [section(text)] };
}

/** The answer when wgbot itself failed: logged, never a stack trace. */
export function failedView(retry: 'again' | 'in a minute'): MessageView {
  return noticeView(
    ':warning:',
    `Something went wrong on wgbot’s side; it is logged. Please try again${retry === 'in a minute' ? ' in a minute' : ''}.`,
  );
}
