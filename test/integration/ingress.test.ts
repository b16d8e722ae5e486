import { connect, type Socket } from 'node:net';
import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitlabWebhookHandler } from '../../src/gitlab/webhook.js';
import type { IngressLimits } from '../../src/http/ingress.js';
import { silentLogger } from '../../src/logger.js';
import { boltLogger } from '../../src/slack/boltLogger.js';
import { WgbotReceiver } from '../../src/slack/receiver.js';
import { openStore, type Store } from '../../src/store/store.js';
import { sign } from '../helpers/wgbot.js';

const SECRET = 'ingress-signing-secret';
const WEBHOOK = 'ingress-webhook-secret';
const NOW = new Date('2026-11-23T09:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);

let receiver: WgbotReceiver | undefined;
let store: Store | undefined;
let handled = 0;

afterEach(async () => {
  await receiver?.stop();
  store?.close();
  receiver = undefined;
  store = undefined;
});

/** A receiver on 127.0.0.1 whose Bolt app acknowledges everything it is handed. */
async function start(ingress: Partial<IngressLimits> = {}, bodyLimit?: number): Promise<number> {
  handled = 0;
  store = openStore(':memory:', () => NOW);
  receiver = new WgbotReceiver({
    signingSecret: SECRET,
    now: () => NOW,
    logger: silentLogger,
    boltLogger: boltLogger(silentLogger),
    ingress,
    ...(bodyLimit ? { bodyLimit } : {}),
    routes: {
      '/healthz': { GET: (_req, res) => void res.end('ok') },
      '/gitlab/webhook': {
        POST: createGitlabWebhookHandler({
          store,
          secret: WEBHOOK,
          schedule: () => {},
          now: () => NOW,
          logger: silentLogger,
        }),
      },
    },
  });
  receiver.init({
    processEvent: async ({ ack }: { ack: (r?: unknown) => Promise<void> }) => {
      handled += 1;
      await ack();
    },
  } as unknown as App);
  await receiver.start(0, '127.0.0.1');
  return receiver.address()!.port;
}

interface RawAnswer {
  status: number | null;
  /** The server closed the connection (every refusal does). */
  closed: boolean;
}

/** Opens a socket, sends `head` (and `body`, if any) as they are, and waits for the server to close it. */
function raw(port: number, head: string, body = '', localAddress = '127.0.0.1'): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ port, host: '127.0.0.1', localAddress });
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, closed: true });
    });
    socket.write(`${head}\r\n\r\n${body}`);
  });
}

