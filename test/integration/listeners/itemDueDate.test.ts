import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Block, type Seeded, startSeeded } from '../../helpers/listeners.js';
import { sprintsFromNov16 } from '../../helpers/seeds.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
  sprintsFromNov16(s.wgbot.server.store, s.clock.now());
});
afterEach(() => s.stop());

describe('listeners/actions/itemDueDate', () => {
  it('gives the item a new due date from the nudge DM’s picker; the DM says so and lets the item go', async () => {
    await s.wgbot.server.nudges.run({ force: true });
    const post = s.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0THOR')!;
    const { channel, ts } = post.response as { channel: string; ts: string };
    const row = (post.args.blocks as Block[]).find((b) => b.type === 'actions')!;
    const itemId = Number(row.elements!.find((e) => e.action_id === 'item_done')!.value);
    await s.wgbot.interact(
      blockAction(
        'U0THOR',
        {
          type: 'datepicker',
          action_id: 'item_due_date',
          block_id: row.block_id!,
          selected_date: '2026-12-18',
        },
        {
          channel: { id: channel, name: 'directmessage' },
          message: { ts, type: 'message', text: 'reminder' },
        },
      ),
    );
    const update = await s.slack.waitForCall('chat.update', (c) => c.args.ts === ts);
    // Redrawn from the store: the re-dated item has left the DM, which says what happened.
    const blocks = update.args.blocks as Block[];
    expect(blocks.find((b) => b.block_id === row.block_id)).toBeUndefined();
    expect(JSON.stringify(blocks)).toContain(':calendar: New due date Fri 18 Dec');
    expect(String(update.args.text)).toBe('You have 1 overdue action item');
    expect(s.wgbot.server.store.items.getById(itemId)!.dueDate).toBe('2026-12-18');
  });
});
