import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SlackCall } from '../fakes/slack.js';
import { type Message, type Seeded, startSeeded, textOf } from '../helpers/listeners.js';
import { sprintsFromNov16 } from '../helpers/seeds.js';

/**
 * The ladder's buttons and commands against the real Bolt app: "Blocked — tell the facilitator" jumps
 * to the facilitators with the owner's note; `/wg escalation` shows and changes the settings (for
 * facilitators only); a sponsor not in Slack is said once, never a crash. Monday Nov 23, 09:00 UTC.
 */
let seeded: Seeded;

beforeEach(async () => {
  seeded = await startSeeded();
  sprintsFromNov16(seeded.wgbot.server.store, seeded.clock.now()); // Thor's sprint-20 items are overdue
});

afterEach(async () => {
  await seeded.stop();
});

const blocksText = (call: SlackCall) => JSON.stringify(call.args.blocks);

function thorsItem(title: string): number {
  const store = seeded.wgbot.server.store;
  const group = store.groups.getBySlug('improve-ops-quality')!;
  return store.items.listByWg(group.id).find((i) => i.title.startsWith(title))!.id;
}

function press(user: string, dm: SlackCall, actionId: string, itemId: number) {
  const { channel, ts } = dm.response as { channel: string; ts: string };
  return seeded.wgbot.interact({
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: `trigger-${actionId}`,
    team: { id: 'T0FAKE', domain: 'fake' },
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'directmessage' },
    message: { ts, text: 'reminder' },
    response_url: seeded.slack.responseUrl(`press-${user}`),
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

function submit(user: string, opened: SlackCall, values: Record<string, unknown>) {
  const view = opened.args.view as { callback_id: string; private_metadata: string };
  return seeded.wgbot.interact({
    type: 'view_submission',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'legacy',
    trigger_id: 'trigger-submit',
    view: {
      id: 'V0FORM',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values },
    },
  });
}

it("Blocked — tell the facilitator: the facilitators' step at once with the note, in her working hours", async () => {
  const { slack, clock, wgbot } = seeded;
  // Eight days late already: with the default five days the facilitators would be asked anyway.
  const store = wgbot.server.store;
  const group = store.groups.getBySlug('improve-ops-quality')!;
  const settings = { afterNudges: 3, afterLateDays: 20, sponsorAfterDays: 10 };
  store.transaction(() => store.ladder.setSettings(group.id, settings, null, clock.now()));
  await wgbot.server.nudges.run();
  const dm = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0THOR')!;
  const workshop = thorsItem('Workshop w. Roland');

  await press('U0THOR', dm, 'ladder_blocked', workshop);
  const opened = await slack.waitForCall('views.open', (c) =>
    JSON.stringify(c.args).includes('ladder_blocked_form'),
  );
  // An empty note is refused in the form itself.
  const empty = await submit('U0THOR', opened, {
    ladder_note: { ladder_note: { type: 'plain_text_input', value: ' ' } },
  });
  expect(empty.json).toMatchObject({ response_action: 'errors' });
  const note = 'Roland is on leave until December & nobody else can run it';
  const updates = slack.callsTo('chat.update').length;
  await submit('U0THOR', opened, { ladder_note: { ladder_note: { type: 'plain_text_input', value: note } } });
  await slack.waitForCall('chat.update', () => slack.callsTo('chat.update').length > updates);
  expect(blocksText(slack.callsTo('chat.update').at(-1)!)).toContain('Told Joanna Shih (facilitators)');

  // 01:00 in Los Angeles: Joanna hears in her morning, once, with Thor's note and his reminder.
  const toJoanna = () =>
    slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'U0JOANNA' && blocksText(c).includes('you are asked as'));
  expect(toJoanna()).toHaveLength(0);
  expect(store.ladder.steps(workshop).map((s) => [s.step, s.reason, s.note])).toEqual([
    ['owner', 'overdue', null],
    ['facilitators', 'blocked', note],
  ]);
  clock.set(new Date('2026-11-23T17:00:00Z'));
  await wgbot.server.nudges.run();
  clock.advance(60 * 60_000);
  await wgbot.server.nudges.run();
  expect(toJoanna()).toHaveLength(1);
  const text = blocksText(toJoanna()[0]!);
  expect(text).toContain('its owner is blocked');
  expect(text).toContain('Roland is on leave until December &amp; nobody else can run it');
  expect(text).toContain('<@U0THOR> (owner) on <!date^');
  expect(text).not.toContain('SRE DevOps');

  // Pressing again says the facilitators were asked already: no second message.
  await press('U0THOR', dm, 'ladder_blocked', workshop);
  const again = await slack.waitForCall(
    'views.open',
    (c) => c !== opened && JSON.stringify(c.args).includes('ladder_blocked_form'),
  );
  const before = slack.callsTo('chat.update').length;
  await submit('U0THOR', again, {
    ladder_note: { ladder_note: { type: 'plain_text_input', value: 'still stuck' } },
  });
  await slack.waitForCall('chat.update', () => slack.callsTo('chat.update').length > before);
  expect(blocksText(slack.callsTo('chat.update').at(-1)!)).toContain('already asked about it');
  expect(toJoanna()).toHaveLength(1);
});

