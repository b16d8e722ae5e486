import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { WorkingGroup } from '../../src/domain/types.js';
import { IdentityService } from '../../src/services/identity.js';
import { ImportService } from '../../src/services/importService.js';
import { NudgeService } from '../../src/services/nudgeService.js';
import { DeliveryError } from '../../src/services/ports.js';
import type { Store } from '../../src/store/store.js';
import { FakeDirectory, FakeMessenger } from '../helpers/ports.js';
import { epicSeed, handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let directory: FakeDirectory;
let messenger: FakeMessenger;
let nudges: NudgeService;
let group: WorkingGroup;

beforeEach(() => {
  clock = new ManualClock('2026-11-23T09:00:00Z'); // a Monday: 10:00 in Oslo and Berlin, 22:00 in Auckland
  ({ store, cleanup } = tempStore(() => clock.now()));
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed()); // Joanna Shih facilitates
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  sprintsFromNov16(store, clock.now()); // Thor's two sprint-20 items are overdue
  group = store.groups.getBySlug('improve-ops-quality')!;
  directory = new FakeDirectory();
  messenger = new FakeMessenger();
  const now = () => clock.now();
  nudges = new NudgeService(store, messenger, directory, new IdentityService(store, directory, now), now);
});

afterEach(() => cleanup());

/** Joanna linked in Slack, in Berlin (in her working hours at the test's moment). */
function linkFacilitator(): void {
  directory.add({ id: 'U0JOANNA', realName: 'Joanna Shih', timeZone: 'Europe/Berlin' });
  const joanna = store.people.findByName('Joanna Shih')!;
  store.transaction(() => store.people.linkSlackUser(joanna.id, 'U0JOANNA', 'Europe/Berlin', clock.now()));
}

it('reminds an owner once a local day, of all their overdue items in one DM, in their zone', async () => {
  directory.add({ id: 'U0THOR', realName: 'Thor', timeZone: 'Europe/Oslo' });
  const run = await nudges.run();
  expect(run.sent).toEqual([{ person: 'Thor', slackUserId: 'U0THOR', items: 2 }]);
  expect(messenger.nudges).toHaveLength(1);
  const [dm] = messenger.nudges;
  expect(dm!.to).toBe('U0THOR');
  expect(dm!.items.map((i) => i.item.title).sort()).toEqual(['SRE DevOps Assessment', 'Workshop w. Roland']);
  expect(dm!.viewer).toEqual({
    slackUserId: 'U0THOR',
    timeZone: 'Europe/Oslo',
    now: clock.now(),
    audience: 'private',
  });
  // Found by name in Slack, and linked for next time.
  expect(store.people.findByName('Thor')!.slackUserId).toBe('U0THOR');

  clock.advance(3 * 3_600_000);
  const again = await nudges.run();
  expect(again.sent).toEqual([]);
  expect(again.alreadyToday).toEqual(['Thor']);
  expect(messenger.nudges).toHaveLength(1);
});

it("waits for the owner's working hours, unless someone asks for the run", async () => {
  directory.add({ id: 'U0THOR', realName: 'Thor', timeZone: 'Pacific/Auckland' });
  const evening = await nudges.run();
  expect(evening.outsideHours).toEqual(['Thor']);
  expect(messenger.nudges).toEqual([]);
  const forced = await nudges.run({ force: true });
  expect(forced.sent.map((s) => s.person)).toEqual(['Thor']);
  expect(messenger.nudges[0]!.viewer.timeZone).toBe('Pacific/Auckland');
});

it("tells the group's facilitators, once a day, about an owner nobody can reach in Slack", async () => {
  linkFacilitator();
  const run = await nudges.run();
  expect(run.unreachable).toEqual(['Thor']);
  expect(messenger.nudges).toEqual([]);
  expect(messenger.unreachable).toHaveLength(1);
  const [notice] = messenger.unreachable;
  expect(notice!.to).toBe('U0JOANNA');
  expect(notice!.groupName).toBe(group.name);
  expect(notice!.owners.map((o) => [o.name, o.items.length])).toEqual([['Thor', 2]]);

  await nudges.run();
  expect(messenger.unreachable).toHaveLength(1);
});

