import { type Command, UsageError } from '../context.js';

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

/** `wgbot map`: the operator's word for which GitLab account a Slack user has (as `/wg map` for admins). */
export const mapCommand: Command = {
  name: 'map',
  summary: 'say which GitLab account a Slack user has: through wgbot they then do what it may in GitLab',
  usage: 'wgbot map <slack-user-id> [<gitlab-username>] [--remove]',
  options: [{ flag: '--remove', description: 'forget the Slack user’s GitLab account' }],
  examples: ['wgbot map U024BE7LH ada.lovelace', 'wgbot map U024BE7LH', 'wgbot map U024BE7LH --remove'],
  database: ({ positionals, values }) => (positionals.length > 1 || values.remove ? 'write' : 'read'),
  async run({ positionals, values }, ctx) {
    const [slackUserId, username, ...extra] = positionals;
    if (!slackUserId || extra.length > 0 || (username && values.remove))
      throw new UsageError(
        `give a Slack user ID and, to map, a GitLab username — usage: ${mapCommand.usage}`,
      );
    if (!SLACK_USER.test(slackUserId))
      throw new UsageError(
        `'${slackUserId}' is not a Slack user ID (like U024BE7LH: profile → ⋮ → Copy member ID)`,
      );
    const store = ctx.store();
    if (values.remove) {
      const removed = store.transaction(() => store.identities.remove(slackUserId));
      ctx.io.stdout(
        removed
          ? `${slackUserId}: GitLab account forgotten\n`
          : `${slackUserId}: no GitLab account was known\n`,
      );
      return 0;
    }
    if (!username) {
      const known = store.identities.of(slackUserId);
      ctx.io.stdout(
        known
          ? `${slackUserId}: GitLab @${known.gitlabUsername} (id ${known.gitlabUserId}, ${known.proof}${known.provenBy ? ` by ${known.provenBy}` : ''}, ${known.provenAt})\n`
          : `${slackUserId}: no GitLab account known\n`,
      );
      return 0;
    }
    const config = ctx.config();
    if (!config.gitlab.token)
      throw new UsageError('GITLAB_TOKEN is not set: wgbot needs it to look the GitLab account up');
    const { createGitlabAccess } = await import('../../gitlab/access.js');
    const { AccessService } = await import('../../services/access.js');
    const now = () => ctx.io.clock.now();
    const people = createGitlabAccess({
      url: config.gitlab.url,
      token: config.gitlab.token,
      oauth: null,
      deps: { now },
    });
    // No Slack here: an admin's mapping asks GitLab only.
    const noSlack = { user: async () => null, members: async () => null };
    const access = new AccessService(store, people, noSlack, now, {
      allowedNamespaces: config.gitlab.allowedNamespaces,
      creators: config.creators,
      oauth: false,
    });
    const outcome = await access.mapByAdmin(slackUserId, username, 'cli');
    if (outcome.kind !== 'mapped')
      throw new UsageError(`GitLab has no account '${username.replace(/^@/, '')}'`);
    ctx.io.stdout(
      `${slackUserId}: GitLab @${outcome.identity.gitlabUsername} (id ${outcome.identity.gitlabUserId})\n`,
    );
    return 0;
  },
};
