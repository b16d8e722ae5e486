import { holds } from '../gate.js';
import { roleAddedView, roleRemovedView, rolesView } from '../views/notices.js';
import { fail, ok } from './args.js';
import { groupCommand, type Parsed, privately } from './command.js';

const EXAMPLE = '/wg role add @ada facilitator';
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

type RoleArgs = { action: 'add' | 'remove'; userId: string; role: string | null } | { action: 'list' };

function parseRole(words: string[]): Parsed<RoleArgs> {
  const [action, user, ...roleWords] = words;
  if (action === 'list' || action === undefined) return ok({ action: 'list' });
  if (action !== 'add' && action !== 'remove')
    return fail(`\`/wg role\` takes \`add\`, \`remove\` or \`list\`, not \`${action}\`.`, EXAMPLE);
  const mention = user ? USER.exec(user) : null;
  if (!mention)
    return fail(`Mention the person with @, like \`@ada\`${user ? `, not \`${user}\`` : ''}.`, EXAMPLE);
  const role = roleWords.join(' ').trim();
  if (action === 'add' && !role)
    return fail('Say which role, like `facilitator`, `functional lead` or `member`.', EXAMPLE);
  return ok({ action, userId: mention[1]!, role: role || null });
}

/** `/wg role`: who has which role in the channel's group; facilitators add and remove them. */
export const roleCommand = groupCommand({
  name: 'role',
  aliases: ['roles'],
  usage: 'role add|remove @user <role>',
  example: EXAMPLE,
  summary: 'give or take a role (facilitators)',
  answersInAck: false,
  requires: (args: RoleArgs) => (args.action === 'list' ? 'anyone' : 'facilitator'),
  refusal: 'change roles',
  slug: () => null,
  parse: parseRole,
  async run(ctx, args, deps) {
    if (args.action === 'list') return privately(rolesView(ctx.group, deps.status.report(ctx.group).roles));
    if (!holds(ctx, 'facilitator')) throw new Error('/wg role ran without the facilitator check');
    const person = await deps.identity.personFor(args.userId);
    if (args.action === 'add') {
      const { created, role } = deps.writes.addRole(ctx, person.id, args.role!);
      return privately(roleAddedView(ctx.group, args.userId, role, created));
    }
    const removed = deps.writes.removeRole(ctx, person.id, args.role);
    return privately(roleRemovedView(ctx.group, args.userId, args.role, removed));
  },
});
