import { type Command, UsageError } from '../context.js';

export const driftCommand: Command = {
  name: 'drift',
  summary: "where a group's epic task lines and exit criteria disagree with GitLab, and who owns each",
  usage: 'wgbot drift <slug> [--json]',
  options: [
    {
      flag: '--json',
      description: 'the findings as JSON (fields: slug, name, today, epic, findings: kind, text, owners, …)',
    },
  ],
  examples: ['wgbot drift improve-ops-quality', 'wgbot drift devops-cicd --json'],
  database: 'read',
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${driftCommand.usage}`);
    const { StatusService } = await import('../../services/status.js');
    const { driftReport } = await import('../../services/drift.js');
    const { driftJson, renderDriftText } = await import('../driftText.js');
    const store = ctx.store();
    const now = ctx.io.clock.now();
    const group = new StatusService(store, () => now).requireGroup(slug);
    const report = driftReport(store, group, now);
    ctx.io.stdout(values.json ? `${JSON.stringify(driftJson(report), null, 2)}\n` : renderDriftText(report));
    return 0;
  },
};
