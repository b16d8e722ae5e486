import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { handbookSeed } from '../helpers/seeds.js';
import { startWgbot, WEBHOOK_SECRET, type Wgbot } from '../helpers/wgbot.js';

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;
let issueId: number;
let epicId: number;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start();
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const epic = gitlab.addEpic('g', { title: 'Ops quality' });
  epicId = epic.id;
  issueId = gitlab.addIssue('g/app', { title: 'Flaky spec', epic: { groupPath: 'g', iid: epic.iid } }).id;
  wgbot = await startWgbot({ clock, slack, gitlabUrl: gitlab.url, gitlabToken: gitlab.token });
  new ImportService(wgbot.server.store, () => clock.now()).importText(handbookSeed());
  new LinkService(wgbot.server.store, gitlab.url, () => clock.now()).link(
    'improve-ops-quality',
    `${gitlab.url}/groups/g/-/epics/${epic.iid}`,
  );
});

afterEach(async () => {
  await wgbot.stop();
  await slack.close();
  await gitlab.close();
});

const issueEvent = (id: number) =>
  JSON.stringify({
    object_kind: 'issue',
    event_type: 'issue',
    project: { id: 1000, path_with_namespace: 'g/app', web_url: `${gitlab.url}/g/app` },
    object_attributes: { id, iid: 1, title: 'Flaky spec', state: 'closed', action: 'close' },
    changes: { state_id: { previous: 1, current: 2 } },
  });

const send = (body: string, headers: Record<string, string>) =>
  wgbot.post('/gitlab/webhook', body, {
    'content-type': 'application/json',
    'x-gitlab-event': 'Issue Hook',
    ...headers,
  });

describe('POST /gitlab/webhook', () => {
  it('refuses a missing or wrong token with 401 and schedules nothing', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'x-gitlab-token': 'wrong' },
      { 'x-gitlab-token': `${WEBHOOK_SECRET}x` },
    ];
    for (const headers of attempts) {
      const answer = await send(issueEvent(issueId), headers);
      expect(answer.status).toBe(401);
    }
    expect(wgbot.server.syncQueue.state).toEqual({ pending: 0, running: null });
    expect(gitlab.requests).toEqual([]);
  });

  it('answers before the sync it schedules, debounces it, and ignores a redelivery', async () => {
    const headers = { 'x-gitlab-token': WEBHOOK_SECRET, 'x-gitlab-event-uuid': 'c0ffee-1' };
    // GitLab holds every epic request until the test lets go: an answer that waited for the sync would
    // never come (GitLab disables hooks that answer slowly).
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    gitlab.failNext(/\/epics\/\d+$/, { until: gate }, 10);
    const answer = await send(issueEvent(issueId), headers);
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ ok: true, scheduled: 1 });
    const again = await send(issueEvent(issueId), headers);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ ok: true, duplicate: true });
    expect(
      wgbot.server.store.items.listByWg(wgbot.server.store.groups.getBySlug('improve-ops-quality')!.id),
    ).toEqual([]);

    release();
    gitlab.clearFaults();
    await wgbot.server.syncQueue.idle();
    const items = wgbot.server.store.items.listByWg(
      wgbot.server.store.groups.getBySlug('improve-ops-quality')!.id,
    );
    expect(items.map((i) => i.title)).toEqual(['Flaky spec']);
    // One sync for the two deliveries: one epic request.
    expect(gitlab.requests.filter((r) => /\/epics\/\d+$/.test(r.path))).toHaveLength(1);
  });

  it('a child epic closing (which leaves its parent unchanged) is synced on its work-item event', async () => {
    const child = gitlab.addEpic('g', { title: 'Runner fleet', parent_id: epicId });
    const store = wgbot.server.store;
    const group = store.groups.getBySlug('improve-ops-quality')!;
    await wgbot.server.sync.syncGroup(group);
    const state = () => store.items.listByWg(group.id).find((i) => i.title === 'Runner fleet')?.state;
    expect(state()).toBe('open');

    clock.advance(10 * 60_000);
    gitlab.updateEpic('g', child.iid, { state: 'closed' });
    const event = JSON.stringify({
      object_kind: 'work_item',
      group: { full_path: 'g' },
      object_attributes: { id: 987_654, iid: child.iid, type: 'Epic', action: 'close' },
    });
    const answer = await send(event, { 'x-gitlab-token': WEBHOOK_SECRET });
    expect(answer.json).toEqual({ ok: true, scheduled: 1 });
    await wgbot.server.syncQueue.idle();
    expect(state()).toBe('done');
  });

  it('accepts work-item events, ignores other kinds, and refuses what is not JSON', async () => {
    const ok = { 'x-gitlab-token': WEBHOOK_SECRET };
    const workItem = JSON.stringify({
      object_kind: 'work_item',
      project: { path_with_namespace: 'g/app' },
      object_attributes: { id: issueId, iid: 1, type: 'Task' },
    });
    expect((await send(workItem, ok)).status).toBe(202);
    expect((await send(JSON.stringify({ object_kind: 'push' }), ok)).json).toEqual({
      ok: true,
      ignored: 'push',
    });
    expect((await send('{not json', ok)).status).toBe(400);
    expect((await wgbot.post('/gitlab/webhook', 'x=1', { 'content-type': 'text/plain', ...ok })).status).toBe(
      415,
    );
    expect((await send(JSON.stringify({ hello: 'world' }), ok)).status).toBe(400);
    const huge = JSON.stringify({ object_kind: 'issue', padding: 'x'.repeat(1_100_000) });
    expect((await send(huge, ok)).status).toBe(413);
  });
});

describe('GET /healthz', () => {
  it('lists a linked group that never synced and whose syncs fail as stale', async () => {
    gitlab.failNext(/\/epics\//, { status: 500 }, 20);
    const group = wgbot.server.store.groups.getBySlug('improve-ops-quality')!;
    expect((await wgbot.server.sync.syncGroup(group)).status).toBe('failed');
    const health = (await (await fetch(`${wgbot.url}/healthz`)).json()) as {
      stale: string[];
      lastSync: Record<string, { at: string | null; error: string | null }>;
    };
    expect(health.stale).toEqual(['improve-ops-quality']);
    expect(health.lastSync['improve-ops-quality']).toMatchObject({ at: null, error: expect.any(String) });
  });
});

describe('GET /healthz with HEALTHZ_TOKEN', () => {
  it('shows details only to the bearer of the token; the status code to everyone', async () => {
    const token = 'health-details-token-0123';
    const guarded = await startWgbot({ clock, slack, env: { HEALTHZ_TOKEN: token } });
    try {
      const open = await fetch(`${guarded.url}/healthz`);
      expect(open.status).toBe(200);
      expect(await open.json()).toEqual({ ok: true, db: 'ok', scheduler: { running: true } });
      const wrong = await fetch(`${guarded.url}/healthz`, { headers: { authorization: 'Bearer nope' } });
      expect(Object.keys((await wrong.json()) as object)).toEqual(['ok', 'db', 'scheduler']);
      const full = await fetch(`${guarded.url}/healthz`, { headers: { authorization: `Bearer ${token}` } });
      expect(await full.json()).toMatchObject({ ok: true, lastSync: {}, stale: [], digests: {} });
    } finally {
      await guarded.stop();
    }
  });
});
