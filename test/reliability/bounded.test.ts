import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { openStore } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { BIN } from '../helpers/cli.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';

/**
 * A GitLab (or a proxy in front of it) that keeps offering a next page, against the real `wgbot serve`
 * process: the sync stops at its page cap, and SIGTERM ends the process while such a sync is under way.
 * Durations are figures printed at the end, never asserted.
 */
const SLUG = 'improve-ops-quality';
const WEBHOOK_SECRET = 'bounded-webhook-secret';
const figures: [string, string][] = [];

let slack: FakeSlack;
let gitlab: FakeGitlab;
let endless: RegExp;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  slack = await FakeSlack.start();
  gitlab = await FakeGitlab.start();
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const epic = gitlab.addEpic('g', { title: 'Ops quality' });
  for (let i = 0; i < 3; i += 1)
    gitlab.addIssue('g/app', { title: `Story ${i + 1}`, epic: { groupPath: 'g', iid: epic.iid } } as never);
  endless = new RegExp(`/epics/${epic.iid}/issues$`);
});

afterEach(() => {
  gitlab.clearFaults();
  for (const c of cleanups.splice(0)) c();
});

afterAll(async () => {
  await slack?.close();
  await gitlab?.close();
  const width = Math.max(...figures.map(([k]) => k.length));
  console.warn(
    `\nwgbot against a GitLab that pages without end\n${figures.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`,
  );
});

/** A database with the sample group linked to the fake's epic. */
function database(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const path = join(dir, 'wgbot.db');
  const store = openStore(path);
  new ImportService(store, () => new Date()).importText(handbookSeed());
  new LinkService(store, gitlab.url, () => new Date()).link(SLUG, `${gitlab.url}/groups/g/-/epics/1`);
  store.close();
  return path;
}

interface Serving {
  child: ChildProcess;
  port: Promise<number>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real `wgbot serve` in HTTP mode against the fakes, on a port of its choosing. */
function serve(databasePath: string, env: Record<string, string>): Serving {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_PATH: databasePath,
      PORT: '0',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: 'bounded-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      GITLAB_URL: gitlab.url,
      GITLAB_TOKEN: gitlab.token,
      GITLAB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const listening = /"port":(\d+)[^\n]*"msg":"wgbot is listening"/.exec(stdout);
      if (listening) resolve(Number(listening[1]));
    });
    child.on('exit', () => reject(new Error(`wgbot serve exited before listening:\n${stdout}`)));
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, port, exit };
}

/** A GitLab issue event for the epic's project: wgbot queues a sync of the group (after its debounce). */
async function issueChanged(port: number): Promise<void> {
  const answer = await fetch(`http://127.0.0.1:${port}/gitlab/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': 'Issue Hook',
      'x-gitlab-token': WEBHOOK_SECRET,
    },
    body: JSON.stringify({
      object_kind: 'issue',
      project: { path_with_namespace: 'g/app' },
      object_attributes: { id: 1, iid: 1 },
    }),
  });
  expect(answer.status).toBe(202);
}

/** Polls until `done` (bounded: a test that never gets there fails, it does not hang). */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i += 1) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('a GitLab that pages without end', () => {
  it('stops the sync at GITLAB_MAX_PAGES, records it in /healthz and keeps serving', async () => {
    gitlab.endlessPages(endless);
    gitlab.resetLog();
    const wgbot = serve(database(), { GITLAB_MAX_PAGES: '200' });
    const port = await wgbot.port;
    const started = performance.now();
    await issueChanged(port);
    type Health = { lastSync: Record<string, { error: string | null; links: { error: string | null }[] }> };
    let health: Health | null = null;
    await until(async () => {
      health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Health;
      return health.lastSync[SLUG]?.error != null;
    }, 'the sync error in /healthz');
    const seconds = (performance.now() - started) / 1000;
    const pages = gitlab.requestsTo(endless).length;
    expect(pages).toBe(200);
    expect(health!.lastSync[SLUG]!.error).toContain('GITLAB_MAX_PAGES (200)');
    expect(health!.lastSync[SLUG]!.links[0]!.error).toContain('GITLAB_MAX_PAGES (200)');
    figures.push([
      'endless listing, GITLAB_MAX_PAGES=200',
      `stopped after ${pages} pages, error in /healthz ${seconds.toFixed(1)} s after the webhook (5 s debounce included)`,
    ]);
    wgbot.child.kill('SIGTERM');
    expect(await wgbot.exit).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('SIGTERM during an endless sync ends the process, and no request reaches GitLab after it', async () => {
    gitlab.endlessPages(endless);
    gitlab.resetLog();
    // No cap to speak of, and an hour's budget: only the stop can end this sync.
    const wgbot = serve(database(), { GITLAB_MAX_PAGES: '100000', SYNC_BUDGET_SECONDS: '3600' });
    await issueChanged(await wgbot.port);
    await until(() => gitlab.requestsTo(endless).length >= 50, 'the endless sync under way');
    const signalled = performance.now();
    wgbot.child.kill('SIGTERM');
    const exit = await wgbot.exit;
    const seconds = (performance.now() - signalled) / 1000;
    const requestsAtExit = gitlab.requests.length;
    expect(exit).toEqual({ code: 0, signal: null });
    await new Promise((r) => setTimeout(r, 500));
    expect(gitlab.requests.length).toBe(requestsAtExit);
    figures.push([
      'SIGTERM during an endless sync',
      `exit code ${exit.code} after ${seconds.toFixed(2)} s (${gitlab.requestsTo(endless).length} pages asked for by then)`,
    ]);
  }, 60_000);
});
