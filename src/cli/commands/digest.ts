import type { Config } from '../../config.js';
import type { WgCommand } from '../../slack/commands/parse.js';
import { type Command, type CommandContext, UsageError } from '../context.js';

async function services(ctx: CommandContext, config: Config) {
  const { createGitlabClient } = await import('../../gitlab/client.js');
  const { DigestService } = await import('../../services/digestService.js');
  const { MetricsService, metricsLine } = await import('../../services/metricsService.js');
  const { StatusService } = await import('../../services/status.js');
  const { digestWebClient } = await import('../../slack/webClients.js');
  const { SlackDigestPoster } = await import('../../slack/digestPoster.js');
  const now = () => ctx.io.clock.now();
  const store = ctx.store();
  const gitlab = config.gitlab.token
    ? createGitlabClient({ url: config.gitlab.url, token: config.gitlab.token, deps: { now } })
    : null;
  const metrics = new MetricsService(store, gitlab, now);
  const { teamHealthLinesFor } = await import('../../services/teamHealth.js');
  const health = teamHealthLinesFor(
    store,
    config.gitlab.token ? { url: config.gitlab.url, token: config.gitlab.token } : null,
    now,
    { allowedHosts: config.usageAllowedHosts, escape: (await import('../../slack/views/mrkdwn.js')).esc },
  );
  const slack = digestWebClient(config.slack.botToken, { apiUrl: config.slack.apiUrl });
  const digests = new DigestService(store, new SlackDigestPoster(slack), now, {
    metricsLine: async (group) => {
      const delivery = await metrics.forGroup(group).catch(() => []);
      return [...delivery.map(metricsLine), await health(group)].filter(Boolean).join('\n') || null;
    },
  });
  return { store, metrics, metricsLine, digests, status: new StatusService(store, now) };
}

export const digestCommand: Command = {
  name: 'digest',
  summary: "print a group's weekly digest (--dry-run), or post it to its channel now",
  usage: 'wgbot digest <slug> [--dry-run] [--json]',
  options: [
    {
      flag: '--dry-run',
      description: 'print the digest as it would be posted; posts nothing, changes nothing',
    },
    {
      flag: '--json',
      description:
        'with --dry-run: the Slack message as {channel, text, blocks}; else the outcome of posting',
    },
  ],
  examples: ['wgbot digest improve-ops-quality --dry-run', 'SLACK_BOT_TOKEN=xoxb-… wgbot digest devops-cicd'],
  database: ({ values }) => (values['dry-run'] ? 'read' : 'write'),
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${digestCommand.usage}`);
    const config = ctx.config();
    const { digests, status } = await services(ctx, config);
    const group = status.requireGroup(slug);
    if (values['dry-run']) {
      const built = await digests.build(group);
      const { draftView } = await import('../../slack/views/digest.js');
      const view = draftView(built);
      const payload = { channel: built.channel, text: view.main.text, blocks: view.main.blocks };
      if (values.json) ctx.io.stdout(`${JSON.stringify(payload, null, 2)}\n`);
      else {
        ctx.io.stdout(`To ${built.channel ?? '(no channel)'}:\n${view.main.text}\n\n`);
        for (const block of [...view.main.blocks, ...(view.thread?.blocks ?? [])]) {
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
    const failed = outcome.status === 'failed' || outcome.status === 'no-channel';
    const line = values.json
      ? `${JSON.stringify(outcome)}\n`
      : `${slug}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''}\n`;
    if (failed && !values.json) ctx.io.stderr(`wgbot digest: ${line}`);
    else ctx.io.stdout(line);
    return failed ? 1 : 0;
  },
};

const SCHEDULE_EXAMPLE = 'wgbot schedule devops-cicd "MON 09:00" Europe/Berlin';

/** `"MON 09:00" [Zone]`, `MON 09:00 [Zone]`, `weekdays 8:30`, `off`: the same words as `/wg schedule`. */
async function parseSchedule(words: string[]): Promise<Extract<WgCommand, { name: 'schedule' }>> {
  const { parseWgCommand } = await import('../../slack/commands/parse.js');
  const parsed = parseWgCommand(['schedule', ...words.map((w) => (/\s/.test(w) ? `"${w}"` : w))].join(' '));
  if (!parsed.ok)
    throw new UsageError(`${parsed.error.replace(/`/g, "'")} — for example: ${SCHEDULE_EXAMPLE}`);
  if (parsed.command.name !== 'schedule' || parsed.command.action === 'show')
    throw new UsageError(`usage: ${scheduleCommand.usage}`);
  return parsed.command;
}

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: "when a group's digest is posted; without a schedule, shows the current one",
  usage: 'wgbot schedule <slug> ["DAY HH:MM" [Zone] | off]',
  options: [],
  examples: [
    'wgbot schedule devops-cicd',
    SCHEDULE_EXAMPLE,
    'wgbot schedule devops-cicd weekdays 8:30 America/New_York',
    'wgbot schedule devops-cicd off',
  ],
  database: ({ positionals }) => (positionals.length > 1 ? 'write' : 'read'),
  async run({ positionals }, ctx) {
    const [slug, ...rest] = positionals;
    if (!slug) throw new UsageError(`give a slug — usage: ${scheduleCommand.usage}`);
    const change = rest.length > 0 ? await parseSchedule(rest) : null;
    const { StatusService } = await import('../../services/status.js');
    const { digestTimeZone } = await import('../../jobs/digestSchedules.js');
    const { describeSchedule } = await import('../../domain/schedule.js');
    const store = ctx.store();
    const now = ctx.io.clock.now();
    let group = new StatusService(store, () => now).requireGroup(slug);
    if (change?.action === 'off') {
      store.transaction(() =>
        store.groups.update(group.id, { name: group.name, digestCron: 'off', digestTimezone: null }, now),
      );
    } else if (change?.action === 'set') {
      const cron = `${change.minute} ${change.hour} * * ${change.days.join(',')}`;
      store.transaction(() =>
        store.groups.update(
          group.id,
          { name: group.name, digestCron: cron, digestTimezone: change.timeZone },
          now,
        ),
      );
    }
    group = store.groups.getById(group.id)!;
    const zone = digestTimeZone(store, group);
    const whence = group.digestCron === null ? ' (the default)' : '';
    const zoneNote =
      group.digestCron === 'off' || group.digestTimezone
        ? ''
        : ` (the first facilitator's zone, else the group's)`;
    ctx.io.stdout(
      `${slug}: digest ${describeSchedule(group.digestCron, zone)}${whence}${zoneNote}${change ? '; a running wgbot picks this up within a minute' : ''}\n`,
    );
    return 0;
  },
};

export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'DevOps key metrics (DORA) of the GitLab projects a group follows; --add/--remove a project',
  usage: 'wgbot metrics <slug> [--add group/project] [--remove group/project] [--environment E] [--json]',
  options: [
    { flag: '--add group/project', description: 'follow this GitLab project (repeatable)', multiple: true },
    {
      flag: '--remove group/project',
      description: 'stop following this project (repeatable)',
      multiple: true,
    },
    {
      flag: '--environment E',
      description: "the deployment environment of the projects added (default: 'production')",
    },
    { flag: '--json', description: 'the metrics as JSON' },
  ],
  examples: ['wgbot metrics devops-cicd', 'wgbot metrics devops-cicd --add acme/app --environment prod'],
  database: ({ values }) => (values.add || values.remove ? 'write' : 'read'),
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${metricsCommand.usage}`);
    const config = ctx.config();
    const { metrics, metricsLine, status } = await services(ctx, config);
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
