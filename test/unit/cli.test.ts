import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli.js';
import { parseCommandArgs } from '../../src/cli/context.js';
import { commandHelp, generalHelp, wrap } from '../../src/cli/help.js';
import { describeSchedule } from '../../src/domain/schedule.js';
import { didYouMean } from '../../src/domain/suggest.js';

describe('the command registry', () => {
  it.each(commands.map((c) => [c.name, c]))(
    '%s has usage, summary, described options and an example',
    (name, c) => {
      expect(c.usage).toMatch(new RegExp(`^wgbot ${name}\\b`));
      expect(c.summary.length).toBeGreaterThan(10);
      for (const option of c.options) {
        expect(option.flag).toMatch(/^(-\w, )?--[a-z][\w-]*( \S+)?$/);
        expect(option.description.length).toBeGreaterThan(10);
        // Every option the command takes is in its usage line.
        expect(c.usage).toContain(option.flag.replace(/^-\w, /, '').split(' ')[0]);
      }
      expect(c.examples.length).toBeGreaterThan(0);
      for (const example of c.examples) expect(example).toContain(`wgbot ${name}`);
      expect(
        typeof c.database === 'function' || ['none', 'read', 'write', 'create'].includes(c.database),
      ).toBe(true);
    },
  );

  it('names each command once', () => {
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
  });

  it.each(commands.map((c) => [c.name, c]))('%s: help fits 80 columns (and 50)', (_name, c) => {
    for (const width of [80, 50]) {
      const lines = commandHelp(c, width).split('\n');
      // A single word longer than the line (a URL in an example) may stick out; nothing else does.
      for (const line of lines) if (line.trim().includes(' ')) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('reads only what help needs before a command runs: no SQLite, zod, Slack, GitLab or charts', () => {
    // Modules loaded for `wgbot --help`: src/cli.ts and what it imports statically. (src/import/errors.ts,
    // the importer's error and warning texts, imports nothing itself.)
    const eager = [
      'src/cli.ts',
      'src/cli/context.ts',
      'src/cli/help.ts',
      'src/cli/progress.ts',
      'src/domain/suggest.ts',
    ];
    eager.push(...readdirSync('src/cli/commands').map((f) => `src/cli/commands/${f}`));
    const allowed =
      /^(node:|\.\.?\/(context|help|progress)\.js$|\.\/cli\/|\.\/clock\.js$|\.\/domain\/suggest\.js$|\.\.\/\.\.\/domain\/suggest\.js$|\.\.\/domain\/suggest\.js$|\.\.\/\.\.\/import\/errors\.js$|fastest-levenshtein$)/;
    for (const file of eager) {
      const source = readFileSync(file, 'utf8');
      const imports = [...source.matchAll(/^import (?!type )[^;]*? from '([^']+)';/gms)].map((m) => m[1]!);
      for (const specifier of imports)
        expect([file, specifier]).toEqual([file, expect.stringMatching(allowed)]);
    }
  });
});

describe('option parsing from the help data', () => {
  const link = commands.find((c) => c.name === 'link')!;
  const metrics = commands.find((c) => c.name === 'metrics')!;

  it('takes values where the flag shows one, repeats where marked, and --db everywhere', () => {
    expect(
      parseCommandArgs(link, ['s', 'u', '--criterion', '2', '--no-sync', '--db', 'x.db']).values,
    ).toEqual({
      criterion: '2',
      'no-sync': true,
      db: 'x.db',
    });
    expect(parseCommandArgs(metrics, ['s', '--add', 'a/b', '--add', 'c/d']).values.add).toEqual([
      'a/b',
      'c/d',
    ]);
  });

  it('suggests the option that was meant', () => {
    expect(() => parseCommandArgs(link, ['s', 'u', '--nosync'])).toThrow(/did you mean --no-sync\?/);
    expect(() => parseCommandArgs(link, ['s', 'u', '--zzz'])).toThrow(
      /^Unknown option '--zzz' — usage: wgbot link/,
    );
  });
});

describe('help text', () => {
  it('wraps words with a hanging indent and never breaks one', () => {
    expect(wrap('aaa bbb ccc ddd', 8, 2, '- ')).toEqual(['- aaa', '  bbb', '  ccc', '  ddd']);
    expect(wrap('one https://example.com/very/long/path two', 12)).toEqual([
      'one',
      'https://example.com/very/long/path',
      'two',
    ]);
  });

  it('the general help lists every command with its summary', () => {
    const text = generalHelp(commands, '1.2.3', 80);
    expect(text.split('\n')[0]).toMatch(/^wgbot 1\.2\.3 — /);
    for (const c of commands) expect(text).toContain(`  ${c.name}`);
  });
});

describe('did you mean', () => {
  it.each([
    ['stauts', ['status', 'sync', 'list'], 'status'],
    ['sycn', ['status', 'sync', 'list'], 'sync'],
    ['imprve-ops-quality', ['improve-ops-quality', 'devops-cicd'], 'improve-ops-quality'],
    ['devops', ['improve-ops-quality', 'devops-cicd'], 'devops-cicd'],
    ['frobnicate', ['status', 'sync', 'list'], null],
    ['x', ['status'], null],
    ['status', ['status'], null],
  ])('%s among %j: %s', (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });
});

describe('a schedule in words', () => {
  it.each([
    [null, 'Mondays at 09:00 Europe/Berlin'],
    ['off', 'off'],
    ['30 8 * * 1,2,3,4,5', 'weekdays at 08:30 Europe/Berlin'],
    ['0 7 * * 0,1,2,3,4,5,6', 'every day at 07:00 Europe/Berlin'],
    ['0 7 * * *', 'every day at 07:00 Europe/Berlin'],
    ['5 17 * * 1,4', 'Mondays and Thursdays at 17:05 Europe/Berlin'],
    ['0 9 * * 5,1,3', 'Mondays, Wednesdays and Fridays at 09:00 Europe/Berlin'],
    ['0 9 1 * *', "cron '0 9 1 * *' Europe/Berlin"],
  ])('%s: %s', (cron, words) => {
    expect(describeSchedule(cron, 'Europe/Berlin')).toBe(words);
  });
});
