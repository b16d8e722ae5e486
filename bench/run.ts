// `npm run bench` [sync|status|digest|import|history|reads|cli|timings]: the figures the issues ask for,
// measured on this machine.
import { fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { ManualClock } from '../src/clock.js';
import { DigestService } from '../src/services/digestService.js';
import { SlackDigestPoster } from '../src/slack/digestPoster.js';
import { digestWebClient } from '../src/slack/webClients.js';
import { FakeSlack } from '../test/fakes/slack.js';
import { tempStore } from '../test/helpers/store.js';
import { sign } from '../test/helpers/wgbot.js';
import { epicGroup } from './epicGroup.js';
import { fmt, percentile, populate } from './fixtures.js';
import { benchImport } from './import.js';
import { benchHistory } from './history.js';
import { benchReads } from './reads.js';
import { benchTimings } from './timings.js';

const wanted = new Set(process.argv.slice(2));
const run = (name: string) => wanted.size === 0 || wanted.has(name);

async function benchSync(): Promise<void> {
  console.log('\n== GitLab sync: 1 epic × 2,000 child issues (fake GitLab on 127.0.0.1) ==');
  const { clock, gitlab, issues, cleanup, sync, group } = await epicGroup({ issues: 2000 });

  clock.set('2026-11-20T08:00:00Z');
  const started = performance.now();
  const full = await sync.syncGroup(group);
  const fullMs = performance.now() - started;
  const fullRequests = gitlab.requests.length;
  const pages = Math.ceil(2000 / 100);
  const fixed = 3; // the epic, its child epics, the open iterations
  const minimum = pages + fixed;
  console.log(`full sync:        ${fmt(fullMs)}  status ${full.status}, ${full.sources[0]?.issues} issues`);
  console.log(`rows/s:           ${Math.round(2000 / (fullMs / 1000)).toLocaleString('en-US')}`);
  console.log(
    `HTTP requests:    ${fullRequests} (minimum ${pages} pages + ${fixed} fixed calls = ${minimum}; ratio ${(fullRequests / minimum).toFixed(2)}, must be ≤ 1.20)`,
  );

  clock.advance(30 * 60_000);
  for (const issue of issues.slice(0, 10)) gitlab.updateIssue('g/app', issue.iid, { state: 'closed' });
  gitlab.resetLog();
  const incStart = performance.now();
  const inc = await sync.syncGroup(group);
  const incMs = performance.now() - incStart;
  console.log(
    `incremental sync: ${fmt(incMs)}  ${inc.sources[0]?.issues} changed issues, ${gitlab.requests.length} HTTP requests (must be ≤ 3)`,
  );
  cleanup();
  await gitlab.close();
}

// A plain keep-alive HTTP client: lighter than fetch, so on these 2 shared cores the round trip measures
// the server more than the client.
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
function post(
  port: number,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function benchStatus(): Promise<void> {
  console.log('\n== /wg status: a group with 40 criteria and 500 items, 1,000 groups in the database ==');
  const child = fork(join(import.meta.dirname, 'statusServer.ts'), [], {
    execArgv: [
      '--import',
      'tsx',
      // BENCH_PROF=dir writes the server's CPU profile there (open it in Chrome's DevTools).
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []),
    ],
    stdio: 'inherit',
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const secret = 'bench-secret';
  let n = 0;
  const request = async (): Promise<number> => {
    n += 1;
    const body = new URLSearchParams({
      command: '/wg',
      text: 'status big-group',
      user_id: `U${String(n % 50).padStart(8, '0')}`,
      channel_id: 'C99999999',
      channel_name: 'bench',
      team_id: 'T0FAKE',
      response_url: 'http://127.0.0.1:1/unused',
      trigger_id: `t${n}`,
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const { status, text } = await post(port, '/slack/events', body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': sign(secret, ts, body),
    });
    const ms = performance.now() - started;
    if (status !== 200 || !text.includes('Big Working Group')) throw new Error(`bad answer ${status}`);
    return ms;
  };
  const takeServerSide = () =>
    new Promise<number[]>((resolve) => {
      child.once('message', (m: { serverSide: number[] }) => resolve(m.serverSide.sort((a, b) => a - b)));
      child.send({ cmd: 'take' });
    });
  for (let i = 0; i < 50; i += 1) await request(); // warm-up
  await takeServerSide();
  const sequential: number[] = [];
  for (let i = 0; i < 1000; i += 1) sequential.push(await request());
  sequential.sort((a, b) => a - b);
  const sequentialServer = await takeServerSide();
  const concurrent: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < 1000) {
        next += 1;
        concurrent.push(await request());
      }
    }),
  );
  concurrent.sort((a, b) => a - b);
  const concurrentServer = await takeServerSide();
  const stats = await new Promise<{ maxRssKb: number }>((resolve) => {
    child.once('message', (m: { maxRssKb: number }) => resolve(m));
    child.send({ cmd: 'stats' });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ cmd: 'stop' });
  await exited;
  const line = (label: string, values: number[], bar?: number) =>
    console.log(
      `${label.padEnd(34)} p50 ${fmt(percentile(values, 50)).padStart(8)}  p99 ${fmt(percentile(values, 99)).padStart(8)}` +
        (bar ? `  (must be < ${bar} ms: ${percentile(values, 99) < bar ? 'ok' : 'NOT MET'})` : ''),
    );
  console.log(
    "server-side = request headers parsed → answer written, in the server process (the issue's figure);",
  );
  console.log('round trip  = signed request sent → answer read, in the client process on the same 2 cores');
  line('sequential, server-side (1,000)', sequentialServer, 20);
  line('sequential, round trip', sequential);
  line('20 concurrent, server-side (1,000)', concurrentServer, 50);
  line('20 concurrent, round trip', concurrent);
  console.log(`server peak RSS:                   ${(stats.maxRssKb / 1024).toFixed(0)} MB`);
  if (sequentialServer.length !== 1000 || concurrentServer.length !== 1000)
    throw new Error(
      `server saw ${sequentialServer.length} + ${concurrentServer.length} requests, not 1,000 + 1,000`,
    );
}

