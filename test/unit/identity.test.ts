import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { WorkingGroup } from '../../src/domain/types.js';
import { IdentityService } from '../../src/services/identity.js';
import { ImportService } from '../../src/services/importService.js';
import type { Store } from '../../src/store/store.js';
import { FakeDirectory } from '../helpers/ports.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let directory: FakeDirectory;
let identity: IdentityService;
let group: WorkingGroup;

beforeEach(() => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  ({ store, cleanup } = tempStore(() => clock.now()));
  const importer = new ImportService(store, () => clock.now());
  importer.importText(handbookSeed()); // Joanna Shih facilitates; Tiffany Rea is a functional lead
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' }); // Thor owns items
  group = store.groups.getBySlug('improve-ops-quality')!;
  directory = new FakeDirectory();
  identity = new IdentityService(store, directory, () => clock.now());
});

afterEach(() => cleanup());

describe('personFor', () => {
  it("links a Slack user to the page's person when nobody else in the workspace goes by that name", async () => {
    directory.add({ id: 'U0JOANNA', realName: 'Joanna Shih', timeZone: 'America/Los_Angeles' });
    const onPage = store.people.findByName('Joanna Shih')!;
    const person = await identity.personFor('U0JOANNA');
    expect(person).toMatchObject({ id: onPage.id, slackUserId: 'U0JOANNA', timezone: 'America/Los_Angeles' });
  });

  it("makes a namesake when the name is shared: renaming oneself does not claim a page's facilitator", async () => {
    directory.add({ id: 'U0JOANNA', realName: 'Joanna Shih' });
    directory.add({ id: 'U0MIMIC', realName: 'Joanna Shih' });
    const person = await identity.personFor('U0MIMIC');
    expect(person.name).toBe('Joanna Shih (U0MIMIC)');
    expect(store.people.findByName('Joanna Shih')!.slackUserId).toBeNull();
    expect((await identity.mayConfigure(group, 'U0MIMIC')).allowed).toBe(false);
  });

  it('answers a user it knows from the store, without asking Slack', async () => {
    directory.add({ id: 'U0JOANNA', realName: 'Joanna Shih' });
    const first = await identity.personFor('U0JOANNA');
    directory.asked.length = 0;
    expect(await identity.personFor('U0JOANNA')).toEqual(first);
    expect(directory.asked).toEqual([]);
  });

  it('makes a person named by their Slack ID when Slack does not know the user', async () => {
    const person = await identity.personFor('U0GHOST');
    expect(person).toMatchObject({ name: 'U0GHOST', slackUserId: 'U0GHOST' });
  });
});

describe('permissions', () => {
  it("lets the group's facilitators and workspace admins configure it, and names the facilitators to others", async () => {
    directory.add({ id: 'U0JOANNA', realName: 'Joanna Shih' });
    directory.add({ id: 'U0ADMIN', realName: 'Ada Admin', isAdmin: true });
    directory.add({ id: 'U0TIFF', realName: 'Tiffany Rea' });
    expect(await identity.mayConfigure(group, 'U0JOANNA')).toEqual({ allowed: true, facilitators: [] });
    expect(await identity.mayConfigure(group, 'U0ADMIN')).toEqual({ allowed: true, facilitators: [] });
    expect(await identity.mayConfigure(group, 'U0TIFF')).toEqual({
      allowed: false,
      facilitators: [{ slackUserId: 'U0JOANNA', name: 'Joanna Shih' }],
    });
  });

  it('within Slack’s 3 seconds, answers from what is linked or cached, never asking Slack', async () => {
    directory.add({ id: 'U0JOANNA', realName: 'Joanna Shih' });
    directory.add({ id: 'U0ADMIN', realName: 'Ada Admin', isAdmin: true });
    directory.add({ id: 'U0TIFF', realName: 'Tiffany Rea' });
    await identity.personFor('U0JOANNA');
    const asked = directory.asked.length;
    expect(identity.mayConfigureNow(group, 'U0JOANNA')).toBe(true);
    // Not looked up yet: the cache cannot tell, so the caller asks after the ack.
    expect(identity.mayConfigureNow(group, 'U0ADMIN')).toBeNull();
    expect(directory.asked).toHaveLength(asked);
    await directory.user('U0ADMIN');
    await directory.user('U0TIFF');
    expect(identity.mayConfigureNow(group, 'U0ADMIN')).toBe(true);
    expect(identity.mayConfigureNow(group, 'U0TIFF')).toBe(false);
  });

  it("lets an item's owner act on it, and refuses anyone else who may not configure the group", async () => {
    directory.add({ id: 'U0THOR', realName: 'Thor' });
    directory.add({ id: 'U0TIFF', realName: 'Tiffany Rea' });
    const item = store.items.listByWg(group.id).find((i) => i.owners.includes('Thor'))!;
    expect(await identity.mayActOn(item, 'U0THOR')).toEqual({
      allowed: true,
      facilitators: [],
      owners: ['Thor'],
    });
    expect(await identity.mayActOn(item, 'U0TIFF')).toMatchObject({ allowed: false, owners: ['Thor'] });
  });
});

