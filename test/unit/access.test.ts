import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import {
  type Namespace,
  namespaceAllowed,
  parseNamespaceList,
  writeTarget,
} from '../../src/domain/access.js';
import { AccessService } from '../../src/services/access.js';
import type { DirectoryUser, GitlabPeople } from '../../src/services/ports.js';
import type { Store } from '../../src/store/store.js';
import { ImportService } from '../../src/services/importService.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

/** GitLab as a table: accounts by email and username, levels by `account|kind|path`; counts every call. */
class TablePeople implements GitlabPeople {
  calls = 0;
  down = false;
  readonly emails = new Map<string, { id: number; username: string }[]>();
  readonly levels = new Map<string, number>();
  readonly open = new Set<string>();

  #ask() {
    this.calls += 1;
    if (this.down) throw new Error('GitLab did not answer users after 3 attempts');
  }
  async accountByEmail(email: string) {
    this.#ask();
    const found = this.emails.get(email) ?? [];
    return found.length === 1 ? found[0]! : null;
  }
  async accountByUsername(username: string) {
    this.#ask();
    return username === 'ada' ? { id: 7, username: 'ada' } : null;
  }
  async accessLevel(ns: Namespace, accountId: number) {
    this.#ask();
    return this.levels.get(`${accountId}|${ns.kind}|${ns.path}`) ?? 0;
  }
  async openToSignedIn(ns: Namespace) {
    this.#ask();
    return this.open.has(`${ns.kind}|${ns.path}`);
  }
}

const user = (id: string, extra: Partial<DirectoryUser> = {}): DirectoryUser => ({
  id,
  name: id,
  realName: id,
  email: `${id.toLowerCase()}@example.com`,
  timeZone: null,
  isAdmin: false,
  deleted: false,
  ...extra,
});

let clock: ManualClock;
let store: Store;
let cleanup: () => void;
let people: TablePeople;
let groupMembers: string[] | null;
const epic = { kind: 'epic', namespaceKind: 'group', path: 'acme', iid: 1 } as const;

function service(options: Partial<ConstructorParameters<typeof AccessService>[4]> = {}, gitlab = true) {
  return new AccessService(
    store,
    gitlab ? people : null,
    {
      user: async (id) => (id === 'U0BOSS' ? user(id, { isAdmin: true }) : user(id)),
      members: async () => groupMembers,
    },
    () => clock.now(),
    { allowedNamespaces: [], creators: null, oauth: true, ...options },
  );
}

beforeEach(() => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  ({ store, cleanup } = tempStore(() => clock.now()));
  people = new TablePeople();
  groupMembers = null;
});
afterEach(() => cleanup());

describe('namespaces', () => {
  it('allows a listed path and what is under it, not a sibling that shares its prefix', () => {
    const allowed = parseNamespaceList(' acme , /tools/ci/ ,');
    expect(allowed).toEqual(['acme', 'tools/ci']);
    expect(
      ['acme', 'acme/app', 'ACME/sub/app', 'tools/ci/x'].map((p) => namespaceAllowed(p, allowed)),
    ).toEqual([true, true, true, true]);
    expect(['acme-evil', 'tools', 'acmeapp'].map((p) => namespaceAllowed(p, allowed))).toEqual([
      false,
      false,
      false,
    ]);
    expect(namespaceAllowed('anything', [])).toBe(true);
  });

  it('says where a write lands: a due date reaches GitLab only for an issue', () => {
    expect(writeTarget({ source: 'gitlab_issue', gitlabPath: 'acme/app' }, 'close')).toEqual({
      kind: 'project',
      path: 'acme/app',
    });
    expect(writeTarget({ source: 'epic_task', gitlabPath: 'acme' }, 'close')).toEqual({
      kind: 'group',
      path: 'acme',
    });
    expect(writeTarget({ source: 'epic_task', gitlabPath: 'acme' }, 'due-date')).toBeNull();
    expect(writeTarget({ source: 'manual', gitlabPath: null }, 'close')).toBeNull();
  });
});