/** A Slack-like request head; the client asks to close after the answer unless `connection` says otherwise. */
function slackHead(headers: Record<string, string | number>): string {
  const lines = Object.entries({ connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return ['POST /slack/events HTTP/1.1', 'Host: wgbot', ...lines].join('\r\n');
}

const goodSignature = `v0=${'0'.repeat(64)}`;

describe('nothing of a body is read before the headers allow it', () => {
  it('refuses missing signature headers, a stale timestamp and an oversized length without waiting for the body', async () => {
    const port = await start();
    // Each declares a body it never sends: the answer comes from the headers alone.
    const cases: [Record<string, string | number>, number][] = [
      [{ 'content-length': 500 }, 401],
      [{ 'content-length': 500, 'x-slack-request-timestamp': nowSeconds }, 401],
      [
        {
          'content-length': 500,
          'x-slack-signature': goodSignature,
          'x-slack-request-timestamp': nowSeconds - 600,
        },
        401,
      ],
      [
        {
          'content-length': 500,
          'x-slack-signature': goodSignature,
          'x-slack-request-timestamp': nowSeconds + 600,
        },
        401,
      ],
      [
        { 'content-length': 500, 'x-slack-signature': 'v0=short', 'x-slack-request-timestamp': nowSeconds },
        401,
      ],
      [
        {
          'content-length': 2_000_000,
          'x-slack-signature': goodSignature,
          'x-slack-request-timestamp': nowSeconds,
        },
        413,
      ],
      [{ 'x-slack-signature': goodSignature, 'x-slack-request-timestamp': nowSeconds }, 411],
    ];
    for (const [headers, status] of cases) {
      expect(await raw(port, slackHead(headers))).toEqual({ status, closed: true });
    }
    expect(handled).toBe(0);
  });

  it('answers a refused sender that keeps the connection, throws its body away and closes the socket', async () => {
    const port = await start();
    const head = slackHead({
      connection: 'keep-alive',
      'content-length': 900_000,
      'x-slack-request-timestamp': nowSeconds,
    });
    // The body keeps coming after the 401: it is read and dropped, then the socket is closed (LINGER_MS).
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(`${head}\r\n\r\n`);
    const trickle = setInterval(() => socket.writable && socket.write('x'.repeat(1_000)), 20);
    await closed;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 401 /);
    expect(receiver!.guard.bytes.used).toBe(0);
  });

  it('cuts a chunked body at the cap, and times out a body that trickles', async () => {
    const port = await start({ bodyTimeoutMs: 200 }, 1_000);
    const chunk = `${(600).toString(16)}\r\n${'a'.repeat(600)}\r\n`;
    const head = slackHead({
      'transfer-encoding': 'chunked',
      'x-slack-signature': goodSignature,
      'x-slack-request-timestamp': nowSeconds,
    });
    expect(await raw(port, head, chunk + chunk)).toEqual({ status: 413, closed: true });
    const slow = slackHead({
      'content-length': 900,
      'x-slack-signature': goodSignature,
      'x-slack-request-timestamp': nowSeconds,
    });
    expect(await raw(port, slow, 'a'.repeat(10))).toEqual({ status: 408, closed: true });
    expect(handled).toBe(0);
  });

  it('answers 503 when the bodies being read would pass the shared allowance', async () => {
    const port = await start({ untrustedBytes: 1_000, bodyTimeoutMs: 1_000 });
    const head = slackHead({
      'content-length': 900,
      'x-slack-signature': goodSignature,
      'x-slack-request-timestamp': nowSeconds,
    });
    // The first holds 600 bytes of the allowance while it waits for the rest; the second cannot fit.
    const first = raw(port, head, 'a'.repeat(600));
    await new Promise<void>((resolve) => {
      const poll = () => (receiver!.guard.bytes.used >= 600 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(await raw(port, head, 'b'.repeat(600))).toEqual({ status: 503, closed: true });
    expect(await first).toEqual({ status: 408, closed: true });
    expect(receiver!.guard.bytes.used).toBe(0);
  });

  it('checks the GitLab token from the headers, before the body', async () => {
    const port = await start();
    const head = (token: string) =>
      [
        'POST /gitlab/webhook HTTP/1.1',
        'Host: wgbot',
        'content-type: application/json',
        'content-length: 5000',
        `x-gitlab-token: ${token}`,
        'connection: close',
      ].join('\r\n');
    expect(await raw(port, head('wrong'))).toEqual({ status: 401, closed: true });
    const tooBig = head(WEBHOOK).replace('content-length: 5000', 'content-length: 5000000');
    expect(await raw(port, tooBig)).toEqual({ status: 413, closed: true });
  });

  it('reads and handles a correctly signed request', async () => {
    const port = await start();
    const body = 'command=%2Fwg&text=status';
    const head = slackHead({
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': body.length,
      'x-slack-signature': sign(SECRET, nowSeconds, body),
      'x-slack-request-timestamp': nowSeconds,
      connection: 'close',
    });
    expect(await raw(port, head, body)).toEqual({ status: 200, closed: true });
    expect(handled).toBe(1);
  });
});

describe('limits per address', () => {
  it('refuses an address that sent too many unverified requests, but not /healthz, and not verified traffic', async () => {
    const port = await start({ untrustedPerAddress: 3 });
    const signed = (at: string) => {
      const body = `text=status&n=${at}`;
      return raw(
        port,
        slackHead({
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': body.length,
          'x-slack-signature': sign(SECRET, nowSeconds, body),
          'x-slack-request-timestamp': nowSeconds,
          connection: 'close',
        }),
        body,
        at,
      );
    };
    // Verified requests give their token back: many more than 3 pass.
    for (let i = 0; i < 10; i += 1) expect((await signed('127.0.0.1')).status).toBe(200);
    const forged = slackHead({ 'content-length': 0, 'x-slack-request-timestamp': nowSeconds });
    const refused = [];
    for (let i = 0; i < 5; i += 1) refused.push((await raw(port, forged)).status);
    expect(refused).toEqual([401, 401, 401, 429, 429]);
    expect((await signed('127.0.0.1')).status).toBe(429);
    expect((await raw(port, 'GET /healthz HTTP/1.1\r\nHost: wgbot\r\nconnection: close')).status).toBe(200);
    // Another address has a bucket of its own.
    expect((await signed('127.0.0.2')).status).toBe(200);
    expect(handled).toBe(11);
  });

  it('closes connections past the cap for one address, while others still connect', async () => {
    const port = await start({ maxConnectionsPerAddress: 5 });
    const sockets: Socket[] = [];
    let closed = 0;
    let fiveClosed!: () => void;
    const closedByServer = new Promise<void>((resolve) => (fiveClosed = resolve));
    for (let i = 0; i < 10; i += 1) {
      const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.3' });
      socket.on('error', () => {});
      socket.once('close', () => (closed += 1) === 5 && fiveClosed());
      sockets.push(socket);
    }
    // The five over the cap are closed by the server; the other five stay open.
    await closedByServer;
    expect(sockets.filter((s) => !s.destroyed)).toHaveLength(5);
    expect(receiver!.guard.openConnections).toBe(5);
    expect(
      (await raw(port, 'GET /healthz HTTP/1.1\r\nHost: wgbot\r\nconnection: close', '', '127.0.0.4')).status,
    ).toBe(200);
    for (const s of sockets) s.destroy();
  });
});
