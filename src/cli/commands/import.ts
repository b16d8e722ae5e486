import { readFileSync } from 'node:fs';
import { formatWarning } from '../../import/errors.js';
import { type Command, UsageError } from '../context.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'import a handbook working-group page or an epic description (idempotent)',
  usage: 'wgbot import <page.md> [--slug S] [--channel C] [--name N] [--json]',
  options: {
    slug: { type: 'string' },
    channel: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }, ctx) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0)
      throw new UsageError(`give exactly one file — usage: ${importCommand.usage}`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    // Loaded here, not at start-up: the markdown parser costs a third of a second that other commands need not pay.
    const { ImportService } = await import('../../services/importService.js');
    const service = new ImportService(ctx.store(), () => ctx.io.clock.now());
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
          warnings: result.warnings.map(formatWarning),
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
  },
};
