import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { localClock } from '../../src/domain/schedule.js';
import { ImportService } from '../../src/services/importService.js';
import { FakeSlack, type SlackCall } from '../fakes/slack.js';
import { handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

/**
 * Six weeks on an injected clock against the fake Slack, the real Bolt app over HTTP: two of Thor's items
 * fall overdue when sprint 20 ends (Sunday Nov 15). Both climb from Thor (Oslo) to the facilitator Joanna
 * (Los Angeles); then Thor presses "I'm on it — new date" on one of them, and only the other climbs to
 * the executive sponsor Mek (Tokyo). Every message lands in its reader's working hours, once.
 */
const START = new Date('2026-11-02T00:00:00Z'); // Monday
const HOUR = 3_600_000;
const ZONES: Record<string, string> = {
  U0THOR: 'Europe/Oslo',
  U0JOANNA: 'America/Los_Angeles',
  U0MEK: 'Asia/Tokyo',
};
const RUNNER = 'Fix the flaky runner';
const RUNBOOK = 'Write the incident runbook';
const NEW_DATE = '2026-12-18';

let clock: ManualClock;
let slack: FakeSlack;
let wgbot: Wgbot;
/** What the presses answered, by step. */
const pressed: Record<string, unknown> = {};

const posts = () => slack.callsTo('chat.postMessage');
const dms = (user: string) => posts().filter((c) => c.args.channel === user);
const blocksText = (call: SlackCall) => JSON.stringify(call.args.blocks);
/** When Slack got the message, by the simulated clock (the message ts, not the wall clock). */
const at = (call: SlackCall) => Number((call.response as { ts: string }).ts) * 1000;
const ladderMessages = (user: string) => dms(user).filter((c) => blocksText(c).includes('you are asked as'));
const nudges = (user: string) => dms(user).filter((c) => String(c.args.text).includes('overdue action item'));
const local = (call: SlackCall, user: string) => localClock(new Date(at(call)), ZONES[user]!);

/** A press on a button of Thor's latest nudge DM, as Slack sends it (signed by the helper). */
function pressInDm(user: string, dm: SlackCall, actionId: string, itemId: number) {
  const { channel, ts } = dm.response as { channel: string; ts: string };
  return wgbot.interact({
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: `trigger-${actionId}-${user}`,
    team: { id: 'T0FAKE', domain: 'fake' },
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'directmessage' },
    message: { ts, text: 'reminder' },
    response_url: slack.responseUrl(`press-${user}`),
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: `item|${itemId}|nudge`,
        value: String(itemId),
        action_ts: '1',
      },
    ],
  });
}

/** The "I'm on it" form submitted, as Slack sends it for the view wgbot opened. */
function submitOnIt(user: string, opened: SlackCall, date: string) {
  const view = opened.args.view as { callback_id: string; private_metadata: string };
  return wgbot.interact({
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trigger-submit',
    view: {
      id: 'V0ONIT',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: { ladder_date: { ladder_date: { type: 'datepicker', selected_date: date } } } },
    },
  });
}

function itemId(title: string): number {
  const store = wgbot.server.store;
  const group = store.groups.getBySlug('improve-ops-quality')!;
  return store.items.listByWg(group.id).find((i) => i.title.startsWith(title))!.id;
}

/** Tuesday Nov 24, 10:00 UTC (11:00 in Oslo): a stranger presses, then Thor says he is on the runbook. */
async function thorIsOnIt(): Promise<void> {
  const latest = nudges('U0THOR').at(-1)!;
  const runbook = itemId(RUNBOOK);
  const before = slack.callsTo('views.open').length;
  pressed.stranger = await pressInDm('U0KENNY', latest, 'ladder_on_it', runbook);
  pressed.strangerOpened = slack.callsTo('views.open').length - before;
  pressed.press = await pressInDm('U0THOR', latest, 'ladder_on_it', runbook);
  const opened = await slack.waitForCall('views.open', (c) =>
    JSON.stringify(c.args).includes('ladder_on_it_form'),
  );
  const updates = slack.callsTo('chat.update').length;
  pressed.submit = await submitOnIt('U0THOR', opened, NEW_DATE);
  await slack.waitForCall('chat.update', () => slack.callsTo('chat.update').length > updates);
  pressed.redrawn = slack.callsTo('chat.update').at(-1);
}

beforeAll(async () => {
  clock = new ManualClock(START);
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: ZONES.U0THOR });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: ZONES.U0JOANNA });
  slack.addUser({ id: 'U0MEK', name: 'mek', realName: 'Mek Stittri', tz: ZONES.U0MEK });
  slack.addUser({ id: 'U0KENNY', name: 'kenny', realName: 'Kenny Johnston', tz: 'UTC' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  wgbot = await startWgbot({ clock, slack });
  const store = wgbot.server.store;
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed(), { channel: 'C0WG' });
  importer.importText(`- [ ] Sprint 20: ${RUNNER} (Thor)\n- [ ] Sprint 20: ${RUNBOOK} (Thor)\n`, {
    slug: 'improve-ops-quality',
  });
  sprintsFromNov16(store, clock.now()); // sprint 20 is Nov 2–15: both items are overdue from Monday Nov 16
  for (let t = START.getTime(); t < START.getTime() + 42 * 24 * HOUR; t += HOUR) {
    clock.set(new Date(t));
    if (new Date(t).toISOString().startsWith('2026-11-24T10')) await thorIsOnIt();
    await wgbot.server.scheduler.tick(new Date(t));
  }
}, 120_000);

afterAll(async () => {
  await wgbot?.stop();
  await slack?.close();
});

