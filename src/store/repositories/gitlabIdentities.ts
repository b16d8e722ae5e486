import type { Db } from '../db.js';

/** How a Slack user's GitLab account was proven (migration 0012). */
export type IdentityProof = 'email' | 'oauth' | 'admin';

/** A Slack user's GitLab account: its id and username only, never a token. */
export interface GitlabIdentity {
  slackUserId: string;
  gitlabUserId: number;
  gitlabUsername: string;
  proof: IdentityProof;
  /** For an admin's mapping: the Slack user who made it, or 'cli'. */
  provenBy: string | null;
  provenAt: string;
}

interface IdentityRow {
  slack_user_id: string;
  gitlab_user_id: number;
  gitlab_username: string;
  proof: IdentityProof;
  proven_by: string | null;
  proven_at: string;
}

function toIdentity(row: IdentityRow): GitlabIdentity {
  return {
    slackUserId: row.slack_user_id,
    gitlabUserId: row.gitlab_user_id,
    gitlabUsername: row.gitlab_username,
    proof: row.proof,
    provenBy: row.proven_by,
    provenAt: row.proven_at,
  };
}

/** A /wg connect under way: whose it is, its PKCE verifier and when it lapses. */
export interface OauthState {
  nonce: string;
  slackUserId: string;
  codeVerifier: string;
  expiresAt: string;
}

/** Slack users' GitLab accounts, and the OAuth states of connects under way. */
export class GitlabIdentityRepository {
  readonly #get;
  readonly #save;
  readonly #remove;
  readonly #addState;
  readonly #takeState;
  readonly #pruneStates;

  constructor(db: Db) {
    this.#get = db.prepare<[string], IdentityRow>('SELECT * FROM gitlab_identities WHERE slack_user_id = ?');
    this.#save = db.prepare(
      `INSERT INTO gitlab_identities (slack_user_id, gitlab_user_id, gitlab_username, proof, proven_by, proven_at)
       VALUES (@slackUserId, @gitlabUserId, @gitlabUsername, @proof, @provenBy, @provenAt)
       ON CONFLICT (slack_user_id) DO UPDATE SET gitlab_user_id = excluded.gitlab_user_id,
         gitlab_username = excluded.gitlab_username, proof = excluded.proof, proven_by = excluded.proven_by,
         proven_at = excluded.proven_at`,
    );
    this.#remove = db.prepare<[string]>('DELETE FROM gitlab_identities WHERE slack_user_id = ?');
    this.#addState = db.prepare(
      `INSERT INTO gitlab_oauth_states (nonce, slack_user_id, code_verifier, expires_at)
       VALUES (@nonce, @slackUserId, @codeVerifier, @expiresAt)`,
    );
    this.#takeState = db.prepare<
      [string],
      { slack_user_id: string; code_verifier: string; expires_at: string }
    >('DELETE FROM gitlab_oauth_states WHERE nonce = ? RETURNING slack_user_id, code_verifier, expires_at');
    this.#pruneStates = db.prepare<[string]>('DELETE FROM gitlab_oauth_states WHERE expires_at < ?');
  }

  of(slackUserId: string): GitlabIdentity | null {
    const row = this.#get.get(slackUserId);
    return row ? toIdentity(row) : null;
  }

  save(identity: GitlabIdentity): void {
    this.#save.run(identity);
  }

  remove(slackUserId: string): boolean {
    return this.#remove.run(slackUserId).changes > 0;
  }

  /** Records a new state, forgetting the ones that lapsed before `now`. */
  addState(state: OauthState, now: Date): void {
    this.#pruneStates.run(now.toISOString());
    this.#addState.run(state);
  }

  /** The state with this nonce, removed as it is read: a state is good for one callback only. */
  takeState(nonce: string): OauthState | null {
    const row = this.#takeState.get(nonce);
    return row
      ? { nonce, slackUserId: row.slack_user_id, codeVerifier: row.code_verifier, expiresAt: row.expires_at }
      : null;
  }
}
