import { type Command, type CommandContext, UsageError } from '../context.js';

/** Status tables read best between 80 and 160 columns, whatever the terminal. */
function tableWidth(ctx: CommandContext): number | undefined {
  return ctx.io.columns ? Math.max(80, Math.min(160, ctx.io.columns)) : undefined;
}

export const statusCommand: Command = {
  name: 'status',
  summary: "a working group's exit criteria, roles, action items and GitLab links",
  usage: 'wgbot status <slug> [--json]',
  options: [
    {
      flag: '--json',
      description:
        'the report as JSON (fields: slug, name, targetEndDate, channel, overall, criteria, roles, items, links, …)',
    },
  ],
  examples: ['wgbot status improve-ops-quality', 'wgbot status devops-cicd --json'],
  database: 'read',
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${statusCommand.usage}`);
    const { StatusService } = await import('../../services/status.js');
    const { renderStatusText } = await import('../statusText.js');
    const report = new StatusService(ctx.store(), () => ctx.io.clock.now()).status(slug);
    ctx.io.stdout(
      values.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : renderStatusText(report, ctx.io.clock.now(), tableWidth(ctx)),
    );
    return 0;
  },
};

export const listCommand: Command = {
  name: 'list',
  summary: 'every working group with its state, overall progress and days to target (--all: ended ones too)',
  usage: 'wgbot list [--all] [--json]',
  options: [
    { flag: '--all', description: 'ended groups too (they are left out by default)' },
    {
      flag: '--json',
      description: 'one JSON object per group (slug, name, lifecycle, overall, daysLeft, counts, …)',
    },
  ],
  examples: ['wgbot list', 'wgbot list --all --json'],
  database: 'read',
  async run({ positionals, values }, ctx) {
    if (positionals.length > 0) throw new UsageError(`list takes no arguments — usage: ${listCommand.usage}`);
    const { allGroups, countGroups, LISTED_LIFECYCLES } = await import('../../services/groupList.js');
    const { renderListText } = await import('../statusText.js');
    const store = ctx.store();
    const now = ctx.io.clock.now();
    const groups = allGroups(store, now, values.all ? null : LISTED_LIFECYCLES);
    const hidden = values.all ? 0 : countGroups(store, ['ended']);
    if (values.json) {
      const rows = groups.map((g) => ({
        slug: g.slug,
        name: g.name,
        lifecycle: g.lifecycle,
        endedOn: g.endedOn,
        overall: g.overall,
        coverage: g.coverage,
        targetEndDate: g.targetEndDate,
        daysLeft: g.daysLeft,
        channel: g.channel,
        syncedAt: g.syncedAt,
        counts: g.counts,
        updatedAt: g.updatedAt,
      }));
      ctx.io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      ctx.io.stdout(renderListText(groups, hidden));
    }
    return 0;
  },
};
