import { allGroups, countGroups, LISTED_LIFECYCLES } from '../../services/groupList.js';
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
