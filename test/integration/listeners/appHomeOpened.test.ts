import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Seeded, startSeeded } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

const opened = (tab: string, ts: string) =>
  s.wgbot.event({ type: 'app_home_opened', user: 'U0JOANNA', channel: 'D0JOANNA', tab, event_ts: ts });

describe('listeners/events/appHomeOpened', () => {
  it('publishes the Home tab with the user’s groups; the Messages tab needs nothing', async () => {
    await opened('messages', '1.1');
    await opened('home', '1.2');
    const publish = await s.slack.waitForCall('views.publish');
    expect(publish.args.user_id).toBe('U0JOANNA');
    expect(s.slack.callsTo('views.publish')).toHaveLength(1);
    const home = JSON.stringify(s.slack.homeView('U0JOANNA'));
    expect(home).toContain('My working groups');
    expect(home).toContain('Improve Ops Quality');
  });
});