it('counts a DM Slack refuses for good as failed, and lists that owner to the facilitators', async () => {
  linkFacilitator();
  directory.add({ id: 'U0THOR', realName: 'Thor', timeZone: 'Europe/Oslo' });
  messenger.refuse('U0THOR', new DeliveryError('account_inactive', true));
  const run = await nudges.run();
  expect(run.sent).toEqual([]);
  expect(run.failed).toEqual([{ person: 'Thor', error: 'account_inactive' }]);
  expect(messenger.unreachable.map((n) => n.owners.map((o) => o.name))).toEqual([['Thor']]);
});

it('keeps quiet to the facilitators about a DM that failed for a passing reason', async () => {
  linkFacilitator();
  directory.add({ id: 'U0THOR', realName: 'Thor', timeZone: 'Europe/Oslo' });
  messenger.refuse('U0THOR', new DeliveryError('ratelimited'));
  const run = await nudges.run();
  expect(run.failed).toEqual([{ person: 'Thor', error: 'ratelimited' }]);
  expect(messenger.unreachable).toEqual([]);
});

it('escalates items reminded three times without an answer to the facilitators, once', async () => {
  linkFacilitator();
  directory.add({ id: 'U0THOR', realName: 'Thor', timeZone: 'Europe/Oslo' });
  const thor = store.people.findByName('Thor')!;
  const overdue = store.items.listByWg(group.id).filter((i) => i.owners.includes('Thor'));
  store.transaction(() => {
    for (const day of ['2026-11-18', '2026-11-19', '2026-11-20']) {
      const at = new Date(`${day}T09:00:00Z`);
      const id = store.nudges.begin(thor.id, day, 'owner', at)!;
      store.nudges.markSent(
        id,
        'DU0THOR',
        `${day}.1`,
        overdue.map((i) => i.id),
        at,
      );
    }
  });
  const run = await nudges.run();
  expect(run.escalated).toBe(2);
  expect(messenger.escalations).toHaveLength(1);
  const [escalation] = messenger.escalations;
  expect(escalation!.to).toBe('U0JOANNA');
  expect(escalation!.items.map((e) => e.item.id).sort()).toEqual(overdue.map((i) => i.id).sort());
  // Three earlier reminders and this morning's, all unanswered.
  expect(escalation!.items.map((e) => e.reminders)).toEqual([4, 4]);

  clock.advance(24 * 3_600_000);
  expect((await nudges.run()).escalated).toBe(0);
  expect(messenger.escalations).toHaveLength(1);
});

it("a facilitator's run for their group reminds only that group's owners", async () => {
  directory.add({ id: 'U0THOR', realName: 'Thor', timeZone: 'Europe/Oslo' });
  const side = new ImportService(store, () => clock.now()).importText(
    '# Side WG\n\n## Exit Criteria\n\n1. Done => 10%\n\n## Roles and Responsibilities\n\n| Role | Person |\n|---|---|\n| Facilitator | Ada Lovelace |\n',
  ).group;
  const run = await nudges.run({ group: side, force: true });
  expect(run.sent).toEqual([]);
  expect(messenger.nudges).toEqual([]);
  expect((await nudges.run({ group, force: true })).sent.map((s) => s.person)).toEqual(['Thor']);
});

it('after a click, gives what is left of that DM for its reader: still overdue, not snoozed', async () => {
  directory.add({ id: 'U0THOR', realName: 'Thor', timeZone: 'Europe/Oslo' });
  await nudges.run();
  const dm = { channel: 'DU0THOR', ts: '1.0001' };
  const before = (await nudges.remaining('U0THOR', dm))!;
  expect(before.items).toHaveLength(2);
  expect(before.viewer).toMatchObject({
    slackUserId: 'U0THOR',
    timeZone: 'Europe/Oslo',
    audience: 'private',
  });

  const [first, second] = before.items.map((i) => i.item.id) as [number, number];
  store.transaction(() =>
    store.items.snooze(first, new Date(clock.now().getTime() + 86_400_000), clock.now()),
  );
  expect((await nudges.remaining('U0THOR', dm))!.items.map((i) => i.item.id)).toEqual([second]);
  store.transaction(() => store.items.setState(second, 'done', clock.now()));
  expect((await nudges.remaining('U0THOR', dm))!.items).toEqual([]);

  // Someone wgbot does not know has no DM to draw; nor has anyone in a DM that is not theirs.
  expect(await nudges.remaining('U0STRANGER', { channel: 'DU0STRANGER', ts: '2.0001' })).toBeNull();
  directory.add({ id: 'U0ADA', realName: 'Ada Lovelace' });
  await new IdentityService(store, directory, () => clock.now()).personFor('U0ADA');
  expect(await nudges.remaining('U0ADA', dm)).toBeNull();
});
