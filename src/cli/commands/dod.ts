import { type Command, UsageError } from '../context.js';

/** `wgbot dod`: the Definition-of-Done check of a group's closed stories, for any period. */
export const dodCommand: Command = {
  name: 'dod',
  summary: "which of a group's closed stories met its Definition of Done (merged MR, green pipeline, tests)",
  usage: 'wgbot dod <slug> [--since YYYY-MM-DD] [--json]',
  options: [
    {
      flag: '--since DATE',
      description:
        'stories closed on or after this day (UTC); default: since the last posted digest, else 7 days',
    },
    {
      flag: '--json',
      description: 'the report as JSON (group, since, rules, stories with their verdicts, unchecked)',
    },
  ],
  examples: ['wgbot dod improve-ops-quality', 'wgbot dod devops-cicd --since 2026-11-01 --json'],
  database: 'read',
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${dodCommand.usage}`);
    const since = values.since as string | undefined;
    if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since))
      throw new UsageError(`--since takes a day like 2026-11-01, not '${since}'`);
    const config = ctx.config();
    if (!config.gitlab.token) throw new UsageError('GITLAB_TOKEN is not set: the check asks GitLab');
    const { createTeamHealthGitlab } = await import('../../gitlab/teamHealth.js');
    const { DodService, dodLine } = await import('../../services/dodService.js');
    const { StatusService } = await import('../../services/status.js');
    const now = () => ctx.io.clock.now();
    const store = ctx.store();
    const group = new StatusService(store, now).requireGroup(slug);
    const gitlab = createTeamHealthGitlab({
      url: config.gitlab.url,
      token: config.gitlab.token,
      deps: { now },
    });
    const checked = await new DodService(store, gitlab, now).check(
      group,
      since ? new Date(`${since}T00:00:00Z`) : undefined,
    );
    if (checked.kind !== 'checked') return 1;
    const { report } = checked;
    if (values.json) {
      ctx.io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const lines = report.stories.map((s) => {
      const r = s.result;
      const verdict =
        r.verdict === 'fail'
          ? `FAIL ${r.reason}`
          : r.verdict === 'unknown'
            ? 'unknown (GitLab did not say)'
            : r.verdict;
      return `  ${s.project}#${s.iid}  ${verdict}  ${s.title}`;
    });
    ctx.io.stdout(
      [
        `${report.group.name}: ${report.stories.length} stories closed since ${report.since.slice(0, 10)}`,
        ...lines,
        dodLine(report) ?? 'Definition of Done: every story checked meets it',
      ].join('\n') + '\n',
    );
    return 0;
  },
};
