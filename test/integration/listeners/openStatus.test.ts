import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Seeded, startSeeded } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

const home = { view: { id: 'VHOME', type: 'home' } };

describe('listeners/actions/openStatus', () => {
  it('opens the group’s status in a modal', async () => {
    await s.wgbot.interact(
      blockAction('U0THOR', { action_id: 'open_status', block_id: 'b1', value: 'improve-ops-quality' }, home),
    );
    const opened = await s.slack.waitForCall('views.open');
    expect(opened.args.trigger_id).toBe('trigger-open_status');
    expect(opened.args.view).toMatchObject({ type: 'modal', callback_id: 'wg_status' });
    expect(JSON.stringify(opened.args.view)).toContain('Improve Ops Quality');
  });

  it('redraws the App Home saying so when the group is gone', async () => {
    await s.wgbot.interact(
      blockAction('U0THOR', { action_id: 'open_status', block_id: 'b1', value: 'gone-group' }, home),
    );
    await s.slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0THOR');
    expect(JSON.stringify(s.slack.homeView('U0THOR'))).toContain('That working group has been removed');
    expect(s.slack.callsTo('views.open')).toEqual([]);
  });
});
