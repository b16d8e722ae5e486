import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wgbot } from '../helpers/cli.js';
import { HANDBOOK_SEED } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

let cleanup: () => void;
let env: Record<string, string>;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  env = { DATABASE_PATH: join(dir, 'wgbot.db') };
  expect((await wgbot(['import', HANDBOOK_SEED], env)).code).toBe(0);
});
afterAll(() => cleanup());

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('wgbot help', () => {
  it('help <command> and <command> --help print the same usage, options and examples', async () => {
    const viaHelp = await wgbot(['help', 'import']);
    const viaFlag = await wgbot(['import', '--help']);
    expect(viaHelp).toMatchObject({ code: 0, stderr: '' });
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
    const text = viaHelp.stdout;
    expect(text).toMatch(/^usage: wgbot import <page\.md \| dir>…/);
    expect(text).toMatch(/\nOptions:\n {2}--slug S +the group's slug/);
    expect(text).toMatch(/\n {2}--db FILE +the database file/);
    expect(text).toMatch(/\nExamples:\n {2}wgbot import handbook\/improve-ops-quality\.md\n/);
    // The general help is something else.
    expect((await wgbot(['--help'])).stdout).not.toBe(text);
  });

  it('the general help lists every command in 80 columns when not on a terminal', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const run = await wgbot(args);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      for (const name of [
        'migrate',
        'import',
        'link',
        'sync',
        'status',
        'list',
        'digest',
        'schedule',
        'backup',
      ])
        expect(run.stdout).toMatch(new RegExp(`\\n {2}${name} +\\S`));
      expect(Math.max(...run.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    }
  });

  it('--version and -v print the package version', async () => {
    expect(await wgbot(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(await wgbot(['-v'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it.each([
    [
      ['stauts', 'x'],
      "wgbot: unknown command 'stauts' — did you mean 'status'? ('wgbot help' lists them all)\n",
    ],
    [
      ['help', 'sycn'],
      "wgbot: unknown command 'sycn' — did you mean 'sync'? ('wgbot help' lists them all)\n",
    ],
    [
      ['status', 'improve-ops-qualty'],
      "wgbot status: no working group 'improve-ops-qualty' — did you mean 'improve-ops-quality'?\n",
    ],
    [
      ['list', '--jsno'],
      "wgbot list: Unknown option '--jsno' — did you mean --json? — usage: wgbot list [--all] [--json]\n",
    ],
  ])('%j: exit 2 and "did you mean"', async (args, message) => {
    const run = await wgbot(args, env);
    expect(run).toEqual({ code: 2, stdout: '', stderr: message });
  });
});

describe('wgbot schedule', () => {
  const slug = 'improve-ops-quality';

  it('shows the default in words with its zone', async () => {
    const run = await wgbot(['schedule', slug], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^improve-ops-quality: digest Mondays at 09:00 \S+ \(the default\) \(the first facilitator's zone, else the group's\)\n$/,
    );
  });

  it.each([
    [['MON 09:00', 'Europe/Berlin'], 'Mondays at 09:00 Europe/Berlin'],
    [['TUE', '10:30', 'America/New_York'], 'Tuesdays at 10:30 America/New_York'],
    [['"weekdays 8:30"', 'UTC'], 'weekdays at 08:30 UTC'],
    [['Friday', '2pm', 'Asia/Tokyo'], 'Fridays at 14:00 Asia/Tokyo'],
    [['daily 07:15', 'Europe/Oslo'], 'every day at 07:15 Europe/Oslo'],
  ])('accepts %j and says it back in words', async (words, said) => {
    const run = await wgbot(['schedule', slug, ...words.map((w) => w.replace(/"/g, ''))], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`${slug}: digest ${said}; a running wgbot picks this up within a minute\n`);
    expect((await wgbot(['schedule', slug], env)).stdout).toBe(`${slug}: digest ${said}\n`);
  });

  it('turns digests off', async () => {
    const run = await wgbot(['schedule', slug, 'off'], env);
    expect(run.stdout).toBe(`${slug}: digest off; a running wgbot picks this up within a minute\n`);
  });

  it.each([
    [
      ['0 9 * * 1'],
      /^wgbot schedule: '0' is not a day: use MON … SUN, 'weekdays' or 'daily'\. — for example: wgbot schedule devops-cicd "MON 09:00" Europe\/Berlin\n$/,
    ],
    [['MON 25:00'], /'25:00' is not a time/],
    [['MON 09:00', 'Mars/Olympus'], /'Mars\/Olympus' is not a time zone/],
  ])('refuses %j with what it accepts, changing nothing', async (words, message) => {
    const before = (await wgbot(['schedule', slug], env)).stdout;
    const run = await wgbot(['schedule', slug, ...words], env);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(message);
    expect((await wgbot(['schedule', slug], env)).stdout).toBe(before);
  });
});
