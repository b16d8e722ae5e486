import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack.js';
import { wgbot } from '../helpers/cli.js';
import { EPIC_SEED, HANDBOOK_SEED } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATABASE_PATH: join(dir, 'wgbot.db') };
});
afterAll(() => cleanup());

describe('wgbot CLI (the real executable)', () => {
  it('migrate creates the database, and says so again idempotently', async () => {
    const first = await wgbot(['migrate'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/applied 0001_init.*schema version \d+/);
    const second = await wgbot(['migrate'], env);
    expect(second.stdout).toMatch(/up to date \(schema version \d+\)/);
  });

  it('imports the handbook seed: 6 exit criteria at 100%, overall 100%, 16 people in roles', async () => {
    const imported = await wgbot(['import', HANDBOOK_SEED], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("working group 'improve-ops-quality'");
    const run = await wgbot(['status', 'improve-ops-quality', '--json'], env);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      slug: 'improve-ops-quality',
      name: 'Improve Ops Quality',
      targetEndDate: '2021-07-07',
      channel: '#wg_improve-ops-quality',
      overall: 100,
      syncedAt: null,
      lifecycle: 'active',
      endedOn: null,
      coverage: { measured: 6, total: 6 },
    });
    expect(report.criteria).toHaveLength(6);
    for (const c of report.criteria) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['title', 'percent', 'source', 'children']));
      expect(c).toMatchObject({ percent: 100, source: 'handbook' });
    }
    expect(report.criteria[0].children[0]).toEqual({
      title: 'Review package incidents review',
      percent: null,
      source: null,
      children: [],
      url: 'https://gitlab.com/gitlab-org/gitlab/-/issues/323340',
      owner: null,
      flag: null,
      health: null,
      gitlabFrom: null,
      fromOkr: false,
    });
    expect(report.roles).toHaveLength(16);
    expect(report.roles.map((r: { role: string }) => r.role)).toEqual([
      'Executive Sponsor',
      'Facilitator',
      ...Array(3).fill('Functional Lead'),
      ...Array(2).fill('Stakeholder'),
      ...Array(9).fill('Member'),
    ]);
    expect(report.roles[1]).toEqual({
      role: 'Facilitator',
      kind: 'facilitator',
      name: 'Joanna Shih',
      title: 'Quality Engineering Manager, Ops',
      slackUserId: null,
      handle: null,
    });
    expect(report.items).toEqual([]);
  });

  it('imports the epic seed as devops-cicd with four open items', async () => {
    const imported = await wgbot(['import', EPIC_SEED, '--slug', 'devops-cicd'], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('from an epic description: 4 action items');
    const report = JSON.parse((await wgbot(['status', 'devops-cicd', '--json'], env)).stdout);
    expect(report.items.map((i: Record<string, unknown>) => [i.sprint, i.owner, i.state])).toEqual([
      ['Sprint 20', 'Thor', 'open'],
      ['Sprint 20', 'Thor', 'open'],
      ['Sprint 21', 'Waldemar', 'open'],
      ['Sprint 22', 'Waldemar', 'open'],
    ]);
    expect(report.items[0]).toMatchObject({
      title: 'Workshop w. Roland',
      story: '#2148',
      dueDate: null,
      overdue: false,
      url: null,
      confidential: false,
    });
    // Importing again updates, never duplicates.
    await wgbot(['import', EPIC_SEED, '--slug', 'devops-cicd'], env);
    expect(JSON.parse((await wgbot(['status', 'devops-cicd', '--json'], env)).stdout).items).toHaveLength(4);
  });

  it('prints the weekly digest as it would be posted', async () => {
    const run = await wgbot(['digest', 'improve-ops-quality', '--dry-run', '--json'], env);
    expect(run.code).toBe(0);
    const digest = JSON.parse(run.stdout);
    expect(Object.keys(digest)).toEqual(['channel', 'text', 'blocks']);
    expect(digest.channel).toBe('#wg_improve-ops-quality');
    expect(digest.text).toMatch(/^Weekly digest — Improve Ops Quality: 100% overall/);
    expect(digest.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Weekly digest — Improve Ops Quality' },
    });
  });

  it('prints a readable text report', async () => {
    const run = await wgbot(['status', 'improve-ops-quality'], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Improve Ops Quality  (improve-ops-quality)');
    expect(run.stdout).toMatch(/Overall {2}█{20} 100%/);
    expect(run.stdout).toContain('Exit criteria (6)');
    expect(run.stdout).toMatch(/ {2}1\.1 +░{20} +— {2}Review package incidents review/);
    expect(run.stdout).toMatch(/Executive Sponsor +Mek Stittri +VP of Quality/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('lists every group', async () => {
    const run = await wgbot(['list', '--json'], env);
    const rows = JSON.parse(run.stdout);
    // devops-cicd came from an epic description alone: it has no exit criterion, so no overall figure.
    expect(rows.map((g: { slug: string; overall: number | null }) => [g.slug, g.overall])).toEqual([
      ['devops-cicd', null],
      ['improve-ops-quality', 100],
    ]);
    expect(rows[1]).toMatchObject({
      name: 'Improve Ops Quality',
      lifecycle: 'active',
      endedOn: null,
      targetEndDate: '2021-07-07',
      coverage: { measured: 6, total: 6 },
    });
    const text = await wgbot(['list'], env);
    expect(text.stdout).toMatch(/improve-ops-quality +active +100%/);
    expect(text.stdout).toMatch(/devops-cicd +active +—/);
  });

  it.each([
    [
      ['status', 'nope'],
      /^wgbot status: no working group 'nope' \(there are: devops-cicd, improve-ops-quality\)\n$/,
    ],
    [['status'], /^wgbot status: give one slug — usage: wgbot status <slug> \[--json\]\n$/],
    [['import', '/nonexistent.md'], /^wgbot import: cannot read \/nonexistent.md: ENOENT\n$/],
    [['import', HANDBOOK_SEED, '--slug', 'Not A Slug'], /not a valid slug/],
    [['status', 'devops-cicd', '--jsn'], /^wgbot status: Unknown option '--jsn'/],
    [
      ['frobnicate'],
      /^wgbot: unknown command 'frobnicate'; commands: migrate, import, link, sync, status, list, drift, history, criterion, archive, unarchive, delete, digest, schedule, metrics, writeback, report, map, serve, demo, backup/,
    ],
  ])('exits 2 with a one-line reason for bad input: %j', async (args, message) => {
    const run = await wgbot(args as string[], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('imports a page with an odd marker, warning with its line; refuses a document that is no page', async () => {
    const odd = join(dir, 'odd.md');
    writeFileSync(odd, '# Odd\n\n## Exit Criteria\n\n1. Fine => 50%\n2. Not fine => 150%\n');
    const run = await wgbot(['import', odd], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `warning: ${odd}: line 6: the completion '=> 150%' is not between 0% and 100%`,
    );
    const notes = join(dir, 'notes.md');
    writeFileSync(notes, 'Just some notes.\n');
    const refused = await wgbot(['import', notes], env);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/^wgbot import: line 1: this is neither a working-group page/);
    expect((await wgbot(['status', 'notes'], env)).code).toBe(2);
  });

  it('imports a directory of pages in one run: a summary on stdout, --json per file, exit 2 when one is refused', async () => {
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    writeFileSync(
      join(pages, 'a.md'),
      '---\ntitle: Batch A\n---\n## Exit Criteria\n| Criteria | Progress |\n|---|---|\n| One | 40% |\n',
    );
    writeFileSync(join(pages, 'b.txt'), '# Batch B\n\n## Exit Criteria\n\n- ✅ Two\n');
    writeFileSync(join(pages, 'c.markdown'), 'Nothing to see.\n');
    writeFileSync(join(pages, 'ignored.json'), '{}');
    const run = await wgbot(['import', pages], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^3 of 3 files: 0 imported, 2 imported with warnings, 1 refused\n/);
    expect(run.stdout).toMatch(/refused +.*c\.markdown +- +line 1: this is neither/);
    const again = await wgbot(['import', join(pages, 'a.md'), join(pages, 'b.txt'), '--json'], env);
    expect(again.code).toBe(0);
    const data = JSON.parse(again.stdout) as {
      files: { file: string; slug: string; status: string; warnings: unknown[] }[];
    };
    expect(data.files.map((f) => [f.slug, f.status])).toEqual([
      ['batch-a', 'warnings'],
      ['batch-b', 'warnings'],
    ]);
    expect(data.files[0]!.warnings).toContainEqual({
      line: null,
      message: expect.stringContaining('no roles table'),
    });
    const status = JSON.parse((await wgbot(['status', 'batch-a', '--json'], env)).stdout) as {
      criteria: unknown[];
    };
    expect(status.criteria).toMatchObject([{ title: 'One', percent: 40 }]);
    expect((await wgbot(['import', pages, '--slug', 'x'], env)).stderr).toMatch(/--slug names one group/);
  });

  it('prints warnings on stderr and still imports', async () => {
    const bare = join(dir, 'bare.md');
    writeFileSync(bare, '# Bare group\n\n## Exit Criteria\n\n1. One => 10%\n');
    const run = await wgbot(['import', bare], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`warning: ${bare}: no roles table`);
  });

  it('backs the database up online, and the copy opens with the same data', async () => {
    const file = join(dir, 'backup.db');
    const run = await wgbot(['backup', file], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/backed up to .*backup\.db in \d+ ms: integrity ok, \d+ working groups/);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const copy = await wgbot(['list', '--json', '--db', file], env);
    const original = await wgbot(['list', '--json'], env);
    expect(JSON.parse(copy.stdout)).toEqual(JSON.parse(original.stdout));
    expect((await wgbot(['backup', file], env)).stderr).toMatch(/exists; pass --force/);
    // A wrong path is an error, not a backup of a new empty database.
    const missing = await wgbot(['backup', join(dir, 'other.db'), '--db', join(dir, 'nope.db')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at .*nope\.db \(run 'wgbot migrate'/);
    expect(existsSync(join(dir, 'nope.db'))).toBe(false);
  });

  it('demo says what is wrong with its port, and never rebuilds the real database', async () => {
    const bad = await wgbot(['demo', '--port', 'abc'], env);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/'abc' is not a port/);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    const busy = await wgbot(['demo', '--port', String(port), '--db', join(dir, 'demo.db')], env);
    taken.close();
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(
      new RegExp(`port ${port} is in use: pick another with --port N or DEMO_PORT`),
    );
    const real = await wgbot(['demo', '--db', env.DATABASE_PATH!], env);
    expect(real.stderr).toMatch(/give --db a file other than/);
    // Without DATABASE_PATH, the default database is protected just the same.
    const fallback = await wgbot(['demo', '--db', 'data/wgbot.db'], {}, dir);
    expect(fallback).toMatchObject({ code: 2 });
    expect(fallback.stderr).toMatch(/give --db a file other than/);
  });

  it('takes --db before the command too', async () => {
    const run = await wgbot(['--db', env.DATABASE_PATH!, 'list', '--json'], {});
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).map((g: { slug: string }) => g.slug)).toContain('improve-ops-quality');
  });

  it('says so on stderr, with exit 2, when there is no command or configuration is missing', async () => {
    const bare = await wgbot([], env);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe('wgbot: no command given; pick one of the commands above\n');

    // A server that cannot serve exits by itself (code 2) instead of lingering with its cron jobs until
    // the helper's timeout kills it.
    const serve = await wgbot(['serve'], { ...env, SLACK_BOT_TOKEN: 'xoxb-test' });
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/^wgbot serve: SLACK_SIGNING_SECRET is required in HTTP mode/);

    // A token Slack refuses is the operator's input too, named as such.
    const slack = await FakeSlack.start();
    try {
      const refused = await wgbot(['serve'], {
        ...env,
        SLACK_BOT_TOKEN: 'xoxb-not-this-one',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
      });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
    } finally {
      await slack.close();
    }

    expect(
      (await wgbot(['link', 'devops-cicd', 'https://gitlab.com/groups/g/-/epics/1', '--no-sync'], env)).code,
    ).toBe(0);
    const sync = await wgbot(['sync', 'devops-cicd'], env);
    expect(sync).toMatchObject({ code: 2, stdout: '' });
    expect(sync.stderr).toMatch(/^wgbot sync: GITLAB_TOKEN is not set/);
  });

  it('refuses to open a database newer than itself', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(env.DATABASE_PATH!);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x', '2030-01-01')").run();
    db.close();
    const run = await wgbot(['list'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/newer than this wgbot/);
  });
});
