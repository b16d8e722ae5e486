import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitlab } from '../fakes/gitlab.js';
import { wgbot } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

const SLUG = 'database-scalability';
const PAGE_PATH = 'content/handbook/engineering/working-groups/database-scalability.md';
const BRANCH = `wgbot/writeback/${SLUG}`;
// The classic page, with CRLF line ends as a Windows editor saves it: those must survive the write-back.
const PAGE = readFileSync(new URL('../fixtures/pages/01-classic-list.md', import.meta.url), 'utf8').replace(
  /\n/g,
  '\r\n',
);

let gitlab: FakeGitlab;
let env: Record<string, string>;
let cleanup: () => void;

beforeEach(async () => {
  gitlab = await FakeGitlab.start();
  gitlab.addGroup('acme');
  gitlab.addProject('acme/handbook');
  gitlab.addProject('acme/db');
  gitlab.repo.addFile('acme/handbook', PAGE_PATH, PAGE);
  const dir = tempDir();
  cleanup = dir.cleanup;
  env = {
    DATABASE_PATH: join(dir.dir, 'wgbot.db'),
    GITLAB_URL: gitlab.url,
    GITLAB_TOKEN: gitlab.token,
    HANDBOOK_PROJECT: 'acme/handbook',
  };
  // The page as an operator's clone of the handbook has it: its path names the file in the project.
  const local = join(dir.dir, 'handbook', PAGE_PATH);
  mkdirSync(join(local, '..'), { recursive: true });
  writeFileSync(local, PAGE);
  expect((await wgbot(['migrate'], env)).code).toBe(0);
  expect((await wgbot(['import', local], env)).code).toBe(0);
});

afterEach(async () => {
  cleanup();
  await gitlab.close();
});

/** Links exit criterion 2 to an epic with 3 of 4 issues closed (75 %) and criterion 3 to a closed issue. */
async function linkCriteria(): Promise<ReturnType<FakeGitlab['addEpic']>> {
  const epic = gitlab.addEpic('acme', { title: 'Partitioning' });
  for (const state of ['closed', 'closed', 'closed', 'opened'] as const)
    gitlab.addIssue('acme/db', { epic, state });
  const pooling = gitlab.addIssue('acme/db', { state: 'closed', title: 'Pooling' });
  const epicLink = await wgbot(
    ['link', SLUG, `${gitlab.url}/groups/acme/-/epics/${epic.iid}`, '--criterion', '2'],
    env,
  );
  expect(epicLink.code, epicLink.stderr).toBe(0);
  const issueLink = await wgbot(
    ['link', SLUG, `${gitlab.url}/acme/db/-/issues/${pooling.iid}`, '--criterion', '3'],
    env,
  );
  expect(issueLink.code, issueLink.stderr).toBe(0);
  return epic;
}

const writes = () => gitlab.requests.filter((r) => r.method !== 'GET' && r.path.includes('acme%2Fhandbook'));

