import type { Config } from '../../config.js';
import type { GitlabClient } from '../../gitlab/client.js';
import type { SyncOutcome, SyncService } from '../../services/syncService.js';
import { type Command, type CommandContext, UsageError } from '../context.js';
import { tickingProgress } from '../progress.js';

async function syncService(
  ctx: CommandContext,
  config: Config,
): Promise<{ service: SyncService; client: GitlabClient }> {
  const { ConfigError } = await import('../../config.js');
  // Missing configuration is the operator's input, like a bad argument: exit 2 with the reason.
  if (!config.gitlab.token)
    throw new ConfigError('GITLAB_TOKEN is not set: wgbot cannot sync (see README: GitLab → Token scopes)');
  const { createGitlabClient } = await import('../../gitlab/client.js');
  const { SyncService } = await import('../../services/syncService.js');
  const now = () => ctx.io.clock.now();
  const client = createGitlabClient({
    url: config.gitlab.url,
    token: config.gitlab.token,
    api: config.gitlab.api,
    policy: { maxPages: config.gitlab.maxPages },
    deps: { now },
  });
  const { silentLogger } = await import('../../logger.js');
  const service = new SyncService(ctx.store(), client, now, silentLogger, { budgetMs: config.syncBudgetMs });
  return { service, client };
}

/** What a sync did, for a person: one line, and one more per link that failed. */
function describeOutcome(o: SyncOutcome): { line: string; failedLinks: string[] } {
  const failedLinks = o.sources
    .filter((s) => s.error !== null)
    .map((s) => `${o.slug}: link ${s.url} failed, its items stay as they were: ${s.error}`);
  switch (o.status) {
    case 'synced': {
      const parts = o.sources
        .filter((s) => s.error === null)
        .map((s) => `${s.mode}${s.complete ? '' : ' (changes only)'}: ${s.issues} issues`);
      const skipped = o.skipped
        ? `; ${o.skipped} GitLab record${o.skipped === 1 ? '' : 's'} not understood and left out (named on stderr)`
        : '';
      const line = `${o.slug}: synced in ${o.ms} ms with ${o.requests} requests — ${parts.join('; ')}${o.removed ? `; ${o.removed} items gone from GitLab` : ''}${skipped}`;
      return { line, failedLinks };
    }
    case 'failed':
      return { line: `${o.slug}: sync failed, the last good data stays: ${o.error}`, failedLinks: [] };
    case 'busy': {
      const holder = o.heldBy
        ? ` (process ${describeOwner(o.heldBy.owner)}, its lease runs until ${o.heldBy.until})`
        : '';
      return {
        line: `${o.slug}: not synced: another wgbot process is syncing it right now${holder}; try again when it is done`,
        failedLinks,
      };
    }
    case 'no-sources':
      return { line: `${o.slug}: nothing linked — 'wgbot link ${o.slug} <epic-url>' first`, failedLinks };
    case 'no-gitlab':
      return { line: `${o.slug}: ${o.error}`, failedLinks };
  }
}

/** A lease owner ('host:pid:id') as a person reads it: 'pid 1234 on host'. */
function describeOwner(owner: string): string {
  const [host, pid] = owner.split(':');
  return pid && /^\d+$/.test(pid) ? `pid ${pid} on ${host}` : owner;
}

/** Sync results: successes on stdout, failures (whole or per link) and groups not synced on stderr. */
function printOutcome(ctx: CommandContext, o: SyncOutcome): void {
  const { line, failedLinks } = describeOutcome(o);
  if (o.tookOver)
    ctx.io.stderr(
      `wgbot sync: ${o.slug}: took over the sync lease of ${describeOwner(o.tookOver.owner)}, which stopped mid-sync (its lease expired ${o.tookOver.expiredAt})\n`,
    );
  if (o.status === 'failed' || o.status === 'no-gitlab' || o.status === 'busy')
    ctx.io.stderr(`wgbot sync: ${line}\n`);
  else ctx.io.stdout(`${line}\n`);
  for (const failed of failedLinks) ctx.io.stderr(`wgbot sync: ${failed}\n`);
  // Each record left out or read with a guess, named once (the same lines as `--json`'s `warnings`).
  for (const source of o.sources)
    for (const warning of source.warnings) ctx.io.stderr(`wgbot sync: ${o.slug}: ${warning}\n`);
}

