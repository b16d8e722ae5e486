import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/main.js';
import { FakeSlack } from '../fakes/slack.js';
import { tempDir } from '../helpers/store.js';

/**
 * HOST picks the address `serve` listens on. On Linux all of 127.0.0.0/8 is loopback, so a server bound
 * to 127.0.0.1 is out of reach on 127.0.0.2, and one bound to every interface answers there too.
 */
let slack: FakeSlack;
let server: RunningServer | undefined;
let cleanup = () => {};

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await slack?.close();
  cleanup();
});

async function serveWith(env: Record<string, string>): Promise<RunningServer> {
  slack = await FakeSlack.start();
  const dir = tempDir();
  cleanup = dir.cleanup;
  const config = loadConfig({
    DATABASE_PATH: join(dir.dir, 'wgbot.db'),
    PORT: '0',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: 'host-test-secret',
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: 'silent',
    ...env,
  });
  server = await startServer({
    config,
    clock: new ManualClock('2026-11-23T09:00:00Z'),
    logger: silentLogger,
    slackRetries: 0,
    cron: false,
  });
  return server;
}

/** Whether a TCP connection to host:port is accepted (true) or refused (false). */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('HOST', () => {
  it('HOST=127.0.0.1 binds to 127.0.0.1 only', async () => {
    const { address } = await serveWith({ HOST: '127.0.0.1' });
    expect(address.address).toBe('127.0.0.1');
    const health = await fetch(`http://127.0.0.1:${address.port}/healthz`);
    expect([200, 503]).toContain(health.status);
    expect(await reachable('127.0.0.2', address.port)).toBe(false);
  });

  it('binds to every interface when unset', async () => {
    const { address } = await serveWith({});
    expect(address.address).toBe('0.0.0.0');
    expect(await reachable('127.0.0.1', address.port)).toBe(true);
    expect(await reachable('127.0.0.2', address.port)).toBe(true);
  });
});
