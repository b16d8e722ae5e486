import { type Command, type CommandContext, UsageError } from '../context.js';

function oneSlug(positionals: string[], usage: string): string {
  const [slug, ...extra] = positionals;
  if (!slug || extra.length > 0) throw new UsageError(`give one slug — usage: ${usage}`);
  return slug;
}

async function services(ctx: CommandContext) {
  const { LifecycleService } = await import('../../services/lifecycle.js');
  const { StatusService } = await import('../../services/status.js');
  const now = () => ctx.io.clock.now();
  const store = ctx.store();
  return { status: new StatusService(store, now), lifecycle: new LifecycleService(store, now) };
}

export const archiveCommand: Command = {
  name: 'archive',
  summary: 'end a working group: no more digests, nudges or periodic syncs; hidden from lists',
  usage: 'wgbot archive <slug>',
  options: [],
  examples: ['wgbot archive improve-ops-quality'],
  database: 'write',
  async run({ positionals }, ctx) {
    const slug = oneSlug(positionals, archiveCommand.usage);
    const { status, lifecycle } = await services(ctx);
    const { group, changed } = lifecycle.archive(status.requireGroup(slug));
    const on = group.endedOn ? ` on ${group.endedOn}` : '';
    ctx.io.stdout(
      changed
        ? `${slug}: ended${on}. No more digests, nudges or periodic syncs; 'wgbot unarchive ${slug}' reopens it.\n`
        : `${slug}: already ended${on}; nothing changed.\n`,
    );
    return 0;
  },
};

export const unarchiveCommand: Command = {
  name: 'unarchive',
  summary: 'make an ended or paused working group active again',
  usage: 'wgbot unarchive <slug>',
  options: [],
  examples: ['wgbot unarchive improve-ops-quality'],
  database: 'write',
  async run({ positionals }, ctx) {
    const slug = oneSlug(positionals, unarchiveCommand.usage);
    const { status, lifecycle } = await services(ctx);
    const { changed, pageSaysEnded } = lifecycle.unarchive(status.requireGroup(slug));
    const warning = pageSaysEnded
      ? ' Its page still says it ended or paused: importing the page again will say so again unless the page changes.'
      : '';
    ctx.io.stdout(
      changed
        ? `${slug}: active again; digests, nudges and syncs resume.${warning}\n`
        : `${slug}: already active; nothing changed.\n`,
    );
    return 0;
  },
};

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'remove a working group and everything wgbot stored about it, for good',
  usage: 'wgbot delete <slug> --yes',
  options: [
    {
      flag: '--yes',
      description: 'really delete; without it, nothing changes and the command says what it would remove',
    },
  ],
  examples: ['wgbot delete old-group --yes'],
  database: ({ values }) => (values.yes ? 'write' : 'read'),
  async run({ positionals, values }, ctx) {
    const slug = oneSlug(positionals, deleteCommand.usage);
    const { status, lifecycle } = await services(ctx);
    const group = status.requireGroup(slug);
    if (!values.yes) {
      throw new UsageError(
        `this removes '${slug}' with its criteria, roles, items, links, snapshots and digest history for good; run 'wgbot delete ${slug} --yes' to do it, or 'wgbot archive ${slug}' to end the group and keep its history`,
      );
    }
    lifecycle.delete(group);
    ctx.io.stdout(`${slug}: deleted, with everything stored about it.\n`);
    return 0;
  },
};

/** The lifecycle commands, in the order `wgbot help` lists them. */
export const lifecycleCommands: Command[] = [archiveCommand, unarchiveCommand, deleteCommand];
