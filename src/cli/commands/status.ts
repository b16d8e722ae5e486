import { StatusService } from '../../services/status.js';
import { type Command, UsageError } from '../context.js';
import { renderListText, renderStatusText } from '../statusText.js';

export const statusCommand: Command = {
  name: 'status',
  summary: "a working group's exit criteria, roles and action items",
  usage: 'wgbot status <slug> [--json]',
  options: { json: { type: 'boolean' } },
  run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${statusCommand.usage}`);
    const report = new StatusService(ctx.store(), () => ctx.io.clock.now()).status(slug);
    ctx.io.stdout(
      values.json
        ? `${JSON.stringify(report, null, 2)}\n`
        : renderStatusText(report, ctx.io.clock.now(), ctx.io.columns),
    );
    return 0;
  },
};

export const listCommand: Command = {
  name: 'list',
  summary: 'every working group with its state, overall progress and days to target (--all: ended ones too)',
  usage: 'wgbot list [--all] [--json]',
  options: { json: { type: 'boolean' }, all: { type: 'boolean' } },
  run({ positionals, values }, ctx) {
    if (positionals.length > 0) throw new UsageError(`list takes no arguments — usage: ${listCommand.usage}`);
    const every = new StatusService(ctx.store(), () => ctx.io.clock.now()).list();
    const reports = values.all ? every : every.filter((r) => r.lifecycle !== 'ended');
    if (values.json) {
      const rows = reports.map((r) => ({
        slug: r.slug,
        name: r.name,
        lifecycle: r.lifecycle,
        endedOn: r.endedOn,
        overall: r.overall,
        coverage: r.coverage,
        targetEndDate: r.targetEndDate,
        daysLeft: r.daysLeft,
        channel: r.channel,
        syncedAt: r.syncedAt,
        counts: r.counts,
      }));
      ctx.io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      ctx.io.stdout(renderListText(reports, every.length - reports.length));
    }
    return 0;
  },
};
