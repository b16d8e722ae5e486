import { SUBCOMMANDS } from '../commands/parse.js';
import { type Block, context, header, section } from './blocks.js';
import { esc } from './mrkdwn.js';
import type { MessageView } from './status.js';

/** `/wg help`: every sub-command with an example. */
export function helpView(): MessageView {
  const lines = SUBCOMMANDS.map((s) => `\`/wg ${s.usage}\` — ${s.summary}`);
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
  return { text: error, blocks: [section(`:thinking_face: ${error}${hint}`)] };
}

/** A change the reader may not make, and who can make it. */
export function refusedView(what: string, whoCan: string[]): MessageView {
  const who =
    whoCan.length > 0
      ? `${whoCan.join(', ')} (facilitators) or a workspace admin`
      : 'a facilitator of this working group or a workspace admin';
  return {
    text: `Only facilitators can ${esc(what)}`,
    blocks: [section(`:no_entry: Only facilitators can ${esc(what)}. Ask ${who}.`)],
  };
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
      ? `Known groups: ${known
          .slice(0, 15)
          .map((s) => `\`${s}\``)
          .join(', ')}${known.length > 15 ? ', …' : ''}.`
      : 'There are no working groups yet: `/wg create` starts one.';
  return {
    text: 'Which working group?',
    blocks: [
      section(
        `:compass: This channel is not the home of a working group. Name one (\`/wg status <slug>\`), or make this channel its home with \`/wg bind <slug>\`.\n${list}`,
      ),
    ],
  };
}
