import { syncCooldownView } from '../views/feedback.js';
import { notLinkedView, syncQueuedView } from '../views/notices.js';
import { ok, slugArg, noMore } from './args.js';
import { groupCommand, privately } from './command.js';

const USAGE = 'sync [slug]';

/** `/wg sync`: queues a sync of the group (the queue debounces and runs it in the background). */
export const syncCommand = groupCommand({
  name: 'sync',
  usage: USAGE,
  example: '/wg sync',
  summary: 'fetch the latest from GitLab now (in the background)',
  answersInAck: false,
  requires: 'anyone',
  parse(words: string[]) {
    const full = words.some((a) => a === 'full' || a === '--full');
    const rest = words.filter((a) => a !== 'full' && a !== '--full');
    const slug = slugArg(rest[0], USAGE);
    if ('ok' in slug) return slug;
    return noMore(rest.slice(1), USAGE) ?? ok({ slug: slug.slug, full });
  },
  run({ group }, _args, deps) {
    if (deps.status.report(group).links.length === 0) return privately(notLinkedView(group));
    const turn = deps.syncCooldown.claim(group.id);
    if (!turn.ok) return privately(syncCooldownView(group.name, turn));
    deps.requestSync(group.id);
    return privately(syncQueuedView(group));
  },
});
