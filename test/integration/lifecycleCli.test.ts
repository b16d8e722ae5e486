import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { ManualClock } from '../../src/clock.js';
import { wgbot } from '../helpers/cli.js';
import { EPIC_SEED, HANDBOOK_SEED } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

/** The CLI in this process, on a clock the test sets: archive's "today" is the clock's, not the machine's. */
const clock = new ManualClock('2026-11-23T10:00:00Z');
let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
    clock,
  });
  return { code, stdout, stderr };
}

const statusJson = async (slug: string) => JSON.parse((await cli('status', slug, '--json')).stdout);

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  env = { DATABASE_PATH: join(dir, 'wgbot.db') };
  expect((await cli('import', HANDBOOK_SEED)).code).toBe(0);
  expect((await cli('import', EPIC_SEED, '--slug', 'devops-cicd')).code).toBe(0);
});
afterAll(() => cleanup());

describe('wgbot archive, unarchive and delete', () => {
  it('archive ends the group today, status says so, and list hides it unless --all', async () => {
    const archived = await cli('archive', 'improve-ops-quality');
    expect(archived).toMatchObject({ code: 0, stderr: '' });
    expect(archived.stdout).toContain('improve-ops-quality: ended on 2026-11-23.');
    expect(await statusJson('improve-ops-quality')).toMatchObject({
      lifecycle: 'ended',
      endedOn: '2026-11-23',
      daysLeft: null,
      overall: 100,
    });
    const text = (await cli('status', 'improve-ops-quality')).stdout;
    expect(text).toContain('Ended on 2026-11-23');
    expect(text).not.toMatch(/past target/);

    const list = await cli('list');
    expect(list.stdout).not.toContain('improve-ops-quality');
    expect(list.stdout).toContain("1 ended group not shown: 'wgbot list --all' lists it too.");
    const all = await cli('list', '--all');
    expect(all.stdout).toMatch(/improve-ops-quality +ended +100% .*Ended on 2026-11-23/);
    const json = JSON.parse((await cli('list', '--all', '--json')).stdout);
    expect(json.map((g: { slug: string; lifecycle: string }) => [g.slug, g.lifecycle])).toEqual([
      ['devops-cicd', 'active'],
      ['improve-ops-quality', 'ended'],
    ]);
    expect(json[1]).toMatchObject({
      name: 'Improve Ops Quality',
      overall: 100,
      targetEndDate: '2021-07-07',
      endedOn: '2026-11-23',
      daysLeft: null,
    });
    expect(JSON.parse((await cli('list', '--json')).stdout)).toHaveLength(1);
  });

  it('archiving twice changes nothing; posting a digest of an ended group is refused with exit 2', async () => {
    clock.advance(86_400_000);
    expect((await cli('archive', 'improve-ops-quality')).stdout).toContain(
      'already ended on 2026-11-23; nothing changed',
    );
    const digest = await cli('digest', 'improve-ops-quality');
    expect(digest.code).toBe(2);
    expect(digest.stderr).toMatch(/'improve-ops-quality' is ended: paused and ended groups get no digest/);
    expect((await cli('digest', 'improve-ops-quality', '--dry-run')).code).toBe(0);
  });

  it('unarchive makes it active again, with its days to target back', async () => {
    const reopened = await cli('unarchive', 'improve-ops-quality');
    expect(reopened.stdout).toContain('improve-ops-quality: active again');
    expect(await statusJson('improve-ops-quality')).toMatchObject({
      lifecycle: 'active',
      endedOn: null,
      daysLeft: -1966,
    });
    expect((await cli('unarchive', 'improve-ops-quality')).stdout).toContain('already active');
  });

  it('delete without --yes explains and changes nothing; with --yes removes the group', async () => {
    const refused = await cli('delete', 'devops-cicd');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /^wgbot delete: this removes 'devops-cicd' with its criteria, roles, items, links, snapshots and digest history for good; run 'wgbot delete devops-cicd --yes'/,
    );
    expect((await statusJson('devops-cicd')).slug).toBe('devops-cicd');
    const deleted = await cli('delete', 'devops-cicd', '--yes');
    expect(deleted).toMatchObject({
      code: 0,
      stdout: 'devops-cicd: deleted, with everything stored about it.\n',
    });
    const gone = await cli('status', 'devops-cicd');
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("no working group 'devops-cicd' (there are: improve-ops-quality)");
    expect((await cli('delete', 'nope', '--yes')).code).toBe(2);
  });

  it('the real executable takes the new commands too', async () => {
    const run = await wgbot(['delete', 'improve-ops-quality'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("run 'wgbot delete improve-ops-quality --yes'");
    expect((await wgbot(['archive'], env)).stderr).toBe(
      'wgbot archive: give one slug — usage: wgbot archive <slug>\n',
    );
  });
});
