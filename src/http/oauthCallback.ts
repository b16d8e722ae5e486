import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { ConnectFinish, ConnectService } from '../services/connect.js';

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // A page of text: no scripts, styles, frames or anything else loaded from anywhere.
  'content-security-policy': "default-src 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, text: string) {
  return {
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>wgbot: ${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
  };
}

const AGAIN = 'Run /wg connect in Slack again for a new link.';

/** What the browser is shown for each outcome; never a token, a code or a state. */
export function callbackPage(outcome: ConnectFinish): { status: number; html: string } {
  switch (outcome.kind) {
    case 'connected':
      return page(
        200,
        'GitLab account connected',
        `Your Slack account is now connected to GitLab @${outcome.identity.gitlabUsername}. You can close this tab; wgbot lets you link and change what this GitLab account may.`,
      );
    case 'refused': {
      const why = {
        invalid: 'This sign-in link was not made by wgbot for you.',
        expired: 'This sign-in link expired (links work for ten minutes).',
        used: 'This sign-in link was used already.',
        denied: 'GitLab did not grant access, so nothing changed.',
      }[outcome.reason];
      return page(400, 'Not connected', `${why} ${AGAIN}`);
    }
    case 'failed':
      return page(502, 'Not connected', `GitLab did not confirm who you are. ${AGAIN}`);
  }
}

/** `GET /gitlab/oauth/callback`: where GitLab sends the browser back after /wg connect. */
export function createOauthCallbackHandler(deps: {
  connect: Pick<ConnectService, 'finish'>;
  logger: Logger;
}) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const query = new URL(req.url ?? '/', 'http://wgbot.invalid').searchParams;
    const outcome = await deps.connect.finish({
      code: query.get('code'),
      state: query.get('state'),
      error: query.get('error'),
    });
    // The outcome only: the query holds a one-time code and the state, which stay out of logs.
    if (outcome.kind === 'connected')
      deps.logger.info({ gitlab: outcome.identity.gitlabUsername }, 'GitLab account connected');
    else deps.logger.warn({ outcome: outcome.kind, reason: outcome.reason }, 'GitLab connect refused');
    const { status, html } = callbackPage(outcome);
    res.writeHead(status, PAGE_HEADERS);
    res.end(html);
  };
}
