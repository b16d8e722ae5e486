import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { ImportService } from '../../src/services/importService.js';
import { FakeSlack } from '../fakes/slack.js';
import { handbookSeed } from '../helpers/seeds.js';
import { startWgbot, type Wgbot } from '../helpers/wgbot.js';

/**
 * Usage and traffic from a fake Prometheus on 127.0.0.1 (its instant query API: `GET /api/v1/query`,
 * answering `{status: "success", data: {resultType: "vector", result: [{metric, value: [ts, "v"]}]}}`),
 * and from a source that hangs or answers nonsense: the digest shows "usage unavailable" and goes out.
 */
let clock: ManualClock;
let slack: FakeSlack;
let wgbot: Wgbot;
let prometheus: http.Server;
let base: string;
let requests = 0;
/** The two series the query sums; changed between weeks. */
let series = ['1000', '234'];

beforeAll(async () => {
  prometheus = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/query') {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: series.map((v, i) => ({ metric: { instance: `web-${i}` }, value: [1764000000, v] })),
          },
        }),
      );
    } else if (url.pathname === '/slow/api/v1/query') {
      // Never answers: the timeout must end the wait.
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    }
  });
  await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
  clock = new ManualClock('2026-11-23T09:00:00Z');
  slack = await FakeSlack.start({ clock: () => clock.now().getTime() });
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'America/Los_Angeles' });
  slack.addUser({ id: 'U0KENNY', name: 'kenny', realName: 'Kenny Johnston', tz: 'UTC' });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  wgbot = await startWgbot({
    clock,
    slack,
    env: { USAGE_ALLOWED_HOSTS: '127.0.0.1, prometheus.internal:9090' },
  });
  new ImportService(wgbot.server.store, () => clock.now()).importText(handbookSeed(), { channel: 'C0WG' });
});
afterAll(async () => {
  await wgbot.stop();
  await slack.close();
  prometheus.closeAllConnections();
  await new Promise((resolve) => prometheus.close(resolve));
});

async function slash(text: string, user: string, id: string) {
  const answer = await wgbot.slash(text, { user, channel: 'C0WG', responseUrl: slack.responseUrl(id) });
  expect(answer.status).toBe(200);
  const reply = await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`), 10_000);
  return reply.args.text as string;
}

const group = () => wgbot.server.store.groups.getBySlug('improve-ops-quality')!;
const QUERY = 'sum(increase(http_requests_total[7d]))';

describe('usage and traffic', () => {
  it('is set by facilitators and read from Prometheus with its source and time', async () => {
    const url = `${base}/api/v1/query?query=${encodeURIComponent(QUERY)}`;
    expect(await slash(`usage <${url}>`, 'U0KENNY', 'kenny')).toContain('Only facilitators');
    expect(await slash(`usage <${url.replace(/&/g, '&amp;')}>`, 'U0JOANNA', 'set')).toBe(
      `Usage: 1,234 (no earlier reading) — Prometheus at ${base.slice(7)}: ${QUERY}, read 2026-11-23 09:00 UTC`,
    );
    expect(requests).toBe(1);
  });

  it('shows its trend in the digest a week later', async () => {
    clock.set(new Date('2026-11-30T09:00:00Z'));
    series = ['1200', '157.4'];
    const digest = await wgbot.server.digests.build(group());
    expect(digest.metrics).toBe(
      `Usage: 1,357.4 (+10% since 2026-11-23) — Prometheus at ${base.slice(7)}: ${QUERY}, read 2026-11-30 09:00 UTC · last 2 weeks ▁█`,
    );
  });

  it('says "usage unavailable" when the source hangs, and the digest still goes out', async () => {
    await slash(`usage ${base}/slow/api/v1/query?query=up`, 'U0JOANNA', 'slow');
    const period = 'manual-slow';
    const posted = await wgbot.server.digests.post(group(), period);
    expect(posted.status).toBe('posted');
    const post = slack.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0WG')!;
    expect(JSON.stringify(post.args.blocks)).toContain(
      `Usage unavailable — Prometheus at ${base.slice(7)}: up`,
    );
  });

  it('says "usage unavailable" for an answer that is not a figure', async () => {
    expect(await slash(`usage ${base}/login`, 'U0JOANNA', 'html')).toBe(
      `Usage unavailable (the answer is not JSON) — JSON at ${base.slice(7)}`,
    );
    expect(await slash('usage', 'U0KENNY', 'html-member')).toBe(
      `Usage unavailable — JSON at ${base.slice(7)}`,
    );
    expect(await slash('usage off', 'U0JOANNA', 'off')).toContain('Usage source removed');
    expect((await wgbot.server.digests.build(group())).metrics).toBeNull();
  });

  it('refuses a host the operator did not allow, and escapes the query in the digest', async () => {
    expect(await slash('usage http://10.0.0.5:9100/metrics', 'U0JOANNA', 'internal')).toBe(
      'Not a usage source: the operator must allow 10.0.0.5:9100 in USAGE_ALLOWED_HOSTS first.',
    );
    expect(await slash('usage http://prometheus.internal:9091/x', 'U0JOANNA', 'port')).toContain(
      'the operator must allow prometheus.internal:9091',
    );
    expect(
      wgbot.server.store.db.prepare('SELECT url FROM usage_sources WHERE wg_id = ?').get(group().id),
    ).toBeUndefined();
    await slash(
      `usage ${base}/slow/api/v1/query?query=${encodeURIComponent('<!channel> x')}`,
      'U0JOANNA',
      'ping',
    );
    const metrics = (await wgbot.server.digests.build(group())).metrics!;
    expect(metrics).toContain('&lt;!channel&gt; x');
    expect(metrics).not.toContain('<!channel>');
  });
});
