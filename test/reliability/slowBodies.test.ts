import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportService } from '../../src/services/importService.js';
import { openStore } from '../../src/store/store.js';
import { FakeSlack } from '../fakes/slack.js';
import { BIN } from '../helpers/cli.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';
import { sign } from '../helpers/wgbot.js';

/**
 * The slow-body attack: 3,000 sockets send headers that look like Slack's (a signature of the right
 * shape, a fresh timestamp, a 1 MB Content-Length) and then trickle their bodies. The real `wgbot serve`
 * runs in a process of its own, with its default limits, so its RSS is its own.
 */
const SECRET = 'slow-bodies-signing-secret';
const ATTACKERS = 8; // 127.0.0.10 … 127.0.0.17: 375 sockets each
const SOCKETS = 3_000;
const MB = 1024 * 1024;

let slack: FakeSlack;
let server: ChildProcess;
let port: number;
let cleanup: () => void;

/** The server's resident memory in bytes (ps works on Linux and macOS alike). */
function rss(pid: number): number {
  return (
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) * 1024
  );
}

beforeAll(async () => {
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  const temp = tempDir();
  cleanup = temp.cleanup;
  const databasePath = join(temp.dir, 'wgbot.db');
  const store = openStore(databasePath);
  new ImportService(store, () => new Date()).importText(handbookSeed(), { channel: 'C0WG' });
  store.close();
  server = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_PATH: databasePath,
      PORT: '0',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  port = await new Promise<number>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /"port":(\d+)[^\n]*wgbot is listening/.exec(out);
      if (listening) resolve(Number(listening[1]));
    });
    server.once('exit', (code) => reject(new Error(`wgbot serve exited (${code}): ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await slack?.close();
  cleanup?.();
});

/** A signed `/wg status` from 127.0.0.1, as Slack sends it; the answer is the acknowledgement. */
async function wgStatus(): Promise<{ status: number; blocks: unknown[] | undefined }> {
  const body = new URLSearchParams({
    command: '/wg',
    text: 'status',
    user_id: 'U0ADA',
    channel_id: 'C0WG',
    channel_name: 'wg_improve-ops-quality',
    response_url: slack.responseUrl(),
    trigger_id: 'trigger-1',
    team_id: 'T0FAKE',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(SECRET, ts, body),
    },
  });
  const json = (await response.json()) as { blocks?: unknown[] };
  return { status: response.status, blocks: json.blocks };
}

interface SlowClient {
  socket: Socket;
  /** Settled once the socket is connected or already gone. */
  started: Promise<void>;
  /** The HTTP status the server answered, or null when it closed the socket without one. */
  ended: Promise<number | null>;
}

/** One attacker: headers that pass a glance, then a body of 100 bytes every 200 ms, until closed. */
function slowClient(localAddress: string): SlowClient {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  const ts = Math.floor(Date.now() / 1000);
  let answer = '';
  let trickle: NodeJS.Timeout | undefined;
  const started = new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', () => resolve());
  });
  const ended = new Promise<number | null>((resolve) => {
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => {});
    socket.once('close', () => {
      clearInterval(trickle);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
      resolve(status ? Number(status) : null);
    });
  });
  socket.once('connect', () => {
    socket.write(
      [
        'POST /slack/events HTTP/1.1',
        'Host: wgbot',
        'content-type: application/x-www-form-urlencoded',
        'content-length: 1000000',
        `x-slack-request-timestamp: ${ts}`,
        `x-slack-signature: v0=${'ab'.repeat(32)}`,
        '',
        'payload=',
      ].join('\r\n'),
    );
    trickle = setInterval(() => {
      if (!socket.destroyed) socket.write('x'.repeat(100));
    }, 200);
  });
  return { socket, started, ended };
}

describe('3,000 slow unauthenticated bodies', () => {
  it('cost the server less than 300 MB, and a signed /wg status is answered during the attack', async () => {
    expect(await wgStatus()).toMatchObject({ status: 200, blocks: expect.any(Array) });
    const baseline = rss(server.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid!))), 250);

    const clients: SlowClient[] = [];
    for (let i = 0; i < SOCKETS; i += 1) clients.push(slowClient(`127.0.0.${10 + (i % ATTACKERS)}`));
    await Promise.all(clients.map((c) => c.started));

    // While the slow bodies hold what they were allowed, a legitimate command gets its answer.
    const during = await wgStatus();
    expect(during.status).toBe(200);
    expect(JSON.stringify(during.blocks)).toContain('Improve Ops Quality');

    // Every attacking socket is closed by the server: refused at once, or cut off at the body timeout.
    const outcomes = await Promise.all(clients.map((c) => c.ended));
    clearInterval(sampler);
    const after = rss(server.pid!);
    peak = Math.max(peak, after);
    const count = (status: number | null) => outcomes.filter((o) => o === status).length;
    const figures = {
      'closed at connect (cap per address)': count(null),
      '429 too many unverified': count(429),
      '408 body too slow': count(408),
      'RSS before': `${(baseline / MB).toFixed(0)} MB`,
      'RSS peak': `${(peak / MB).toFixed(0)} MB (+${((peak - baseline) / MB).toFixed(0)} MB)`,
      'RSS after': `${(after / MB).toFixed(0)} MB (+${((after - baseline) / MB).toFixed(0)} MB)`,
    };
    console.warn(
      `\nslow-body attack (${SOCKETS} sockets from ${ATTACKERS} addresses)\n${Object.entries(figures)
        .map(([k, v]) => `  ${k.padEnd(38)}  ${v}`)
        .join('\n')}\n`,
    );
    expect(count(null) + count(429) + count(408)).toBe(SOCKETS);
    expect(count(408)).toBeGreaterThan(0); // some were read, slowly, and cut off
    expect(peak - baseline).toBeLessThan(300 * MB);
    expect(after - baseline).toBeLessThan(300 * MB);
    // And the server still answers once it is over.
    expect((await wgStatus()).status).toBe(200);
  }, 60_000);
});
