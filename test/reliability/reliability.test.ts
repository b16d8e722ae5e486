import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { createLogger } from '../../src/logger.js';
import { DigestService } from '../../src/services/digestService.js';
import { SlackDigestPoster } from '../../src/slack/digestPoster.js';
import { ImportService } from '../../src/services/importService.js';
import { LinkService } from '../../src/services/linkService.js';
import { SyncService } from '../../src/services/syncService.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { FakeSlack } from '../fakes/slack.js';
import { BIN } from '../helpers/cli.js';
import { handbookSeed } from '../helpers/seeds.js';
import { waitUntil } from '../helpers/waitUntil.js';
import { SIGNING_SECRET, sign, startWgbot, WEBHOOK_SECRET, type Wgbot } from '../helpers/wgbot.js';
import { encodeContext } from '../../src/slack/views/actionIds.js';

/**
 * Tries to break wgbot: load, GitLab and Slack faults, processes killed mid-sync and mid-digest, hostile
 * input and forged requests. Ends with one table of what was sent, what broke, and what was kept.
 */
const summary = {
  requests: 0,
  loadSeconds: 0,
  errors: 0,
  p99: 0,
  faults: 0,
  digestsExpected: 0,
  digestsPosted: 0,
  integrity: 'not run',
  lostItems: 0,
  duplicateDigests: 0,
  refused: 0,
  deputyAttempts: 0,
  deputyRefused: 0,
  deputyTitlesSeen: 0,
  deputyWrites: 0,
};

