import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { encodeContext } from '../../src/slack/views/actionIds.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { blockAction, type Message, textOf } from '../helpers/listeners.js';
import { handbookSeed } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

// The confused deputy of issue 13: wgbot's token reaches more than any one Slack user should through it.
// Each test drives the real app over signed HTTP against the fake Slack and GitLab.

const SECRET_TITLE = 'Acquire Initech quietly';
const PUBLIC_URL = 'https://wgbot.example.com';
const OAUTH = {
  clientId: 'wgbot-app',
  clientSecret: 'oauth-app-secret',
  redirectUri: `${PUBLIC_URL}/gitlab/oauth/callback`,
};
const REPORTER = 20;
const DEVELOPER = 30;

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;
let epicUrl: string;

async function start(env: Record<string, string> = {}) {
  wgbot = await startWgbot({
    clock,
    slack,
    gitlabUrl: gitlab.url,
    gitlabToken: gitlab.token,
    env: {
      GITLAB_OAUTH_CLIENT_ID: OAUTH.clientId,
      GITLAB_OAUTH_CLIENT_SECRET: OAUTH.clientSecret,
      WGBOT_PUBLIC_URL: PUBLIC_URL,
      ...env,
    },
  });
  new ImportService(wgbot.server.store, () => clock.now()).importText(handbookSeed());
}

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', email: 'joanna@example.com' });
  slack.addUser({ id: 'U0KENNY', name: 'kenny', realName: 'Kenny Johnston', email: 'kenny@example.com' });
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace' });
  slack.addUser({ id: 'U0BOSS', name: 'boss', realName: 'Big Boss', isAdmin: true });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('acme');
  gitlab.addProject('acme/platform');
  const epic = gitlab.addEpic('acme', { title: 'Strategy' });
  gitlab.addIssue('acme/platform', { title: SECRET_TITLE, epic: { groupPath: 'acme', iid: epic.iid } });
  epicUrl = `${gitlab.url}/groups/acme/-/epics/${epic.iid}`;
  for (const name of ['joanna', 'kenny', 'ada']) gitlab.user(name);
  gitlab.people.setEmail('joanna', { publicEmail: 'joanna@example.com' });
  gitlab.people.addOAuthApp(OAUTH);
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
  await gitlab.close();
});

