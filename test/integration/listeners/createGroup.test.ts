import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Seeded, startSeeded } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

const submit = (user: string, values: Record<string, Record<string, unknown>>) =>
  s.wgbot.interact({
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trig',
    view: { id: 'V1', type: 'modal', callback_id: 'wg_create', private_metadata: '{}', state: { values } },
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

    const allowed = await submit('U0BOSS', form('Side Project', 'C0WG'));
    expect(allowed.status).toBe(200);
    const dm = await s.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0BOSS');
    expect(dm.args.text).toContain('*Side Project* (`side-project`) is set up with <@U0BOSS> as facilitator');
    expect(store.groups.getByChannelId('C0WG')!.slug).toBe('side-project');
    expect(store.groups.getBySlug('improve-ops-quality')!.slackChannelId).toBeNull();
  });
});
