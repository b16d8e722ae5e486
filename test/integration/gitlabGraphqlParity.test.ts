import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitlab } from '../fakes/gitlab.js';
import { wgbot } from '../helpers/cli.js';
import { HANDBOOK_SEED } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

// The same epic tree read through REST and through GraphQL gives the same `wgbot status --json`.

const SLUG = 'improve-ops-quality';
let gitlab: FakeGitlab;
let cleanups: (() => void)[] = [];

beforeAll(async () => {
  gitlab = await FakeGitlab.start();
  gitlab.graphql.enabled = true;
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const iteration = gitlab.addIteration('g', { title: 'Sprint 21' });
  const milestone = gitlab.addMilestone({ groupPath: 'g' }, { title: 'Sprint 20', due_date: '2026-11-13' });
  const epic = gitlab.addEpic('g', { title: 'Ops quality', due_date: '2027-01-29' });
  const child = gitlab.addChildEpic('g', epic.iid, { title: 'Runner fleet', due_date: '2026-12-18' });
  gitlab.addChildEpic('g', epic.iid, { title: 'Pipelines', state: 'closed' });
  const alice = gitlab.user('alice', 'Alice');
  for (let i = 1; i <= 6; i += 1)
    gitlab.addIssue('g/app', {
      title: `Story ${i}`,
      epic: { groupPath: 'g', iid: i === 6 ? child.iid : epic.iid },
      state: i % 3 === 0 ? 'closed' : 'opened',
      assignees: i % 2 === 0 ? [alice] : [],
      labels: i === 1 ? ['wg::ops', 'bug'] : [],
      weight: i === 2 ? 3 : null,
      due_date: i === 4 ? '2026-12-04' : null,
      iteration: i <= 2 ? iteration : null,
      milestone: i === 3 ? milestone : null,
      task_completion_status: i === 5 ? { count: 4, completed_count: 1 } : { count: 0, completed_count: 0 },
    } as never);
});
afterAll(async () => {
  await gitlab.close();
  for (const c of cleanups) c();
  cleanups = [];
});

/** A fresh database linked to the epic (group and criterion 2) through one API; its status as JSON. */
async function statusThrough(api: 'rest' | 'graphql'): Promise<Record<string, unknown>> {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const env = {
    DATABASE_PATH: join(dir, 'wgbot.db'),
    GITLAB_URL: gitlab.url,
    GITLAB_TOKEN: gitlab.token,
    GITLAB_API: api,
  };
  expect((await wgbot(['import', HANDBOOK_SEED], env)).code).toBe(0);
  const epicUrl = `${gitlab.url}/groups/g/-/epics/1`;
  expect(await wgbot(['link', SLUG, epicUrl], env)).toMatchObject({ code: 0, stderr: '' });
  expect(await wgbot(['link', SLUG, epicUrl, '--criterion', '2'], env)).toMatchObject({
    code: 0,
    stderr: '',
  });
  const run = await wgbot(['status', SLUG, '--json'], env);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('status parity between the REST and GraphQL sources', () => {
  it('gives the same status --json for the same epic tree', async () => {
    const rest = await statusThrough('rest');
    const graphqlRequestsBefore = gitlab.requests.filter((r) => r.path === '/api/graphql').length;
    const viaGraphql = await statusThrough('graphql');
    expect(gitlab.requests.filter((r) => r.path === '/api/graphql').length).toBeGreaterThan(
      graphqlRequestsBefore,
    );
    const items = (s: Record<string, unknown>) => s.items as { title: string }[];
    expect(items(rest).map((i) => i.title)).toContain('Runner fleet');
    expect(items(rest)).toHaveLength(7);
    // The syncs' own times (wall clock) differ by the seconds between the two runs: the only difference.
    const withoutSyncTime = (s: unknown): unknown =>
      JSON.parse(JSON.stringify(s), (key, value: unknown) =>
        key === 'syncedAt' || key === 'lastOkAt' ? null : value,
      );
    expect(withoutSyncTime(viaGraphql.items)).toEqual(withoutSyncTime(rest.items));
    expect(withoutSyncTime(viaGraphql.criteria)).toEqual(withoutSyncTime(rest.criteria));
    expect(withoutSyncTime(viaGraphql)).toEqual(withoutSyncTime(rest));
  });
});
