/**
 * The people side of the fake GitLab (see gitlab.ts, which routes to it): users and their emails, group
 * and project members with inherited access, visibility, and GitLab's OAuth2 provider.
 *
 * Shapes follow GitLab's REST documentation:
 * - `GET /api/v4/users?search=…` / `?username=…` (Users API): `email` only for an administrator's token;
 *   a search matches a username, name or public email — and any primary email for an administrator.
 * - `GET /api/v4/{groups,projects}/:id/members/all/:user_id` (Members API): the member with
 *   `access_level`, inherited from ancestor groups included (the highest counts); 404 for a non-member.
 * - `GET /oauth/authorize` (authorization code, PKCE S256): the signed-in browser user (`signIn`) consents
 *   at once; GitLab redirects (302) to `redirect_uri?code=…&state=…`, or `?error=access_denied&state=…`.
 * - `POST /oauth/token` (`grant_type=authorization_code`, client id and secret, code, redirect_uri,
 *   code_verifier): `{access_token, token_type: 'Bearer', expires_in, refresh_token, scope, created_at}`;
 *   `400 {error: 'invalid_grant', error_description}` for a used, unknown or mismatched code.
 * - `GET /api/v4/user` with `Authorization: Bearer <OAuth token>`: that user (scope read_user); an OAuth
 *   token on any other route answers 403 `insufficient_scope`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FakeUser } from './gitlab.js';

export type Visibility = 'private' | 'internal' | 'public';

export interface NamespaceKey {
  kind: 'group' | 'project';
  path: string;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Scopes the application was registered with; default ['read_user']. */
  scopes?: string[];
}

export interface PeopleAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string | null;
  user: FakeUser;
  scope: string;
  used: boolean;
}

/** What the people fake needs of the rest of the fake GitLab. */
export interface PeopleHost {
  users(): FakeUser[];
  userByName(username: string): FakeUser | undefined;
  /** The namespace and its ancestor groups, nearest first; null when there is no such namespace. */
  lineage(ns: NamespaceKey): NamespaceKey[] | null;
}

const key = (ns: NamespaceKey) => `${ns.kind}:${ns.path.toLowerCase()}`;
const json = (status: number, body: unknown): PeopleAnswer => ({ status, body });
const invalidGrant = (description: string) =>
  json(400, { error: 'invalid_grant', error_description: description });

export class FakeGitlabPeople {
  /** Whether wgbot's token is an administrator's: then user searches match and show primary emails. */
  adminToken = false;
  /** The user signed in to GitLab in "the browser" that follows /oauth/authorize; null: nobody. */
  signedIn: string | null = null;
  /** When set, the signed-in user declines the authorization (GitLab redirects with error=access_denied). */
  declines = false;

  readonly #emails = new Map<string, { email?: string; publicEmail?: string }>();
  readonly #members = new Map<string, Map<string, number>>();
  readonly #visibility = new Map<string, Visibility>();
  readonly #apps = new Map<string, OAuthApp>();
  readonly #grants = new Map<string, Grant>();
  readonly #tokens = new Map<string, { user: FakeUser; scope: string }>();

  constructor(private readonly host: PeopleHost) {}

  setEmail(username: string, emails: { email?: string; publicEmail?: string }): void {
    this.#emails.set(username, emails);
  }

  /** `username` gets `accessLevel` (10 Guest … 50 Owner) in a group or project; 0 removes them. */
  addMember(ns: NamespaceKey, username: string, accessLevel: number): void {
    if (!this.host.lineage(ns)) throw new Error(`FakeGitlab: no ${ns.kind} ${ns.path}`);
    const members = this.#members.get(key(ns)) ?? new Map<string, number>();
    if (accessLevel === 0) members.delete(username);
    else members.set(username, accessLevel);
    this.#members.set(key(ns), members);
  }

  setVisibility(ns: NamespaceKey, visibility: Visibility): void {
    this.#visibility.set(key(ns), visibility);
  }

  visibilityOf(ns: NamespaceKey): Visibility {
    return this.#visibility.get(key(ns)) ?? 'private';
  }

  addOAuthApp(app: OAuthApp): void {
    this.#apps.set(app.clientId, app);
  }

