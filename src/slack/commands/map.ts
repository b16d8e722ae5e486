import { mappedView } from '../views/access.js';
import { fail, ok } from './args.js';
import { callerCommand, type Parsed, privately } from './command.js';

const USAGE = 'map @person <gitlab-username>';
const EXAMPLE = '/wg map @ada ada.lovelace';
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const GITLAB_USERNAME = /^@?[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}$/;

type MapArgs = { userId: string; username: string };

function parseMap(words: string[]): Parsed<MapArgs> {
  const [user, username, ...more] = words;
  const mention = user ? USER.exec(user) : null;
  if (!mention || !username || more.length > 0)
    return fail('Name a Slack user and their GitLab username.', EXAMPLE);
  if (!GITLAB_USERNAME.test(username)) return fail(`\`${username}\` is not a GitLab username.`, EXAMPLE);
  return ok({ userId: mention[1]!, username: username.replace(/^@/, '') });
}

/** `/wg map @person gitlab-username`: a workspace admin's word for who someone is in GitLab. */
export const mapCommand = callerCommand({
  name: 'map',
  usage: USAGE,
  example: EXAMPLE,
  summary: 'say which GitLab account a Slack user has (workspace admins)',
  answersInAck: false,
  requires: 'admin',
  refusal: 'map Slack users to GitLab accounts',
  parse: parseMap,
  async run(ctx, { userId, username }, deps) {
    const outcome = await deps.access.mapByAdmin(userId, username, ctx.userId);
    return privately(mappedView(userId, outcome, username));
  },
});
