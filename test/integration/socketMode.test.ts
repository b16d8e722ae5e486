import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { FakeSlack } from '../fakes/slack.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/store.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function health(url: string): Promise<{ status: number; json: { ok: boolean; slack?: string } }> {
  const response = await fetch(`${url}/healthz`);
  return { status: response.status, json: (await response.json()) as { ok: boolean; slack?: string } };
}

/** Polls /healthz until it answers `status` (bounded: a test that never gets there fails, it does not hang). */
async function healthBecomes(url: string, status: number) {
  for (let i = 0; i < 300; i += 1) {
    const answer = await health(url).catch(() => null);
    if (answer?.status === status) return answer;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`/healthz never answered ${status}`);
}

/** A port nothing listens on (taken and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `wgbot serve` as the real executable, in Socket Mode. */
function serve(env: Record<string, string>): { child: ChildProcess; exit: Promise<Exit> } {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_PATH: join(dir, 'wgbot.db'),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: 'xapp-test-token',
      LOG_LEVEL: 'info',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exit };
}

describe('Socket Mode', () => {
  it('connects through SLACK_API_URL; /healthz follows the WebSocket, and wgbot reconnects on its own', async () => {
    const slack = await FakeSlack.start();
    cleanups.push(() => slack.close());
    const wgbot: Wgbot = await startWgbot({
      clock: new ManualClock('2026-11-23T09:00:00Z'),
      slack,
      env: { SLACK_APP_TOKEN: slack.appToken },
      socketPingTimeoutMs: 200,
    });
    let stopped = false;
    cleanups.push(async () => {
      if (!stopped) await wgbot.stop();
    });

    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    expect(slack.socketCount).toBe(1);
    expect(await health(wgbot.url)).toMatchObject({ status: 200, json: { ok: true, slack: 'connected' } });

    // The socket goes; Slack's API then fails once (a rejection the client's own loop would leave unhandled).
    slack.refuseSockets = true;
    slack.failNext('apps.connections.open', { status: 500 });
    slack.dropSockets();
    expect(await healthBecomes(wgbot.url, 503)).toMatchObject({
      json: { ok: false, slack: 'not connected' },
    });
    const attempts = slack.callsTo('apps.connections.open').length;
    while (slack.callsTo('apps.connections.open').length < attempts + 2)
      await new Promise((r) => setTimeout(r, 50));
    expect((await health(wgbot.url)).json.slack).toBe('not connected');

    slack.refuseSockets = false;
    expect(await healthBecomes(wgbot.url, 200)).toMatchObject({ json: { ok: true, slack: 'connected' } });

    // A stop in the middle of a reconnect loop ends it.
    slack.refuseSockets = true;
    slack.dropSockets();
    await healthBecomes(wgbot.url, 503);
    stopped = true;
    await wgbot.stop();
    const calls = slack.callsTo('apps.connections.open').length;
    await new Promise((r) => setTimeout(r, 600));
    expect(slack.callsTo('apps.connections.open')).toHaveLength(calls);
  }, 30_000);

  it('gives up a start that cannot reach Slack: exit 1, naming the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api/`;
    const { exit } = serve({ SLACK_API_URL: url, SLACK_START_TIMEOUT_SECONDS: '2', PORT: '0' });
    const result = await exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Slack did not answer at ${url} within 2 s`);
  }, 20_000);

  it('stops at once on SIGTERM while the start waits for Slack, and says "not connected" meanwhile', async () => {
    const slack = await FakeSlack.start();
    cleanups.push(() => slack.close());
    slack.setLatency('auth.test', 120_000);
    const port = await freePort();
    const { child, exit } = serve({ SLACK_API_URL: slack.apiUrl, PORT: String(port) });
    expect(await healthBecomes(`http://127.0.0.1:${port}`, 503)).toMatchObject({
      json: { ok: false, slack: 'not connected' },
    });
    child.kill('SIGTERM');
    const result = await exit;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toContain('stopped while starting');
  }, 20_000);
});
