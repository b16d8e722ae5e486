import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { StatusService } from '../../src/services/status.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { handbookSeed } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;
let epicUrl: string;
let milestoneUrl: string;
let epicIssueIid: number;

const SLUG = 'improve-ops-quality';

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  slack.addUser({
    id: 'U0JOANNA',
    name: 'joanna',
    realName: 'Joanna Shih',
    tz: 'America/Los_Angeles',
    email: 'joanna@example.com',
  });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  // Joanna links through wgbot what her own GitLab account may read (found by her email).
  gitlab.user('joanna');
  gitlab.people.setEmail('joanna', { publicEmail: 'joanna@example.com' });
  gitlab.people.addMember({ kind: 'group', path: 'g' }, 'joanna', 20);
  const epic = gitlab.addEpic('g', { title: 'Ops quality' });
  epicIssueIid = gitlab.addIssue('g/app', {
    title: 'Flaky spec',
    epic: { groupPath: 'g', iid: epic.iid },
  }).iid;
  const milestone = gitlab.addMilestone({ projectPath: 'g/app' }, { title: 'Release 7' });
  gitlab.addIssue('g/app', { title: 'In the milestone', milestone } as never);
  epicUrl = `${gitlab.url}/groups/g/-/epics/${epic.iid}`;
  milestoneUrl = `${gitlab.url}/g/app/-/milestones/${milestone.iid}`;
  wgbot = await startWgbot({ clock, slack, gitlabUrl: gitlab.url, gitlabToken: gitlab.token });
  new ImportService(wgbot.server.store, () => clock.now()).importText(handbookSeed());
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
  await gitlab.close();
});

type Message = { text: string; blocks: { text?: { text: string }; elements?: { text: string }[] }[] };
const textOf = (m: Message) =>
  m.blocks.map((b) => b.text?.text ?? b.elements?.map((e) => e.text).join(' ') ?? '').join('\n');
const answer = async (id: string) =>
  textOf((await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args as Message);
const linkBySlack = (url: string, id: string) =>
  wgbot.slash(`link ${url}`, { user: 'U0JOANNA', responseUrl: slack.responseUrl(id) });
const group = () => wgbot.server.store.groups.getBySlug(SLUG)!;
const report = () => new StatusService(wgbot.server.store, () => clock.now()).status(SLUG);

describe('/wg link keeps only links its first sync reaches', () => {
  it('a missing epic: not linked, with the reason; the group is as unlinked as before', async () => {
    await linkBySlack(`${gitlab.url}/groups/g/-/epics/999`, 'missing');
    const text = await answer('missing');
    expect(text).toContain('Not linked: GitLab could not be reached for epic &amp;999 in g');
    expect(text).toMatch(/GitLab answered 404/);
    expect(wgbot.server.store.sources.listAll()).toEqual([]);
    expect(report()).toMatchObject({ syncError: null, links: [] });
  });

  it('GitLab unreachable through every retry: not linked either', async () => {
    gitlab.failNext(/\/epics\/1/, { status: 503 }, 50);
    await linkBySlack(epicUrl, 'down');
    expect(await answer('down')).toMatch(/Not linked: .*GitLab did not answer/);
    expect(wgbot.server.store.sources.listAll()).toEqual([]);
  });

  it('an epic that exists: linked and synced', async () => {
    await linkBySlack(epicUrl, 'ok');
    const text = await answer('ok');
    expect(text).toContain('Linked: Improve Ops Quality ← epic &amp;1 in g.');
    expect(text).toContain('Synced: `/wg status` shows the figures.');
    expect(report().items.map((i) => i.title)).toContain('Flaky spec');
  });
});

describe('a link that starts failing', () => {
  it('is reported per link in /healthz and /wg status while the other link still updates', async () => {
    const links = new LinkService(wgbot.server.store, gitlab.url, () => clock.now());
    links.link(SLUG, epicUrl);
    links.link(SLUG, milestoneUrl);
    expect((await wgbot.server.sync.syncGroup(group())).status).toBe('synced');
    const firstOk = clock.now().toISOString();

    // The milestone goes away; the epic's issue changes.
    clock.advance(60 * 60_000);
    gitlab.failNext(/milestones/, { status: 404 }, 100);
    gitlab.updateIssue('g/app', epicIssueIid, { title: 'Flaky spec, fixed' });
    const outcome = await wgbot.server.sync.syncGroup(group(), { full: true });
    expect(outcome).toMatchObject({ status: 'synced', error: null });
    expect(outcome.sources).toEqual([
      expect.objectContaining({ url: epicUrl, error: null, errorKind: null }),
      expect.objectContaining({
        url: milestoneUrl,
        error: expect.stringMatching(/404/),
        errorKind: 'access',
      }),
    ]);

    // The epic's item moved on; the milestone's stays as its last good fetch left it, not removed.
    const titles = report().items.map((i) => i.title);
    expect(titles).toContain('Flaky spec, fixed');
    expect(titles).toContain('In the milestone');
    expect(report().links).toEqual([
      expect.objectContaining({ url: epicUrl, lastOkAt: clock.now().toISOString(), error: null }),
      expect.objectContaining({
        url: milestoneUrl,
        lastOkAt: firstOk,
        error: { message: expect.stringMatching(/404/), at: clock.now().toISOString() },
      }),
    ]);

    const health = (await (await fetch(`${wgbot.url}/healthz`)).json()) as {
      lastSync: Record<string, { at: string; error: string | null; links: unknown[] }>;
      stale: string[];
    };
    expect(health.lastSync[SLUG]).toMatchObject({ at: clock.now().toISOString(), error: null });
    expect(health.lastSync[SLUG]!.links).toEqual([
      {
        url: epicUrl,
        lastOkAt: clock.now().toISOString(),
        error: null,
        errorAt: null,
        skipped: 0,
        skippedRecords: [],
      },
      {
        url: milestoneUrl,
        lastOkAt: firstOk,
        error: expect.stringMatching(/404/),
        errorAt: clock.now().toISOString(),
        skipped: 0,
        skippedRecords: [],
      },
    ]);
    expect(health.stale).toEqual([]);

    const status = textOf((await wgbot.slash('status')).json as Message);
    expect(status).toMatch(/:warning: GitLab link Release 7 failed just now: GitLab answered 404/);

    // Once the milestone answers again, its warning goes.
    gitlab.clearFaults();
    expect((await wgbot.server.sync.syncGroup(group(), { full: true })).sources.every((s) => !s.error)).toBe(
      true,
    );
    expect(report().links.every((l) => l.error === null)).toBe(true);
    expect(textOf((await wgbot.slash('status')).json as Message)).not.toContain(':warning:');
  });
});
