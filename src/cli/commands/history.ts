import { type Command, type CommandContext, UsageError } from '../context.js';

async function open(ctx: CommandContext) {
  const history = await import('../../services/criteriaHistory.js');
  const { StatusService } = await import('../../services/status.js');
  const store = ctx.store();
  return { history, store, status: new StatusService(store, () => ctx.io.clock.now()) };
}

function limitOf(value: unknown): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500)
    throw new UsageError(`--limit takes a whole number from 1 to 500, not '${String(value)}'`);
  return n;
}

export const historyCommand: Command = {
  name: 'history',
  summary: "what changed in a group's exit criteria (figure, source, title, owner): by whom, when, from → to",
  usage: 'wgbot history <slug> [--criterion N] [--limit N] [--json]',
  options: [
    { flag: '--criterion N', description: 'only exit criterion N (1.2 for a sub-item)' },
    { flag: '--limit N', description: 'at most N changes, newest first (default 50, at most 500)' },
    {
      flag: '--json',
      description: 'the changes as JSON (criterionId, criterionTitle, field, from, to, by, at), newest first',
    },
  ],
  examples: ['wgbot history devops-cicd', 'wgbot history devops-cicd --criterion 2 --json'],
  database: 'read',
  async run({ positionals, values }, ctx) {
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${historyCommand.usage}`);
    const { history, store, status } = await open(ctx);
    const group = status.requireGroup(slug);
    const path = (values.criterion as string | undefined) ?? null;
    const answer = history.historyOf(store, group, path, limitOf(values.limit));
    if (values.json) {
      ctx.io.stdout(
        `${JSON.stringify(
          answer.changes.map(({ id: _id, ...c }) => c),
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const { renderHistoryText } = await import('../historyText.js');
    ctx.io.stdout(renderHistoryText(answer, ctx.io.clock.now()));
    return 0;
  },
};

export const criterionCommand: Command = {
  name: 'criterion',
  summary: "set an exit criterion's hand-set figure or owner (kept in its history as the CLI's change)",
  usage: 'wgbot criterion <slug> <N> [--percent NN|none] [--owner NAME|none]',
  options: [
    {
      flag: '--percent NN',
      description: "the hand-set figure, 0–100 ('none' clears it); GitLab's and the page's come first",
    },
    { flag: '--owner NAME', description: "the criterion's owner ('none' clears it)" },
  ],
  examples: [
    'wgbot criterion devops-cicd 2 --percent 40',
    'wgbot criterion devops-cicd 1.2 --owner "Ada Lovelace"',
  ],
  database: 'write',
  async run({ positionals, values }, ctx) {
    const [slug, path, ...extra] = positionals;
    if (!slug || !path || extra.length > 0)
      throw new UsageError(`give a slug and a criterion number — usage: ${criterionCommand.usage}`);
    const edits = [
      ...(values.percent !== undefined ? [{ percent: percentOf(values.percent as string) }] : []),
      ...(values.owner !== undefined ? [{ owner: noneIsNull(values.owner as string) }] : []),
    ];
    if (edits.length === 0)
      throw new UsageError(`say what to set: --percent or --owner — usage: ${criterionCommand.usage}`);
    const { history, store, status } = await open(ctx);
    const group = status.requireGroup(slug);
    for (const edit of edits) {
      const outcome = history.editCriterion(store, group, path, edit, 'cli', ctx.io.clock.now());
      const shown = outcome.percent === null ? 'no figure' : `${outcome.percent} % (${outcome.source})`;
      ctx.io.stdout(
        `${slug}: criterion ${path} (${outcome.criterion.title}): ${outcome.updated ? 'changed' : 'unchanged'}; shows ${shown}\n`,
      );
    }
    return 0;
  },
};

function noneIsNull(text: string): string | null {
  return /^(none|clear)$/i.test(text.trim()) ? null : text.trim();
}

function percentOf(text: string): number | null {
  if (noneIsNull(text) === null) return null;
  const value = Number(text.replace(/%$/, ''));
  if (!Number.isFinite(value) || value < 0 || value > 100)
    throw new UsageError(`--percent takes 0–100 or 'none', not '${text}'`);
  return value;
}
