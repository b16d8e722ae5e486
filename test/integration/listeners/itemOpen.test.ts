import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Seeded, startSeeded } from '../../helpers/listeners.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
});
afterEach(() => s.stop());

describe('listeners/actions/itemOpen', () => {
  it('acknowledges the link button and calls nothing (Slack opens the URL itself)', async () => {
    s.slack.reset();
    const click = await s.wgbot.interact(
      blockAction('U0THOR', {
        action_id: 'item_open',
        block_id: 'item|1|home',
        value: '1',
        url: 'https://x.y/1',
      }),
    );
    expect(click.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.slack.calls).toEqual([]);
  });
});
