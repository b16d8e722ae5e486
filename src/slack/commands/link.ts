import { LinkError, SourceUrlError } from '../../services/linkService.js';
import { usageErrorView } from '../views/feedback.js';
import { linkCheckedView, linkQueuedView, unlinkedView } from '../views/links.js';
import { fail, ok, unescapeSlack } from './args.js';
import { groupCommand, type Parsed, privately } from './command.js';

const USAGE = 'link <gitlab-url> [criterion N]';
const EXAMPLE = '/wg link https://gitlab.com/groups/acme/-/epics/42';

type LinkArgs = { url: string; criterion: string | null; remove: boolean };

/** After the URL, only `criterion N` (or `N`, or `--criterion N`) may follow. */
function criterionOf(more: string[]): string | null | undefined {
  if (more.length === 0) return null;
  const [word, value, ...extra] = more;
  const named = word === 'criterion' || word === '--criterion';
  const path = named ? value : word;
  if (!path || !/^\d{1,3}(\.\d{1,3})*$/.test(path) || extra.length > 0 || (!named && more.length > 1))
    return undefined;
  return path;
}

function parseLink(words: string[], typed: string): Parsed<LinkArgs> {
  let remove = false;
  let rest = typed === 'unlink' ? ['remove', ...words] : words;
  if (rest[0] === 'remove' || rest[0] === 'unlink') {
    remove = true;
    rest = rest.slice(1);
  }
  const [rawUrl, ...more] = rest;
  if (!rawUrl) return fail('Give the GitLab URL of an epic, a milestone or a labelled issue list.', EXAMPLE);
  // A link Slack recognised arrives as `<https://…|label>`, with `&` in it as `&amp;`.
  const url = rawUrl.startsWith('<') ? unescapeSlack(rawUrl.replace(/^<|>$/g, '').split('|')[0]!) : rawUrl;
  if (!/^https?:\/\//i.test(url)) return fail(`\`${rawUrl}\` is not a URL.`, EXAMPLE);
  const criterion = criterionOf(more);
  if (criterion === undefined)
    return fail(
      'After the URL, only `criterion N` (like `criterion 2` or `criterion 1.3`) may follow.',
      `${EXAMPLE} criterion 2`,
    );
  return ok({ url, criterion, remove });
}

/** `/wg link <url>` (`unlink`, `link remove`): with GitLab configured, kept only if its first sync reaches it. */
export const linkCommand = groupCommand({
  name: 'link',
  aliases: ['unlink'],
  usage: USAGE,
  example: EXAMPLE,
  summary: 'link an epic, milestone or labelled issue list (facilitators with Reporter access in GitLab)',
  answersInAck: false,
  requires: 'facilitator',
  refusal: 'change the GitLab links',
  slug: () => null,
  parse: parseLink,
  async run(ctx, { url, criterion, remove }, deps) {
    try {
      if (remove) {
        deps.writes.unlink(ctx, url);
        return privately(unlinkedView(url));
      }
      // The caller's own GitLab account must be able to read the source: wgbot's token reads far more.
      const sourced = await deps.gate.source(ctx, url, deps.links.parseUrl(url));
      if (!sourced.ok) return privately(sourced.view);
      if (!deps.syncNow) {
        const result = deps.writes.link(sourced.ctx, criterion);
        return privately(linkQueuedView(ctx.group, result, deps.links.describe(result.source.ref)));
      }
      const checked = await deps.writes.linkAndSync(sourced.ctx, criterion, deps.syncNow);
      return privately(linkCheckedView(ctx.group, checked, deps.links.describe(checked.source.ref)));
    } catch (error) {
      if (error instanceof SourceUrlError || error instanceof LinkError)
        return privately(usageErrorView(error.message, EXAMPLE));
      throw error;
    }
  },
});
