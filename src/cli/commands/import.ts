import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatWarning } from '../../import/errors.js';
import type { BatchOutcome, ImportService } from '../../services/importService.js';
import { type Command, type CommandContext, UsageError } from '../context.js';

/** A batch takes at most this many files: a handbook has hundreds of pages, not millions. */
export const MAX_BATCH_FILES = 5_000;
const PAGE_FILE = /\.(?:md|markdown|txt)$/i;

function readErrorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** The files an argument names: itself, or a directory's pages (not its sub-directories), in name order. */
export function filesOf(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${readErrorCode(error)}`);
  }
  if (!isDirectory) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isFile() && PAGE_FILE.test(entry.name))
    .map((entry) => join(path, entry.name))
    .sort();
}

async function loadService(ctx: CommandContext): Promise<ImportService> {
  // Loaded here, not at start-up: the markdown parser costs a third of a second that other commands need not pay.
  const { ImportService } = await import('../../services/importService.js');
  const config = ctx.config();
  return new ImportService(ctx.store(), () => ctx.io.clock.now(), {
    fiscalYearStartMonth: config.import.fiscalYearStartMonth,
    baseUrl: config.import.handbookUrl,
  });
}

async function importOne(
  file: string,
  values: Record<string, unknown>,
  ctx: CommandContext,
): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${readErrorCode(error)}`);
  }
  const service = await loadService(ctx);
  const result = service.importText(text, {
    slug: values.slug as string | undefined,
    channel: values.channel as string | undefined,
    name: values.name as string | undefined,
    sourceRef: file,
  });
  for (const warning of result.warnings) ctx.io.stderr(`warning: ${file}: ${formatWarning(warning)}\n`);
  if (values.json) {
    ctx.io.stdout(
      `${JSON.stringify({
        slug: result.group.slug,
        name: result.group.name,
        kind: result.kind,
        created: result.created,
        criteria: result.criteria,
        roles: result.roles,
        items: result.items,
        removedItems: result.removedItems,
        warnings: result.warnings,
      })}\n`,
    );
    return 0;
  }
  const what =
    result.kind === 'working-group'
      ? `${result.topLevelCriteria} exit criteria${result.criteria > result.topLevelCriteria ? ` (${result.criteria} with sub-items)` : ''}, ${result.roles} people in roles`
      : `${result.items} action items${result.removedItems > 0 ? `, ${result.removedItems} no longer listed` : ''}`;
  ctx.io.stdout(
    `${result.created ? 'created' : 'updated'} working group '${result.group.slug}' (${result.group.name}) from ${result.kind === 'epic' ? 'an epic description' : 'a handbook page'}: ${what}\n`,
  );
  return 0;
}

/** The summary a person reads: counts, then one line per file that did not import cleanly. */
export function batchSummary(outcomes: BatchOutcome[], total: number): string {
  const count = (status: BatchOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  const lines = [
    `${outcomes.length} of ${total} files: ${count('imported')} imported, ${count('warnings')} imported with warnings, ${count('refused')} refused`,
  ];
  const width = Math.min(60, Math.max(4, ...outcomes.map((o) => o.file.length)));
  for (const o of outcomes) {
    if (o.status === 'imported') continue;
    const detail = o.status === 'refused' ? o.error! : o.warnings.map(formatWarning).join('; ');
    lines.push(`${o.status.padEnd(8)}  ${o.file.padEnd(width)}  ${o.slug ?? '-'}  ${detail}`);
  }
  return `${lines.join('\n')}\n`;
}

async function importBatch(
  paths: string[],
  values: Record<string, unknown>,
  ctx: CommandContext,
): Promise<number> {
  for (const option of ['slug', 'name', 'channel'] as const) {
    if (values[option] !== undefined)
      throw new UsageError(`--${option} names one group: give one file with it`);
  }
  const files = [...new Set(paths.flatMap(filesOf))];
  if (files.length === 0) throw new UsageError(`no .md, .markdown or .txt files in ${paths.join(', ')}`);
  if (files.length > MAX_BATCH_FILES) {
    throw new UsageError(
      `${files.length} files is more than one import takes (${MAX_BATCH_FILES}); import them in parts`,
    );
  }
  const service = await loadService(ctx);
  const stop = new AbortController();
  void ctx.io.stopSignal?.then(() => stop.abort());
  const line = ctx.io.progress;
  const progress = line ? (done: number, total: number) => line(`importing ${done}/${total}`) : undefined;
  const outcomes = await service.importMany(
    files.map((file) => ({ file, read: () => readFileSync(file, 'utf8') })),
    {},
    { ...(progress ? { onProgress: progress } : {}), signal: stop.signal },
  );
  if (values.json) {
    ctx.io.stdout(
      `${JSON.stringify({ files: outcomes, total: files.length, stopped: outcomes.length < files.length })}\n`,
    );
  } else {
    ctx.io.stdout(batchSummary(outcomes, files.length));
  }
  if (outcomes.length < files.length) return 1;
  return outcomes.some((o) => o.status === 'refused') ? 2 : 0;
}

export const importCommand: Command = {
  name: 'import',
  summary:
    'import handbook working-group pages (files or directories of .md/.txt) or an epic description; idempotent. Exit 2 if any page is refused',
  usage: 'wgbot import <page.md | dir>… [--slug S] [--channel C] [--name N] [--json]',
  options: [
    {
      flag: '--slug S',
      description:
        "the group's slug (default: from the page's title); for an epic description, the group it fills",
    },
    { flag: '--channel C', description: "the group's Slack channel, when the page names none (#wg_…)" },
    { flag: '--name N', description: "the group's name, when the page's title is not it" },
    {
      flag: '--json',
      description:
        'what was imported as JSON (slug, kind, counts, warnings); for several files, one entry per file',
    },
  ],
  examples: [
    'wgbot import handbook/improve-ops-quality.md',
    'wgbot import epic-description.md --slug devops-cicd --json',
    'wgbot import handbook/working-groups/',
  ],
  database: 'create',
  async run({ positionals, values }, ctx) {
    if (positionals.length === 0)
      throw new UsageError(`give a file or a directory — usage: ${importCommand.usage}`);
    if (positionals.length === 1 && filesOf(positionals[0]!)[0] === positionals[0]) {
      return importOne(positionals[0]!, values, ctx);
    }
    return importBatch(positionals, values, ctx);
  },
};
