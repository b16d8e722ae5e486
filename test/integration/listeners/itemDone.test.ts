import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Block, type Seeded, startSeeded, textOf } from '../../helpers/listeners.js';
import { sprintsFromNov16 } from '../../helpers/seeds.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
  sprintsFromNov16(s.wgbot.server.store, s.clock.now());
});
afterEach(() => s.stop());

describe('listeners/actions/itemDone', () => {
  it('marks the owner’s item done from the nudge DM and redraws the DM; a stranger is refused', async () => {
    await s.wgbot.server.nudges.run({ force: true });
    const post = s.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0THOR')!;
    const { channel, ts } = post.response as { channel: string; ts: string };
    const row = (post.args.blocks as Block[]).find((b) => b.type === 'actions')!;
    const done = row.elements!.find((e) => e.action_id === 'item_done')!;
    const where = {
      channel: { id: channel, name: 'directmessage' },
      message: { ts, type: 'message', text: 'reminder' },
    };

    await s.wgbot.interact(
      blockAction(
        'U0ADA',
        { action_id: 'item_done', block_id: row.block_id!, value: done.value },
        { ...where, response_url: s.slack.responseUrl('stranger') },
      ),
    );
    expect(textOf(await s.later('stranger'))).toContain(
      'Only its owners and facilitators can mark this item done',
    );
    expect(s.wgbot.server.store.items.getById(Number(done.value))!.state).toBe('open');

    await s.wgbot.interact(
      blockAction('U0THOR', { action_id: 'item_done', block_id: row.block_id!, value: done.value }, where),
    );
    const update = await s.slack.waitForCall('chat.update', (c) => c.args.ts === ts);
    expect(String(update.args.text)).toBe('You have 1 overdue action item');
    expect(s.wgbot.server.store.items.getById(Number(done.value))!.state).toBe('done');
  });
});
