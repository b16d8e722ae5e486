import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { GitlabIdentity } from '../store/repositories/gitlabIdentities.js';
import type { Store } from '../store/store.js';
import type { AccessService } from './access.js';
import type { GitlabSignIn } from './ports.js';

/** How long a /wg connect link works. */
export const CONNECT_TTL_MS = 10 * 60_000;

export type ConnectStart =
  /** Known already (or found by email now); `authorizeUrl` proves another account instead, when OAuth is set up. */
  | { kind: 'connected'; identity: GitlabIdentity; authorizeUrl: string | null; expiresAt: Date | null }
  | { kind: 'authorize'; authorizeUrl: string; expiresAt: Date }
  /** No GitLab sign-in configured and no email match: an admin must map the user. */
  | { kind: 'unavailable'; reason: 'no-oauth' | 'gitlab-unavailable' };

export type ConnectFinish =
  | { kind: 'connected'; identity: GitlabIdentity }
  | { kind: 'refused'; reason: 'invalid' | 'expired' | 'used' | 'denied' }
  | { kind: 'failed'; reason: string };

interface StatePayload {
  /** The nonce the stored state row is found by. */
  n: string;
  /** The Slack user the connect was started by. */
  u: string;
  /** Expiry, epoch milliseconds. */
  e: number;
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');

/**
 * `/wg connect`: proves which GitLab account a Slack user has through GitLab's OAuth2 provider
 * (authorization code with PKCE). The state is signed, bound to the Slack user, good for one callback and
 * ten minutes; the PKCE verifier stays in the database; the user's token is used once to read who they are
 * and dropped. Before that, an email match (no clicks at all) is tried.
 */
export class ConnectService {
  readonly #key: Buffer;

  constructor(
    private readonly store: Store,
    private readonly access: Pick<AccessService, 'identify' | 'connected'>,
    private readonly signIn: GitlabSignIn | null,
    private readonly now: () => Date,
    /** Signs states: derived from the OAuth application's secret by the composition root. */
    stateSecret: string,
  ) {
    this.#key = createHmac('sha256', stateSecret).update('wgbot/gitlab-oauth-state').digest();
  }

  async start(slackUserId: string): Promise<ConnectStart> {
    let identity: GitlabIdentity | null;
    try {
      identity = await this.access.identify(slackUserId);
    } catch {
      identity = this.store.identities.of(slackUserId);
      if (!identity && !this.signIn) return { kind: 'unavailable', reason: 'gitlab-unavailable' };
    }
    const link = this.signIn ? this.#authorize(slackUserId) : null;
    if (identity)
      return {
        kind: 'connected',
        identity,
        authorizeUrl: link?.url ?? null,
        expiresAt: link?.expiresAt ?? null,
      };
    if (!link) return { kind: 'unavailable', reason: 'no-oauth' };
    return { kind: 'authorize', authorizeUrl: link.url, expiresAt: link.expiresAt };
  }

  #authorize(slackUserId: string): { url: string; expiresAt: Date } {
    const nonce = b64(randomBytes(18));
    const verifier = b64(randomBytes(32));
    const expiresAt = new Date(this.now().getTime() + CONNECT_TTL_MS);
    this.store.transaction(() =>
      this.store.identities.addState(
        { nonce, slackUserId, codeVerifier: verifier, expiresAt: expiresAt.toISOString() },
        this.now(),
      ),
    );
    const state = this.#sign({ n: nonce, u: slackUserId, e: expiresAt.getTime() });
    const challenge = b64(createHash('sha256').update(verifier).digest());
    return { url: this.signIn!.authorizeUrl(state, challenge), expiresAt };
  }

  #sign(payload: StatePayload): string {
    const body = b64(Buffer.from(JSON.stringify(payload)));
    return `${body}.${b64(createHmac('sha256', this.#key).update(body).digest())}`;
  }

  /** The payload of a state wgbot signed, or null for anything else. */
  #verify(state: string): StatePayload | null {
    const [body, signature, ...more] = state.split('.');
    if (!body || !signature || more.length > 0) return null;
    const expected = createHmac('sha256', this.#key).update(body).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<StatePayload>;
      const valid =
        typeof payload.n === 'string' && typeof payload.u === 'string' && typeof payload.e === 'number';
      return valid ? (payload as StatePayload) : null;
    } catch {
      return null;
    }
  }

  /**
   * GitLab's redirect back: `code` and `state`, or `error` when the user declined. A state that wgbot did
   * not sign, that lapsed, or that was used once already is refused before GitLab is asked anything.
   */
  async finish(input: {
    code: string | null;
    state: string | null;
    error: string | null;
  }): Promise<ConnectFinish> {
    const payload = input.state ? this.#verify(input.state) : null;
    if (!payload || !this.signIn) return { kind: 'refused', reason: 'invalid' };
    // Taken (deleted) first, whatever follows: a state is good for one callback.
    const stored = this.store.transaction(() => this.store.identities.takeState(payload.n));
    if (!stored) return { kind: 'refused', reason: 'used' };
    const now = this.now().getTime();
    if (stored.slackUserId !== payload.u) return { kind: 'refused', reason: 'invalid' };
    if (payload.e <= now || Date.parse(stored.expiresAt) <= now)
      return { kind: 'refused', reason: 'expired' };
    if (input.error || !input.code) return { kind: 'refused', reason: 'denied' };
    try {
      const account = await this.signIn.accountFromCode(input.code, stored.codeVerifier);
      return { kind: 'connected', identity: this.access.connected(stored.slackUserId, account) };
    } catch (error) {
      return { kind: 'failed', reason: (error as Error).message.slice(0, 200) };
    }
  }
}
