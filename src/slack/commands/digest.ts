import { holds } from '../gate.js';
import { notActiveView } from '../views/lifecycle.js';
import { digestPreview } from '../views/digest.js';
import { digestPostedView, digestPreviewView } from '../views/scheduled.js';
import { fail, noMore, ok, slugArg } from './args.js';
import { groupCommand, privately, viewerOf } from './command.js';

const USAGE = 'digest [preview|now] [slug]';

type DigestArgs = { mode: 'preview' | 'now'; slug: string | null };

function modeOf(word: string | undefined): DigestArgs['mode'] | null {
  if (word === 'now' || word === 'post') return 'now';
  return word === 'preview' || word === undefined ? 'preview' : null;
}

/** `/wg digest`: the weekly digest, previewed for the caller, or posted now by a facilitator. */
export const digestCommand = groupCommand({
  name: 'digest',
  usage: USAGE,
  example: '/wg digest preview',
  summary: 'see the weekly digest, or post it now (facilitators)',
  answersInAck: false,
  requires: ({ mode }: DigestArgs) => (mode === 'now' ? 'facilitator' : 'anyone'),
  refusal: 'post the digest',
  parse(words: string[]) {
    const [first, ...rest] = words;
    const mode = modeOf(first);
    if (mode === null) {
      // `/wg digest <slug>` previews that group's digest.
      const slug = slugArg(first, USAGE);
      if (!('ok' in slug) && slug.slug)
        return noMore(rest, USAGE) ?? ok<DigestArgs>({ mode: 'preview', slug: slug.slug });
      return fail(`\`/wg digest\` takes \`preview\` or \`now\`, not \`${first}\`.`, '/wg digest preview');
    }
    const slug = slugArg(rest[0], USAGE);
    if ('ok' in slug) return slug;
    return noMore(rest.slice(1), USAGE) ?? ok<DigestArgs>({ mode, slug: slug.slug });
  },
  async run(ctx, { mode }, deps) {
    const { group, userId } = ctx;
    if (mode === 'preview') {
      const viewer = viewerOf(deps, userId, group, false);
      const draft = await deps.digests.build(group, 'preview', viewer.timeZone);
      return privately(digestPreviewView(digestPreview(draft)));
    }
    if (!holds(ctx, 'facilitator')) throw new Error('/wg digest now ran without the facilitator check');
    if (group.lifecycle !== 'active') return privately(notActiveView(group, 'digests'));
    return privately(digestPostedView(group, await deps.writes.postDigest(ctx)));
  },
});
