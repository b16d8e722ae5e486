import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Seeded, startSeeded } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

const home = { view: { id: 'VHOME', type: 'home' } };
const click = (user: string, slug: string) =>
  s.wgbot.interact(blockAction(user, { action_id: 'open_status', block_id: 'b1', value: slug }, home));

describe('listeners/actions/openStatus', () => {
  it('opens a loading modal with the trigger before asking Slack anything, then fills it with the status', async () => {
    const slow = s.slack.slowDown('users.info', 4_000);
    const order: string[] = [];
    const opened = s.slack.waitForCall('views.open').then((call) => {
      order.push('views.open');
      return call;
    });
    const answered = s.slack
      .waitForCall('users.info', (c) => c.args.user === 'U0THOR', 10_000)
      .then(() => order.push('users.info answered'));
    await click('U0THOR', 'improve-ops-quality');
    const open = await opened;
    slow.release();
    await answered;
    expect(order).toEqual(['views.open', 'users.info answered']);
    expect(open.args.trigger_id).toBe('trigger-open_status');
    expect(JSON.stringify(open.args.view)).toContain('Reading the status of *Improve Ops Quality*');

    const update = await s.slack.waitForCall('views.update');
    const viewId = (open.response as { view: { id: string } }).view.id;
    expect(update.args.view_id).toBe(viewId);
    expect(update.args.view).toMatchObject({ type: 'modal', callback_id: 'wg_status' });
    expect(JSON.stringify(s.slack.view(viewId))).toContain('Exit criteria');
  });

  it('tells the reader by DM when Slack will not open the modal', async () => {
    s.slack.failNext('views.open', { error: 'expired_trigger_id' });
    await click('U0THOR', 'improve-ops-quality');
    const dm = await s.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0THOR');
    expect(dm.args.text).toContain('Slack did not open the status window (expired_trigger_id)');
    expect(dm.args.text).toContain('`/wg status improve-ops-quality`');
    expect(s.slack.callsTo('views.update')).toEqual([]);
  });

  it('redraws the App Home saying so when the group is gone', async () => {
    await click('U0THOR', 'gone-group');
    await s.slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0THOR');
    expect(JSON.stringify(s.slack.homeView('U0THOR'))).toContain('That working group has been removed');
    expect(s.slack.callsTo('views.open')).toEqual([]);
  });
});
