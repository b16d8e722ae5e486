import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

let slack: FakeSlack;
let clock: ManualClock;
let wgbot: Wgbot;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'America/Los_Angeles' });
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Europe/Oslo' });
  slack.addUser({ id: 'U0BOSS', name: 'boss', realName: 'Big Boss', isAdmin: true });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  slack.addChannel({ id: 'C0OTHER', name: 'random' });
  wgbot = await startWgbot({ clock, slack });
  const importer = new ImportService(wgbot.server.store, () => clock.now());
  importer.importText(handbookSeed());
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id: string; value: string }[];
};
type Message = { response_type?: string; text: string; blocks: Block[] };
const textOf = (m: Message) => m.blocks.map((b) => b.text?.text ?? JSON.stringify(b)).join('\n');

describe('/wg over signed HTTP', () => {
  it('answers /wg status in the acknowledgement, ephemeral, for the channel’s group', async () => {
    const answer = await wgbot.slash('status');
    expect(answer.status).toBe(200);
    const message = answer.json as Message;
    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Improve Ops Quality' } });
    const text = textOf(message);
    expect(text).toContain('*Overall* `██████████` *100%*');
    expect(text).toContain('*Exit criteria*');
    expect(text).toMatch(/1\. `██████████` \*100%\* {2}Analyze all high-severity incidents/);
    expect(text).toContain('*Executive Sponsor:* Mek Stittri');
    expect(text).toContain('not linked to GitLab');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('shares /wg status share in the channel', async () => {
    const answer = await wgbot.slash('status share');
    expect((answer.json as Message).response_type).toBe('in_channel');
  });

  it('answers help, and a helpful message with the nearest command for a typo', async () => {
    const help = await wgbot.slash('help');
    expect(textOf(help.json as Message)).toContain('`/wg status [slug] [share]`');
    const typo = await wgbot.slash('stauts');
    expect(typo.status).toBe(200);
    expect((typo.json as Message).response_type).toBe('ephemeral');
    expect(textOf(typo.json as Message)).toContain('`stauts` is not a `/wg` command.');
    expect(textOf(typo.json as Message)).toContain('Try `/wg status`');
  });

  it('says which groups exist when the channel has none', async () => {
    const answer = await wgbot.slash('status', { channel: 'C0OTHER', channelName: 'random' });
    expect(textOf(answer.json as Message)).toContain('This channel is not the home of a working group');
    expect(textOf(answer.json as Message)).toContain('`improve-ops-quality`');
  });

  it('refuses unsigned, wrongly signed, stale and future requests with 401, and does nothing', async () => {
    slack.reset();
    for (const options of [
      { signature: null },
      { signature: 'v0=deadbeef' },
      { secret: 'not-the-secret' },
      { skewSeconds: -301 },
      { skewSeconds: 301 },
    ]) {
      const answer = await wgbot.slash('sync', options);
      expect(answer.status, JSON.stringify(options)).toBe(401);
      expect(answer.text).toBe('');
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(slack.calls).toEqual([]);
    expect(wgbot.server.syncQueue.state).toEqual({ pending: 0, running: null });
  });

  it('lists items overdue by sprint cadence with buttons, and marks one done in place', async () => {
    const store = wgbot.server.store;
    const group = store.groups.getBySlug('improve-ops-quality')!;
    store.transaction(() =>
      store.groups.update(
        group.id,
        { name: group.name, cadence: { lengthDays: 14, anchorNumber: 21, anchorDate: '2026-11-16' } },
        clock.now(),
      ),
    );
    const answer = await wgbot.slash('items overdue');
    const message = answer.json as Message & {
      blocks: { type: string; block_id?: string; elements?: { action_id: string; value: string }[] }[];
    };
    const text = textOf(message);
    expect(text).toContain('overdue items* (2)');
    expect(text).toContain('Workshop w. Roland');
    const actions = message.blocks.filter((b) => b.type === 'actions');
    expect(actions).toHaveLength(2);
    const done = actions[0]!.elements!.find((e) => e.action_id === 'item_done')!;

    const responseUrl = slack.responseUrl('click-1');
    const click = await wgbot.interact({
      type: 'block_actions',
      user: { id: 'U0THOR', username: 'thor', team_id: 'T0FAKE' },
      api_app_id: 'A0FAKE',
      token: 'legacy',
      container: { type: 'message', message_ts: '1.1', channel_id: 'C0WG', is_ephemeral: true },
      trigger_id: 'trig',
      team: { id: 'T0FAKE', domain: 'fake' },
      channel: { id: 'C0WG', name: 'wg_improve-ops-quality' },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: 'item_done',
          block_id: actions[0]!.block_id,
          value: done.value,
          action_ts: '1',
        },
      ],
    });
    expect(click.status).toBe(200);
    const update = await slack.waitForCall('response_url', (c) => c.path.endsWith('/click-1'));
    expect(update.args.replace_original).toBe(true);
    expect(JSON.stringify(update.args.blocks)).toContain('overdue items* (1)');
    expect(store.items.getById(Number(done.value))!.state).toBe('done');
  });
});
