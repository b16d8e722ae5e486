import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { SIGNING_SECRET, sign, startWgbot, type Wgbot } from '../helpers/wgbot.js';

let slack: FakeSlack;
let clock: ManualClock;
let wgbot: Wgbot;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'America/Los_Angeles' });
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Europe/Oslo' });
  slack.addUser({ id: 'U0BOSS', name: 'boss', realName: 'Big Boss', isAdmin: true });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  slack.addChannel({ id: 'C0OTHER', name: 'random' });
  // Ada may create groups: she is in the Slack user group WGBOT_CREATORS names.
  slack.addUserGroup({ id: 'S0CREATORS', handle: 'wg-creators', users: ['U0ADA'] });
  wgbot = await startWgbot({ clock, slack, env: { WGBOT_CREATORS: 'wg-creators' } });
  const importer = new ImportService(wgbot.server.store, () => clock.now());
  importer.importText(handbookSeed());
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id: string; value: string }[];
};
type Message = { response_type?: string; text: string; blocks: Block[] };
const textOf = (m: Message) => m.blocks.map((b) => b.text?.text ?? JSON.stringify(b)).join('\n');

describe('/wg over signed HTTP', () => {
  it('answers /wg status in the acknowledgement, ephemeral, for the channel’s group', async () => {
    const answer = await wgbot.slash('status');
    expect(answer.status).toBe(200);
    const message = answer.json as Message;
    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Improve Ops Quality' } });
    const text = textOf(message);
    expect(text).toContain('*Overall* `██████████` *100%*');
    expect(text).toContain('*Exit criteria*');
    expect(text).toMatch(/1\. `██████████` \*100%\* {2}Analyze all high-severity incidents/);
    expect(text).toContain('*Executive Sponsor:* Mek Stittri');
    expect(text).toContain('not linked to GitLab');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('shares /wg status share in the channel', async () => {
    const answer = await wgbot.slash('status share');
    expect((answer.json as Message).response_type).toBe('in_channel');
  });

  it('answers help, and a helpful message with the nearest command for a typo', async () => {
    const help = await wgbot.slash('help');
    expect(textOf(help.json as Message)).toContain('`/wg status [slug] [share]`');
    const typo = await wgbot.slash('stauts');
    expect(typo.status).toBe(200);
    expect((typo.json as Message).response_type).toBe('ephemeral');
    expect(textOf(typo.json as Message)).toContain('`stauts` is not a `/wg` command.');
    expect(textOf(typo.json as Message)).toContain('Try `/wg status`');
  });

  it('says which groups exist when the channel has none', async () => {
    const answer = await wgbot.slash('status', { channel: 'C0OTHER', channelName: 'random' });
    expect(textOf(answer.json as Message)).toContain('This channel is not the home of a working group');
    expect(textOf(answer.json as Message)).toContain('`improve-ops-quality`');
  });

  it('refuses unsigned, wrongly signed, stale and future requests with 401, and does nothing', async () => {
    slack.reset();
    for (const options of [
      { signature: null },
      { signature: 'v0=deadbeef' },
      { secret: 'not-the-secret' },
      { skewSeconds: -301 },
      { skewSeconds: 301 },
    ]) {
      const answer = await wgbot.slash('sync', options);
      expect(answer.status, JSON.stringify(options)).toBe(401);
      expect(answer.text).toBe('');
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(slack.calls).toEqual([]);
    expect(wgbot.server.syncQueue.state).toEqual({ pending: 0, running: null });
  });

  it('lists items overdue by sprint cadence with buttons, and marks one done in place', async () => {
    const store = wgbot.server.store;
    sprintsFromNov16(store, clock.now());
    const answer = await wgbot.slash('items overdue');
    const message = answer.json as Message & {
      blocks: { type: string; block_id?: string; elements?: { action_id: string; value: string }[] }[];
    };
    const text = textOf(message);
    expect(text).toContain('overdue items* (2)');
    expect(text).toContain('Workshop w. Roland');
    const actions = message.blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(2);
    const done = actions[0]!.elements!.find((e) => e.action_id === 'item_done')!;

    const responseUrl = slack.responseUrl('click-1');
    const click = await wgbot.interact({
      type: 'block_actions',
      user: { id: 'U0THOR', username: 'thor', team_id: 'T0FAKE' },
      api_app_id: 'A0FAKE',
      token: 'legacy',
      container: { type: 'message', message_ts: '1.1', channel_id: 'C0WG', is_ephemeral: true },
      trigger_id: 'trig',
      team: { id: 'T0FAKE', domain: 'fake' },
      channel: { id: 'C0WG', name: 'wg_improve-ops-quality' },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: 'item_done',
          block_id: actions[0]!.block_id,
          value: done.value,
          action_ts: '1',
        },
      ],
    });
    expect(click.status).toBe(200);
    const update = await slack.waitForCall('response_url', (c) => c.path.endsWith('/click-1'));
    expect(update.args.replace_original).toBe(true);
    expect(JSON.stringify(update.args.blocks)).toContain('overdue items* (1)');
    expect(store.items.getById(Number(done.value))!.state).toBe('done');
  });
});

/** Submits the /wg create form as `user` with the given field values (Slack's view_submission). */
const submitCreateForm = (user: string, values: Record<string, Record<string, unknown>>) =>
  wgbot.interact({
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trig',
    view: { id: 'V1', type: 'modal', callback_id: 'wg_create', private_metadata: '{}', state: { values } },
  });

const blockAction = (
  user: string,
  actionId: string,
  value: string,
  blockId: string,
  extra: Record<string, unknown> = {},
) => ({
  type: 'block_actions',
  user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
  api_app_id: 'A0FAKE',
  token: 'legacy',
  trigger_id: `trigger-${actionId}`,
  team: { id: 'T0FAKE', domain: 'fake' },
  actions: [{ type: 'button', action_id: actionId, block_id: blockId, value, action_ts: '1' }],
  ...extra,
});

describe('every /wg sub-command end to end', () => {
  const later = async (id: string) =>
    (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message;

  it('list, criteria and items sprint N answer from SQLite', async () => {
    expect(textOf((await wgbot.slash('list')).json as Message)).toMatch(
      /\*Improve Ops Quality\* `improve-ops-quality`/,
    );
    expect(textOf((await wgbot.slash('criteria')).json as Message)).toContain('6. `██████████` *100%*');
    const sprint = textOf((await wgbot.slash('items sprint 21')).json as Message);
    expect(sprint).toContain('sprint 21* (1)');
    expect(sprint).toContain('Update DoD to include functional, integration test');
  });

  it('items mine matches the Slack user to the owner by name', async () => {
    await wgbot.slash('items mine', { user: 'U0THOR', responseUrl: slack.responseUrl('mine') });
    const reply = await later('mine');
    expect(textOf(reply)).toContain('your items* (2)');
    expect(JSON.stringify(reply.blocks)).toContain('<@U0THOR>');
  });

  it('sync says there is nothing to sync until the group is linked', async () => {
    await wgbot.slash('sync', { responseUrl: slack.responseUrl('sync') });
    expect(textOf(await later('sync'))).toContain('is not linked to GitLab yet');
  });

  it('refuses configuration changes to non-facilitators, naming who can', async () => {
    await wgbot.slash('role add <@U0ADA|ada> facilitator', {
      user: 'U0ADA',
      responseUrl: slack.responseUrl('refused'),
    });
    const reply = textOf(await later('refused'));
    expect(reply).toContain('Only facilitators can change roles of Improve Ops Quality');
    expect(reply).toContain('Joanna Shih');
    expect(
      wgbot.server.store.roles.of(wgbot.server.store.groups.getBySlug('improve-ops-quality')!.id),
    ).toHaveLength(16);
  });

  it('lets the facilitator named on the page add a role, a workspace admin too', async () => {
    await wgbot.slash('role add <@U0ADA|ada> co-facilitator', {
      user: 'U0JOANNA',
      responseUrl: slack.responseUrl('role'),
    });
    expect(textOf(await later('role'))).toContain('Added <@U0ADA> as *Co-facilitator*');
    const store = wgbot.server.store;
    const roles = store.roles.of(store.groups.getBySlug('improve-ops-quality')!.id);
    expect(roles.find((r) => r.slackUserId === 'U0ADA')).toMatchObject({
      kind: 'facilitator',
      name: 'Ada Lovelace',
    });
    // Now Ada may change the schedule; the admin may remove her role.
    await wgbot.slash('schedule "TUE 10:30" Europe/Berlin', {
      user: 'U0ADA',
      responseUrl: slack.responseUrl('sched'),
    });
    expect(textOf(await later('sched'))).toContain('will be posted Tuesdays at 10:30 Europe/Berlin');
    expect(store.groups.getBySlug('improve-ops-quality')).toMatchObject({
      digestCron: '30 10 * * 2',
      digestTimezone: 'Europe/Berlin',
    });
    await wgbot.slash('role remove <@U0ADA>', { user: 'U0BOSS', responseUrl: slack.responseUrl('unrole') });
    expect(textOf(await later('unrole'))).toContain('Removed the role of <@U0ADA>');
  });

  it('link validates the URL and says which forms it accepts', async () => {
    await wgbot.slash('link https://gitlab.example.com/g/p/-/merge_requests/1', {
      user: 'U0JOANNA',
      responseUrl: slack.responseUrl('l1'),
    });
    expect(textOf(await later('l1'))).toContain("wgbot cannot sync 'merge_requests' pages");
    await wgbot.slash('link https://gitlab.example.com/groups/g/-/epics/42', {
      user: 'U0JOANNA',
      responseUrl: slack.responseUrl('l2'),
    });
    expect(textOf(await later('l2'))).toContain('Linked: Improve Ops Quality ← epic &amp;42 in g');
    const sources = wgbot.server.store.sources.listAll();
    expect(sources.map((s) => s.url)).toEqual(['https://gitlab.example.com/groups/g/-/epics/42']);
  });

  it('bind makes another channel the home of a group', async () => {
    await wgbot.slash('bind improve-ops-quality', {
      user: 'U0JOANNA',
      channel: 'C0OTHER',
      channelName: 'random',
      responseUrl: slack.responseUrl('bind'),
    });
    const reply = await later('bind');
    expect(reply.response_type).toBe('in_channel');
    const status = await wgbot.slash('status', { channel: 'C0OTHER', channelName: 'random' });
    expect((status.json as Message).blocks[0]).toMatchObject({ text: { text: 'Improve Ops Quality' } });
  });

  it('create opens a form; submitting it creates the group, binds the channel and confirms by DM', async () => {
    await wgbot.slash('create', { user: 'U0ADA', channel: 'C0OTHER', channelName: 'random' });
    const opened = await slack.waitForCall('views.open');
    const view = opened.args.view as { callback_id: string; blocks: { block_id: string }[] };
    expect(view.callback_id).toBe('wg_create');
    expect(view.blocks.map((b) => b.block_id)).toEqual(['name', 'channel', 'target', 'epic', 'facilitator']);

    const submit = (values: Record<string, Record<string, unknown>>) => submitCreateForm('U0ADA', values);
    const bad = await submit({
      name: { name: { type: 'plain_text_input', value: '' } },
      channel: { channel: { type: 'conversations_select', selected_conversation: 'C0OTHER' } },
      target: { target: { type: 'datepicker', selected_date: '2020-01-01' } },
      epic: { epic: { type: 'url_text_input', value: 'https://elsewhere.example/x' } },
      facilitator: { facilitator: { type: 'users_select', selected_user: 'U0ADA' } },
    });
    expect(bad.json).toMatchObject({
      response_action: 'errors',
      errors: { name: 'Give the working group a name.', target: 'The target end date is in the past.' },
    });
    expect((bad.json as { errors: Record<string, string> }).errors.epic).toContain(
      'it is on elsewhere.example',
    );

    const good = await submit({
      name: { name: { type: 'plain_text_input', value: 'DevOps CI/CD' } },
      channel: { channel: { type: 'conversations_select', selected_conversation: 'C0OTHER' } },
      target: { target: { type: 'datepicker', selected_date: '2027-03-31' } },
      epic: { epic: { type: 'url_text_input', value: 'https://gitlab.example.com/groups/acme/-/epics/7' } },
      facilitator: { facilitator: { type: 'users_select', selected_user: 'U0ADA' } },
    });
    expect(good.status).toBe(200);
    const dm = await slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0ADA');
    expect(dm.args.text).toContain('*DevOps CI/CD* (`devops-ci-cd`) is set up with <@U0ADA> as facilitator');
    const group = wgbot.server.store.groups.getBySlug('devops-ci-cd')!;
    expect(group).toMatchObject({
      slackChannelId: 'C0OTHER',
      targetEndDate: '2027-03-31',
      timezone: 'Europe/Berlin',
    });
    expect(wgbot.server.store.roles.of(group.id)).toMatchObject([
      { role: 'Facilitator', kind: 'facilitator', slackUserId: 'U0ADA' },
    ]);
  });

  it('publishes the App Home with my items and groups, and opens a status from it', async () => {
    const answer = await wgbot.event({
      type: 'app_home_opened',
      user: 'U0THOR',
      channel: 'D0THOR',
      tab: 'home',
      event_ts: '1.2',
    });
    expect(answer.status).toBe(200);
    await slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0THOR');
    const home = JSON.stringify(slack.homeView('U0THOR'));
    expect(home).toContain('My action items');
    expect(home).toContain('Workshop w. Roland');
    expect(home).toContain('My working groups');
    const click = await wgbot.interact(
      blockAction('U0THOR', 'open_status', 'improve-ops-quality', 'b1', {
        view: { id: 'VHOME', type: 'home' },
      }),
    );
    expect(click.status).toBe(200);
    const modal = await slack.waitForCall(
      'views.open',
      (c) => (c.args.view as { callback_id?: string }).callback_id === 'wg_status',
    );
    const filled = await slack.waitForCall('views.update');
    expect(filled.args.view_id).toBe((modal.response as { view: { id: string } }).view.id);
    expect(JSON.stringify(filled.args.view)).toContain('Exit criteria');
  });

  it('digest preview is for the asker; digest now posts once to the channel; only facilitators may', async () => {
    await wgbot.slash('digest preview', { responseUrl: slack.responseUrl('preview') });
    const preview = await later('preview');
    expect(preview.response_type).toBe('ephemeral');
    expect(textOf(preview)).toContain('Preview — only you can see this');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);

    await wgbot.slash('digest now', { user: 'U0ADA', responseUrl: slack.responseUrl('refused-digest') });
    expect(textOf(await later('refused-digest'))).toContain('Only facilitators can post the digest');

    await wgbot.slash('digest now', { user: 'U0JOANNA', responseUrl: slack.responseUrl('now') });
    expect(textOf(await later('now'))).toContain('posted in <#C0WG>');
    const posts = slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'C0WG' && !c.args.thread_ts);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]!.args.text)).toMatch(/^Weekly digest — Improve Ops Quality/);
    await slack.waitForCall('files.completeUploadExternal');
    expect(slack.uploads[0]!.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('nudge reminds the owners of overdue items by DM, once a day', async () => {
    const store = wgbot.server.store;
    sprintsFromNov16(store, clock.now());
    await wgbot.slash('nudge', { user: 'U0JOANNA', responseUrl: slack.responseUrl('nudge') });
    expect(textOf(await later('nudge'))).toContain('Reminded <@U0THOR>');
    const dm = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0THOR')!;
    expect(String(dm.args.text)).toBe('You have 2 overdue action items');
    await wgbot.slash('nudge', { user: 'U0JOANNA', responseUrl: slack.responseUrl('nudge2') });
    expect(textOf(await later('nudge2'))).toContain('Already reminded today: Thor');
    expect(slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0THOR')).toHaveLength(1);
  });

  it('metrics says how to add projects when none are followed', async () => {
    await wgbot.slash('metrics', { responseUrl: slack.responseUrl('metrics') });
    expect(textOf(await later('metrics'))).toContain('wgbot metrics improve-ops-quality --add group/project');
  });

  it('ignores Slack’s redelivery of an event it already handled', async () => {
    const event = {
      type: 'app_home_opened',
      user: 'U0THOR',
      channel: 'D0THOR',
      tab: 'home',
      event_ts: '1.3',
    };
    await wgbot.event(event);
    await slack.waitForCall('views.publish');
    slack.reset();
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0FAKE',
      api_app_id: 'A0FAKE',
      event_id: 'EvRetry',
      event,
    });
    const ts = Math.floor(clock.now().getTime() / 1000);
    const retry = await wgbot.post('/slack/events', body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(SIGNING_SECRET, ts, body),
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(slack.callsTo('views.publish')).toHaveLength(0);
  });

  it('snooze from the App Home keeps the item and re-publishes the tab', async () => {
    const store = wgbot.server.store;
    const item = store.items.listByWg(store.groups.getBySlug('improve-ops-quality')!.id)[0]!;
    await wgbot.interact(
      blockAction('U0THOR', 'item_snooze', String(item.id), `item|${item.id}|home`, {
        view: { id: 'VHOME', type: 'home' },
      }),
    );
    await slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0THOR');
    expect(store.items.getById(item.id)!.snoozedUntil).toBe('2026-11-25T09:00:00.000Z');
    expect(JSON.stringify(slack.homeView('U0THOR'))).toContain(':zzz: snoozed');
  });
});