const logLines: string[] = [];
const logger = createLogger(
  'info',
  new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

let clock: ManualClock;
let slack: FakeSlack;
let gitlab: FakeGitlab;
let wgbot: Wgbot;

beforeAll(async () => {
  clock = new ManualClock(new Date());
  slack = await FakeSlack.start();
  slack.addUser({ id: 'U0JOANNA', name: 'joanna', realName: 'Joanna Shih', tz: 'Europe/Berlin' });
  slack.addUser({ id: 'U0ADA', name: 'ada', realName: 'Ada Lovelace' });
  slack.addUser({ id: 'U0GONE', name: 'gone', realName: 'Gone Person', deleted: true });
  slack.addChannel({ id: 'C0WG', name: 'wg_improve-ops-quality' });
  slack.addChannel({ id: 'C0OUT', name: 'not-invited', isPrivate: true, isMember: false });
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const epic = gitlab.addEpic('g', { title: 'Ops quality' });
  for (let i = 0; i < 150; i += 1) {
    gitlab.addIssue('g/app', {
      title: i === 0 ? '<!channel> deploy now <@U0ADA> @here' : `Story ${i}`,
      epic: { groupPath: 'g', iid: epic.iid },
    } as never);
  }
  wgbot = await startWgbot({
    clock,
    slack,
    gitlabUrl: gitlab.url,
    gitlabToken: gitlab.token,
    logger,
    // A request times out after 1.5 s: well above a loaded machine's slowest honest answer, well below
    // the hang the timeout fault injects.
    gitlabPolicy: { timeoutMs: 1_500, maxRetries: 2, baseDelayMs: 1 },
  });
  const store = wgbot.server.store;
  new ImportService(store, () => clock.now()).importText(handbookSeed(), { channel: 'C0WG' });
  new LinkService(store, gitlab.url, () => clock.now()).link(
    'improve-ops-quality',
    `${gitlab.url}/groups/g/-/epics/${epic.iid}`,
  );
  const first = await wgbot.server.sync.syncGroup(store.groups.getBySlug('improve-ops-quality')!);
  expect(first.status).toBe('synced');
  // Joanna is the page's facilitator; her first command that needs to know her links her Slack user.
  await wgbot.slash('items mine', { user: 'U0JOANNA', responseUrl: slack.responseUrl('link-joanna') });
  await slack.waitForCall('response_url', (c) => c.path.endsWith('/link-joanna'));
}, 60_000);

afterAll(async () => {
  await wgbot?.stop();
  await slack?.close();
  await gitlab?.close();
  const rows = [
    ['requests sent (load)', `${summary.requests} in ${summary.loadSeconds.toFixed(1)} s (paced for 20 s)`],
    ['errors', summary.errors],
    ['p99 latency', `${summary.p99.toFixed(1)} ms`],
    ['faults injected', summary.faults],
    ['forged / replayed requests refused', summary.refused],
    ['digests posted / expected', `${summary.digestsPosted} / ${summary.digestsExpected}`],
    ['digests posted twice', summary.duplicateDigests],
    ['stored items lost', summary.lostItems],
    ['PRAGMA integrity_check', summary.integrity],
    ['deputy attempts refused', `${summary.deputyRefused} / ${summary.deputyAttempts}`],
    ['deputy: titles seen / GitLab writes', `${summary.deputyTitlesSeen} / ${summary.deputyWrites}`],
  ];
  const width = Math.max(...rows.map(([k]) => String(k).length));
  console.warn(
    `\nwgbot reliability\n${rows.map(([k, v]) => `  ${String(k).padEnd(width)}  ${v}`).join('\n')}\n`,
  );
});

const itemCount = () =>
  wgbot.server.store.db
    .prepare('SELECT count(*) FROM action_items WHERE removed_at IS NULL')
    .pluck()
    .get() as number;

describe('load', () => {
  it('answers 50 signed slash commands a second for 20 s without an error', async () => {
    const texts = ['status', 'items overdue', 'criteria', 'list', 'help', 'stauts'];
    const latencies: number[] = [];
    const pending: Promise<void>[] = [];
    const started = Date.now();
    for (let i = 0; i < 1000; i += 1) {
      const due = started + i * 20;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      clock.set(new Date());
      pending.push(
        (async () => {
          const t0 = performance.now();
          const answer = await wgbot.slash(texts[i % texts.length]!, { user: i % 2 ? 'U0ADA' : 'U0JOANNA' });
          latencies.push(performance.now() - t0);
          summary.requests += 1;
          if (answer.status !== 200 || !(answer.json as { blocks?: unknown[] } | null)?.blocks)
            summary.errors += 1;
        })(),
      );
    }
    await Promise.all(pending);
    latencies.sort((a, b) => a - b);
    summary.p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
    summary.loadSeconds = (Date.now() - started) / 1000;
    expect(summary.errors).toBe(0);
  }, 60_000);
});

describe('GitLab faults', () => {
  const group = () => wgbot.server.store.groups.getBySlug('improve-ops-quality')!;

  it.each([
    ['500 on every try', { status: 500 } as const],
    ['timeouts', { hang: 5_000 } as const],
    ['garbage JSON', { garbage: true } as const],
  ])(
    'keeps the last good data through %s, and shows the error in /healthz and /wg status',
    async (_name, fault) => {
      const before = itemCount();
      clock.advance(60_000);
      // The epic (full sync) or the group's updated epics (incremental): the first request either way.
      gitlab.failNext(/\/epics(\/\d+)?$/, fault, 10);
      summary.faults += 3;
      const outcome = await wgbot.server.sync.syncGroup(group());
      gitlab.clearFaults();
      expect(outcome.status).toBe('failed');
      expect(itemCount()).toBe(before);
      const health = (await fetch(`${wgbot.url}/healthz`).then((r) => r.json())) as any;
      expect(health.lastSync['improve-ops-quality'].error).toBeTruthy();
      const status = await wgbot.slash('status');
      expect(JSON.stringify(status.json)).toContain('Last GitLab sync failed');
      summary.lostItems += before - itemCount();
    },
  );

  it('rides out a 429 and recovers on the next sync', async () => {
    clock.advance(60_000);
    gitlab.failNext(/\/epics(\/\d+)?$/, { status: 429, retryAfter: 1 });
    summary.faults += 1;
    const outcome = await wgbot.server.sync.syncGroup(group());
    expect(outcome.status).toBe('synced');
    const health = (await fetch(`${wgbot.url}/healthz`).then((r) => r.json())) as any;
    expect(health.lastSync['improve-ops-quality'].error).toBeNull();
  });
});

describe('Slack faults', () => {
  const group = () => wgbot.server.store.groups.getBySlug('improve-ops-quality')!;

  it.each([['channel_not_found'], ['not_in_channel'], ['ratelimited']])(
    'a digest refused with %s is recorded as failed, shown in /healthz, and posted once when Slack is back',
    async (error) => {
      const period = `fault-${error}`;
      const digests = wgbot.server.digests;
      // A few 429s are waited out inside one run; a rate limit that outlasts six tries fails the run.
      slack.failNext(
        'chat.postMessage',
        error === 'ratelimited' ? { status: 429, retryAfter: 0 } : { error },
        error === 'ratelimited' ? 6 : 3,
      );
      summary.faults += 1;
      summary.digestsExpected += 1;
      const failed = await digests.post(group(), period);
      expect(failed.status).toBe('failed');
      const health = (await fetch(`${wgbot.url}/healthz`).then((r) => r.json())) as any;
      expect(health.digests['improve-ops-quality']).toMatchObject({ period, state: 'failed' });
      slack.clearFaults();
      const retried = await digests.post(group(), period);
      expect(retried.status).toMatch(/posted|recovered/);
      const copies = slack
        .history('C0WG')
        .filter(
          (m) =>
            JSON.stringify(m.blocks ?? []).includes(`:${period}:`) && (!m.thread_ts || m.thread_ts === m.ts),
        );
      summary.digestsPosted += copies.length === 1 ? 1 : 0;
      summary.duplicateDigests += Math.max(0, copies.length - 1);
      expect(copies).toHaveLength(1);
    },
  );

  it('an owner whose Slack account is inactive is listed to the facilitator instead of dropped', async () => {
    const store = wgbot.server.store;
    const g = group();
    const gone = store.transaction(() => {
      const person = store.people.findOrCreate('Gone Person', clock.now());
      store.people.linkSlackUser(person.id, 'U0GONE', 'UTC', clock.now());
      return person;
    });
    store.transaction(() =>
      store.items.upsert(
        g.id,
        {
          source: 'manual',
          sourceKey: 'gone-item',
          title: 'Left behind',
          notes: null,
          state: 'open',
          sprint: null,
          owners: ['Gone Person'],
          ownerPersonIds: [gone.id],
          dueDate: '2020-01-01',
          url: null,
          storyRef: null,
          confidential: false,
          weight: null,
          labels: [],
          externalId: null,
          externalUpdatedAt: null,
          closedAt: null,
          position: 0,
          sourceLine: null,
        },
        clock.now(),
      ),
    );
    summary.faults += 1;
    const run = await wgbot.server.nudges.run({ group: g, force: true });
    expect(run.unreachable).toContain('Gone Person');
    const notice = await slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'U0JOANNA' && JSON.stringify(c.args.blocks).includes('Gone Person'),
    );
    expect(notice).toBeTruthy();
  });
});

