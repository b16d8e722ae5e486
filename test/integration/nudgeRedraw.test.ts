import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

let slack: FakeSlack;
let clock: ManualClock;
let wgbot: Wgbot;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z'); // Monday, 10:00 in Oslo
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Europe/Oslo' });
  wgbot = await startWgbot({ clock, slack });
  const store = wgbot.server.store;
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed());
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  sprintsFromNov16(store, clock.now()); // Thor's two sprint-20 items are overdue
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

it('a click on a nudge DM draws the DM again with what is still overdue', async () => {
  await wgbot.server.nudges.run();
  const [dm] = slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0THOR');
  const posted = dm!.response as { channel: string; ts: string };
  expect(String(dm!.args.text)).toBe('You have 2 overdue action items');
  const row = (
    dm!.args.blocks as {
      type: string;
      block_id?: string;
      elements?: { action_id: string; value?: string }[];
    }[]
  ).find((b) => b.type === 'actions')!;
  const snooze = row.elements!.find((e) => e.action_id === 'item_snooze')!;

  await wgbot.interact({
    type: 'block_actions',
    user: { id: 'U0THOR', username: 'thor', team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trigger',
    team: { id: 'T0FAKE', domain: 'fake' },
    channel: { id: posted.channel, name: 'directmessage' },
    message: { ts: posted.ts, type: 'message', text: dm!.args.text },
    response_url: slack.responseUrl('nudge'),
    actions: [
      {
        type: 'button',
        action_id: 'item_snooze',
        block_id: row.block_id,
        value: snooze.value,
        action_ts: '1',
      },
    ],
  });
  const update = await slack.waitForCall('chat.update', (c) => c.args.ts === posted.ts);
  expect(update.args.channel).toBe(posted.channel);
  expect(String(update.args.text)).toBe('You have 1 overdue action item');
  expect(wgbot.server.store.items.getById(Number(snooze.value))!.snoozedUntil).not.toBeNull();
});
