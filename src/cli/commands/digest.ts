import type { Config } from '../../config.js';
import { isTimeZone } from '../../domain/dates.js';
import { createGitlabClient } from '../../gitlab/client.js';
import { DigestService } from '../../services/digestService.js';
import { MetricsService, metricsLine } from '../../services/metricsService.js';
import { StatusService } from '../../services/status.js';
import { parseWgCommand } from '../../slack/commands/parse.js';
import { digestWebClient } from '../../slack/webClients.js';
import { type Command, type CommandContext, UsageError } from '../context.js';

function services(ctx: CommandContext, config: Config) {
  const now = () => ctx.io.clock.now();
  const store = ctx.store();
  const gitlab = config.gitlab.token
    ? createGitlabClient({ url: config.gitlab.url, token: config.gitlab.token, deps: { now } })
    : null;
  const metrics = new MetricsService(store, gitlab, now);
  const slack = digestWebClient(config.slack.botToken, { apiUrl: config.slack.apiUrl });
  const digests = new DigestService(store, slack, now, {
    metricsLine: async (group) => (await metrics.forGroup(group)).map(metricsLine).join('\n') || null,
  });
  return { store, metrics, digests, status: new StatusService(store, now) };
}

export const digestCommand: Command = {
  name: 'digest',
  summary: "print a group's weekly digest (--dry-run), or post it now",
  usage: 'wgbot digest <slug> [--dry-run] [--json]',
  options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${digestCommand.usage}`);
    const config = ctx.config();
    const { digests, status } = services(ctx, config);
    const group = status.requireGroup(slug);
    if (values['dry-run']) {
      const built = await digests.build(group);
      const payload = { channel: built.channel, text: built.view.main.text, blocks: built.view.main.blocks };
      if (values.json) ctx.io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
      else {
        ctx.io.stdout(`To ${built.channel ?? '(no channel)'}:\n${built.view.main.text}\n\n`);
        for (const block of [...built.view.main.blocks, ...(built.view.thread?.blocks ?? [])]) {
          const b = block as { text?: { text?: string }; elements?: { text?: string }[] };
          const text = b.text?.text ?? b.elements?.map((e) => e.text ?? '').join('  ') ?? '';
          if (text) ctx.io.stdout(`${text}\n`);
        }
      }
      return 0;
    }
    if (group.lifecycle !== 'active')
      throw new UsageError(
        `'${slug}' is ${group.lifecycle}: paused and ended groups get no digest ('wgbot unarchive ${slug}' makes it active; --dry-run still prints it)`,
      );
    if (!config.slack.botToken)
      throw new UsageError('SLACK_BOT_TOKEN is not set: use --dry-run to print the digest instead');
    const outcome = await digests.post(group, digests.manualPeriod(group));
    ctx.io.stdout(
      values.json
        ? `${JSON.stringify(outcome)}\n`
        : `${slug}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}\n`,
    );
    return outcome.status === 'failed' || outcome.status === 'no-channel' ? 1 : 0;
  },
};

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'when a group\'s digest is posted: "MON 09:00" [zone], a cron expression, or off',
  usage: 'wgbot schedule <slug> ["MON 09:00" [Zone] | off]',
  async run({ positionals }, ctx) {
    const [slug, ...rest] = positionals;
    if (!slug) throw new UsageError(`give a slug — usage: ${scheduleCommand.usage}`);
    const store = ctx.store();
    const group = new StatusService(store, () => ctx.io.clock.now()).requireGroup(slug);
    if (rest.length === 0) {
      ctx.io.stdout(
        `${slug}: ${group.digestCron ?? 'default (0 9 * * 1)'} ${group.digestTimezone ?? '(facilitator’s zone)'}\n`,
      );
      return 0;
    }
    const parsed = parseWgCommand(['schedule', ...rest.map((r) => (/\s/.test(r) ? `"${r}"` : r))].join(' '));
    if (!parsed.ok) throw new UsageError(parsed.error.replace(/`/g, "'"));
    if (parsed.command.name !== 'schedule' || parsed.command.action === 'show')
      throw new UsageError(scheduleCommand.usage);
    const now = ctx.io.clock.now();
    if (parsed.command.action === 'off') {
      store.transaction(() =>
        store.groups.update(group.id, { name: group.name, digestCron: 'off', digestTimezone: null }, now),
      );
      ctx.io.stdout(`${slug}: digests off\n`);
    } else {
      const { minute, hour, days, timeZone } = parsed.command;
      if (timeZone && !isTimeZone(timeZone)) throw new UsageError(`'${timeZone}' is not a time zone`);
      const cron = `${minute} ${hour} * * ${days.join(',')}`;
      store.transaction(() =>
        store.groups.update(group.id, { name: group.name, digestCron: cron, digestTimezone: timeZone }, now),
      );
      ctx.io.stdout(
        `${slug}: digest at '${cron}' ${timeZone ?? '(facilitator’s zone)'}; a running wgbot picks it up within a minute\n`,
      );
    }
    return 0;
  },
};

export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'DevOps key metrics (DORA) of the GitLab projects a group follows; --add/--remove a project',
  usage:
    'wgbot metrics <slug> [--add group/project] [--remove group/project] [--environment production] [--json]',
  options: {
    add: { type: 'string', multiple: true },
    remove: { type: 'string', multiple: true },
    environment: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${metricsCommand.usage}`);
    const config = ctx.config();
    const { metrics, status } = services(ctx, config);
    const group = status.requireGroup(slug);
    const add = (values.add as string[] | undefined) ?? [];
    const remove = (values.remove as string[] | undefined) ?? [];
    if (add.length > 0 || remove.length > 0) {
      for (const p of add)
        if (!/^[\w.-]+(\/[\w.-]+)+$/.test(p))
          throw new UsageError(`'${p}' is not a project path like group/project`);
      const environment = (values.environment as string | undefined) ?? 'production';
      const current = metrics
        .projects(group)
        .filter((p) => !remove.includes(p.project) && !add.includes(p.project));
      metrics.setProjects(group, [...current, ...add.map((project) => ({ project, environment }))]);
      ctx.io.stdout(
        `${slug}: following ${
          metrics
            .projects(group)
            .map((p) => p.project)
            .join(', ') || 'no projects'
        }\n`,
      );
      return 0;
    }
    const results = await metrics.forGroup(group);
    ctx.io.stdout(
      values.json
        ? `${JSON.stringify(results, null, 2)}\n`
        : `${results.map(metricsLine).join('\n') || 'no metrics (add projects with --add)'}\n`,
    );
    return 0;
  },
};