function spawnCli(
  args: string[],
  env: Record<string, string>,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'pipe',
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ? null : code)),
  );
  return { child, exited };
}

describe('killed with SIGKILL', () => {
  it('mid-sync: the database stays whole, nothing stored is lost, and the next sync completes', async () => {
    const store = wgbot.server.store;
    const before = itemCount();
    clock.set(new Date(Date.now() + 25 * 3_600_000)); // a full sync is due: several pages
    gitlab.resetLog();
    // Page 2 of the epic's issues never answers: the process is killed while it waits.
    gitlab.failNext(/\/epics\/\d+\/issues$/, { hang: 30_000 }, 1, { skip: 1 });
    summary.faults += 1;
    const { child, exited } = spawnCli(['sync', 'improve-ops-quality', '--full'], {
      DATABASE_PATH: join(wgbot.server.store.db.name),
      GITLAB_URL: gitlab.url,
      GITLAB_TOKEN: gitlab.token,
    });
    await waitUntil(
      () => gitlab.requests.filter((r) => /\/epics\/\d+\/issues$/.test(r.path)).length >= 2,
      'the CLI sync to ask for page 2',
    );
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    gitlab.clearFaults();
    const check = new Database(store.db.name, { readonly: true });
    summary.integrity = String(check.pragma('integrity_check', { simple: true }));
    check.close();
    expect(summary.integrity).toBe('ok');
    expect(itemCount()).toBe(before);
    summary.lostItems += before - itemCount();
    // The dead process's lease expires; then a sync goes through.
    clock.advance(11 * 60_000);
    const sync = new SyncService(store, createGitlabClient({ url: gitlab.url, token: gitlab.token }), () =>
      clock.now(),
    );
    expect(
      (await sync.syncGroup(store.groups.getBySlug('improve-ops-quality')!, { full: true })).status,
    ).toBe('synced');
    expect(itemCount()).toBeGreaterThanOrEqual(before);
  }, 60_000);

  it('mid-digest: after a restart the digest is recorded, not posted again', async () => {
    const store = wgbot.server.store;
    slack.setLatency('chat.postMessage', 5_000);
    summary.faults += 1;
    summary.digestsExpected += 1;
    const before = slack.history('C0WG').length;
    const { child, exited } = spawnCli(['digest', 'improve-ops-quality'], {
      DATABASE_PATH: store.db.name,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_URL: slack.apiUrl,
    });
    // Slack has taken the message; the process dies before it can record that.
    await waitUntil(() => slack.history('C0WG').length > before, 'the CLI digest to reach Slack');
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    slack.setLatency('chat.postMessage', 0);
    const intent = store.db
      .prepare("SELECT period, state FROM digest_log WHERE period LIKE 'manual-%' ORDER BY id DESC LIMIT 1")
      .get() as { period: string; state: string };
    expect(intent.state).toBe('intent');
    clock.set(new Date(Date.now() + 11 * 60_000));
    const digests = new DigestService(
      store,
      new SlackDigestPoster(
        new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
      ),
      () => clock.now(),
    );
    const outcome = await digests.post(store.groups.getBySlug('improve-ops-quality')!, intent.period);
    expect(outcome.status).toBe('recovered');
    const copies = slack
      .history('C0WG')
      .filter(
        (m) =>
          JSON.stringify(m.blocks ?? []).includes(`:${intent.period}:`) &&
          (!m.thread_ts || m.thread_ts === m.ts),
      );
    summary.digestsPosted += copies.length === 1 ? 1 : 0;
    summary.duplicateDigests += Math.max(0, copies.length - 1);
    expect(copies).toHaveLength(1);
  }, 60_000);
});

