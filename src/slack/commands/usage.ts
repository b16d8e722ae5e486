import { usageLine } from '../../services/usageService.js';
import { holds } from '../gate.js';
import { assessNotice } from '../views/assessment.js';
import { fail, ok } from './args.js';
import { groupCommand, type Parsed, privately } from './command.js';

const USAGE = 'usage [URL | off]';
const EXAMPLE =
  '/wg usage https://prometheus.example.com/api/v1/query?query=sum(increase(http_requests_total[7d]))';

type UsageArgs = { action: 'show' } | { action: 'set'; url: string | null };

/** The URL out of Slack's link entity (`<https://…|label>`), with `&amp;` back to `&`. */
function urlOf(token: string): string {
  const inner = token.startsWith('<') && token.endsWith('>') ? token.slice(1, -1).split('|')[0]! : token;
  return inner.replace(/&amp;/g, '&');
}

function parseUsage(words: string[]): Parsed<UsageArgs> {
  const [first, ...rest] = words;
  if (rest.length > 0) return fail(`Unexpected \`${rest.join(' ')}\`.`, EXAMPLE);
  if (first === undefined) return ok({ action: 'show' });
  if (first.toLowerCase() === 'off') return ok({ action: 'set', url: null });
  return ok({ action: 'set', url: urlOf(first) });
}

/**
 * `/wg usage`: the group's usage and traffic figure, read now from its source; facilitators set the
 * source (a Prometheus instant query URL, or a JSON endpoint answering a number) or turn it off.
 */
export const usageCommand = groupCommand({
  name: 'usage',
  usage: USAGE,
  example: EXAMPLE,
  summary: 'usage and traffic from the group’s Prometheus or JSON source (facilitators set it)',
  answersInAck: false,
  requires: (args: UsageArgs) => (args.action === 'show' ? 'anyone' : 'facilitator'),
  refusal: 'set the usage source',
  slug: () => null,
  parse: parseUsage,
  async run(ctx, args, deps) {
    if (args.action === 'set') {
      if (!holds(ctx, 'facilitator')) throw new Error('/wg usage ran without the facilitator check');
      const set = deps.writes.setUsageSource(ctx, args.url);
      if (!set.ok) return privately(assessNotice(`Not a usage source: ${set.reason}.`));
      if (set.kind === null)
        return privately(assessNotice('Usage source removed: the digest shows no usage line.'));
    }
    // Facilitators see why a source is unavailable; others the channel's generic line.
    const line = usageLine(await deps.teamHealth.usage.read(ctx.group), {
      escape: (text) => text, // assessNotice escapes the whole notice
      detailed: holds(ctx, 'facilitator'),
    });
    return privately(
      assessNotice(
        line ?? `${ctx.group.name} has no usage source: a facilitator sets one with \`/wg ${USAGE}\`.`,
      ),
    );
  },
});
