import type { DodRules } from '../../domain/dod.js';
import { holds } from '../gate.js';
import { dodReportView, dodRulesView } from '../views/dod.js';
import { assessNotice } from '../views/assessment.js';
import { fail, ok } from './args.js';
import { groupCommand, type Parsed, privately, readerOf } from './command.js';

const USAGE =
  'dod [check | on | off | pipeline required|optional | tests required|optional | exempt LABEL|none]';
const EXAMPLE = '/wg dod tests required';

type DodArgs = { action: 'show' | 'check' | 'on' | 'off' } | { action: 'set'; change: Partial<DodRules> };

function parseDod(words: string[]): Parsed<DodArgs> {
  const [action, value, ...rest] = words;
  if (rest.length > 0) return fail(`Unexpected \`${rest.join(' ')}\`.`, EXAMPLE);
  if (action === undefined) return ok({ action: 'show' });
  if ((action === 'check' || action === 'on' || action === 'off') && value === undefined)
    return ok({ action });
  const required = value === 'required' ? true : value === 'optional' ? false : null;
  if ((action === 'pipeline' || action === 'tests') && required !== null)
    return ok({
      action: 'set',
      change: action === 'pipeline' ? { pipelineRequired: required } : { testsRequired: required },
    });
  if (action === 'exempt' && value)
    return ok({
      action: 'set',
      change: { exemptLabel: value.toLowerCase() === 'none' ? null : value.slice(0, 100) },
    });
  return fail(`\`/wg ${USAGE}\``, EXAMPLE);
}

/** `/wg dod`: the group's Definition-of-Done rules (facilitators change them) and the check on demand. */
export const dodCommand = groupCommand({
  name: 'dod',
  usage: USAGE,
  example: EXAMPLE,
  summary: 'Definition of Done: its rules, and which closed stories met them (facilitators set it)',
  answersInAck: false,
  // The check lists closed stories' titles: members only, and only the titles the reader may see.
  showsItems: true,
  requires: (args: DodArgs) =>
    args.action === 'show' ? 'anyone' : args.action === 'check' ? 'member' : 'facilitator',
  refusal: 'change the Definition of Done',
  slug: () => null,
  parse: parseDod,
  async run(ctx, args, deps) {
    const { dod } = deps.teamHealth;
    if (args.action === 'check') {
      const checked = await dod.check(ctx.group);
      if (checked.kind === 'no-gitlab')
        return privately(assessNotice('wgbot has no GITLAB_TOKEN: it cannot check.'));
      const stories = checked.report.stories;
      return privately(
        dodReportView(checked.report, await readerOf(deps, ctx.userId, ctx.group, false, stories)),
      );
    }
    if (args.action !== 'show') {
      if (!holds(ctx, 'facilitator')) throw new Error('/wg dod ran without the facilitator check');
      const current = dod.rules.of(ctx.group.id);
      deps.writes.setDodRules(
        ctx,
        args.action === 'off' ? null : { ...current, ...('change' in args ? args.change : {}) },
      );
    }
    return privately(dodRulesView(ctx.group, dod.rules.of(ctx.group.id), dod.rules.chosen(ctx.group.id)));
  },
});
