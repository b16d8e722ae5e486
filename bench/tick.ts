// `npm run bench -- tick`: `/wg status` round trips while the 15-minute tick runs over 400 groups (a sync of
// every group against a fake GitLab, the nudge run with its DMs, the schedule refresh), against the same
// requests with nothing else going on. Three processes, so each one's event loop is its own: this one sends
// the requests, one runs wgbot, one runs the fake GitLab and Slack.
import { fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { startServer } from '../src/main.js';
import { LinkService } from '../src/services/linkService.js';
import { openStore } from '../src/store/store.js';
import { FakeGitlab } from '../test/fakes/gitlab.js';
import { FakeSlack } from '../test/fakes/slack.js';
import { tempDir } from '../test/helpers/store.js';
import { sign } from '../test/helpers/wgbot.js';
import { fmt, percentile, populate } from './fixtures.js';

const GROUPS = 400;
const ISSUES_PER_EPIC = Number(process.env.BENCH_TICK_ISSUES ?? 25);
const SECRET = 'bench-secret';
/** Monday 11:15 in Berlin: the owners' working hours, so the nudge run sends its DMs. */
const FIRST_TICK = '2026-11-23T10:15:00Z';
const ROLE = process.env.WGBOT_BENCH_TICK_ROLE;

interface FakesReady {
  gitlabUrl: string;
  gitlabToken: string;
  slackApiUrl: string;
  botToken: string;
  epicIids: number[];
}

/** The fake GitLab (one epic of ten issues per group) and the fake Slack (the owners, for the DMs). */
async function runFakes(): Promise<void> {
  const gitlab = await FakeGitlab.start({ now: () => new Date(FIRST_TICK) });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  const epicIids = Array.from({ length: GROUPS }, (_, g) => {
    const epic = gitlab.addEpic('g', { title: `Epic ${g}` });
    for (let i = 0; i < ISSUES_PER_EPIC; i += 1)
      gitlab.addIssue('g/app', {
        title: `Issue ${g}-${i}`,
        epic: { groupPath: 'g', iid: epic.iid },
        due_date: i % 4 === 0 ? '2026-11-10' : null,
        assignees: [gitlab.user(`person${(g + i) % 50}`, `Person ${(g + i) % 50}`)],
      } as never);
    return epic.iid;
  });
  const slack = await FakeSlack.start({ validateBlocks: false });
  for (let i = 0; i < 50; i += 1)
    slack.addUser({
      id: `U${String(i).padStart(8, '0')}`,
      name: `person${i}`,
      realName: `Person ${i}`,
      tz: 'Europe/Berlin',
    });
  const ready: FakesReady = {
    gitlabUrl: gitlab.url,
    gitlabToken: gitlab.token,
    slackApiUrl: slack.apiUrl,
    botToken: slack.botToken,
    epicIids,
  };
  process.send?.(ready);
  process.on('message', async () => {
    await gitlab.close();
    await slack.close();
    process.disconnect();
  });
}

/** wgbot on the database the parent built; `tick` runs the 15-minute jobs at the given time, to the end. */
async function runServer(): Promise<void> {
  const fakes = JSON.parse(process.env.WGBOT_BENCH_FAKES!) as FakesReady;
  const clock = new ManualClock(FIRST_TICK);
  const server = await startServer({
    config: loadConfig({
      DATABASE_PATH: process.argv[2]!,
      PORT: '0',
      SLACK_BOT_TOKEN: fakes.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fakes.slackApiUrl,
      GITLAB_URL: fakes.gitlabUrl,
      GITLAB_TOKEN: fakes.gitlabToken,
      LOG_LEVEL: 'silent',
    }),
    clock,
    logger: silentLogger,
    slackRetries: 0,
    cron: false,
    host: '127.0.0.1',
    // GitLab's rate limit is lifted so the whole tick fits in seconds: denser work than in production.
    gitlabPolicy: { requestsPerMinute: 1_000_000 },
    syncQueue: { debounceMs: 0, maxWaitMs: 0 },
  });
  process.send?.({ port: server.address.port });
  process.on('message', async (message: { cmd: string; at?: string }) => {
    // Runs the jobs due at the clock's time (set by 'clock'), then waits for the syncs they queued.
    if (message.cmd === 'clock') {
      clock.set(message.at!);
      process.send?.({ at: message.at });
    }
    if (message.cmd === 'tick') {
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const started = performance.now();
      const jobs = await server.scheduler.tick(clock.now());
      await server.syncQueue.idle();
      const failed = server.store.db
        .prepare('SELECT count(*) FROM sync_state WHERE last_error IS NOT NULL')
        .pluck()
        .get() as number;
      const dms = server.store.db
        .prepare("SELECT count(*) FROM nudge_log WHERE state = 'sent'")
        .pluck()
        .get();
      delay.disable();
      const blockedMs = delay.max / 1e6;
      process.send?.({ ms: performance.now() - started, jobs, failed, dms, blockedMs });
    }
    if (message.cmd === 'stop') {
      await server.stop();
      process.disconnect();
    }
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
/** One signed `/wg status` of the group with 40 criteria and 200 items; the round trip in ms. */
function status(port: number, at: () => Date): Promise<number> {
  const body = new URLSearchParams({
    command: '/wg',
    text: 'status big-group',
    user_id: 'U00000001',
    channel_id: 'C99999999',
    channel_name: 'bench',
    team_id: 'T0FAKE',
    response_url: 'http://127.0.0.1:1/unused',
    trigger_id: 't',
  }).toString();
  const ts = Math.floor(at().getTime() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': sign(SECRET, ts, body),
  };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200 || !text.includes('Big Working Group'))
            reject(new Error(`/wg status: bad answer ${res.statusCode}`));
          else resolve(performance.now() - started);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function child(env: Record<string, string>, args: string[] = []) {
  return fork(join(import.meta.dirname, 'tick.ts'), args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
}

const once = <T>(p: ReturnType<typeof child>) =>
  new Promise<T>((resolve) => p.once('message', (m) => resolve(m as T)));

/** Sends `/wg status` one after another (two at a time) until `done` settles; the sorted round trips. */
async function statusDuring(port: number, at: () => Date, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.then(() => (finished = true));
  const times: number[] = [];
  await Promise.all(
    [0, 1].map(async () => {
      while (!finished) times.push(await status(port, at));
    }),
  );
  return times.sort((a, b) => a - b);
}

export async function benchTick(): Promise<void> {
  console.log(
    `\n== /wg status during the 15-minute tick: ${GROUPS} groups, each synced from its GitLab epic, plus nudges ==`,
  );
  const fakesProcess = child({ WGBOT_BENCH_TICK_ROLE: 'fakes' });
  const fakes = await once<FakesReady>(fakesProcess);
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'tick.db');
  const store = openStore(path);
  populate(store, { groups: GROUPS, bigCriteria: 40, bigItems: 200 });
  const links = new LinkService(store, fakes.gitlabUrl, () => new Date(FIRST_TICK));
  for (const [g, group] of store.groups.list().entries())
    links.link(group.slug, `${fakes.gitlabUrl}/groups/g/-/epics/${fakes.epicIids[g]}`);
  store.close();

  const server = child({ WGBOT_BENCH_TICK_ROLE: 'server', WGBOT_BENCH_FAKES: JSON.stringify(fakes) }, [path]);
  const { port } = await once<{ port: number }>(server);
  let now = new Date(FIRST_TICK);
  const at = () => now;
  for (let i = 0; i < 50; i += 1) await status(port, at); // warm-up
  const idle: number[] = [];
  for (let i = 0; i < 300; i += 1) idle.push(await status(port, at));
  idle.sort((a, b) => a - b);

  const tick = async (label: string, iso: string) => {
    // The server's clock first, then the requests' timestamps: Slack's signatures are checked against it.
    const moved = once(server);
    server.send({ cmd: 'clock', at: iso });
    await moved;
    now = new Date(iso);
    const result = once<{ ms: number; failed: number; dms: number; blockedMs: number }>(server);
    server.send({ cmd: 'tick' });
    const times = await statusDuring(port, at, result);
    const { ms, failed, dms, blockedMs } = await result;
    const p99 = percentile(times, 99);
    console.log(
      `${label.padEnd(44)} p50 ${fmt(percentile(times, 50)).padStart(8)}  p99 ${fmt(p99).padStart(8)}  max ${fmt(times.at(-1) ?? 0).padStart(8)}  (${times.length} requests; tick ${(ms / 1000).toFixed(1)} s, ${failed} syncs failed, ${dms} DMs, event loop blocked ${fmt(blockedMs)} at most; p99 target < 100 ms: ${p99 < 100 ? 'met' : 'NOT MET'})`,
    );
  };
  console.log(
    `${'idle (no tick)'.padEnd(44)} p50 ${fmt(percentile(idle, 50)).padStart(8)}  p99 ${fmt(percentile(idle, 99)).padStart(8)}  max ${fmt(idle.at(-1) ?? 0).padStart(8)}  (${idle.length} requests)`,
  );
  await tick('first tick: full syncs, nudge DMs', FIRST_TICK);
  await tick('next tick: incremental syncs, no DMs due', '2026-11-23T10:30:00Z');

  const stopped = (p: ReturnType<typeof child>) => new Promise((resolve) => p.once('exit', resolve));
  const serverGone = stopped(server);
  server.send({ cmd: 'stop' });
  await serverGone;
  const fakesGone = stopped(fakesProcess);
  fakesProcess.send({ cmd: 'stop' });
  await fakesGone;
  cleanup();
}

// A child whose parent is gone (a failed bench) goes too, rather than linger holding ports.
if (ROLE) process.on('disconnect', () => process.exit(0));
if (ROLE === 'fakes') await runFakes();
if (ROLE === 'server') await runServer();
