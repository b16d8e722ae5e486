import { noticeView } from '../views/feedback.js';
import { esc } from '../views/mrkdwn.js';
import { callerCommand, type CommandDeps, privately } from './command.js';

const MAX_GROUPS = 20;

const PROOF = { email: 'matched by email', oauth: 'connected', admin: 'mapped by an admin' } as const;

/** The caller's roles in a group, by the report's roles (which carry the Slack users they are linked to). */
function rolesIn(deps: CommandDeps, slug: string, userId: string): string[] {
  const found = deps.groups.resolve(slug, null, null);
  if (found.kind !== 'found') return [];
  return deps.status
    .report(found.group)
    .roles.filter((r) => r.slackUserId === userId)
    .map((r) => r.role);
}

/**
 * `/wg whoami`: who wgbot takes the caller for — the person on the pages, the GitLab username, the
 * workspace-admin flag — and their roles in each active group. Answered after the ack: linking the caller
 * may ask Slack.
 */
export const whoamiCommand = callerCommand({
  name: 'whoami',
  usage: 'whoami',
  example: '/wg whoami',
  summary: 'who wgbot takes you for: your name, GitLab username and roles in each group',
  answersInAck: false,
  requires: 'anyone',
  async run({ userId }, _args, deps) {
    const person = await deps.identity.personFor(userId);
    const admin = (await deps.directory.user(userId).catch(() => null))?.isAdmin === true;
    const groups = deps.lists.groupsOf(person);
    const lines = groups.slice(0, MAX_GROUPS).map((g) => {
      const roles = rolesIn(deps, g.slug, userId);
      return `• *${esc(g.name)}* (\`${g.slug}\`): ${roles.length > 0 ? roles.map(esc).join(', ') : 'owner of action items'}`;
    });
    if (groups.length > MAX_GROUPS) lines.push(`…and ${groups.length - MAX_GROUPS} more`);
    // The account proven for this Slack user (what their rights through wgbot come from), else the page's.
    const account = deps.access.identityOf(userId);
    const gitlab = account
      ? `GitLab \`@${esc(account.gitlabUsername)}\`, ${PROOF[account.proof]}`
      : person.gitlabUsername
        ? `GitLab \`@${esc(person.gitlabUsername)}\` by the pages, not connected: \`/wg connect\``
        : 'no GitLab account known: `/wg connect`';
    return privately(
      noticeView(
        ':bust_in_silhouette:',
        `You are *${esc(person.name)}* to wgbot (${gitlab}${admin ? ', workspace admin' : ''}).\n${
          lines.length > 0
            ? lines.join('\n')
            : '_You have no role and no open items in an active working group._'
        }`,
        'Roles come from the handbook pages and `/wg role`; facilitators (and workspace admins) change a group’s settings.',
      ),
    );
  },
});
