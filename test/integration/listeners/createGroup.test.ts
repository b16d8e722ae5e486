import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Seeded, startSeeded } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

const submit = (user: string, values: Record<string, Record<string, unknown>>, viewId = 'V1') =>
  s.wgbot.interact({
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trig',
    view: { id: viewId, type: 'modal', callback_id: 'wg_create', private_metadata: '{}', state: { values } },
  });

const form = (name: string, channel: string) => ({
  name: { name: { type: 'plain_text_input', value: name } },
  channel: { channel: { type: 'conversations_select', selected_conversation: channel } },
});

describe('listeners/views/createGroup', () => {
  it('lets a workspace admin give a group’s channel to a new group; others get the field error', async () => {
    const store = s.wgbot.server.store;
    await s.wgbot.slash('status'); // the seed group's page names #wg_improve-ops-quality: C0WG is its home now
    const refused = await submit('U0ADA', form('Side Project', 'C0WG'));
    expect(refused.json).toMatchObject({
      response_action: 'errors',
      errors: { channel: expect.stringContaining('home of Improve Ops Quality') },
    });
    expect(store.groups.getBySlug('side-project')).toBeNull();

    const allowed = await submit('U0BOSS', form('Side Project', 'C0WG'), 'V2');
    expect(allowed.status).toBe(200);
    const dm = await s.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0BOSS');
    expect(dm.args.text).toContain('*Side Project* (`side-project`) is set up with <@U0BOSS> as facilitator');
    expect(store.groups.getByChannelId('C0WG')!.slug).toBe('side-project');
    expect(store.groups.getBySlug('improve-ops-quality')!.slackChannelId).toBeNull();
  });

  it('acks before a slow users.info answers, and checks the channel right after the ack', async () => {
    const store = s.wgbot.server.store;
    await s.wgbot.slash('status', { user: 'U0JOANNA' }); // binds C0WG; Joanna is cached, Boss and Kenny not
    await s.slack.waitForCall('users.info', (c) => c.args.user === 'U0JOANNA');
    s.slack.reset();
    const slow = s.slack.slowDown('users.info', 4_000);

    const order: string[] = [];
    const answered = s.slack
      .waitForCall('users.info', (c) => c.args.user === 'U0BOSS', 10_000)
      .then(() => order.push('users.info answered'));
    const ack = await submit('U0BOSS', form('Side Project', 'C0WG'));
    order.push('ack');
    expect(ack.status).toBe(200);
    expect(ack.text).toBe(''); // accepted: the form closes
    slow.release();
    await answered;
    expect(order).toEqual(['ack', 'users.info answered']);
    await s.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0BOSS');
    expect(store.groups.getByChannelId('C0WG')!.slug).toBe('side-project');

    // Kenny, not an admin and unknown to the cache, is accepted too, then told by DM; nothing moves.
    const kenny = await submit('U0KENNY', form('Kenny’s Group', 'C0WG'), 'V3');
    expect(kenny.text).toBe('');
    const dm = await s.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0KENNY');
    expect(dm.args.text).toContain(
      'wgbot did not create *Kenny’s Group*: the channel is the home of Side Project',
    );
    expect(store.groups.getBySlug('kenny-s-group')).toBeNull();
    expect(store.groups.getByChannelId('C0WG')!.slug).toBe('side-project');
  });

  it('makes one group of a form submitted twice, and refuses the same name again within minutes', async () => {
    const store = s.wgbot.server.store;
    const countGroups = () => store.groups.listActive().length;
    const before = countGroups();
    const [first, second] = await Promise.all([
      submit('U0ADA', form('Side Project', 'C0OTHER'), 'V9'),
      submit('U0ADA', form('Side Project', 'C0OTHER'), 'V9'),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await s.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0ADA');
    expect(countGroups()).toBe(before + 1);
    expect(store.groups.getBySlug('side-project-2')).toBeNull();
    expect(store.groups.getByChannelId('C0OTHER')!.slug).toBe('side-project');

    // The form filled in again (another view) with the same name, taking another channel: refused.
    const again = await submit('U0KENNY', form('side  project', 'C0WG'), 'V10');
    expect(again.json).toMatchObject({
      response_action: 'errors',
      errors: { name: expect.stringContaining('/wg status side-project') },
    });
    expect(countGroups()).toBe(before + 1);
    expect(s.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0ADA')).toHaveLength(1);

    // Ten minutes on, the name may be used again.
    s.clock.advance(11 * 60_000);
    expect((await submit('U0KENNY', form('Side Project', 'C0WG'), 'V11')).text).toBe('');
    await s.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0KENNY');
    expect(store.groups.getBySlug('side-project-2')).not.toBeNull();
  });
});
