import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { SyncService } from '../../src/services/syncService.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { epicSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

/**
 * The README's own flow: `wgbot import epic.md --slug …` (the epic's description), then `wgbot link …`
 * of that same epic. Each task line must stay one item, not become two.
 */
const SLUG = 'devops-cicd';

let fake: FakeGitlab;
let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let importer: ImportService;
let sync: SyncService;
let epicUrl: string;

beforeEach(async () => {
  clock = new ManualClock('2026-11-16T08:00:00Z');
  fake = await FakeGitlab.start({ now: () => clock.now() });
  ({ store, cleanup } = tempStore(() => clock.now()));
  fake.addGroup('acme');
  const epic = fake.addEpic('acme', { title: 'DevOps CI/CD', description: epicSeed() });
  epicUrl = `${fake.url}/groups/acme/-/epics/${epic.iid}`;
  importer = new ImportService(store, () => clock.now());
  sync = new SyncService(
    store,
    createGitlabClient({
      url: fake.url,
      token: fake.token,
      deps: { sleep: async () => {}, now: () => clock.now() },
    }),
    () => clock.now(),
  );
});

afterEach(async () => {
  cleanup();
  await fake.close();
});

const group = () => store.groups.getBySlug(SLUG)!;
const taskItems = () => store.items.listByWg(group().id).filter((i) => i.source === 'epic_task');
const titles = () => taskItems().map((i) => i.title);
const link = () => new LinkService(store, fake.url, () => clock.now()).link(SLUG, epicUrl);

describe('an epic description imported, then the same epic linked', () => {
  it('keeps one item per task line, the imported item taken over with its id and snooze', async () => {
    const imported = importer.importText(epicSeed(), { slug: SLUG });
    const lines = imported.items;
    expect(lines).toBeGreaterThan(1);
    const before = taskItems();
    const snoozed = before[0]!;
    store.transaction(() => store.items.snooze(snoozed.id, new Date('2026-11-20T00:00:00Z'), clock.now()));

    link();
    expect((await sync.syncGroup(group())).status).toBe('synced');
    expect(taskItems()).toHaveLength(lines);
    expect(new Set(titles()).size).toBe(lines);
    // The same items (ids), now held by the linked epic: Mark done ticks the line in GitLab.
    expect(
      taskItems()
        .map((i) => i.id)
        .sort(),
    ).toEqual(before.map((i) => i.id).sort());
    expect(taskItems().every((i) => /^s\d+:/.test(i.sourceKey))).toBe(true);
    expect(store.items.getById(snoozed.id)!.snoozedUntil).not.toBeNull();

    // Syncing again, and importing the description again, still double nothing.
    clock.advance(60_000);
    expect((await sync.syncGroup(group(), { full: true })).status).toBe('synced');
    const again = importer.importText(epicSeed(), { slug: SLUG });
    expect(again.items).toBe(lines);
    expect(again.removedItems).toBe(0);
    expect(taskItems()).toHaveLength(lines);
  });

  it('keeps one item per line the other way round too: linked first, then the description imported', async () => {
    importer.importText('# DevOps CI/CD\n\n- [ ] Kick-off (Thor)\n', { slug: SLUG });
    link();
    expect((await sync.syncGroup(group())).status).toBe('synced');
    const synced = taskItems().filter((i) => i.sourceKey.startsWith('s')).length;
    expect(synced).toBeGreaterThan(1);
    const result = importer.importText(epicSeed(), { slug: SLUG });
    expect(result).toMatchObject({ items: synced, removedItems: 1 }); // the kick-off line left the page
    expect(taskItems()).toHaveLength(synced);
    expect(titles()).not.toContain('Kick-off');
  });

  it('merges the pairs an older wgbot stored twice', async () => {
    importer.importText(epicSeed(), { slug: SLUG });
    link();
    const source = store.sources.listByWg(group().id)[0]!;
    // What the old keys left behind: every line both as `doc:` and as `s<id>:`.
    const lines = taskItems();
    store.db
      .prepare(
        `INSERT INTO action_items (wg_id, source, source_key, title, state, position, created_at, updated_at)
         SELECT wg_id, source, 's' || ? || ':' || substr(source_key, 5), title, state, position, created_at, updated_at
         FROM action_items WHERE wg_id = ? AND source = 'epic_task'`,
      )
      .run(source.id, group().id);
    expect(taskItems()).toHaveLength(lines.length * 2);
    expect((await sync.syncGroup(group())).status).toBe('synced');
    expect(taskItems()).toHaveLength(lines.length);
    expect(new Set(titles()).size).toBe(lines.length);
  });
});
