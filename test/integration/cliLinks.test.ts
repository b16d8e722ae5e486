import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitlab } from '../fakes/gitlab.js';
import { wgbot } from '../helpers/cli.js';
import { HANDBOOK_SEED } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

let cleanup: () => void;
let gitlab: FakeGitlab;
let env: Record<string, string>;
let epicUrl: string;
let milestoneUrl: string;
let epicIssueIid: number;

const SLUG = 'improve-ops-quality';

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  gitlab = await FakeGitlab.start();
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const epic = gitlab.addEpic('g', { title: 'Ops quality' });
  epicIssueIid = gitlab.addIssue('g/app', {
    title: 'Flaky spec',
    epic: { groupPath: 'g', iid: epic.iid },
  }).iid;
  const milestone = gitlab.addMilestone({ projectPath: 'g/app' }, { title: 'Release 7' });
  gitlab.addIssue('g/app', { title: 'In the milestone', milestone } as never);
  epicUrl = `${gitlab.url}/groups/g/-/epics/${epic.iid}`;
  milestoneUrl = `${gitlab.url}/g/app/-/milestones/${milestone.iid}`;
  env = { DATABASE_PATH: join(dir, 'wgbot.db'), GITLAB_URL: gitlab.url, GITLAB_TOKEN: gitlab.token };
  expect((await wgbot(['import', HANDBOOK_SEED], env)).code).toBe(0);
});
afterAll(async () => {
  await gitlab.close();
  cleanup();
});

const statusJson = async () => JSON.parse((await wgbot(['status', SLUG, '--json'], env)).stdout);

describe('wgbot link', () => {
  it('to an epic that does not exist: exit 2 with the reason, and the link is not kept', async () => {
    const run = await wgbot(['link', SLUG, `${gitlab.url}/groups/g/-/epics/999`], env);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(
      /^wgbot link: not linked: improve-ops-quality ← epic &999 in g: GitLab answered 404/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(await statusJson()).toMatchObject({ links: [], syncError: null });
    // A later sync has nothing to fail on.
    expect((await wgbot(['sync'], env)).stdout).toBe(
      "No group is linked to GitLab yet: 'wgbot link <slug> <url>'.\n",
    );
  });

  it('to sources that exist: linked, synced, with each link ok', async () => {
    for (const url of [epicUrl, milestoneUrl]) {
      const run = await wgbot(['link', SLUG, url], env);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^linked: improve-ops-quality ← .*\nimprove-ops-quality: synced in \d+ ms/);
    }
    const report = await statusJson();
    expect(report.links.map((l: { url: string; error: unknown }) => [l.url, l.error])).toEqual([
      [epicUrl, null],
      [milestoneUrl, null],
    ]);
  });

  it('a link that starts failing shows per link in sync --json and status; the other link still updates', async () => {
    gitlab.failNext(/milestones/, { status: 404 }, 100);
    gitlab.updateIssue('g/app', epicIssueIid, { title: 'Flaky spec, fixed' });
    const run = await wgbot(['sync', '--json', '--full'], env);
    expect(run.code).toBe(1);
    const [outcome] = JSON.parse(run.stdout);
    expect(outcome).toMatchObject({ slug: SLUG, status: 'synced', error: null });
    expect(outcome.sources).toEqual([
      expect.objectContaining({ url: epicUrl, error: null }),
      expect.objectContaining({
        url: milestoneUrl,
        error: expect.stringMatching(/404/),
        errorKind: 'access',
      }),
    ]);

    const report = await statusJson();
    const titles = report.items.map((i: { title: string }) => i.title);
    expect(titles).toEqual(expect.arrayContaining(['Flaky spec, fixed', 'In the milestone']));
    expect(report.links[1]).toMatchObject({
      url: milestoneUrl,
      error: { message: expect.stringMatching(/404/) },
    });
    expect(report.links[1].lastOkAt).toEqual(expect.any(String));

    const text = await wgbot(['status', SLUG], env);
    expect(text.stdout).toMatch(
      new RegExp(
        `GitLab links \\(2\\)\\n {2}${epicUrl}\\n {6}ok, synced .*\\n {2}${milestoneUrl}\\n {6}! failed .*404`,
      ),
    );

    // Without --json: what synced on stdout, the failing link on stderr.
    const plain = await wgbot(['sync', SLUG], env);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/^improve-ops-quality: synced in \d+ ms/);
    expect(plain.stderr).toMatch(
      new RegExp(
        `^wgbot sync: improve-ops-quality: link ${milestoneUrl} failed, its items stay as they were: GitLab answered 404`,
      ),
    );
    gitlab.clearFaults();
  });
});
