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
  clock = new ManualClock('2026-11-23T09:00:00Z'); // Monday: 10:00 in Oslo, 22:00 in Auckland
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Europe/Oslo' });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'America/Los_Angeles' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  wgbot = await startWgbot({ clock, slack });
  const store = wgbot.server.store;
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed());
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  sprintsFromNov16(store, clock.now()); // Thor's sprint-20 items are overdue
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
});

it('follows an owner who moved to another time zone: their new working hours, their new zone stored', async () => {
  const { nudges, store } = wgbot.server;
  const first = await nudges.run();
  expect(first.sent.map((s) => s.slackUserId)).toEqual(['U0THOR']);
  expect(store.people.getBySlackUserId('U0THOR')!.timezone).toBe('Europe/Oslo');

  // Thor moves to New Zealand; Slack knows, and wgbot's directory cache (hours) has expired by tomorrow.
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor', tz: 'Pacific/Auckland' });
  clock.advance(24 * 3_600_000); // Tuesday 09:00 UTC = 22:00 in Auckland, 10:00 in Oslo
  const evening = await nudges.run();
  expect(evening.sent).toEqual([]);
  expect(evening.outsideHours).toContain('Thor');
  expect(store.people.getBySlackUserId('U0THOR')!.timezone).toBe('Pacific/Auckland');

  clock.advance(12 * 3_600_000); // Tuesday 21:00 UTC = Wednesday 10:00 in Auckland
  const morning = await nudges.run();
  expect(morning.sent.map((s) => s.slackUserId)).toEqual(['U0THOR']);
  const dms = slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0THOR');
  expect(dms).toHaveLength(2);
});

it('a facilitator’s /wg nudge concerns their group only: other groups’ facilitators hear in their own hours', async () => {
  const { nudges, store } = wgbot.server;
  const ops = store.groups.getBySlug('improve-ops-quality')!;
  // Joanna facilitates Improve Ops Quality from Los Angeles; Thor's items there went three reminders unanswered.
  const joanna = store.people.findByName('Joanna Shih')!;
  const thor = store.people.findOrCreate('Thor', clock.now());
  store.transaction(() => {
    store.people.linkSlackUser(joanna.id, 'U0JOANNA', 'America/Los_Angeles', clock.now());
    const overdue = store.items.listByWg(ops.id).filter((i) => i.owners.includes('Thor'));
    for (const day of ['2026-11-18', '2026-11-19', '2026-11-20']) {
      const id = store.nudges.begin(thor.id, day, 'owner', new Date(`${day}T09:00:00Z`))!;
      store.nudges.markSent(
        id,
        'D0THOR',
        `${day}.1`,
        overdue.map((i) => i.id),
        new Date(`${day}T09:00:00Z`),
      );
    }
  });
  // Another group's facilitator nudges their own group at 01:00 in Los Angeles.
  const side = new ImportService(store, () => clock.now()).importText(
    '# Side WG\n\n## Exit Criteria\n\n1. Done => 10%\n\n## Roles and Responsibilities\n\n| Role | Person |\n|---|---|\n| Facilitator | Ada Lovelace |\n',
  );
  const sideGroup = side.group;
  const forced = await nudges.run({ group: sideGroup, force: true });
  expect(forced.escalated).toBe(0);
  expect(slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0JOANNA')).toHaveLength(0);

  // The regular run in Joanna's morning tells her.
  clock.set(new Date('2026-11-23T17:00:00Z')); // 09:00 in Los Angeles
  const regular = await nudges.run();
  expect(regular.escalated).toBeGreaterThan(0);
  expect(slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0JOANNA')).toHaveLength(1);
});

it('an owner whose DM fails is listed to each group’s facilitators with that group’s items only', async () => {
  const { nudges, store } = wgbot.server;
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace', tz: 'Europe/Berlin' });
  const importer = new ImportService(store, () => clock.now());
  importer.importText(
    '# Side WG\n\n## Exit Criteria\n\n1. Done => 10%\n\n## Roles and Responsibilities\n\n| Role | Person |\n|---|---|\n| Facilitator | Ada Lovelace |\n',
  );
  importer.importText('- [ ] Sprint 20: Side task (Thor)\n', { slug: 'side-wg' });
  sprintsFromNov16(store, clock.now(), 'side-wg');
  store.transaction(() => {
    store.people.linkSlackUser(store.people.findByName('Joanna Shih')!.id, 'U0JOANNA', null, clock.now());
    store.people.linkSlackUser(store.people.findByName('Ada Lovelace')!.id, 'U0ADA', null, clock.now());
  });
  slack.failNext('chat.postMessage', { error: 'account_inactive' });
  const run = await nudges.run({ force: true });
  expect(run.failed).toEqual([{ person: 'Thor', error: 'account_inactive' }]);
  const notice = (user: string) =>
    JSON.stringify(slack.callsTo('chat.postMessage').find((c) => c.args.channel === user)?.args.blocks);
  expect(notice('U0JOANNA')).toContain('Workshop w. Roland');
  expect(notice('U0JOANNA')).not.toContain('Side task');
  expect(notice('U0ADA')).toContain('Side task');
  expect(notice('U0ADA')).not.toContain('Workshop w. Roland');
});
