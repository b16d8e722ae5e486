import { parseLadderSettings, type LadderSettings } from '../../domain/ladder.js';
import { holds } from '../gate.js';
import { escalationSettingsView } from '../views/ladder.js';
import { fail, ok, slugArg } from './args.js';
import { groupCommand, type Parsed, privately } from './command.js';

const USAGE = 'escalation [slug] [N M K]';
const EXAMPLE = '/wg escalation 3 5 10';

type EscalationArgs = { slug: string | null; settings: LadderSettings | null };

/** `[slug] [N M K]`: a slug first when the first word is not a number; no numbers shows the settings. */
export function parseEscalation(words: string[]): Parsed<EscalationArgs> {
  const first = words[0];
  const named = first !== undefined && !/^\d/.test(first) ? slugArg(first, USAGE) : { slug: null };
  if ('ok' in named) return named;
  const numbers = named.slug === null ? words : words.slice(1);
  if (numbers.length === 0) return ok({ slug: named.slug, settings: null });
  const parsed = parseLadderSettings(numbers);
  if (!parsed.ok)
    return fail(
      `${parsed.reason} N: unanswered reminders before the facilitators are asked; M: days late before they are anyway; K: days after them until the executive sponsor.`,
      EXAMPLE,
    );
  return ok({ slug: named.slug, settings: parsed.settings });
}

/** `/wg escalation`: when the escalation ladder asks the facilitators and the sponsor; facilitators change it. */
export const escalationCommand = groupCommand({
  name: 'escalation',
  usage: USAGE,
  example: EXAMPLE,
  summary: 'when overdue items go to the facilitators and the executive sponsor (facilitators change it)',
  answersInAck: false,
  requires: (args: EscalationArgs) => (args.settings === null ? 'anyone' : 'facilitator'),
  refusal: 'change the escalation ladder',
  parse: parseEscalation,
  run(ctx, args, deps) {
    if (args.settings === null)
      return privately(escalationSettingsView(ctx.group, deps.ladder.settings(ctx.group), false));
    if (!holds(ctx, 'facilitator')) throw new Error('/wg escalation ran without the facilitator check');
    return privately(escalationSettingsView(ctx.group, deps.writes.setEscalation(ctx, args.settings), true));
  },
});
