import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessService } from '../../src/services/access.js';
import { GroupService } from '../../src/services/groups.js';
import { IdentityService } from '../../src/services/identity.js';
import { ImportService } from '../../src/services/importService.js';
import { StatusService } from '../../src/services/status.js';
import type { Store } from '../../src/store/store.js';
import { SlackDirectory } from '../../src/slack/directory.js';
import {
  type Authorized,
  type GroupContext,
  holds,
  type Level,
  PermissionGate,
} from '../../src/slack/gate.js';
import type { GuardedWrites } from '../../src/slack/writes.js';
import { FakeSlack } from '../fakes/slack.js';
import { epicSeed, handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const now = () => NOW;
let slack: FakeSlack;
let store: Store;
let cleanup: () => void;
let gate: PermissionGate;

beforeEach(async () => {
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace' }); // no role
  slack.addUser({ id: 'U0KENNY', name: 'kenny', realName: 'Kenny Johnston' }); // a member on the page
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih' }); // its facilitator
  slack.addUser({ id: 'U0THOR', name: 'thor', realName: 'Thor' }); // owns items
  slack.addUser({ id: 'U0BOSS', name: 'boss', realName: 'Big Boss', isAdmin: true }); // workspace admin
  ({ store, cleanup } = tempStore(now));
  const importer = new ImportService(store, now);
  importer.importText(handbookSeed());
  importer.importText(epicSeed(), { slug: 'improve-ops-quality' });
  const directory = new SlackDirectory(
    new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
    now,
  );
  gate = new PermissionGate({
    groups: new GroupService(store, now),
    identity: new IdentityService(store, directory, now),
    directory,
    status: new StatusService(store, now),
    item: (id) => store.items.getById(id),
    access: new AccessService(store, null, directory, now, {
      allowedNamespaces: [],
      creators: null,
      oauth: false,
    }),
  });
});

afterEach(async () => {
  cleanup();
  await slack.close();
});

const named = { slug: 'improve-ops-quality', channelId: null, channelName: null };
const text = (view: { blocks: unknown[] }) => JSON.stringify(view.blocks);

describe('the permission gate', () => {
  it.each<[Level, string[]]>([
    ['anyone', ['U0ADA', 'U0KENNY', 'U0JOANNA', 'U0BOSS']],
    ['member', ['U0KENNY', 'U0JOANNA', 'U0BOSS']],
    ['facilitator', ['U0JOANNA', 'U0BOSS']],
    ['admin', ['U0BOSS']],
  ])('lets in at %s exactly %j', async (level, allowed) => {
    for (const user of ['U0ADA', 'U0KENNY', 'U0JOANNA', 'U0BOSS']) {
      const verdict = await gate.group(named, user, level, 'do it');
      expect(verdict.ok, `${user} at ${level}`).toBe(allowed.includes(user));
      if (verdict.ok)
        expect(verdict.ctx).toMatchObject({ level, userId: user, group: { slug: 'improve-ops-quality' } });
    }
  });

  it('says who may, for each level it refuses', async () => {
    const refused = async (level: Level) => {
      const verdict = await gate.group(named, 'U0ADA', level, 'change roles');
      if (verdict.ok) throw new Error('expected a refusal');
      return text(verdict.view);
    };
    expect(await refused('member')).toContain('Only members of Improve Ops Quality can change roles');
    const facilitators = await refused('facilitator');
    expect(facilitators).toContain('Only facilitators can change roles of Improve Ops Quality');
    expect(facilitators).toContain('Joanna Shih');
    expect(await refused('admin')).toContain('Only workspace admins can change roles');
  });

  it('lets anyone in without a call to Slack: answers in the ack never wait on it', async () => {
    expect((await gate.group(named, 'U0ADA', 'anyone', 'read')).ok).toBe(true);
    expect((await gate.caller('U0ADA', 'anyone', 'read')).ok).toBe(true);
    expect(slack.calls).toEqual([]);
    expect((await gate.caller('U0ADA', 'admin', 'reset')).ok).toBe(false);
    expect((await gate.caller('U0BOSS', 'admin', 'reset')).ok).toBe(true);
  });

  it('answers an unknown slug or an unbound channel with the groups there are', async () => {
    const unknown = await gate.group({ ...named, slug: 'nope' }, 'U0ADA', 'anyone', 'read');
    expect(unknown.ok || text(unknown.view)).toContain('There is no working group `nope`');
    const unbound = await gate.group(
      { slug: null, channelId: 'C0X', channelName: 'random' },
      'U0ADA',
      'anyone',
      'read',
    );
    expect(unbound.ok || text(unbound.view)).toContain('This channel is not the home of a working group');
  });

  it('lets an item’s owners and its facilitators press its buttons, and says who may to others', async () => {
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const item = store.items.listByWg(group.id).find((i) => i.owners.includes('Thor'))!;
    expect((await gate.item(item.id, 'U0THOR', 'snooze this item')).ok).toBe(true);
    expect((await gate.item(item.id, 'U0JOANNA', 'snooze this item')).ok).toBe(true);
    const stranger = await gate.item(item.id, 'U0ADA', 'snooze this item');
    expect(stranger.ok || text(stranger.view)).toContain(
      'Only its owners and facilitators can snooze this item',
    );
    // A gone item passes: the action itself says it is gone.
    expect((await gate.item(999_999, 'U0ADA', 'snooze this item')).ok).toBe(true);
  });

  it('tells a handler whether the proof it holds covers a level', async () => {
    const verdict = await gate.group(named, 'U0JOANNA', 'facilitator', 'configure');
    if (!verdict.ok) throw new Error('expected Joanna to pass');
    expect([
      holds(verdict.ctx, 'anyone'),
      holds(verdict.ctx, 'member'),
      holds(verdict.ctx, 'facilitator'),
    ]).toEqual([true, true, true]);
    expect(holds(verdict.ctx, 'admin')).toBe(false);
  });

  it('cannot be forged: a proof made by hand, or one for reading, does not type-check as a write’s argument', async () => {
    const verdict = await gate.group(named, 'U0ADA', 'anyone', 'read');
    if (!verdict.ok) throw new Error('expected a pass');
    const group = verdict.ctx.group;
    // Checked by `npm run typecheck`: each line below must stay a type error. Never called.
    const forgeries = (writes: GuardedWrites) => {
      // @ts-expect-error the brand cannot be written outside the gate module
      const forged: Authorized<GroupContext, 'facilitator'> = {
        group,
        userId: 'U0ADA',
        level: 'facilitator',
      };
      // @ts-expect-error a plain object is not a proof
      writes.archive({ group, userId: 'U0ADA', level: 'facilitator' });
      // @ts-expect-error a proof checked at `anyone` does not let a handler change the group
      writes.archive(verdict.ctx);
      // @ts-expect-error a facilitator's proof without a GitLab-checked source links nothing
      writes.link(forged, null);
      return forged;
    };
    const itemForgeries = async (writes: GuardedWrites) => {
      const pressed = await gate.item(1, 'U0THOR', 'mark this item done');
      if (!pressed.ok) return;
      // @ts-expect-error an item proof without the GitLab write check does not close anything
      await writes.markDone(pressed.ctx);
      const dated = await gate.itemWrite(1, 'U0THOR', 'due-date', 'change the due date');
      // @ts-expect-error a due-date check does not close the item
      if (dated.ok) await writes.markDone(dated.ctx);
    };
    expect(itemForgeries).toBeTypeOf('function');
    expect(forgeries).toBeTypeOf('function');
    expect(verdict.ctx.level).toBe('anyone');
  });
});

describe('filing backlog issues', () => {
  it('needs the facilitator’s own GitLab write access to the target project, as drift’s buttons do', async () => {
    const asked: string[] = [];
    const real = new AccessService(store, null, new SlackDirectory(new WebClient('xoxb-x'), now), now, {
      allowedNamespaces: [],
      creators: null,
      oauth: false,
    });
    const denying = new PermissionGate({
      groups: new GroupService(store, now),
      identity: new IdentityService(
        store,
        new SlackDirectory(
          new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
          now,
        ),
        now,
      ),
      directory: new SlackDirectory(
        new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
        now,
      ),
      status: new StatusService(store, now),
      item: (id) => store.items.getById(id),
      access: {
        mayLink: real.mayLink.bind(real),
        mayCreate: real.mayCreate.bind(real),
        mayWrite: async (user, place) => {
          asked.push(`${user} ${place.gitlabPath}`);
          return { allowed: false, denial: { kind: 'not-connected', oauth: false } };
        },
      },
    });
    const group = store.groups.getBySlug('improve-ops-quality')!;
    const refused = await denying.backlogIssues(group, 'U0JOANNA', 'g/app');
    expect(refused.ok).toBe(false);
    expect(asked).toEqual(['U0JOANNA g/app']);
    expect((await gate.backlogIssues(group, 'U0JOANNA', 'g/app')).ok).toBe(true);
    expect((await gate.backlogIssues(group, 'U0KENNY', 'g/app')).ok).toBe(false);
    expect(asked).toHaveLength(1);
  });
});