describe('wgbot writeback', () => {
  it('opens one merge request whose commit changes only the marker figures, then updates it', async () => {
    const epic = await linkCriteria();

    const dry = await wgbot(['writeback', SLUG, '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would change 2 marker(s)');
    expect(writes()).toEqual([]);

    const first = await wgbot(['writeback', SLUG, '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const opened = JSON.parse(first.stdout) as { kind: string; branch: string; mr: { iid: number } };
    expect(opened).toMatchObject({ kind: 'opened', branch: BRANCH, filePath: PAGE_PATH, mr: { iid: 1 } });
    expect(gitlab.repo.branchNames('acme/handbook')).toContain(BRANCH);

    // The commit: on the wgbot branch, built on main, the two figures changed and every other byte kept.
    const commit = gitlab.repo.commits.at(-1)!;
    expect(commit.branch).toBe(BRANCH);
    expect(commit.changes).toHaveLength(1);
    const { before, after } = commit.changes[0]!;
    expect(before).toBe(PAGE);
    const beforeLines = before.split('\n');
    const afterLines = after.split('\n');
    expect(afterLines).toHaveLength(beforeLines.length);
    const changed = beforeLines.flatMap((line, i) => (line === afterLines[i] ? [] : [[line, afterLines[i]]]));
    expect(changed).toEqual([
      ['1. Partition the events table => 60%\r', '1. Partition the events table => 75%\r'],
      [
        '1. Connection pooling in every service => **35%**\r',
        '1. Connection pooling in every service => **100%**\r',
      ],
    ]);
    expect(gitlab.repo.fileText('acme/handbook', PAGE_PATH, 'main')).toBe(PAGE);

    const mr = gitlab.repo.mergeRequests[0]!;
    expect(mr).toMatchObject({ source_branch: BRANCH, target_branch: 'main', state: 'opened' });
    expect(mr.description).toContain(
      `| Partition the events table | 17 | 60 % → 75 % | GitLab ${gitlab.url}/groups/acme/-/epics/${epic.iid}, synced `,
    );
    expect(mr.description).toContain('| Connection pooling in every service | 20 | 35 % → 100 % | GitLab ');

    // GitLab moves on: a fifth issue of the epic, closed (80 %), and a sync. The second run reuses the MR.
    gitlab.addIssue('acme/db', { epic, state: 'closed' });
    expect((await wgbot(['sync', SLUG], env)).code).toBe(0);
    const mark = gitlab.requests.length;
    const second = await wgbot(['writeback', SLUG], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`updated merge request !1 ${mr.web_url}`);
    expect(gitlab.repo.mergeRequests).toHaveLength(1);
    const later = gitlab.requests.slice(mark);
    expect(later.filter((r) => r.method === 'POST' && r.path.endsWith('/merge_requests'))).toEqual([]);
    expect(later.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([
      '/api/v4/projects/acme%2Fhandbook/merge_requests/1',
    ]);
    const again = gitlab.repo.commits.at(-1)!;
    expect(again.branch).toBe(BRANCH);
    expect(again.changes[0]!.after).toBe(after.replace('=> 75%', '=> 80%'));
    expect(gitlab.repo.mergeRequests[0]!.description).toContain('| 60 % → 80 % |');
    expect(gitlab.repo.fileText('acme/handbook', PAGE_PATH, BRANCH)).toBe(again.changes[0]!.after);
  });

  it('says the token needs the api scope when GitLab refuses the write, and names a missing HANDBOOK_PROJECT', async () => {
    await linkCriteria();
    gitlab.repo.readOnly = true;
    const refused = await wgbot(['writeback', SLUG], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("GITLAB_TOKEN needs the 'api' scope");
    expect(gitlab.repo.mergeRequests).toEqual([]);

    const { HANDBOOK_PROJECT: _project, ...without } = env;
    const unset = await wgbot(['writeback', SLUG], without);
    expect(unset).toMatchObject({
      code: 2,
      stderr: `wgbot writeback: ${SLUG}: HANDBOOK_PROJECT is not set\n`,
    });
  });

  it('refuses to write a page that is not valid UTF-8, rather than turning its odd bytes into U+FFFD', async () => {
    await linkCriteria();
    // A Windows-1252 right quote (0x92) in a note at the end of the page.
    const note = Buffer.from([...Buffer.from("\r\nThe team's notes"), 0x92, ...Buffer.from('s\r\n')]);
    gitlab.repo.addFile('acme/handbook', PAGE_PATH, Buffer.concat([Buffer.from(PAGE, 'utf8'), note]));
    const commits = gitlab.repo.commits.length;
    const refused = await wgbot(['writeback', SLUG], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${PAGE_PATH} on main of acme/handbook is not valid UTF-8 text`);
    expect(gitlab.repo.commits.length).toBe(commits);
    expect(gitlab.repo.mergeRequests).toEqual([]);
  });

  it("finds the page by the group's own path when the import's path does not name it, and says when none is found", async () => {
    await linkCriteria();
    gitlab.repo.addFile('acme/handbook', 'pages/db.md', PAGE);
    const moved = await wgbot(['writeback', SLUG, '--path', './pages/db.md', '--dry-run', '--json'], env);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ kind: 'dry-run', filePath: 'pages/db.md' });
    const missing = await wgbot(['writeback', SLUG, '--path', 'pages/gone.md'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no pages/gone.md on main of acme/handbook');
  });

  it('finds criteria whose lines moved since the import, and leaves alone one the page no longer has', async () => {
    await linkCriteria();
    // Someone edited the page after it was imported: a note above the criteria, a criterion reworded.
    const edited = PAGE.replace(
      '## Exit Criteria\r\n',
      '## Exit Criteria\r\n\r\nReviewed monthly.\r\n',
    ).replace('Connection pooling in every service', 'Connection pooling in every backend service');
    gitlab.repo.addFile('acme/handbook', PAGE_PATH, edited);
    const run = await wgbot(['writeback', SLUG, '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout) as { changes: { line: number }[]; notOnPage: string[] };
    expect(outcome.changes.map((c) => c.line)).toEqual([19]);
    expect(outcome.notOnPage).toEqual(['Connection pooling in every service']);
    const { before, after } = gitlab.repo.commits.at(-1)!.changes[0]!;
    expect(before).toBe(edited);
    expect(after).toBe(
      edited.replace('Partition the events table => 60%', 'Partition the events table => 75%'),
    );
    expect(gitlab.repo.mergeRequests[0]!.description).toContain(
      'Left alone (not where the page was imported from; import the page again): Connection pooling in every service.',
    );
  });
});