describe('slackUserOf', () => {
  it('finds an owner by email first, then by name or GitLab username matching one Slack user, and links them', async () => {
    directory.add({ id: 'U0THOR', realName: 'Thor Odinson', name: 'thor', timeZone: 'Europe/Oslo' });
    const thor = store.people.findByName('Thor')!;
    expect(await identity.slackUserOf(thor)).toBe('U0THOR');
    expect(store.people.getById(thor.id)).toMatchObject({ slackUserId: 'U0THOR', timezone: 'Europe/Oslo' });
    // Linked now: no more questions.
    directory.asked.length = 0;
    expect(await identity.slackUserOf(store.people.getById(thor.id)!)).toBe('U0THOR');
    expect(directory.asked).toEqual([]);

    const withEmail = store.transaction(() => store.people.findOrCreate('Sam Mail', clock.now()));
    directory.add({ id: 'U0SAM', realName: 'Somebody Else', email: 'sam@example.com' });
    expect(await identity.slackUserOf({ ...withEmail, email: 'sam@example.com' })).toBe('U0SAM');
    expect(directory.asked).toEqual(['email sam@example.com']);
  });

  it('links nobody to a Slack user who is someone else already, or who was deactivated', async () => {
    directory.add({ id: 'U0THOR', realName: 'Thor' });
    const other = store.transaction(() => store.people.findOrCreate('Thor Elsewhere', clock.now()));
    store.transaction(() => store.people.linkSlackUser(other.id, 'U0THOR', null, clock.now()));
    expect(await identity.slackUserOf(store.people.findByName('Thor')!)).toBeNull();

    // Found by email, but deactivated: a DM would never arrive.
    directory.add({ id: 'U0GONE', realName: 'Tiffany Rea', email: 'tiff@example.com', deleted: true });
    const tiffany = store.people.findByName('Tiffany Rea')!;
    expect(await identity.slackUserOf({ ...tiffany, email: 'tiff@example.com' })).toBeNull();
    expect(store.people.findByName('Tiffany Rea')!.slackUserId).toBeNull();
  });
});

it("gives a reader's time zone from Slack, else the fallback", async () => {
  directory.add({ id: 'U0JOANNA', realName: 'Joanna Shih', timeZone: 'America/Los_Angeles' });
  expect(await identity.timeZoneOf('U0JOANNA')).toBe('America/Los_Angeles');
  expect(await identity.timeZoneOf('U0NOBODY', 'Europe/Berlin')).toBe('Europe/Berlin');
  directory.failure = new Error('slack is down');
  expect(await identity.timeZoneOf('U0JOANNA', 'Europe/Berlin')).toBe('Europe/Berlin');
});