async function benchDigest(): Promise<void> {
  console.log('\n== Weekly digest run: 500 groups, fake Slack answering 429 to 5% of calls ==');
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  const slack = await FakeSlack.start({ validateBlocks: true });
  const { store, cleanup } = tempStore(() => clock.now());
  populate(store, { groups: 500, bigCriteria: 8, bigItems: 40 });
  for (let g = 0; g < 500; g += 1)
    slack.addChannel({ id: `C${String(g).padStart(8, '0')}`, name: `wg-${g}` });
  slack.failRandomly('*', 0.05, { status: 429, retryAfter: 0 });
  // The production client and 429 handling (Retry-After waited out by the digest service; here 0 s).
  const client = digestWebClient(slack.botToken, { apiUrl: slack.apiUrl });
  const digests = new DigestService(store, new SlackDigestPoster(client), () => clock.now());
  slack.reset();
  const groups = store.groups.list();
  const started = performance.now();
  const outcomes = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < groups.length) {
        const group = groups[next]!;
        next += 1;
        outcomes.push(await digests.post(group, '2026-W48'));
      }
    }),
  );
  // A second run (a restarted process) must post nothing.
  for (const group of groups) outcomes.push(await digests.post(group, '2026-W48'));
  const ms = performance.now() - started;
  const posted = outcomes.filter((o) => o.status === 'posted').length;
  const again = outcomes.filter((o) => o.status === 'already-posted').length;
  let exactlyOnce = 0;
  for (let g = 0; g < 500; g += 1) {
    const mains = slack
      .history(`C${String(g).padStart(8, '0')}`)
      // A thread's parent carries its own ts as thread_ts, as in Slack.
      .filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && m.text?.startsWith('Weekly digest'));
    if (mains.length === 1) exactlyOnce += 1;
  }
  const calls = slack.calls.length;
  const limited = slack.calls.filter((c) => c.status === 429).length;
  console.log(
    `time:                     ${(ms / 1000).toFixed(1)} s for 500 digests (8 at a time) and a second run`,
  );
  console.log(`posted / already posted:  ${posted} / ${again}`);
  console.log(`exactly one digest in:    ${exactlyOnce} of 500 channels`);
  console.log(
    `Web API calls:            ${calls} (${limited} answered 429), ${(calls / 500).toFixed(1)} per digest (post, chart upload ×3, thread reply when the post is long)`,
  );
  cleanup();
  await slack.close();
}

if (run('sync')) await benchSync();
if (run('status')) await benchStatus();
if (run('digest')) await benchDigest();
if (run('import')) await benchImport();
if (run('history')) await benchHistory();
if (run('reads')) await benchReads();
if (run('cli')) (await import('./cli.js')).benchCli();
if (run('timings')) await benchTimings();
if (run('tick')) await (await import('./tick.js')).benchTick();
if (run('fetch')) await (await import('./fetch.js')).benchFetch();
if (run('graphql')) await (await import('./graphql.js')).benchGraphql();