describe('hostile input', () => {
  it('the slash-command parser and listener answer anything with a message, never an error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
        const answer = await wgbot.slash(text);
        expect(answer.status).toBe(200);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('the webhook refuses or ignores random, huge, mistyped and invalid UTF-8 bodies, never failing', async () => {
    const send = (body: Buffer | string, type: string) =>
      fetch(`${wgbot.url}/gitlab/webhook`, {
        method: 'POST',
        body,
        headers: { 'content-type': type, 'x-gitlab-token': WEBHOOK_SECRET },
      });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
        ),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
        async (body, type) => {
          const response = await send(body as string, type);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
    expect((await send(Buffer.from([0xff, 0xfe, 0x7b, 0x22]), 'application/json')).status).toBe(400);
    expect((await send('x'.repeat(2_000_000), 'application/json')).status).toBe(413);
    expect((await fetch(`${wgbot.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it('escapes Slack markup that arrives in GitLab titles, in every view', async () => {
    const answer = await wgbot.slash('items all');
    const json = JSON.stringify(answer.json);
    expect(json).toContain('&lt;!channel&gt; deploy now &lt;@U0ADA&gt; @\u2060here');
    expect(json).not.toContain('<!channel>');
  });
});

describe('security', () => {
  it('refuses replayed, future-dated and forged Slack requests and logs each refusal', async () => {
    const linesBefore = logLines.length;
    const attempts = [
      wgbot.slash('status', { skewSeconds: -3600 }),
      wgbot.slash('status', { skewSeconds: 600 }),
      wgbot.slash('status', { signature: 'v0=0000' }),
      wgbot.slash('status', { signature: null }),
      wgbot.slash('status', { secret: `${SIGNING_SECRET}-guess` }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(401);
      summary.refused += 1;
    }
    // A captured request replayed ten minutes later is refused too.
    const body = new URLSearchParams({
      command: '/wg',
      text: 'status',
      user_id: 'U0ADA',
      channel_id: 'C0WG',
    }).toString();
    const ts = Math.floor(clock.now().getTime() / 1000) - 600;
    const replay = await fetch(`${wgbot.url}/slack/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(SIGNING_SECRET, ts, body),
      },
    });
    expect(replay.status).toBe(401);
    summary.refused += 1;
    const refusals = logLines.slice(linesBefore).filter((l) => l.includes('slack request refused'));
    expect(refusals).toHaveLength(6);
    for (const line of refusals) expect(line).not.toContain(SIGNING_SECRET);
  });

  it('refuses webhooks without the right token, and a non-facilitator changing the configuration', async () => {
    const linesBefore = logLines.length;
    for (const token of [undefined, 'wrong']) {
      const response = await fetch(`${wgbot.url}/gitlab/webhook`, {
        method: 'POST',
        body: '{"object_kind":"issue"}',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-gitlab-token': token } : {}) },
      });
      expect(response.status).toBe(401);
      summary.refused += 1;
    }
    expect(logLines.slice(linesBefore).filter((l) => l.includes('webhook refused'))).toHaveLength(2);
    await wgbot.slash('schedule off', { user: 'U0ADA', responseUrl: slack.responseUrl('sec') });
    const reply = await slack.waitForCall('response_url', (c) => c.path.endsWith('/sec'));
    expect(JSON.stringify(reply.args)).toContain('Only facilitators can change the digest schedule');
    summary.refused += 1;
    expect(wgbot.server.store.groups.getBySlug('improve-ops-quality')!.digestCron).not.toBe('off');
    // No token ever reaches the log.
    expect(logLines.join('')).not.toContain(slack.botToken);
    expect(logLines.join('')).not.toContain(gitlab.token);
    expect(logLines.join('')).not.toContain(WEBHOOK_SECRET);
  });

  it('refuses the confused deputy: no title of a source the user cannot read, no write they could not make', async () => {
    const SECRET = 'Secret merger with Initech';
    gitlab.addGroup('vault');
    gitlab.addProject('vault/deals');
    const epic = gitlab.addEpic('vault', { title: 'Deals' });
    gitlab.addIssue('vault/deals', { title: SECRET, epic: { groupPath: 'vault', iid: epic.iid } } as never);
    const store = wgbot.server.store;
    // Joanna facilitates the group in Slack; in GitLab she is @joanna, with no access to vault or g.
    store.identities.save({
      slackUserId: 'U0JOANNA',
      gitlabUserId: gitlab.user('joanna').id,
      gitlabUsername: 'joanna',
      proof: 'admin',
      provenBy: 'reliability',
      provenAt: clock.now().toISOString(),
    });
    const writesBefore = gitlab.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length;
    const callsBefore = slack.calls.length;
    const epicUrl = `${gitlab.url}/groups/vault/-/epics/${epic.iid}`;
    const refusal = async (id: string) =>
      JSON.stringify((await slack.waitForCall('response_url', (c) => c.path.endsWith(`/${id}`))).args);

    // 1. Link the epic to her group.
    await wgbot.slash(`link ${epicUrl}`, { user: 'U0JOANNA', responseUrl: slack.responseUrl('deputy-link') });
    const linked = await refusal('deputy-link');
    // 2. Create a group of her own around it.
    await wgbot.interact({
      type: 'view_submission',
      team: { id: 'T0FAKE', domain: 'fake' },
      user: { id: 'U0JOANNA', username: 'joanna', team_id: 'T0FAKE' },
      api_app_id: 'A0FAKE',
      token: 'legacy',
      trigger_id: 'trig',
      view: {
        id: 'V1',
        type: 'modal',
        callback_id: 'wg_create',
        private_metadata: '{}',
        state: {
          values: {
            name: { name: { type: 'plain_text_input', value: 'Deputy' } },
            epic: { epic: { type: 'url_text_input', value: epicUrl } },
          },
        },
      },
    });
    const created = JSON.stringify(
      (
        await slack.waitForCall(
          'chat.postMessage',
          (c) => c.args.channel === 'U0JOANNA' && slack.calls.indexOf(c) >= callsBefore,
        )
      ).args,
    );
    // 3. Close an issue of the group through the Mark done button.
    const item = store.items
      .listByWg(store.groups.getBySlug('improve-ops-quality')!.id)
      .find((i) => i.gitlabIid)!;
    await wgbot.interact({
      type: 'block_actions',
      user: { id: 'U0JOANNA', username: 'joanna', team_id: 'T0FAKE' },
      api_app_id: 'A0FAKE',
      token: 'legacy',
      trigger_id: 'trig-done',
      team: { id: 'T0FAKE', domain: 'fake' },
      response_url: slack.responseUrl('deputy-done'),
      actions: [
        {
          type: 'button',
          action_ts: '1',
          action_id: 'item_done',
          block_id: encodeContext(item.id, { view: 'home' }),
          value: String(item.id),
        },
      ],
    });
    const done = await refusal('deputy-done');

    const answers = [
      [linked, 'you need Reporter access to vault'],
      [created, 'creating working groups is for workspace admins'],
      [done, 'you need Developer access to g/app'],
    ] as const;
    for (const [text, reason] of answers) {
      summary.deputyAttempts += 1;
      if (text.includes(reason)) summary.deputyRefused += 1;
    }
    const everything = JSON.stringify(slack.calls.slice(callsBefore).map((c) => c.args));
    summary.deputyTitlesSeen =
      everything.split(SECRET).length -
      1 +
      (store.db.prepare('SELECT count(*) FROM action_items WHERE title = ?').pluck().get(SECRET) as number);
    summary.deputyWrites =
      gitlab.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length - writesBefore;
    expect(summary.deputyRefused).toBe(summary.deputyAttempts);
    expect(summary.deputyTitlesSeen).toBe(0);
    expect(summary.deputyWrites).toBe(0);
    expect(gitlab.requestsTo(/vault/).filter((r) => !r.path.includes('/members/'))).toEqual([]);
    expect(store.groups.getBySlug('deputy')).toBeNull();
    expect(store.items.getById(item.id)!.state).toBe('open');
  });
});