export const linkCommand: Command = {
  name: 'link',
  summary:
    'tie a group (or one exit criterion) to a GitLab epic, milestone, labelled issue list or issue; kept only if its first sync reaches it',
  usage: 'wgbot link <slug> <url> [--criterion N] [--no-sync] [--remove]',
  options: [
    {
      flag: '--criterion N',
      description:
        'tie exit criterion N (1.2 for a sub-item) to this issue, epic or milestone instead of the group',
    },
    {
      flag: '--no-sync',
      description: 'keep the link without syncing it now (nothing checks that GitLab has it)',
    },
    { flag: '--remove', description: 'unlink the URL; its items no longer held by another link are dropped' },
  ],
  examples: [
    'wgbot link devops-cicd https://gitlab.com/groups/acme/-/epics/42',
    'wgbot link devops-cicd https://gitlab.com/acme/app/-/milestones/7 --criterion 2',
    "wgbot link devops-cicd 'https://gitlab.com/acme/app/-/issues?label_name[]=wg::ops'",
  ],
  database: 'write',
  async run({ positionals, values }, ctx) {
    const [slug, url, ...extra] = positionals;
    if (!slug || !url || extra.length > 0)
      throw new UsageError(`give a slug and a URL — usage: ${linkCommand.usage}`);
    const config = ctx.config();
    const { LinkService } = await import('../../services/linkService.js');
    const links = new LinkService(
      ctx.store(),
      config.gitlab.url,
      () => ctx.io.clock.now(),
      config.gitlab.allowedNamespaces,
    );
    const criterion = (values.criterion as string | undefined) ?? null;
    if (values.remove) {
      const removed = links.unlink(slug, url);
      ctx.io.stdout(`${slug}: unlinked ${removed} source${removed === 1 ? '' : 's'}\n`);
      return 0;
    }
    if (values['no-sync'] || !config.gitlab.token) {
      const result = links.link(slug, url, criterion);
      const target = result.criterion
        ? `exit criterion ${result.criterion.path} (${result.criterion.title})`
        : slug;
      ctx.io.stdout(
        `${result.created ? 'linked' : 'already linked'}: ${target} ← ${links.describe(result.source.ref)}\n`,
      );
      if (!values['no-sync'])
        ctx.io.stderr(
          "wgbot link: GITLAB_TOKEN is not set, so nothing was synced yet; set it and run 'wgbot sync'.\n",
        );
      return 0;
    }
    const { service, client } = await syncService(ctx, config);
    const started = ctx.io.clock.now().getTime();
    const stop = tickingProgress(ctx.io.progress, () => ({
      label: `linking ${slug}, first sync:`,
      elapsedMs: ctx.io.clock.now().getTime() - started,
      requests: client.stats.requests,
    }));
    const checked = await links
      .linkAndSync(slug, url, criterion, (group) => service.syncGroup(group))
      .finally(stop);
    const target = checked.criterion
      ? `exit criterion ${checked.criterion.path} (${checked.criterion.title})`
      : slug;
    const what = links.describe(checked.source.ref);
    if (!checked.kept) {
      const why = checked.fetch?.error ?? checked.sync.error ?? 'the sync did not reach it';
      ctx.io.stderr(`wgbot link: not linked: ${target} ← ${what}: ${why}\n`);
      return checked.fetch?.errorKind === 'access' ? 2 : 1;
    }
    ctx.io.stdout(`${checked.created ? 'linked' : 'already linked'}: ${target} ← ${what}\n`);
    printOutcome(ctx, checked.sync);
    return checked.sync.status === 'failed' || checked.fetch?.error ? 1 : 0;
  },
};

export const syncCommand: Command = {
  name: 'sync',
  summary: 'fetch what changed in GitLab for one group, or for every linked group',
  usage: 'wgbot sync [<slug>] [--full] [--json]',
  options: [
    { flag: '--full', description: 'fetch everything, not only what changed (finds deleted issues; slower)' },
    {
      flag: '--json',
      description: 'the outcome per group as JSON, with each link’s own result (sources[].error, errorKind)',
    },
  ],
  examples: ['wgbot sync', 'wgbot sync devops-cicd --full', 'wgbot sync --json'],
  database: 'write',
  async run({ positionals, values }, ctx) {
    if (positionals.length > 1) throw new UsageError(`give at most one slug — usage: ${syncCommand.usage}`);
    const slug = positionals[0];
    const store = ctx.store();
    const { StatusService } = await import('../../services/status.js');
    const group = slug ? new StatusService(store, () => ctx.io.clock.now()).requireGroup(slug) : null;
    const linked = group ? store.sources.listByWg(group.id).length > 0 : store.sources.listAll().length > 0;
    if (!linked) {
      const none = group
        ? [
            {
              slug: group.slug,
              status: 'no-sources',
              sources: [],
              requests: 0,
              removed: 0,
              error: null,
              ms: 0,
            },
          ]
        : [];
      if (values.json) ctx.io.stdout(`${JSON.stringify(none, null, 2)}\n`);
      else
        ctx.io.stdout(
          group
            ? `${group.slug}: nothing linked — 'wgbot link ${group.slug} <epic-url>' first\n`
            : "No group is linked to GitLab yet: 'wgbot link <slug> <url>'.\n",
        );
      return 0;
    }
    const { service, client } = await syncService(ctx, ctx.config());
    const full = Boolean(values.full);
    let label = group ? `syncing ${group.slug}:` : 'syncing:';
    const started = ctx.io.clock.now().getTime();
    const stop = tickingProgress(ctx.io.progress, () => ({
      label,
      elapsedMs: ctx.io.clock.now().getTime() - started,
      requests: client.stats.requests,
    }));
    const outcomes = await (
      group
        ? service.syncGroup(group, { full }).then((o) => [o])
        : service.syncAll({
            full,
            onGroup: (g, i, total) => {
              label = `syncing ${g.slug} (${i + 1}/${total}):`;
            },
          })
    ).finally(stop);
    if (values.json) ctx.io.stdout(`${JSON.stringify(outcomes, null, 2)}\n`);
    else for (const o of outcomes) printOutcome(ctx, o);
    // A group another process is syncing was not synced by this command: not a success.
    return outcomes.some(
      (o) =>
        o.status === 'failed' ||
        o.status === 'no-gitlab' ||
        o.status === 'busy' ||
        o.sources.some((s) => s.error),
    )
      ? 1
      : 0;
  },
};
