import { type Config, ConfigError } from '../../config.js';
import { createGitlabClient, type GitlabClient } from '../../gitlab/client.js';
import { LinkService } from '../../services/linkService.js';
import { StatusService } from '../../services/status.js';
import { type SyncOutcome, SyncService } from '../../services/syncService.js';
import { type Command, type CommandContext, UsageError } from '../context.js';

function gitlabClient(config: Config, now: () => Date): GitlabClient | null {
  return config.gitlab.token
    ? createGitlabClient({ url: config.gitlab.url, token: config.gitlab.token, deps: { now } })
    : null;
}

function describeOutcome(o: SyncOutcome): string {
  switch (o.status) {
    case 'synced': {
      const parts = o.sources.map(
        (s) => `${s.mode}${s.complete ? '' : ' (changes only)'}: ${s.issues} issues`,
      );
      return `${o.slug}: synced in ${o.ms} ms with ${o.requests} requests — ${parts.join('; ')}${o.removed ? `; ${o.removed} items gone from GitLab` : ''}`;
    }
    case 'failed':
      return `${o.slug}: sync failed, the last good data stays: ${o.error}`;
    case 'busy':
      return `${o.slug}: another wgbot process is syncing it right now`;
    case 'no-sources':
      return `${o.slug}: nothing linked — 'wgbot link ${o.slug} <epic-url>' first`;
    case 'no-gitlab':
      return `${o.slug}: ${o.error}`;
  }
}

async function runSync(ctx: CommandContext, slug: string | undefined, full: boolean): Promise<SyncOutcome[]> {
  const config = ctx.config();
  const store = ctx.store();
  const now = () => ctx.io.clock.now();
  const service = new SyncService(store, gitlabClient(config, now), now);
  const group = slug ? new StatusService(store, now).requireGroup(slug) : null;
  const linked = group ? store.sources.listByWg(group.id).length > 0 : store.sources.listAll().length > 0;
  // Missing configuration is the operator's input, like a bad argument: exit 2 with the reason.
  if (linked && !config.gitlab.token)
    throw new ConfigError('GITLAB_TOKEN is not set: wgbot cannot sync (see README: GitLab → Token scopes)');
  return group ? [await service.syncGroup(group, { full })] : service.syncAll({ full });
}

export const linkCommand: Command = {
  name: 'link',
  summary: 'tie a group (or one exit criterion) to a GitLab epic, milestone, labelled issue list or issue',
  usage: 'wgbot link <slug> <url> [--criterion N] [--no-sync]',
  options: { criterion: { type: 'string' }, 'no-sync': { type: 'boolean' }, remove: { type: 'boolean' } },
  async run({ positionals, values }, ctx) {
    const [slug, url, ...extra] = positionals;
    if (!slug || !url || extra.length > 0)
      throw new UsageError(`give a slug and a URL — usage: ${linkCommand.usage}`);
    const config = ctx.config();
    const links = new LinkService(ctx.store(), config.gitlab.url, () => ctx.io.clock.now());
    if (values.remove) {
      const removed = links.unlink(slug, url);
      ctx.io.stdout(`${slug}: unlinked ${removed} source${removed === 1 ? '' : 's'}\n`);
      return 0;
    }
    const result = links.link(slug, url, (values.criterion as string | undefined) ?? null);
    const target = result.criterion
      ? `exit criterion ${result.criterion.path} (${result.criterion.title})`
      : slug;
    ctx.io.stdout(
      `${result.created ? 'linked' : 'already linked'}: ${target} ← ${links.describe(result.source.ref)}\n`,
    );
    if (values['no-sync']) return 0;
    if (!config.gitlab.token) {
      ctx.io.stdout("GITLAB_TOKEN is not set, so nothing was synced yet; set it and run 'wgbot sync'.\n");
      return 0;
    }
    const [outcome] = await runSync(ctx, slug, false);
    ctx.io.stdout(`${describeOutcome(outcome!)}\n`);
    return outcome!.status === 'failed' ? 1 : 0;
  },
};

export const syncCommand: Command = {
  name: 'sync',
  summary: 'fetch what changed in GitLab for one group, or for every linked group',
  usage: 'wgbot sync [<slug>] [--full] [--json]',
  options: { full: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ positionals, values }, ctx) {
    if (positionals.length > 1) throw new UsageError(`give at most one slug — usage: ${syncCommand.usage}`);
    const outcomes = await runSync(ctx, positionals[0], Boolean(values.full));
    if (values.json) ctx.io.stdout(`${JSON.stringify(outcomes, null, 2)}\n`);
    else if (outcomes.length === 0)
      ctx.io.stdout("No group is linked to GitLab yet: 'wgbot link <slug> <url>'.\n");
    else for (const o of outcomes) ctx.io.stdout(`${describeOutcome(o)}\n`);
    return outcomes.some((o) => o.status === 'failed' || o.status === 'no-gitlab') ? 1 : 0;
  },
};
