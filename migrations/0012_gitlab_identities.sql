-- Who each Slack user is in GitLab, and how wgbot knows: what a Slack user may read and change through
-- wgbot is what their own GitLab account may (issue 13). Only the account's id and username are kept,
-- never a token of the user's.

CREATE TABLE gitlab_identities (
  slack_user_id   TEXT PRIMARY KEY,
  gitlab_user_id  INTEGER NOT NULL,
  gitlab_username TEXT NOT NULL,
  -- 'email': Slack's profile email is the GitLab account's (primary, seen by an admin token, or public);
  -- 'oauth': the user signed in to GitLab through /wg connect; 'admin': a workspace admin or the CLI said so.
  proof           TEXT NOT NULL CHECK (proof IN ('email', 'oauth', 'admin')),
  -- For 'admin': the Slack user who mapped them, or 'cli'. NULL otherwise.
  proven_by       TEXT,
  proven_at       TEXT NOT NULL
);

CREATE INDEX gitlab_identities_by_account ON gitlab_identities (gitlab_user_id);

-- A /wg connect under way: the state's nonce, bound to the Slack user, with the PKCE verifier that never
-- leaves wgbot. A row is deleted when its callback arrives (single use) and pruned after it expires.
CREATE TABLE gitlab_oauth_states (
  nonce         TEXT PRIMARY KEY,
  slack_user_id TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  expires_at    TEXT NOT NULL
);