describe('the escalation ladder over six weeks', () => {
  it('reminds the owner first, from the Monday after the sprint, in his working hours in Oslo', () => {
    const first = nudges('U0THOR')[0]!;
    expect(local(first, 'U0THOR')).toMatchObject({ date: '2026-11-16', hour: 9 });
    expect(blocksText(first)).toContain(RUNNER);
    expect(blocksText(first)).toContain(RUNBOOK);
    expect(blocksText(first)).toContain('ladder_on_it');
    expect(blocksText(first)).toContain('ladder_blocked');
  });

  it('asks the facilitator once, after three unanswered reminders, at 09:00 in Los Angeles', () => {
    const asked = ladderMessages('U0JOANNA');
    expect(asked).toHaveLength(1);
    // Thor's third reminder went out on Wednesday Nov 18 at 09:00 in Oslo (00:00 in Los Angeles).
    expect(local(asked[0]!, 'U0JOANNA')).toMatchObject({ date: '2026-11-18', hour: 9, weekday: 3 });
    const text = blocksText(asked[0]!);
    expect(text).toContain(RUNNER);
    expect(text).toContain(RUNBOOK);
    expect(text).toContain('its reminders went unanswered');
    // It names who was asked before, and when: Thor, at his first reminder.
    const firstNudge = Math.floor(at(nudges('U0THOR')[0]!) / 1000);
    expect(text).toContain('<@U0THOR> (owner) on <!date^' + String(firstNudge));
    expect(text).toContain('Next: the executive sponsor on Nov 28');
    // Thor's next reminder names her too.
    const later = nudges('U0THOR').find((c) => at(c) > at(asked[0]!))!;
    expect(blocksText(later)).toContain('<@U0JOANNA> (facilitator) on <!date^');
  });

  it('asks the executive sponsor once, ten days later, at 09:00 in Tokyo — about the item nobody answered', () => {
    const asked = ladderMessages('U0MEK');
    expect(asked).toHaveLength(1);
    // Due Saturday Nov 28: Mek's first working hour after it is Monday Nov 30, 09:00 in Tokyo.
    expect(local(asked[0]!, 'U0MEK')).toMatchObject({ date: '2026-11-30', hour: 9, weekday: 1 });
    const text = blocksText(asked[0]!);
    expect(text).toContain(RUNNER);
    expect(text).not.toContain(RUNBOOK);
    expect(text).toContain('you are asked as executive sponsor');
    const joanna = Math.floor(at(ladderMessages('U0JOANNA')[0]!) / 1000);
    expect(text).toContain('<@U0THOR> (owner) on <!date^');
    expect(text).toContain('<@U0JOANNA> (facilitator) on <!date^' + String(joanna));
    expect(text).toContain('This is the last step.');
  });

  it('reaches each step once per item, recorded', () => {
    const store = wgbot.server.store;
    const steps = (title: string) => store.ladder.steps(itemId(title)).map((s) => [s.step, s.reason]);
    expect(steps(RUNNER)).toEqual([
      ['owner', 'overdue'],
      ['facilitators', 'nudges'],
      ['sponsor', 'after-facilitators'],
    ]);
    expect(steps(RUNBOOK)).toEqual([
      ['owner', 'overdue'],
      ['facilitators', 'nudges'],
    ]);
    // Nobody but the facilitator and the sponsor was asked by the ladder (the owner by his reminders).
    const everyone = posts()
      .filter((c) => blocksText(c).includes('you are asked as'))
      .map((c) => c.args.channel);
    expect(new Set(everyone)).toEqual(new Set(['U0JOANNA', 'U0MEK']));
  });

  it('stops for the item Thor is on: the gate refuses a stranger, the new date is kept and shown', () => {
    expect((pressed.stranger as { status: number }).status).toBe(200);
    expect(pressed.strangerOpened).toBe(0);
    expect((pressed.submit as { status: number }).status).toBe(200);
    const redrawn = pressed.redrawn as SlackCall;
    expect(blocksText(redrawn)).toContain('On it — new date Dec 18');
    const store = wgbot.server.store;
    const runbook = store.items.getById(itemId(RUNBOOK))!;
    expect(runbook.dueDate).toBe(NEW_DATE);
    expect(store.ladder.holdUntil(runbook.id)).toBe(NEW_DATE);
    // No reminder about it after the press, and no sponsor.
    const after = nudges('U0THOR').filter((c) => at(c) > Date.parse('2026-11-24T10:00:00Z'));
    expect(after.length).toBeGreaterThan(0);
    for (const call of after) expect(blocksText(call)).not.toContain(RUNBOOK);
  });

  it('sends everything in each reader’s working hours, owners at most once a local day', () => {
    for (const user of ['U0THOR', 'U0JOANNA', 'U0MEK']) {
      const sent = user === 'U0THOR' ? nudges(user) : ladderMessages(user);
      for (const call of sent) {
        const when = local(call, user);
        expect(when.weekday, user).toBeGreaterThanOrEqual(1);
        expect(when.weekday, user).toBeLessThanOrEqual(5);
        expect(when.hour, user).toBeGreaterThanOrEqual(9);
        expect(when.hour, user).toBeLessThan(17);
      }
      const days = sent.map((c) => local(c, user).date);
      expect(new Set(days).size, user).toBe(days.length);
    }
  });

  it('/wg ladder shows who is where and what comes next', async () => {
    const answer = await wgbot.slash('ladder', {
      user: 'U0JOANNA',
      responseUrl: slack.responseUrl('ladder'),
    });
    expect(answer.status).toBe(200);
    const reply = await slack.waitForCall('response_url', (c) => c.path.endsWith('/ladder'));
    const text = JSON.stringify(reply.args);
    expect(text).toContain('Escalation ladder');
    expect(text).toContain('Step: *executive sponsor*');
    expect(text).toContain('This is the last step.');
    expect(text).toContain('on it — new date Dec 18');
    expect(text).toContain('(the defaults)');
  });
});
