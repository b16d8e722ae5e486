import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { FakeSlack } from '../fakes/slack.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

let slack: FakeSlack;
let clock: ManualClock;
let wgbot: Wgbot;

interface Block {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { action_id?: string; value?: string; text?: string | { text: string } }[];
}
interface Message {
  response_type?: string;
  text: string;
  blocks: Block[];
}

const GROUPS = 95;
const slugOf = (i: number) => `group-${String(i).padStart(3, '0')}`;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start({ validateBlocks: true });
  wgbot = await startWgbot({ clock, slack });
  const store = wgbot.server.store;
  store.transaction(() => {
    for (let i = 1; i <= GROUPS; i += 1) {
      const group = store.groups.insert(
        slugOf(i),
        { name: `Group ${i}`, targetEndDate: '2027-01-31' },
        clock.now(),
      );
      // Every group gets one overdue item, the fifth gets two: the list says so per group.
      for (const [key, due] of i === 5 ? ['a', 'b'].entries() : ['a'].entries()) {
        store.items.upsert(
          group.id,
          {
            source: 'manual',
            sourceKey: `${key}-${due}`,
            title: 'Overdue thing',
            notes: null,
            state: 'open',
            sprint: null,
            owners: [],
            ownerPersonIds: [],
            dueDate: '2026-11-20',
            url: null,
            storyRef: null,
            confidential: false,
            weight: null,
            labels: [],
            externalId: null,
            externalUpdatedAt: null,
            closedAt: null,
            position: key,
            sourceLine: null,
          },
          clock.now(),
        );
      }
    }
  });
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

const sections = (m: Message) =>
  m.blocks
    .filter((b) => b.type === 'section')
    .map((b) => b.text!.text)
    .join('\n');
const listed = (m: Message) => [...sections(m).matchAll(/`(group-\d{3})`/g)].map((match) => match[1]);
const contextText = (m: Message) =>
  m.blocks
    .filter((b) => b.type === 'context')
    .flatMap((b) => b.elements!.map((e) => (typeof e.text === 'string' ? e.text : '')))
    .join(' ');
const buttons = (m: Message) =>
  m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements!) as {
    action_id: string;
    value: string;
  }[];

const click = (actionId: string, value: string, responseUrl: string) =>
  wgbot.interact({
    type: 'block_actions',
    user: { id: 'U0ADA', username: 'ada', team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    container: { type: 'message', message_ts: '1.1', channel_id: 'C0WG', is_ephemeral: true },
    trigger_id: 'trig',
    team: { id: 'T0FAKE', domain: 'fake' },
    channel: { id: 'C0WG', name: 'wg_improve-ops-quality' },
    response_url: responseUrl,
    actions: [{ type: 'button', action_id: actionId, block_id: 'list_pages', value, action_ts: '1' }],
  });

describe('/wg list over signed HTTP, a page at a time', () => {
  it('shows the first 40 groups with the total, and a Next page button', async () => {
    const answer = await wgbot.slash('list');
    expect(answer.status).toBe(200);
    const message = answer.json as Message;
    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(listed(message)).toEqual(Array.from({ length: 40 }, (_, i) => slugOf(i + 1)));
    expect(contextText(message)).toContain('1–40 of 95 groups · page 1 of 3');
    expect(contextText(message)).toContain('`/wg list 2` for the next page');
    expect(sections(message)).toContain(
      '*Group 5* `group-005` — Jan 31, 2027 · 69 days left · :red_circle: 2 overdue',
    );
    expect(sections(message)).toContain(
      '*Group 6* `group-006` — Jan 31, 2027 · 69 days left · :red_circle: 1 overdue',
    );
    expect(buttons(message)).toEqual([expect.objectContaining({ action_id: 'list_next', value: '2' })]);
  });

  it('answers /wg list N with that page, and turns pages in place with the buttons', async () => {
    const last = (await wgbot.slash('list 3 share')).json as Message;
    expect(last.response_type).toBe('in_channel');
    expect(listed(last)).toEqual(Array.from({ length: 15 }, (_, i) => slugOf(i + 81)));
    expect(contextText(last)).toContain('81–95 of 95 groups · page 3 of 3');
    expect(buttons(last)).toEqual([expect.objectContaining({ action_id: 'list_previous', value: '2' })]);

    expect((await click('list_previous', '2', slack.responseUrl('page-2'))).status).toBe(200);
    const second = (await slack.waitForCall('response_url', (c) => c.path.endsWith('/page-2')))
      .args as unknown as Message & { replace_original: boolean };
    expect(second.replace_original).toBe(true);
    expect(listed(second)).toEqual(Array.from({ length: 40 }, (_, i) => slugOf(i + 41)));
    expect(buttons(second).map((b) => [b.action_id, b.value])).toEqual([
      ['list_previous', '1'],
      ['list_next', '3'],
    ]);

    // A page past the end (the list shrank since) shows the last page rather than nothing.
    const beyond = (await wgbot.slash('list 7')).json as Message;
    expect(listed(beyond)).toEqual(listed(last));
  });

  it('leaves ended groups off the pages, counting them, and says a paused group is paused', async () => {
    const store = wgbot.server.store;
    store.transaction(() => {
      for (const [slug, fields] of [
        [slugOf(2), { lifecycle: 'ended', endedOn: '2026-11-20', lifecycleSource: 'command' }],
        [slugOf(3), { lifecycle: 'paused', lifecycleSource: 'command' }],
      ] as const) {
        const group = store.groups.getBySlug(slug)!;
        store.groups.update(group.id, { name: group.name, ...fields }, clock.now());
      }
    });
    const message = (await wgbot.slash('list')).json as Message;
    expect(listed(message)).toEqual([1, ...Array.from({ length: 39 }, (_, i) => i + 3)].map(slugOf));
    expect(contextText(message)).toContain('1–40 of 94 groups · page 1 of 3');
    expect(contextText(message)).toContain('1 ended group is not listed');
    expect(sections(message)).toContain(
      '*Group 3* `group-003` — :double_vertical_bar: Paused (target Jan 31, 2027) · :red_circle: 1 overdue',
    );
  });

  it('refuses a page that is not a number, saying how to ask', async () => {
    const answer = (await wgbot.slash('list two')).json as Message;
    expect(JSON.stringify(answer.blocks)).toContain('`two` is not a page number');
    expect(JSON.stringify(answer.blocks)).toContain('/wg list 2');
  });
});