const answer = async (id: string) =>
  textOf((await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message);
const slash = (text: string, user: string, id: string) =>
  wgbot.slash(text, { user, responseUrl: slack.responseUrl(id) });
const gitlabWrites = () => gitlab.requests.filter((r) => r.method === 'PUT' || r.method === 'POST');
const items = () => {
  const group = wgbot.server.store.groups.getBySlug('improve-ops-quality')!;
  return wgbot.server.store.items.listByWg(group.id);
};
const pressDone = (user: string, itemId: number, id: string) =>
  wgbot.interact(
    blockAction(
      user,
      { action_id: 'item_done', block_id: encodeContext(itemId, { view: 'home' }), value: String(itemId) },
      { response_url: slack.responseUrl(id) },
    ),
  );

describe('the confused deputy: a Slack user acts through wgbot only as their own GitLab account may', () => {
  it('refuses a facilitator without access to the epic (no title seen, nothing linked), lets a Reporter link', async () => {
    await start();
    // Joanna facilitates the group in Slack and is matched to GitLab by email, but is no member of acme.
    await slash(`link ${epicUrl}`, 'U0JOANNA', 'deputy');
    const refused = await answer('deputy');
    expect(refused).toContain('you need Reporter access to acme');
    expect(refused).toContain('ask a maintainer of acme');
    expect(refused).not.toContain(SECRET_TITLE);
    expect(wgbot.server.store.sources.listAll()).toEqual([]);
    expect(items().map((i) => i.title)).not.toContain(SECRET_TITLE);
    // wgbot never even read the epic for her.
    expect(gitlab.requestsTo(/epics/)).toEqual([]);
    expect(wgbot.server.store.identities.of('U0JOANNA')).toMatchObject({
      gitlabUsername: 'joanna',
      proof: 'email',
    });

    gitlab.people.addMember({ kind: 'group', path: 'acme' }, 'joanna', REPORTER);
    clock.advance(6 * 60_000); // past the 5-minute trust in the last answer
    await slash(`link ${epicUrl}`, 'U0JOANNA', 'reporter');
    expect(await answer('reporter')).toContain('Linked: Improve Ops Quality ← epic &amp;1 in acme.');
    expect(items().map((i) => i.title)).toContain(SECRET_TITLE);
  });

  it('tells a user wgbot cannot place in GitLab to connect first', async () => {
    slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih' }); // no email to match by
    await start();
    await slash(`link ${epicUrl}`, 'U0JOANNA', 'unknown');
    expect(await answer('unknown')).toContain('connect your GitLab account first: `/wg connect`');
    expect(wgbot.server.store.sources.listAll()).toEqual([]);
  });

  it('lets a Reporter read but not close an issue (no write reaches GitLab); a Developer closes it', async () => {
    await start();
    gitlab.people.addMember({ kind: 'group', path: 'acme' }, 'joanna', REPORTER);
    await slash(`link ${epicUrl}`, 'U0JOANNA', 'link');
    await answer('link');
    const item = items().find((i) => i.title === SECRET_TITLE)!;
    gitlab.resetLog();

    await pressDone('U0JOANNA', item.id, 'reporter-done');
    const refused = await answer('reporter-done');
    expect(refused).toContain('You cannot mark this item done: you need Developer access to acme/platform');
    expect(refused).toContain('ask a maintainer of acme/platform');
    expect(gitlabWrites()).toEqual([]);
    expect(wgbot.server.store.items.getById(item.id)!.state).toBe('open');

    gitlab.people.addMember({ kind: 'project', path: 'acme/platform' }, 'joanna', DEVELOPER);
    clock.advance(6 * 60_000);
    await pressDone('U0JOANNA', item.id, 'developer-done');
    await slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0JOANNA');
    expect(gitlabWrites()).toEqual([
      expect.objectContaining({ method: 'PUT', path: expect.stringMatching(/\/issues\/1$/) }),
    ]);
    expect(wgbot.server.store.items.getById(item.id)!.state).toBe('done');
  });

  it('shows a reader whose GitLab account cannot see a project no titles from it; others see the channel’s', async () => {
    await start();
    gitlab.people.addMember({ kind: 'group', path: 'acme' }, 'joanna', REPORTER);
    await slash(`link ${epicUrl}`, 'U0JOANNA', 'link');
    await answer('link');
    // Kenny is known to wgbot as GitLab @kenny (an admin said so) and is no member of acme/platform.
    const admin = await slash('map <@U0KENNY|kenny> kenny', 'U0BOSS', 'map');
    expect(admin.status).toBe(200);
    expect(await answer('map')).toContain('is GitLab @kenny to wgbot now');

    const inAck = await slash('items', 'U0KENNY', 'kenny-items');
    expect(inAck.text).toBe(''); // answered after the ack, once GitLab said what he may read
    const kenny = await answer('kenny-items');
    expect(kenny).not.toContain(SECRET_TITLE);
    expect(kenny).toContain('an item you cannot see in GitLab');

    // Ada has no known account: she reads what the group's channel shows, in the ack.
    const ada = await slash('items', 'U0ADA', 'ada-items');
    expect(JSON.stringify(ada.json)).toContain(SECRET_TITLE);

    gitlab.people.setVisibility({ kind: 'project', path: 'acme/platform' }, 'internal');
    clock.advance(6 * 60_000);
    await slash('items', 'U0KENNY', 'kenny-again');
    expect(await answer('kenny-again')).toContain(SECRET_TITLE);
  });

  it('links only inside GITLAB_ALLOWED_NAMESPACES, whatever the user’s access', async () => {
    gitlab.addGroup('acme-evil');
    const evil = gitlab.addEpic('acme-evil', { title: 'Elsewhere' });
    await start({ GITLAB_ALLOWED_NAMESPACES: 'acme' });
    gitlab.people.addMember({ kind: 'group', path: 'acme-evil' }, 'joanna', 50);
    await slash(`link ${gitlab.url}/groups/acme-evil/-/epics/${evil.iid}`, 'U0JOANNA', 'outside');
    expect(await answer('outside')).toContain('acme-evil is outside the namespaces this wgbot may link');
    expect(wgbot.server.store.sources.listAll()).toEqual([]);
    expect(gitlab.requestsTo(/acme-evil/)).toEqual([]);
  });
});

describe('creating groups: workspace admins and WGBOT_CREATORS', () => {
  it('opens the form for members of the user group and admins; refuses others, naming the group', async () => {
    slack.addUserGroup({ id: 'S0CREATORS', handle: 'wg-creators', users: ['U0KENNY'] });
    await start({ WGBOT_CREATORS: '@wg-creators' });
    await slash('create', 'U0ADA', 'ada');
    expect(await answer('ada')).toContain(
      'creating working groups is for workspace admins and members of the Slack user group `wg-creators`',
    );
    expect(slack.callsTo('views.open')).toEqual([]);

    await slash('create', 'U0KENNY', 'kenny');
    await slack.waitForCall('views.open', () => true);
    await slash('create', 'U0BOSS', 'boss');
    await slack.waitForCall('views.open', (c) => c !== slack.callsTo('views.open')[0]);
    expect(slack.callsTo('views.open')).toHaveLength(2);
  });

  it('without WGBOT_CREATORS, only workspace admins may create', async () => {
    await start();
    await slash('create', 'U0KENNY', 'kenny');
    expect(await answer('kenny')).toContain('creating working groups is for workspace admins — ask one');
  });
});

/** Follows /wg connect's link through the fake GitLab; the callback URL, as GitLab redirects the browser. */
async function authorize(user: string, id: string): Promise<string> {
  await slash('connect', user, id);
  const text = await answer(id);
  const url = /<(http[^|>]+)\|sign in to GitLab>/.exec(text)?.[1];
  if (!url) throw new Error(`no sign-in link in: ${text}`);
  const redirect = await fetch(url.replace(/&amp;/g, '&'), { redirect: 'manual' });
  expect(redirect.status).toBe(302);
  // The public URL is wgbot's; here it listens on 127.0.0.1.
  return redirect.headers.get('location')!.replace(PUBLIC_URL, wgbot.url);
}

async function visit(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe('/wg connect: GitLab sign-in (OAuth2 authorization code with PKCE)', () => {
  it('maps the Slack user to the account that signed in, once; keeps no token', async () => {
    await start();
    gitlab.people.signedIn = 'ada';
    const callback = await authorize('U0ADA', 'connect');
    const done = await visit(callback);
    expect(done).toMatchObject({ status: 200 });
    expect(done.text).toContain('connected to GitLab @ada');
    expect(wgbot.server.store.identities.of('U0ADA')).toMatchObject({
      gitlabUsername: 'ada',
      proof: 'oauth',
    });
    // The code went back with its PKCE verifier (the fake checks it against the challenge).
    expect(gitlab.requestsTo('/oauth/token')[0]!.body).toMatchObject({ code_verifier: expect.any(String) });

    // Reused: refused before GitLab is asked again.
    const tokenCalls = gitlab.requestsTo('/oauth/token').length;
    const again = await visit(callback);
    expect(again.status).toBe(400);
    expect(again.text).toContain('used already');
    expect(gitlab.requestsTo('/oauth/token')).toHaveLength(tokenCalls);

    // The user's token is in no file of the database.
    const [token] = gitlab.people.issuedTokens;
    const dir = dirname(wgbot.server.store.db.name);
    for (const file of readdirSync(dir)) expect(readFileSync(`${dir}/${file}`).includes(token!)).toBe(false);
  });

  it('refuses a tampered state, one bound to another user, and an expired one', async () => {
    await start();
    gitlab.people.signedIn = 'ada';
    const callback = new URL(await authorize('U0ADA', 'first'));
    const state = callback.searchParams.get('state')!;
    const [body, signature] = state.split('.');
    // Claim the connect for Joanna: the payload changes, the signature no longer fits.
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, u: 'U0JOANNA' })).toString('base64url');
    callback.searchParams.set('state', `${forged}.${signature}`);
    const tampered = await visit(callback.toString());
    expect(tampered.status).toBe(400);
    expect(tampered.text).toContain('not made by wgbot for you');
    expect(wgbot.server.store.identities.of('U0JOANNA')).toBeNull();

    const late = await authorize('U0ADA', 'second');
    clock.advance(11 * 60_000);
    const expired = await visit(late);
    expect(expired.status).toBe(400);
    expect(expired.text).toContain('expired');
    expect(wgbot.server.store.identities.of('U0ADA')).toBeNull();
    expect(gitlab.requestsTo('/oauth/token')).toEqual([]);
  });

  it('without OAuth configured, says an admin maps people; email matching still works', async () => {
    wgbot = await startWgbot({ clock, slack, gitlabUrl: gitlab.url, gitlabToken: gitlab.token });
    await slash('connect', 'U0ADA', 'ada');
    expect(await answer('ada')).toContain(
      'Ask a workspace admin to map you: `/wg map @you &lt;gitlab-username&gt;`',
    );
    await slash('connect', 'U0JOANNA', 'joanna');
    expect(await answer('joanna')).toContain(
      'You are GitLab *@joanna* to wgbot (your Slack email is that GitLab account’s)',
    );
  });
});