describe('who may do what', () => {
  const later = async (id: string) =>
    (await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message;
  const overdueButtons = async () => {
    const store = wgbot.server.store;
    sprintsFromNov16(store, clock.now());
    const message = (await wgbot.slash('items overdue')).json as Message;
    const row = message.blocks.find((b) => b.type === 'actions')!;
    return { blockId: row.block_id!, done: row.elements!.find((e) => e.action_id === 'item_done')! };
  };

  it('only an item’s owners and the group’s facilitators may mark it done or snooze it', async () => {
    const { blockId, done } = await overdueButtons();
    const item = () => wgbot.server.store.items.getById(Number(done.value))!;
    for (const action of ['item_done', 'item_snooze']) {
      await wgbot.interact(
        blockAction('U0ADA', action, done.value, blockId, { response_url: slack.responseUrl(action) }),
      );
      const reply = textOf(await later(action));
      expect(reply).toContain('Only its owners and facilitators can');
      expect(reply).toContain('its owners (Thor)');
    }
    expect(item()).toMatchObject({ state: 'open', snoozedUntil: null });

    // The facilitator may.
    await wgbot.interact(
      blockAction('U0JOANNA', 'item_snooze', done.value, blockId, { response_url: slack.responseUrl('ok') }),
    );
    await later('ok');
    expect(item().snoozedUntil).not.toBeNull();
  });

  it('a Slack user cannot become a page’s facilitator by taking their name', async () => {
    slack.addUser({ id: 'U0MALLORY', name: 'mallory', realName: 'Joanna Shih' });
    await wgbot.slash('schedule off', { user: 'U0MALLORY', responseUrl: slack.responseUrl('mallory') });
    expect(textOf(await later('mallory'))).toContain('Only facilitators can change the digest schedule');
    const store = wgbot.server.store;
    expect(store.people.getBySlackUserId('U0MALLORY')!.name).toBe('Joanna Shih (U0MALLORY)');
    expect(store.groups.getBySlug('improve-ops-quality')!.digestCron).not.toBe('off');
    // While two people go by the page's name, the name proves nothing: an admin links the real one.
    await wgbot.slash('schedule off', { user: 'U0JOANNA', responseUrl: slack.responseUrl('joanna') });
    const refused = textOf(await later('joanna'));
    expect(refused).toContain('Only facilitators can change the digest schedule');
    expect(refused).toContain('A workspace admin can link them: `/wg role add @person facilitator`');
    await wgbot.slash('role add <@U0JOANNA|joanna> facilitator', {
      user: 'U0BOSS',
      responseUrl: slack.responseUrl('admin'),
    });
    await later('admin');
    await wgbot.slash('schedule off', { user: 'U0JOANNA', responseUrl: slack.responseUrl('joanna2') });
    expect(textOf(await later('joanna2'))).toContain('No more weekly digests');
  });

  it('a channel that is home to a group is not taken by someone who is not its facilitator', async () => {
    const store = wgbot.server.store;
    // Ada facilitates a second group, which she may bind — but not into the first group's channel.
    await wgbot.slash('status'); // the first group's page names this channel: now it is its home
    await wgbot.slash('create', { user: 'U0ADA', channel: 'C0WG' });
    const form = (await slack.waitForCall('views.open')).args.view as {
      blocks: { block_id: string; element: Record<string, unknown> }[];
    };
    // The form neither offers the taken channel nor sets a target date by itself.
    const element = (id: string) => form.blocks.find((b) => b.block_id === id)!.element;
    expect(element('channel')).not.toHaveProperty('initial_conversation');
    expect(element('target')).not.toHaveProperty('initial_date');
    const submit = await submitCreateForm('U0ADA', {
      name: { name: { type: 'plain_text_input', value: 'Side Project' } },
      channel: { channel: { type: 'conversations_select', selected_conversation: 'C0WG' } },
    });
    expect(submit.json).toMatchObject({
      response_action: 'errors',
      errors: { channel: expect.stringContaining('home of Improve Ops Quality') },
    });
    expect(store.groups.getBySlug('side-project')).toBeNull();
    expect(store.groups.getByChannelId('C0WG')!.slug).toBe('improve-ops-quality');

    await submitCreateForm('U0ADA', {
      name: { name: { type: 'plain_text_input', value: 'Side Project' } },
    });
    expect(store.groups.getBySlug('side-project')).not.toBeNull();
    await wgbot.slash('bind side-project', { user: 'U0ADA', responseUrl: slack.responseUrl('bind') });
    expect(textOf(await later('bind'))).toContain('Only facilitators can give this channel to another group');
    expect(store.groups.getByChannelId('C0WG')!.slug).toBe('improve-ops-quality');
  });
});
