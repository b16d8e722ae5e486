// `npm run bench -- reads`: `/wg list` and `wgbot list` at 100, 1,000 and 5,000 groups of 500 items, the
// first `/wg status` of a 10,000-item group after a change, and the server's peak memory.
import { fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { addDaysIso, localDate } from '../src/domain/dates.js';
import { openStore, type Store } from '../src/store/store.js';
import { tempDir } from '../test/helpers/store.js';
import { sign } from '../test/helpers/wgbot.js';
import { fmt, percentile } from './fixtures.js';

const SIZES = [100, 1000, 5000];
const ITEMS_PER_GROUP = 500;
const HUGE_ITEMS = 10_000;
const SECRET = 'bench-secret';

/**
 * Adds groups `from`…`to - 1` (4 exit criteria, `items` items each: a third done, some past due, spread over
 * four sprints of a two-week cadence) with plain prepared statements in one transaction. Store.transaction
 * then computes their summaries before it commits, with the code every write in wgbot runs.
 */
function addGroups(store: Store, from: number, to: number, items: number, today: string): void {
  const now = new Date().toISOString();
  const db = store.db;
  const group = db.prepare(
    `INSERT INTO working_groups (slug, name, target_end_date, channel, timezone, sprint_length_days,
       sprint_anchor_number, sprint_anchor_date, source_kind, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'Europe/Berlin', 14, 20, ?, 'cli', ?, ?)`,
  );
  const criterion = db.prepare(
    `INSERT INTO criteria (wg_id, section, position, title, handbook_percent) VALUES (?, 'exit', ?, ?, ?)`,
  );
  const item = db.prepare(
    `INSERT INTO action_items (wg_id, source, source_key, title, state, sprint_number, sprint_title,
       sprint_source, owner_names, due_date, url, confidential, labels, position, created_at, updated_at)
     VALUES (?, 'gitlab_issue', ?, ?, ?, ?, ?, 'text', ?, ?, ?, ?, '[]', ?, ?, ?)`,
  );
  const owner = db.prepare('INSERT INTO action_item_owners (item_id, person_id, position) VALUES (?, ?, 0)');
  const person = db.prepare(
    `INSERT INTO people (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name_key) DO UPDATE SET name = excluded.name RETURNING id`,
  );
  store.transaction(() => {
    const people = Array.from(
      { length: 50 },
      (_, i) => (person.get(`Person ${i}`, `person ${i}`, now, now) as { id: number }).id,
    );
    for (let g = from; g < to; g += 1) {
      const slug = g === 0 ? 'huge-group' : `group-${String(g).padStart(5, '0')}`;
      const count = g === 0 ? HUGE_ITEMS : items;
      const target = addDaysIso(today, 30 + (g % 200));
      const wgId = Number(
        group.run(slug, `Working Group ${g}`, target, `#wg-${g}`, addDaysIso(today, -28), now, now)
          .lastInsertRowid,
      );
      for (let c = 0; c < 4; c += 1) criterion.run(wgId, c, `Criterion ${c + 1}`, (g * 7 + c * 29) % 101);
      for (let i = 0; i < count; i += 1) {
        const sprint = 19 + (i % 4);
        const itemId = item.run(
          wgId,
          `issue:${g}-${i}`,
          `Action item ${i + 1} of group ${g}`,
          i % 3 === 0 ? 'done' : 'open',
          sprint,
          `Sprint ${sprint}`,
          `["Person ${(g + i) % 50}"]`,
          i % 5 === 0 ? addDaysIso(today, (i % 40) - 20) : null,
          `https://gitlab.example.com/g/p/-/issues/${i + 1}`,
          i % 50 === 7 ? 1 : 0,
          i,
          now,
          now,
        ).lastInsertRowid;
        // Owners for the big group only: `/wg status` shows them; the lists never read them.
        if (g === 0) owner.run(itemId, people[i % 50]);
      }
    }
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
function slash(port: number, text: string): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams({
    command: '/wg',
    text,
    user_id: 'U00000001',
    channel_id: 'C99999999',
    channel_name: 'bench',
    team_id: 'T0FAKE',
    response_url: 'http://127.0.0.1:1/unused',
    trigger_id: 't',
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': sign(SECRET, ts, body),
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The app serving `path` in a child process, with a way to ask it things. */
async function startChild(path: string) {
  const child = fork(join(import.meta.dirname, 'readsServer.ts'), [path], {
    execArgv: [
      '--import',
      'tsx',
      // BENCH_PROF=dir writes the server's CPU profile there (open it in Chrome's DevTools).
      ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    ],
    stdio: 'inherit',
  });
  const ask = <T>(cmd: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      child.send({ cmd });
    });
  const { port } = await new Promise<{ port: number }>((resolve) =>
    child.once('message', (m) => resolve(m as { port: number })),
  );
  return {
    port,
    /** Server-side times of the requests since the last call, in order. */
    take: async () => (await ask<{ serverSide: number[] }>('take')).serverSide,
    ask,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ cmd: 'stop' });
      await exited;
    },
  };
}

type Child = Awaited<ReturnType<typeof startChild>>;

/** Server-side times of `n` sequential `/wg <text>` requests, sorted. */
async function timed(child: Child, text: string, n: number, expect: string): Promise<number[]> {
  await child.take();
  for (let i = 0; i < n; i += 1) {
    const { status, body } = await slash(child.port, text);
    if (status !== 200 || !body.includes(expect)) throw new Error(`/wg ${text}: bad answer ${status}`);
  }
  return (await child.take()).sort((a, b) => a - b);
}

/** The first `/wg status` of the 10,000-item group after a write to it (the cache must recompute). */
async function statusAfterChange(child: Child, store: Store): Promise<{ first: number[]; again: number[] }> {
  const itemId = (
    store.db.prepare("SELECT min(id) AS id FROM action_items WHERE source_key LIKE 'issue:0-%'").get() as {
      id: number;
    }
  ).id;
  const first: number[] = [];
  const again: number[] = [];
  await timed(child, 'status huge-group', 3, 'Working Group 0'); // warm-up
  for (let round = 0; round < 7; round += 1) {
    store.transaction(() => store.items.setState(itemId, round % 2 === 0 ? 'done' : 'open', new Date()));
    first.push(...(await timed(child, 'status huge-group', 1, 'Working Group 0')));
    again.push(...(await timed(child, 'status huge-group', 1, 'Working Group 0')));
  }
  return { first: first.sort((a, b) => a - b), again: again.sort((a, b) => a - b) };
}

const line = (label: string, sorted: number[], bar?: number) =>
  console.log(
    `${label.padEnd(44)} p50 ${fmt(percentile(sorted, 50)).padStart(9)}  p95 ${fmt(percentile(sorted, 95)).padStart(9)}` +
      (bar ? `  (target < ${bar} ms: ${percentile(sorted, 50) < bar ? 'met' : 'NOT MET'})` : ''),
  );

export async function benchReads(): Promise<void> {
  console.log(
    `\n== Reads at scale: /wg list and wgbot list at ${SIZES.join(' / ')} groups × ${ITEMS_PER_GROUP} items, plus one group of ${HUGE_ITEMS.toLocaleString('en-US')} ==`,
  );
  console.log('server-side = request headers parsed → answer written, in the server process (signed HTTP)');
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'reads.db');
  const store = openStore(path);
  const today = localDate(new Date(), 'Europe/Berlin');
  let built = 0;
  try {
    for (const size of SIZES) {
      const t0 = performance.now();
      addGroups(store, built, size, ITEMS_PER_GROUP, today);
      built = size;
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      console.log(
        `\n${size.toLocaleString('en-US')} groups (built in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
      const child = await startChild(path);
      try {
        await timed(child, 'list', 5, 'Working groups'); // warm-up
        const pages = Math.ceil(size / 40);
        line(
          '/wg list (page 1), server-side, 30×',
          await timed(child, 'list', 30, 'Working groups'),
          size >= 5000 ? 200 : 50,
        );
        line(
          `/wg list ${Math.ceil(pages / 2)} (of ${pages}), server-side, 30×`,
          await timed(child, `list ${Math.ceil(pages / 2)}`, 30, 'Working groups'),
        );
        const cli: number[] = [];
        for (let i = 0; i < 5; i += 1) cli.push((await child.ask<{ ms: number }>('cli-list')).ms);
        line(
          'wgbot list (all groups: query + text), 5×',
          cli.sort((a, b) => a - b),
        );
        if (size === SIZES.at(-1)) {
          const { first, again } = await statusAfterChange(child, store);
          line('/wg status huge-group, first after a change, 7×', first);
          line('/wg status huge-group, unchanged since, 7×', again);
        }
        const { maxRssKb } = await child.ask<{ maxRssKb: number }>('stats');
        console.log(
          `server peak RSS: ${(maxRssKb / 1024).toFixed(0)} MB${size >= 5000 ? ` (target < 1,024 MB: ${maxRssKb < 1024 * 1024 ? 'met' : 'NOT MET'})` : ''}`,
        );
      } finally {
        await child.stop();
      }
    }
  } finally {
    store.close();
    cleanup();
  }
}
