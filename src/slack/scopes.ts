/**
 * The bot scopes each Web API method wgbot calls needs (Slack's method docs). manifest.yml asks for exactly
 * the scopes of the methods the code uses; a test keeps the two in step.
 */
export const SCOPES_BY_METHOD: Record<string, string[]> = {
  'chat.postMessage': ['chat:write', 'chat:write.public'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'users.list': ['users:read'],
  'usergroups.list': ['usergroups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.list': ['channels:read', 'groups:read'],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'files.uploadV2': ['files:write'],
  'views.publish': [],
  'views.open': [],
  'auth.test': [],
};

/** Scopes not tied to one method: slash commands need `commands`. */
export const FEATURE_SCOPES = ['commands'];

/** Events the app subscribes to (manifest `bot_events`). */
export const SUBSCRIBED_EVENTS = ['app_home_opened'];