describe('AccessService', () => {
  it('matches a Slack user by email only when exactly one GitLab account has it, and remembers the match', async () => {
    people.emails.set('u0ada@example.com', [{ id: 7, username: 'ada' }]);
    people.emails.set('u0twin@example.com', [
      { id: 8, username: 'twin1' },
      { id: 9, username: 'twin2' },
    ]);
    const access = service();
    expect(await access.identify('U0ADA')).toMatchObject({ gitlabUserId: 7, proof: 'email' });
    expect(await access.identify('U0TWIN')).toBeNull();
    const calls = people.calls;
    expect(await access.identify('U0ADA')).toMatchObject({ gitlabUsername: 'ada' });
    expect(await access.identify('U0TWIN')).toBeNull(); // "no match" is trusted for a while too
    expect(people.calls).toBe(calls);
  });

  it('needs Reporter to link and Developer to write, and trusts an answer for five minutes', async () => {
    people.emails.set('u0ada@example.com', [{ id: 7, username: 'ada' }]);
    people.levels.set('7|group|acme', 20);
    const access = service();
    expect(await access.mayLink('U0ADA', epic)).toEqual({ allowed: true });
    const issue = { source: 'gitlab_issue', gitlabPath: 'acme/app' } as const;
    expect(await access.mayWrite('U0ADA', issue, 'close')).toEqual({
      allowed: false,
      denial: {
        kind: 'level',
        needed: 'Developer',
        namespace: { kind: 'project', path: 'acme/app' },
        account: 'ada',
      },
    });
    people.levels.set('7|project|acme/app', 30);
    expect((await access.mayWrite('U0ADA', issue, 'close')).allowed).toBe(false); // cached
    clock.advance(5 * 60_000 + 1);
    expect((await access.mayWrite('U0ADA', issue, 'close')).allowed).toBe(true);
  });

  it('keeps its cache bounded: the oldest answer goes first', async () => {
    people.emails.set('u0ada@example.com', [{ id: 7, username: 'ada' }]);
    const access = service({ cacheSize: 2 });
    await access.identify('U0ADA');
    for (const path of ['a', 'b', 'c']) await access.mayLink('U0ADA', { ...epic, path });
    const calls = people.calls;
    await access.mayLink('U0ADA', { ...epic, path: 'c' }); // kept
    expect(people.calls).toBe(calls);
    await access.mayLink('U0ADA', { ...epic, path: 'a' }); // forgotten
    expect(people.calls).toBe(calls + 1);
  });

  it('refuses when GitLab cannot be asked, and lets everything through without GitLab but the namespace list', async () => {
    people.down = true;
    const denied = await service().mayLink('U0ADA', epic);
    expect(denied).toMatchObject({ allowed: false, denial: { kind: 'gitlab-unavailable' } });
    const offline = service({ allowedNamespaces: ['tools'] }, false);
    expect(
      await offline.mayWrite('U0ADA', { source: 'gitlab_issue', gitlabPath: 'acme/app' }, 'close'),
    ).toEqual({
      allowed: true,
    });
    expect(await offline.mayLink('U0ADA', epic)).toEqual({
      allowed: false,
      denial: { kind: 'namespace', path: 'acme', allowed: ['tools'] },
    });
  });

  it('hides titles only from a reader with a known account who cannot read there; unknown readers see the channel’s', async () => {
    const importer = new ImportService(store, () => clock.now());
    importer.importText(handbookSeed());
    importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
    const ids = store.items.listByWg(store.groups.getBySlug('improve-ops-quality')!.id).map((i) => i.id);
    const add = (index: number, source: 'gitlab_issue' | 'manual', gitlabPath: string | null) => {
      store.db
        .prepare('UPDATE action_items SET source = ?, gitlab_path = ? WHERE id = ?')
        .run(source, gitlabPath, ids[index]);
      return ids[index]!;
    };
    const secret = add(0, 'gitlab_issue', 'acme/private');
    const open = add(1, 'gitlab_issue', 'acme/public');
    const local = add(2, 'manual', null);
    people.open.add('project|acme/public');
    const access = service();
    expect([...(await access.unreadableItems('U0ADA', [secret, open, local]))]).toEqual([]);
    await access.mapByAdmin('U0ADA', 'ada', 'U0BOSS');
    expect([...(await access.unreadableItems('U0ADA', [secret, open, local]))]).toEqual([secret]);
    people.levels.set('7|project|acme/private', 10);
    clock.advance(6 * 60_000);
    expect([...(await access.unreadableItems('U0ADA', [secret, open, local]))]).toEqual([]);
  });

  it('lets admins and members of WGBOT_CREATORS create groups', async () => {
    groupMembers = ['U0KENNY'];
    const withGroup = service({ creators: 'wg-creators' });
    expect((await withGroup.mayCreate('U0BOSS')).allowed).toBe(true);
    expect((await withGroup.mayCreate('U0KENNY')).allowed).toBe(true);
    expect(await withGroup.mayCreate('U0ADA')).toEqual({
      allowed: false,
      denial: { kind: 'not-creator', creators: 'wg-creators' },
    });
    expect((await service().mayCreate('U0KENNY')).allowed).toBe(false);
  });
});
