import { z } from 'zod';
import type { Namespace } from '../domain/access.js';
import {
  createGitlabRequester,
  DEFAULT_POLICY,
  GitlabHttpError,
  type HttpDeps,
  type RequestPolicy,
  realDeps,
} from './http.js';
import { parseShape } from './schemas.js';

// Who people are in GitLab and what they may do there, asked with wgbot's token; and GitLab's OAuth2
// provider for /wg connect. These answers decide a click while the person waits: fewer, shorter retries
// than a sync's.
const INTERACTIVE: Partial<RequestPolicy> = { maxRetries: 2, maxDelayMs: 2_000, timeoutMs: 10_000 };

const GlAccount = z.object({
  id: z.number(),
  username: z.string(),
  state: z.string().optional(),
  // Only an administrator's token sees `email`; `public_email` is whatever the user chose to show.
  email: z.string().nullable().optional(),
  public_email: z.string().nullable().optional(),
});

const GlMember = z.object({ access_level: z.number() });
const GlVisibility = z.object({ visibility: z.string().optional() });
const GlToken = z.object({ access_token: z.string().min(1) });

export interface Account {
  id: number;
  username: string;
}

export interface GitlabAccessOptions {
  url: string;
  token: string;
  /** GITLAB_OAUTH_CLIENT_ID / _SECRET and the callback wgbot serves; null: no /wg connect through GitLab. */
  oauth: { clientId: string; clientSecret: string; redirectUri: string } | null;
  policy?: Partial<RequestPolicy>;
  deps?: Partial<HttpDeps>;
}

export interface GitlabAccess {
  accountByEmail(email: string): Promise<Account | null>;
  accountByUsername(username: string): Promise<Account | null>;
  accessLevel(namespace: Namespace, accountId: number): Promise<number>;
  openToSignedIn(namespace: Namespace): Promise<boolean>;
  /** Null without the OAuth application's settings. */
  signIn: {
    authorizeUrl(state: string, codeChallenge: string): string;
    accountFromCode(code: string, codeVerifier: string): Promise<Account>;
  } | null;
}

const enc = (path: string) => encodeURIComponent(path);
const root = (ns: Namespace) => (ns.kind === 'group' ? 'groups' : 'projects');

/** Accounts in a list answer that parse; an odd record is skipped, not the end of the lookup. */
function accounts(body: unknown): z.infer<typeof GlAccount>[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((v) => {
    const parsed = GlAccount.safeParse(v);
    return parsed.success && (parsed.data.state ?? 'active') === 'active' ? [parsed.data] : [];
  });
}

export function createGitlabAccess(options: GitlabAccessOptions): GitlabAccess {
  const { send } = createGitlabRequester(
    { ...DEFAULT_POLICY, ...INTERACTIVE, ...options.policy },
    { ...realDeps, ...options.deps },
  );
  const base = options.url.replace(/\/+$/, '');
  const api = async (endpoint: string, query: Record<string, string> = {}) =>
    (
      await send(endpoint, {
        method: 'GET',
        prefixUrl: `${base}/api/v4`,
        headers: { 'private-token': options.token },
        searchParams: new URLSearchParams(query).toString(),
      })
    ).body;

  return {
    async accountByEmail(email) {
      const wanted = email.trim().toLowerCase();
      const found = accounts(await api('users', { search: wanted, per_page: '20' })).filter(
        (a) => a.email?.toLowerCase() === wanted || a.public_email?.toLowerCase() === wanted,
      );
      return found.length === 1 ? { id: found[0]!.id, username: found[0]!.username } : null;
    },
    async accountByUsername(username) {
      const found = accounts(await api('users', { username })).filter(
        (a) => a.username.toLowerCase() === username.toLowerCase(),
      );
      return found.length === 1 ? { id: found[0]!.id, username: found[0]!.username } : null;
    },
    async accessLevel(namespace, accountId) {
      try {
        const body = await api(`${root(namespace)}/${enc(namespace.path)}/members/all/${accountId}`);
        return parseShape(GlMember, body, `membership in ${namespace.path}`).access_level;
      } catch (error) {
        if (error instanceof GitlabHttpError && error.status === 404) return 0;
        throw error;
      }
    },
    async openToSignedIn(namespace) {
      const body = await api(`${root(namespace)}/${enc(namespace.path)}`);
      const visibility = parseShape(GlVisibility, body, namespace.path).visibility;
      return visibility === 'public' || visibility === 'internal';
    },
    signIn: options.oauth ? signIn(base, options.oauth, send) : null,
  };
}

function signIn(
  base: string,
  oauth: NonNullable<GitlabAccessOptions['oauth']>,
  send: ReturnType<typeof createGitlabRequester>['send'],
): NonNullable<GitlabAccess['signIn']> {
  return {
    authorizeUrl(state, codeChallenge) {
      const query = new URLSearchParams({
        client_id: oauth.clientId,
        redirect_uri: oauth.redirectUri,
        response_type: 'code',
        state,
        scope: 'read_user',
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
      return `${base}/oauth/authorize?${query.toString()}`;
    },
    async accountFromCode(code, codeVerifier) {
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        code,
        redirect_uri: oauth.redirectUri,
        code_verifier: codeVerifier,
      });
      const token = await send('oauth/token', {
        method: 'POST',
        prefixUrl: base,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
      const accessToken = parseShape(GlToken, token.body, 'the OAuth token').access_token;
      const user = await send('user', {
        method: 'GET',
        prefixUrl: `${base}/api/v4`,
        headers: { authorization: `Bearer ${accessToken}` },
      });
      // The token is not kept: it proved who the user is, which is all wgbot wanted of it.
      const account = parseShape(GlAccount, user.body, 'the signed-in GitLab user');
      return { id: account.id, username: account.username };
    },
  };
}
