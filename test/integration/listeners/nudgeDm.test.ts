import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAction, type Block, type Seeded, startSeeded, textOf } from '../../helpers/listeners.js';
import { sprintsFromNov16 } from '../../helpers/seeds.js';

let s: Seeded;
beforeEach(async () => {
  s = await startSeeded();
  sprintsFromNov16(s.wgbot.server.store, s.clock.now()); // Thor's two sprint-20 items are overdue
});
afterEach(() => s.stop());

interface Dm {
  channel: string;
  ts: string;
  /** Item ids in the order the DM shows them. */
  items: number[];
}

/** Thor's nudge DM as posted. */
async function nudgeDm(): Promise<Dm & { text: string; blocks: Block[] }> {
  await s.wgbot.server.nudges.run({ force: true });
  const post = s.slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0THOR')!;
  const { channel, ts } = post.response as { channel: string; ts: string };
  const blocks = post.args.blocks as Block[];
  const items = blocks
    .filter((b) => b.type === 'actions')
    .map((b) => Number(b.elements!.find((e) => e.action_id === 'item_done')!.value));
  return { channel, ts, items, text: String(post.args.text), blocks };
}

/** Thor clicks a button (or picks a date) of `itemId` in the DM; resolves with the DM's next chat.update. */
async function click(dm: Dm, itemId: number, action: 'item_done' | 'item_snooze' | 'item_due_date') {
  const before = s.slack.callsTo('chat.update').length;
  const picked = action === 'item_due_date' ? { type: 'datepicker', selected_date: '2026-12-18' } : {};
  const answer = await s.wgbot.interact(
    blockAction(
      'U0THOR',
      { action_id: action, block_id: `item|${itemId}|nudge`, value: String(itemId), ...picked },
      {
        container: { type: 'message', message_ts: dm.ts, channel_id: dm.channel },
        channel: { id: dm.channel, name: 'directmessage' },
        message: { ts: dm.ts, type: 'message', text: 'reminder' },
        response_url: s.slack.responseUrl(`click-${action}-${itemId}`),
      },
    ),
  );
  expect(answer.status).toBe(200);
  const update = await s.slack.waitForCall(
    'chat.update',
    () => s.slack.callsTo('chat.update').length > before,
  );
  expect(update.args).toMatchObject({ channel: dm.channel, ts: dm.ts });
  const blocks = update.args.blocks as Block[];
  return {
    text: String(update.args.text),
    shown: textOf({ text: '', blocks }),
    rows: blocks.filter((b) => b.type === 'actions').map((b) => b.block_id),
  };
}

describe('the nudge DM', () => {
  it('leaves its reader out, says how late each item is, and counts in words that fit', async () => {
    const dm = await nudgeDm();
    const shown = textOf({ text: '', blocks: dm.blocks });
    expect(dm.text).toBe('You have 2 overdue action items');
    expect(shown).toContain('Mark them done, snooze them for two days, or give them a new due date.');
    expect(shown).toContain('Workshop w. Roland — *8 days late* (sprint ended Nov 15) · Sprint 20');
    expect(shown).not.toContain('U0THOR');
    expect(shown).not.toContain('Thor');

    const after = await click(dm, dm.items[0]!, 'item_done');
    expect(after.text).toBe('You have 1 overdue action item');
    expect(after.shown).toContain('Mark it done, snooze it for two days, or give it a new due date.');
  });

  it('answers every button with exactly one chat.update of that DM, saying what it did', async () => {
    const dm = await nudgeDm();
    const [first, second] = dm.items as [number, number];

    const done = await click(dm, first, 'item_done');
    expect(done.shown).toMatch(/^.*\n:white_check_mark: Marked done\n/);
    expect(done.rows).toEqual([`item|${second}|nudge`]);

    const snoozed = await click(dm, second, 'item_snooze');
    expect(snoozed.shown).toContain(':zzz: Snoozed until Wed 25 Nov — no reminders till then');
    expect(snoozed.shown).toContain('Nothing is left from this reminder');
    expect(snoozed.rows).toEqual([]);

    // The store is back to both open and unsnoozed: the date picker, on a DM of the next day.
    const store = s.wgbot.server.store;
    store.transaction(() => {
      store.items.setState(first, 'open', s.clock.now());
      store.items.snooze(second, null, s.clock.now());
    });
    s.clock.advance(24 * 3_600_000);
    s.slack.reset();
    const next = await nudgeDm();
    const moved = await click(next, first, 'item_due_date');
    expect(moved.shown).toContain(':calendar: New due date Fri 18 Dec');
    expect(moved.rows).toEqual([`item|${second}|nudge`]);
    // No reminder about it before its new date has passed — midnight after it in the group's zone (UTC
    // here) — though its sprint's end keeps it overdue in the reports.
    expect(store.items.getById(first)!.dueDate).toBe('2026-12-18');
    expect(store.items.getById(first)!.snoozedUntil).toBe('2026-12-19T00:00:00.000Z');

    // One update per click, of that DM; nothing said beside it.
    expect(s.slack.callsTo('chat.update').map((c) => c.args.ts)).toEqual([next.ts]);
    expect(s.slack.callsTo('response_url')).toEqual([]);
  });

  it('says on all three buttons, in the same words, that wgbot cannot change an item in GitLab', async () => {
    const store = s.wgbot.server.store;
    const dm = await nudgeDm();
    // Both items are GitLab issues, and this wgbot has no GitLab token.
    for (const [n, id] of dm.items.entries())
      store.db
        .prepare(
          "UPDATE action_items SET source = 'gitlab_issue', gitlab_path = 'acme/ops', gitlab_iid = ?, url = ? WHERE id = ?",
        )
        .run(n + 1, `https://gitlab.example.com/acme/ops/-/issues/${n + 1}`, id);
    const [first, second] = dm.items as [number, number];
    const why = 'wgbot cannot change it in GitLab: wgbot is not connected to GitLab here.';

    const done = await click(dm, first, 'item_done');
    expect(done.shown).toContain(
      `:warning: Not marked done — ${why} <https://gitlab.example.com/acme/ops/-/issues/1|Close it in GitLab>`,
    );
    expect(done.rows).toHaveLength(2);
    expect(store.items.getById(first)!.state).toBe('open');

    const snoozed = await click(dm, first, 'item_snooze');
    expect(snoozed.shown).toContain(`:zzz: Snoozed until Wed 25 Nov — no reminders till then · ${why}`);

    const moved = await click(dm, second, 'item_due_date');
    expect(moved.shown).toContain(
      `:calendar: New due date Fri 18 Dec, in wgbot only · ${why} <https://gitlab.example.com/acme/ops/-/issues/2|Change it in GitLab>`,
    );
    expect(moved.text).toBe('All done from this reminder');
    expect(s.slack.callsTo('chat.update')).toHaveLength(3);
  });
});
