import type { AccessDenial } from '../../services/access.js';
import type { ConnectStart } from '../../services/connect.js';
import type { GitlabIdentity } from '../../store/repositories/gitlabIdentities.js';
import { context, section } from './blocks.js';
import { esc, link, mention, type Mrkdwn, mrkdwn } from './mrkdwn.js';
import type { MessageView } from './status.js';

const PROOF = {
  email: 'your Slack email is that GitLab account’s',
  oauth: 'you signed in to GitLab',
  admin: 'a workspace admin said so',
} as const;

/** What is missing and who can grant it, in one sentence after "You cannot …". */
export function denialText(denial: AccessDenial): Mrkdwn {
  switch (denial.kind) {
    case 'namespace': {
      const allowed = denial.allowed.map((p) => `\`${esc(p)}\``).join(', ') as Mrkdwn;
      return mrkdwn`\`${esc(denial.path)}\` is outside what this wgbot may link (${allowed}, set by GITLAB_ALLOWED_NAMESPACES) — ask whoever runs wgbot`;
    }
    case 'not-connected':
      return denial.oauth
        ? mrkdwn`wgbot does not know your GitLab account — connect your GitLab account first: \`/wg connect\``
        : mrkdwn`wgbot does not know your GitLab account — ask a workspace admin to map it: \`/wg map @you <gitlab-username>\``;
    case 'level':
      return mrkdwn`you need ${esc(denial.needed)} access to ${esc(denial.namespace.path)} (GitLab @${esc(denial.account)} has less) — ask a maintainer of ${esc(denial.namespace.path)}`;
    case 'gitlab-unavailable':
      return mrkdwn`GitLab did not answer while wgbot checked your access, so nothing changed — try again in a minute`;
    case 'not-creator':
      return denial.creators
        ? mrkdwn`creating working groups is for workspace admins and members of the Slack user group \`${esc(denial.creators)}\` — ask one of its members or an admin`
        : mrkdwn`creating working groups is for workspace admins — ask one`;
  }
}

/** An action refused for want of rights in GitLab (or of a known GitLab account). */
export function accessDeniedView(what: string, denial: AccessDenial): MessageView {
  const text = `You cannot ${esc(what)}: ${denialText(denial)}.`;
  return { text, blocks: [section(`:no_entry: ${text}`)] };
}

function identityLine(identity: GitlabIdentity): string {
  return `You are GitLab *@${esc(identity.gitlabUsername)}* to wgbot (${PROOF[identity.proof]}).`;
}

const RIGHTS =
  'Through wgbot you link and change only what this GitLab account may: Reporter access to link a source, Developer access to close an item or move its due date.';

/** `/wg connect`: who you are in GitLab, or the link that proves it. */
export function connectView(outcome: ConnectStart): MessageView {
  switch (outcome.kind) {
    case 'connected': {
      const again = outcome.authorizeUrl
        ? mrkdwn` Another account? ${link(outcome.authorizeUrl, 'Sign in to GitLab')} (this link works for 10 minutes, once).`
        : '';
      return {
        text: identityLine(outcome.identity),
        blocks: [section(`:white_check_mark: ${identityLine(outcome.identity)}${again}`), context(RIGHTS)],
      };
    }
    case 'authorize': {
      const text = mrkdwn`Connect your GitLab account: ${link(outcome.authorizeUrl, 'sign in to GitLab')} and allow wgbot to read who you are (scope read_user). The link is yours alone, works once and for 10 minutes.`;
      return { text: 'Connect your GitLab account', blocks: [section(`:link: ${text}`), context(RIGHTS)] };
    }
    case 'unavailable': {
      const text =
        outcome.reason === 'no-oauth'
          ? mrkdwn`wgbot could not match your Slack email to a GitLab account, and GitLab sign-in is not set up here. Ask a workspace admin to map you: \`/wg map @you <gitlab-username>\`.`
          : mrkdwn`GitLab did not answer while wgbot looked for your account; try again in a minute.`;
      return {
        text,
        blocks: [
          section(`:grey_question: ${text}`),
          context(
            'Until then you read what the group’s channel shows, and cannot link sources or write to GitLab.',
          ),
        ],
      };
    }
  }
}

/** `/wg map`: the mapping made, or why not. */
export function mappedView(
  slackUserId: string,
  outcome: { kind: 'mapped'; identity: GitlabIdentity } | { kind: 'no-account' } | { kind: 'no-gitlab' },
  username: string,
): MessageView {
  const text =
    outcome.kind === 'mapped'
      ? mrkdwn`${mention(slackUserId, slackUserId)} is GitLab @${esc(outcome.identity.gitlabUsername)} to wgbot now (mapped by an admin).`
      : outcome.kind === 'no-account'
        ? `GitLab has no account \`${esc(username)}\`; nothing changed.`
        : 'wgbot has no GitLab token here, so it cannot look the account up; nothing changed.';
  return {
    text,
    blocks: [section(`${outcome.kind === 'mapped' ? ':white_check_mark:' : ':warning:'} ${text}`)],
  };
}