  /** OAuth access tokens handed out so far (to check that wgbot never sends one anywhere but /user). */
  get issuedTokens(): string[] {
    return [...this.#tokens.keys()];
  }

  /** The user an OAuth bearer token belongs to, or undefined for a token this fake did not issue. */
  bearer(token: string): { user: FakeUser; scope: string } | undefined {
    return this.#tokens.get(token);
  }

  // -------------------------------------------------------------------------------------------- REST API

  /** `GET /users`. */
  listUsers(q: URLSearchParams): PeopleAnswer {
    const username = q.get('username');
    const search = q.get('search')?.toLowerCase() ?? null;
    const found = this.host.users().filter((u) => {
      if (username !== null) return u.username.toLowerCase() === username.toLowerCase();
      if (search === null) return true;
      const emails = this.#emails.get(u.username) ?? {};
      const fields = [u.username, u.name, emails.publicEmail, this.adminToken ? emails.email : undefined];
      return fields.some((f) => f !== undefined && f.toLowerCase().includes(search));
    });
    return json(
      200,
      found.map((u) => this.#render(u)),
    );
  }

  #render(u: FakeUser): Record<string, unknown> {
    const emails = this.#emails.get(u.username) ?? {};
    return {
      ...u,
      public_email: emails.publicEmail ?? '',
      ...(this.adminToken ? { email: emails.email ?? null, is_admin: false } : {}),
    };
  }

  /** `GET /{groups,projects}/:id/members/all/:user_id`. */
  memberAll(ns: NamespaceKey, userId: string): PeopleAnswer {
    const lineage = this.host.lineage(ns);
    if (!lineage) return json(404, { message: `404 ${ns.kind === 'group' ? 'Group' : 'Project'} Not Found` });
    const user = this.host.users().find((u) => String(u.id) === userId);
    const level = user
      ? Math.max(0, ...lineage.map((n) => this.#members.get(key(n))?.get(user.username) ?? 0))
      : 0;
    if (!user || level === 0) return json(404, { message: '404 Not found' });
    return json(200, {
      ...user,
      access_level: level,
      created_at: '2026-01-05T10:00:00.000Z',
      expires_at: null,
      membership_state: 'active',
    });
  }

  /** `GET /user` with an OAuth token. */
  currentUser(token: string): PeopleAnswer {
    const grant = this.#tokens.get(token);
    if (!grant) return json(401, { message: '401 Unauthorized' });
    return json(200, this.#render(grant.user));
  }

  // ---------------------------------------------------------------------------------------------- OAuth

  /** `GET /oauth/authorize`: the browser's request; a redirect (302) or an error page. */
  authorize(q: URLSearchParams): PeopleAnswer {
    const app = this.#apps.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri');
    if (!app || redirectUri !== app.redirectUri)
      return json(400, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const redirect = (): PeopleAnswer => ({ status: 302, body: '', headers: { location: back.toString() } });
    const scope = q.get('scope') ?? 'read_user';
    const method = q.get('code_challenge_method');
    const challenge = q.get('code_challenge');
    const problem =
      q.get('response_type') !== 'code'
        ? 'unsupported_response_type'
        : scope.split(' ').some((s) => !(app.scopes ?? ['read_user']).includes(s))
          ? 'invalid_scope'
          : challenge !== null && method !== 'S256'
            ? 'invalid_request'
            : this.declines
              ? 'access_denied'
              : null;
    if (problem) {
      back.searchParams.set('error', problem);
      return redirect();
    }
    const user = this.signedIn ? this.host.userByName(this.signedIn) : undefined;
    if (!user) return { status: 302, body: '', headers: { location: '/users/sign_in' } };
    const code = randomBytes(16).toString('hex');
    this.#grants.set(code, { clientId: app.clientId, redirectUri, challenge, user, scope, used: false });
    back.searchParams.set('code', code);
    return redirect();
  }

  /** `POST /oauth/token` (form or JSON body). */
  token(body: Record<string, unknown>): PeopleAnswer {
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : null);
    if (field('grant_type') !== 'authorization_code')
      return json(400, { error: 'unsupported_grant_type', error_description: 'grant_type' });
    const app = this.#apps.get(field('client_id') ?? '');
    if (!app || field('client_secret') !== app.clientSecret)
      return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const grant = this.#grants.get(field('code') ?? '');
    if (
      !grant ||
      grant.used ||
      grant.clientId !== app.clientId ||
      grant.redirectUri !== field('redirect_uri')
    )
      return invalidGrant(
        'The provided authorization grant is invalid, expired, revoked or was issued to another client.',
      );
    grant.used = true;
    if (grant.challenge !== null) {
      const verifier = field('code_verifier') ?? '';
      const computed = createHash('sha256').update(verifier).digest('base64url');
      if (computed !== grant.challenge)
        return invalidGrant('The code verifier does not match the challenge.');
    }
    const accessToken = randomBytes(24).toString('hex');
    this.#tokens.set(accessToken, { user: grant.user, scope: grant.scope });
    return json(200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 7200,
      refresh_token: randomBytes(24).toString('hex'),
      scope: grant.scope,
      created_at: Math.floor(Date.now() / 1000),
    });
  }
}
