import type { WritebackOutcome } from '../../services/writeback.js';
import { type Command, type CommandContext, UsageError } from '../context.js';

async function writebackService(ctx: CommandContext) {
  const { createRepositoryClient } = await import('../../gitlab/repository.js');
  const { WritebackService } = await import('../../services/writeback.js');
  const { StatusService } = await import('../../services/status.js');
  const config = ctx.config();
  const now = () => ctx.io.clock.now();
  const store = ctx.store();
  const repo = config.gitlab.token
    ? createRepositoryClient({ url: config.gitlab.url, token: config.gitlab.token, deps: { now } })
    : null;
  return {
    status: new StatusService(store, now),
    writeback: new WritebackService(store, repo, config.handbookProject ?? null, now),
  };
}

/** The outcome as lines a person reads: what happened, then one line per marker changed. */
export function writebackText(slug: string, outcome: WritebackOutcome): string {
  if (outcome.kind === 'not-configured' || outcome.kind === 'no-page' || outcome.kind === 'read-only')
    return `${slug}: ${outcome.reason}\n`;
  const head = {
    'up-to-date': `the page already shows wgbot's figures; nothing to change`,
    'dry-run': `would change ${outcome.changes.length} marker(s) (nothing written)`,
    opened: `opened merge request !${outcome.mr?.iid} ${outcome.mr?.url}`,
    updated: `updated merge request !${outcome.mr?.iid} ${outcome.mr?.url}`,
  }[outcome.kind];
  const lines = [`${slug}: ${head}`, `  ${outcome.project}: ${outcome.filePath} on branch ${outcome.branch}`];
  if (outcome.kind === 'dry-run' && outcome.mr)
    lines.push(`  open merge request !${outcome.mr.iid} would be updated`);
  for (const c of outcome.changes)
    lines.push(`  line ${c.line}: ${c.criterion} — ${c.from} → ${c.to} (${c.origin})`);
  if (outcome.notOnPage.length > 0)
    lines.push(`  not found where imported (import the page again): ${outcome.notOnPage.join('; ')}`);
  if (outcome.unmarked.length > 0)
    lines.push(`  no marker on the page for: ${outcome.unmarked.join('; ')} (left alone)`);
  return `${lines.join('\n')}\n`;
}

export const writebackCommand: Command = {
  name: 'writeback',
  summary: "open (or update) a merge request setting a group's page markers to wgbot's figures",
  usage: 'wgbot writeback <slug> [--dry-run] [--json] [--path FILE | --forget-path]',
  options: [
    { flag: '--dry-run', description: 'show what would change; writes nothing to GitLab' },
    { flag: '--json', description: 'the outcome as JSON' },
    {
      flag: '--path FILE',
      description: "the page's file in HANDBOOK_PROJECT (e.g. content/handbook/…/wg.md), kept for the group",
    },
    { flag: '--forget-path', description: "forget the group's own path: back to the rule (README)" },
  ],
  examples: [
    'wgbot writeback devops-cicd --dry-run',
    'HANDBOOK_PROJECT=acme/handbook wgbot writeback devops-cicd',
    'wgbot writeback devops-cicd --path content/handbook/wg/devops-cicd.md --dry-run',
  ],
  database: ({ values }) => (values.path !== undefined || values['forget-path'] ? 'write' : 'read'),
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${writebackCommand.usage}`);
    const { status, writeback } = await writebackService(ctx);
    const group = status.requireGroup(slug);
    if (typeof values.path === 'string') writeback.setPagePath(group, values.path);
    else if (values['forget-path']) writeback.setPagePath(group, null);
    const outcome = await writeback.run(group, { dryRun: Boolean(values['dry-run']) });
    if (outcome.kind === 'not-configured' || outcome.kind === 'no-page')
      throw new UsageError(writebackText(slug, outcome).trim());
    const text = values.json ? `${JSON.stringify(outcome, null, 2)}\n` : writebackText(slug, outcome);
    if (outcome.kind === 'read-only') {
      ctx.io.stderr(values.json ? text : `wgbot writeback: ${text}`);
      return 1;
    }
    ctx.io.stdout(text);
    return 0;
  },
};

export const reportCommand: Command = {
  name: 'report',
  summary: "a group's exit report: criteria with the days they were done, items closed, who did what",
  usage: 'wgbot report <slug> [--md | --json] [--include-confidential]',
  options: [
    { flag: '--md', description: 'as markdown, ready to paste into the handbook page' },
    { flag: '--json', description: 'the report as JSON' },
    {
      flag: '--include-confidential',
      description: 'name confidential items too (default: only counted; the page is public)',
    },
  ],
  examples: ['wgbot report database-scalability --md > exit-report.md'],
  database: 'read',
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${reportCommand.usage}`);
    const { ExitReportService } = await import('../../services/exitReport.js');
    const { StatusService } = await import('../../services/status.js');
    const { exitReportMarkdown, exitReportText, withoutConfidentialDetails } =
      await import('../reportMarkdown.js');
    const now = () => ctx.io.clock.now();
    const store = ctx.store();
    const group = new StatusService(store, now).requireGroup(slug);
    const built = new ExitReportService(store, null, now).build(group);
    const includeConfidential = values['include-confidential'] === true;
    const report = includeConfidential ? built : withoutConfidentialDetails(built);
    if (values.json) ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else
      ctx.io.stdout(values.md ? exitReportMarkdown(report, { includeConfidential }) : exitReportText(report));
    return 0;
  },
};
