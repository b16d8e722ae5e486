import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitlab } from '../fakes/gitlab.js';
import { wgbot } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';

let gitlab: FakeGitlab;
let env: Record<string, string>;
let cleanup: () => void;

beforeEach(async () => {
  gitlab = await FakeGitlab.start();
  gitlab.user('ada', 'Ada Lovelace');
  const dir = tempDir();
  cleanup = dir.cleanup;
  env = { DATABASE_PATH: join(dir.dir, 'wgbot.db'), GITLAB_URL: gitlab.url, GITLAB_TOKEN: gitlab.token };
  expect((await wgbot(['migrate'], env)).code).toBe(0);
});

afterEach(async () => {
  cleanup();
  await gitlab.close();
});

describe('wgbot map', () => {
  it('maps a Slack user to the GitLab account GitLab has by that username, shows it and forgets it', async () => {
    expect(await wgbot(['map', 'U024BE7LH', '@ada'], env)).toMatchObject({
      code: 0,
      stdout: `U024BE7LH: GitLab @ada (id ${gitlab.user('ada').id})\n`,
    });
    expect((await wgbot(['map', 'U024BE7LH'], env)).stdout).toMatch(
      /^U024BE7LH: GitLab @ada \(id \d+, admin by cli, /,
    );
    expect((await wgbot(['map', 'U024BE7LH', '--remove'], env)).stdout).toBe(
      'U024BE7LH: GitLab account forgotten\n',
    );
    expect((await wgbot(['map', 'U024BE7LH'], env)).stdout).toBe('U024BE7LH: no GitLab account known\n');
  });

  it('refuses an unknown GitLab user, a malformed Slack ID and a missing token, changing nothing', async () => {
    expect(await wgbot(['map', 'U024BE7LH', 'nobody'], env)).toMatchObject({
      code: 2,
      stderr: "wgbot map: GitLab has no account 'nobody'\n",
    });
    expect((await wgbot(['map', 'ada', 'ada'], env)).stderr).toContain("'ada' is not a Slack user ID");
    const { GITLAB_TOKEN: _token, ...noToken } = env;
    expect((await wgbot(['map', 'U024BE7LH', 'ada'], noToken)).stderr).toContain('GITLAB_TOKEN is not set');
    expect((await wgbot(['map', 'U024BE7LH'], env)).stdout).toBe('U024BE7LH: no GitLab account known\n');
  });
});