it('only the owner or a facilitator may press Blocked: a member is refused, and no form opens', async () => {
  const { slack, wgbot } = seeded;
  await wgbot.server.nudges.run();
  const dm = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0THOR')!;
  await press('U0KENNY', dm, 'ladder_blocked', thorsItem('Workshop w. Roland'));
  const said = await slack.waitForCall('response_url', (c) => c.path.endsWith('/press-U0KENNY'));
  expect(JSON.stringify(said.args)).toContain('Only');
  expect(slack.callsTo('views.open')).toHaveLength(0);
});

it('/wg escalation shows the defaults, facilitators change them, others are refused', async () => {
  const { slack, wgbot } = seeded;
  const ask = async (text: string, user: string, id: string) => {
    await wgbot.slash(text, { user, responseUrl: slack.responseUrl(id) });
    return textOf((await seeded.later(id)) as Message);
  };
  expect(await ask('escalation', 'U0KENNY', 'show')).toContain(
    'the facilitators after 3 unanswered reminders or 5 days late; the executive sponsor 10 days after the facilitators (the defaults)',
  );
  expect(await ask('escalation 2 4 7', 'U0KENNY', 'refused')).toContain('change the escalation ladder');
  expect(await ask('escalation 2 4 7', 'U0JOANNA', 'set')).toContain(
    'changed: Owner first; the facilitators after 2 unanswered reminders or 4 days late; the executive sponsor 7 days after',
  );
  const group = wgbot.server.store.groups.getBySlug('improve-ops-quality')!;
  expect(wgbot.server.store.ladder.settings(group.id)).toEqual({
    afterNudges: 2,
    afterLateDays: 4,
    sponsorAfterDays: 7,
    custom: true,
  });
  const wrong = (await wgbot.slash('escalation 2 0 7', { user: 'U0JOANNA' })).json as Message;
  expect(textOf(wrong)).toContain('`0` is not a whole number from 1 to 365.');
});

it('a sponsor not in Slack is said once and the ladder goes on without a crash', async () => {
  const { clock, wgbot, slack } = seeded;
  const store = wgbot.server.store;
  const group = store.groups.getBySlug('improve-ops-quality')!;
  store.transaction(() =>
    store.ladder.setSettings(
      group.id,
      { afterNudges: 1, afterLateDays: 1, sponsorAfterDays: 1 },
      null,
      clock.now(),
    ),
  );
  // Mek Stittri, the page's executive sponsor, has no Slack user here.
  for (let day = 0; day < 4; day++) {
    await wgbot.server.nudges.run({ force: true });
    clock.advance(24 * 3_600_000);
  }
  const workshop = thorsItem('Workshop w. Roland');
  // The sponsor's step is due but reaches nobody: not counted as reached, so it waits for Mek.
  expect(store.ladder.steps(workshop).map((s) => s.step)).toEqual(['owner', 'facilitators']);
  expect(store.ladder.asks(workshop).filter((a) => a.step === 'sponsor')).toEqual([]);
  expect(store.ladder.notices(group.id)).toEqual([{ kind: 'executive_sponsor', name: 'Mek Stittri' }]);
  await wgbot.slash('ladder', { user: 'U0JOANNA', responseUrl: slack.responseUrl('ladder') });
  const board = textOf((await seeded.later('ladder')) as Message);
  expect(board).toContain(
    'The ladder cannot reach Mek Stittri (executive sponsor): no Slack user found by that name.',
  );

  // Mek joins Slack: the next run reaches the sponsor's step and asks him, once.
  slack.addUser({ id: 'U0MEK', name: 'mek', realName: 'Mek Stittri', tz: 'UTC' });
  await wgbot.server.nudges.run({ force: true });
  await wgbot.server.nudges.run({ force: true });
  expect(store.ladder.steps(workshop).map((s) => s.step)).toEqual(['owner', 'facilitators', 'sponsor']);
  const toMek = slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === 'U0MEK' && blocksText(c).includes('you are asked as'));
  expect(toMek).toHaveLength(1);
  expect(blocksText(toMek[0]!)).toContain('Workshop w. Roland');
});

