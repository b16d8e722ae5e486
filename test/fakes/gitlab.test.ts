import { EpicIssues } from '@gitbeaker/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EpicJson, FakeGitlab } from './gitlab.js';

function links(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (header ?? '').matchAll(/<([^>]+)>; rel="([^"]+)"/g)) out[m[2]!] = m[1]!;
  return out;
}

describe('FakeGitlab', () => {
  let fake: FakeGitlab;
  let epic: EpicJson;
  let clock = new Date('2025-03-01T10:00:00.000Z');

  const get = (path: string, token: string | null = fake.token) =>
    fetch(path.startsWith('http') ? path : `${fake.url}/api/v4${path}`, {
      headers: token === null ? {} : { 'PRIVATE-TOKEN': token },
    });

  beforeAll(async () => {
    fake = await FakeGitlab.start({ now: () => clock });
    fake.addGroup('g');
    fake.addGroup('g/sub');
    fake.addProject('g/sub/proj');
    epic = fake.addEpic('g', { title: 'Exit criteria' });
    for (let i = 0; i < 250; i++) fake.addIssue('g/sub/proj', { epic: { groupPath: 'g', iid: epic.iid } });
    fake.addIssue('g/sub/proj', { title: 'not in the epic' });
    fake.addGroup('free', { tier: 'free' });
    fake.addEpic('free');
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.resetLog();
    fake.clearFaults();
  });

  it('requires the token', async () => {
    const res = await get('/groups/g/epics/1', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401 Unauthorized' });
    expect((await get('/groups/g/epics/1', 'glpat-wrong')).status).toBe(401);
    expect((await get('/groups/nope/epics/1')).status).toBe(404);
    expect((await get('/nothing/here')).status).toBe(404);
  });

  it('paginates epic issues like GitLab, Link rel="next" included', async () => {
    const res = await get(`/groups/g/epics/${epic.iid}/issues?per_page=100`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const page = (await res.json()) as { id: number; epic_issue_id: number; epic: { id: number } }[];
    expect(page).toHaveLength(100);
    expect(page[0]).toMatchObject({
      epic: { id: epic.id, iid: epic.iid },
      relative_position: expect.any(Number),
    });
    expect(res.headers.get('x-total')).toBe('250');
    expect(res.headers.get('x-total-pages')).toBe('3');
    expect(res.headers.get('x-page')).toBe('1');
    expect(res.headers.get('x-per-page')).toBe('100');
    expect(res.headers.get('x-next-page')).toBe('2');
    expect(res.headers.get('x-prev-page')).toBe('');
    const rel = links(res.headers.get('link'));
    expect(rel.next).toBe(`${fake.url}/api/v4/groups/g/epics/${epic.iid}/issues?per_page=100&page=2`);
    expect(rel.last).toContain('page=3');

    const ids = new Set(page.map((i) => i.id));
    let next: string | undefined = rel.next;
    while (next) {
      const more = await get(next);
      for (const issue of (await more.json()) as { id: number }[]) ids.add(issue.id);
      next = links(more.headers.get('link')).next;
    }
    expect(ids.size).toBe(250);
    expect(fake.requests.map((r) => r.query.page)).toEqual([undefined, '2', '3']);
  });

  it('filters group issues by epic_id and updated_after', async () => {
    clock = new Date('2025-03-02T10:00:00.000Z');
    fake.updateIssue('g/sub/proj', 7, { title: 'changed' });
    fake.updateIssue('g/sub/proj', 251, { title: 'changed, but not in the epic' });
    const res = await get(`/groups/g/issues?epic_id=${epic.id}&updated_after=2025-03-02T00:00:00Z&state=all`);
    const found = (await res.json()) as { iid: number; title: string; updated_at: string }[];
    expect(found).toEqual([
      expect.objectContaining({ iid: 7, title: 'changed', updated_at: clock.toISOString() }),
    ]);
    expect(res.headers.get('x-total')).toBe('1');
  });

  it("answers 403 for a Free group's epics", async () => {
    const res = await get('/groups/free/epics/1');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: '403 Forbidden' });
  });

  it('injects a 429 with Retry-After, then answers normally', async () => {
    fake.failNext(/epics/, { status: 429, retryAfter: 2 });
    const first = await get(`/groups/g/epics/${epic.iid}`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    const second = await get(`/groups/g/epics/${epic.iid}`);
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ id: epic.id, iid: epic.iid, references: { full: 'g&1' } });
  });

  it('injects garbage', async () => {
    fake.failNext('/groups/g/epics/1', { garbage: true });
    const res = await get('/groups/g/epics/1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    await expect(res.json()).rejects.toThrow();
  });

  it('logs every request with the token redacted', async () => {
    await get('/groups/g%2Fsub/issues?labels=a,b');
    await get('/groups/g/epics/1', null);
    expect(fake.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/v4/groups/g%2Fsub/issues',
        query: { labels: 'a,b' },
        status: 200,
        headers: expect.objectContaining({ 'private-token': '[redacted]' }),
      }),
      expect.objectContaining({ path: '/api/v4/groups/g/epics/1', status: 401 }),
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain(fake.token);
  });

  it('serves gitbeaker, which follows the Link headers', async () => {
    const api = new EpicIssues({ host: fake.url, token: fake.token });
    const all = await api.all('g', epic.iid, { perPage: 100 });
    expect(new Set(all.map((i) => i.id)).size).toBe(250);
    expect(fake.requests.map((r) => r.query.page)).toEqual([undefined, '2', '3']);
  });

  it('answers issues statistics over the listing filters, as GitLab documents them', async () => {
    const res = await get(`/groups/g/issues_statistics?scope=all&epic_id=${epic.id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ statistics: { counts: { all: 250, closed: 0, opened: 250 } } });
    const all = await (await get('/projects/g%2Fsub%2Fproj/issues_statistics')).json();
    expect(all).toMatchObject({ statistics: { counts: { all: 251 } } });
  });

  it('lists a group’s epics and its subgroups’, filtered by updated_after, with parent_id', async () => {
    const child = fake.addChildEpic('g', epic.iid, { groupPath: 'g/sub', title: 'Child' });
    const res = await get(`/groups/g/epics?updated_after=${encodeURIComponent(child.updated_at)}&state=all`);
    const body = (await res.json()) as { id: number; parent_id: number | null }[];
    expect(body.map((e) => [e.id, e.parent_id])).toContainEqual([child.id, epic.id]);
    const own = await get(`/groups/g/epics?include_descendant_groups=false`);
    expect(((await own.json()) as { id: number }[]).map((e) => e.id)).not.toContain(child.id);
    expect((await get('/groups/free/epics')).status).toBe(403);
  });
});
