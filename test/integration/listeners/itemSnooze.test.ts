import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockAction,
  type Block,
  type Message,
  type Seeded,
  startSeeded,
  textOf,
} from '../../helpers/listeners.js';
import { sprintsFromNov16 } from '../../helpers/seeds.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
  sprintsFromNov16(s.wgbot.server.store, s.clock.now()); // Thor's two sprint-20 items are overdue
});
afterEach(() => s.stop());

/** Thor's nudge DM: where it was posted, and its rows of buttons. */
async function nudgeDm() {
  await s.wgbot.server.nudges.run({ force: true });
  const post = s.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0THOR')!;
  const { channel, ts } = post.response as { channel: string; ts: string };
  const rows = (post.args.blocks as Block[]).filter((b) => b.type === 'actions');
  return { channel, ts, rows };
}

describe('listeners/actions/itemSnooze', () => {
  it('redraws the nudge DM after a Snooze click, without the buttons of the snoozed item', async () => {
    const dm = await nudgeDm();
    expect(dm.rows).toHaveLength(2);
    const row = dm.rows[0]!;
    const snooze = row.elements!.find((e) => e.action_id === 'item_snooze')!;
    const click = await s.wgbot.interact(
      blockAction(
        'U0THOR',
        { action_id: 'item_snooze', block_id: row.block_id!, value: snooze.value },
        {
          container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel },
          channel: { id: dm.channel, name: 'directmessage' },
          message: { ts: dm.ts, type: 'message', text: 'You have 2 overdue action items' },
          response_url: s.slack.responseUrl('snooze'),
        },
      ),
    );
    expect(click.status).toBe(200);
    const update = await s.slack.waitForCall('chat.update', (c) => c.args.ts === dm.ts);
    expect(update.args.channel).toBe(dm.channel);
    const blocks = update.args.blocks as Block[];
    expect(blocks.filter((b) => b.type === 'actions').map((b) => b.block_id)).toEqual([dm.rows[1]!.block_id]);
    expect(String(update.args.text)).toBe('You have 1 overdue action item');
    expect(s.wgbot.server.store.items.getById(Number(snooze.value))!.snoozedUntil).toBe(
      '2026-11-25T09:00:00.000Z',
    );
  });

  it('redraws a /wg items overdue list in place for the facilitator', async () => {
    const list = (await s.wgbot.slash('items overdue', { user: 'U0JOANNA' })).json as Message;
    const row = list.blocks!.find((b) => b.type === 'actions')!;
    const value = row.elements!.find((e) => e.action_id === 'item_snooze')!.value!;
    await s.wgbot.interact(
      blockAction(
        'U0JOANNA',
        { action_id: 'item_snooze', block_id: row.block_id!, value },
        { response_url: s.slack.responseUrl('list') },
      ),
    );
    const redrawn = await s.later('list');
    expect(redrawn.replace_original).toBe(true);
    expect(textOf(redrawn)).toContain('overdue items* (2)');
    expect(JSON.stringify(redrawn.blocks)).toContain(':zzz:');
  });
});