it('a step whose ask was dropped unsent (the owner is on it) is asked again once the hold has passed', async () => {
  const { clock, wgbot, slack } = seeded;
  const store = wgbot.server.store;
  const group = store.groups.getBySlug('improve-ops-quality')!;
  const settings = { afterNudges: 60, afterLateDays: 1, sponsorAfterDays: 10 };
  store.transaction(() => store.ladder.setSettings(group.id, settings, null, clock.now()));
  const workshop = thorsItem('Workshop w. Roland');
  const toJoanna = () =>
    slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === 'U0JOANNA' && blocksText(c).includes('you are asked as'));
  const aboutWorkshop = () => toJoanna().filter((c) => blocksText(c).includes('Workshop w. Roland'));

  // 09:00 UTC, 01:00 in Los Angeles: the facilitators' step is reached, Joanna's ask waits for her hours.
  await wgbot.server.nudges.run();
  expect(store.ladder.asks(workshop).find((a) => a.step === 'facilitators')?.state).toBe('pending');
  // Thor is on it until Wednesday; at 09:00 in Los Angeles his item's ask is no longer due.
  store.transaction(() => store.ladder.hold(workshop, '2026-11-25', 'U0THOR', clock.now()));
  clock.set(new Date('2026-11-23T17:00:00Z'));
  await wgbot.server.nudges.run();
  expect(aboutWorkshop()).toHaveLength(0);
  expect(store.ladder.steps(workshop).map((s) => s.step)).toEqual(['owner']);

  // Thursday, a day after the hold, still late: Joanna is asked about it now, once.
  clock.set(new Date('2026-11-26T17:00:00Z'));
  await wgbot.server.nudges.run();
  await wgbot.server.nudges.run();
  expect(aboutWorkshop()).toHaveLength(1);
  expect(blocksText(aboutWorkshop()[0]!)).toContain('it has stayed late');
  expect(store.ladder.steps(workshop).map((s) => s.step)).toEqual(['owner', 'facilitators']);
  expect(store.ladder.asks(workshop).find((a) => a.step === 'facilitators')?.state).toBe('sent');
});

it('asks once when two runs climb at the same time, and drops an ask whose item was closed meanwhile', async () => {
  const { clock, wgbot, slack } = seeded;
  const store = wgbot.server.store;
  // 09:00 UTC: eight days late, so the facilitators' step is due; 01:00 for Joanna in Los Angeles.
  await Promise.all([wgbot.server.nudges.run(), wgbot.server.nudges.run()]);
  const workshop = thorsItem('Workshop w. Roland');
  const assessment = thorsItem('SRE DevOps Assessment');
  for (const id of [workshop, assessment])
    expect(store.ladder.steps(id).map((s) => [s.step, s.reason])).toEqual([
      ['owner', 'overdue'],
      ['facilitators', 'late'],
    ]);
  store.transaction(() => store.items.setState(workshop, 'done', clock.now()));

  clock.set(new Date('2026-11-23T17:00:00Z')); // 09:00 in Los Angeles
  await Promise.all([wgbot.server.nudges.run(), wgbot.server.nudges.run(), wgbot.server.nudges.run()]);
  const toJoanna = slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === 'U0JOANNA' && blocksText(c).includes('you are asked as'));
  expect(toJoanna).toHaveLength(1);
  expect(blocksText(toJoanna[0]!)).toContain('SRE DevOps Assessment');
  expect(blocksText(toJoanna[0]!)).not.toContain('Workshop w. Roland');
  expect(blocksText(toJoanna[0]!)).toContain('it has stayed late');
  // The closed item's ask was withdrawn unsent: its step was never reached.
  expect(store.ladder.asks(workshop).find((a) => a.step === 'facilitators')).toBeUndefined();
  expect(store.ladder.steps(workshop).map((s) => s.step)).toEqual(['owner']);
  expect(store.ladder.asks(assessment).find((a) => a.step === 'facilitators')?.state).toBe('sent');
});
