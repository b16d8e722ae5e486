import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentedGitlab, documentedBody } from '../fakes/gitlabDocs.js';
import { wgbot } from '../helpers/cli.js';
import { HANDBOOK_SEED } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

// `wgbot sync` against GitLab's documented epic with one issue it cannot read among them: the sync
// succeeds (exit 0), counts the record in `--json` and names it on stderr.

const SLUG = 'improve-ops-quality';
let cleanup: () => void;
let docs: DocumentedGitlab;
let env: Record<string, string>;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  docs = await DocumentedGitlab.start();
  const [documented] = documentedBody('epic_issues.list.json') as Record<string, unknown>[];
  docs
    .on(/^\/groups\/test\/epics\/5$/, 'epics.single.json')
    .on(/^\/groups\/test\/epics\/5\/issues$/, [documented, { ...documented, id: 78, iid: 8, title: null }])
    .on(/^\/groups\/test\/epics\/5\/epics$/, 'epic_links.list.json')
    .on(/^\/groups\/test\/iterations$/, 'group_iterations.list.json');
  env = { DATABASE_PATH: join(dir, 'wgbot.db'), GITLAB_URL: docs.url, GITLAB_TOKEN: docs.token };
  expect((await wgbot(['import', HANDBOOK_SEED], env)).code).toBe(0);
  expect((await wgbot(['link', SLUG, `${docs.url}/groups/test/-/epics/5`], env)).code).toBe(0);
});
afterAll(async () => {
  await docs.close();
  cleanup();
});

const NAMED =
  'issues of epic &5 in test (id 78, iid 8): field title Invalid input: expected string, received null; skipped';

describe('wgbot sync with a GitLab record it cannot read', () => {
  it('--json: synced, exit 0, the record counted and named', async () => {
    const run = await wgbot(['sync', SLUG, '--full', '--json'], env);
    expect(run.code).toBe(0);
    const [outcome] = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(outcome).toMatchObject({ slug: SLUG, status: 'synced', skipped: 1 });
    expect((outcome!.sources as Record<string, unknown>[])[0]).toMatchObject({
      issues: 1,
      skipped: 1,
      warnings: expect.arrayContaining([NAMED]),
    });
  });

  it('for a person: the count on stdout, each record named on stderr', async () => {
    const run = await wgbot(['sync', SLUG, '--full'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/; 1 GitLab record not understood and left out \(named on stderr\)\n$/);
    expect(run.stderr).toContain(`wgbot sync: ${SLUG}: ${NAMED}\n`);
  });
});
