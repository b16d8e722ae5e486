import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImportService } from '../../src/services/importService.js';
import { openStore } from '../../src/store/store.js';
import { FakeSlack, type SlackCall } from '../fakes/slack.js';
import { BIN } from '../helpers/cli.js';
import { epicSeed, handbookSeed, sprintsFromNov16 } from '../helpers/seeds.js';
import { tempDir } from '../helpers/store.js';
import { SIGNING_SECRET } from '../helpers/wgbot.js';

/**
 * Real `wgbot serve` processes, killed with SIGKILL at random points while they post digests that fell
 * due while no wgbot was running — after Slack took a post, a thread reply or a chart and before wgbot
 * could record it, or in the middle of the next call — then started again, 30 times, and once more to
 * finish. Every digest must arrive once: one post, one reply and one chart per group, counted in the
 * fake Slack. The kill points come from a seeded PRNG, so a failure replays the same way.
 */
// Enough digests that 30 kills never run out of work, whether a chart goes in the post (one write fewer)
// or is uploaded, and however many writes land in the 20 ms before a kill.
const GROUPS = 32;
const KILLS = 30;
const SEED = 0x5eed_d16e;

/** mulberry32: a small seeded PRNG (the kill points must replay, Math.random cannot be seeded). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The Slack calls that leave something in a channel (or are on the way to it: an upload), by part. */
function writeKind(call: SlackCall): string | null {
  if (call.method === 'chat.postMessage') return call.args.thread_ts ? 'reply' : 'post';
  if (call.method === 'files.getUploadURLExternal') return 'chart: upload URL';
  if (call.method === 'upload_url') return 'chart: bytes';
  if (call.method === 'files.completeUploadExternal') return 'chart: shared';
  return null;
}
const KINDS = ['post', 'reply', 'chart: upload URL', 'chart: bytes', 'chart: shared'];

let slack: FakeSlack;
let databasePath: string;
let cleanup: () => void;
const figures = { kills: 0, killedAfter: new Map<string, number>(), restarts: 0, lost: 0, doubled: 0 };

beforeAll(async () => {
  slack = await FakeSlack.start();
  const dir = tempDir();
  cleanup = dir.cleanup;
  databasePath = join(dir.dir, 'wgbot.db');
  const now = () => new Date();
  const store = openStore(databasePath, now);
  const importer = new ImportService(store, now);
  // Each group's weekly digest was due ten minutes ago, while no wgbot ran; it was owed (set an hour ago).
  const due = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
  const cron = `${due.getUTCMinutes()} ${due.getUTCHours()} * * ${due.getUTCDay()}`;
  for (let i = 1; i <= GROUPS; i += 1) {
    const slug = `wg-${i}`;
    slack.addChannel({ id: `C0WG${i}`, name: `wg_${i}` });
    importer.importText(handbookSeed(), { slug, name: `Group ${i}`, channel: `C0WG${i}` });
    importer.importText(epicSeed(), { slug });
    sprintsFromNov16(store, new Date(), slug);
    const group = store.groups.getBySlug(slug)!;
    store.transaction(() =>
      store.groups.update(
        group.id,
        { name: group.name, digestCron: cron, digestTimezone: 'UTC' },
        new Date(),
      ),
    );
  }
  store.db
    .prepare('UPDATE working_groups SET digests_due_from = ?')
    .run(new Date(due.getTime() - 3_600_000).toISOString());
  store.close();
});

afterAll(async () => {
  await slack?.close();
  cleanup?.();
  const after = [...figures.killedAfter.entries()].map(([m, n]) => `${m} ${n}`).join(', ');
  console.warn(
    [
      '',
      'wgbot digests under SIGKILL (real `wgbot serve` processes)',
      `  groups with a digest due while down   ${GROUPS}`,
      `  kills mid-digest                      ${figures.kills} (after: ${after})`,
      `  restarts                              ${figures.restarts}`,
      `  digests, replies or charts lost       ${figures.lost}`,
      `  digests, replies or charts doubled    ${figures.doubled}`,
      '',
    ].join('\n'),
  );
});

function serve(): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_PATH: databasePath,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ? null : code)),
  );
  return { child, exited };
}

/**
 * Resolves with the kind of the first write to Slack from now on of `kind`, or of the `max`-th write of
 * any kind, whichever comes first; null when none comes within `ms`.
 */
function killPoint(kind: string, max: number, ms: number): Promise<string | null> {
  const start = slack.calls.length;
  return new Promise((resolve) => {
    const deadline = Date.now() + ms;
    const poll = () => {
      const writes = slack.calls
        .slice(start)
        .map(writeKind)
        .filter((k) => k !== null);
      const hit = writes.findIndex((k, i) => k === kind || i === max - 1);
      if (hit >= 0) return resolve(writes[hit]!);
      if (Date.now() > deadline) return resolve(null);
      setTimeout(poll, 2);
    };
    poll();
  });
}

function unfinished(): number {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT ${GROUPS} - count(*) FROM digest_log
          WHERE state = 'posted' AND thread_ts IS NOT NULL AND chart_file_id IS NOT NULL`,
      )
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

it(`${KILLS} SIGKILLs mid-digest, then a restart: every digest, reply and chart arrives exactly once`, async () => {
  const random = prng(SEED);
  for (let round = 0; round < KILLS; round += 1) {
    const { child, exited } = serve();
    figures.restarts += 1;
    // Killed right after Slack answered a write of a kind drawn at random (or this run's 3rd write), or
    // up to 20 ms later: between Slack's answer and wgbot's record of it, or in the middle of the next call.
    const write = await killPoint(KINDS[Math.floor(random() * KINDS.length)]!, 3, 15_000);
    if (write) await new Promise((r) => setTimeout(r, Math.floor(random() * 20)));
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    if (!write) break; // nothing left to post: every digest went out before this kill
    figures.kills += 1;
    figures.killedAfter.set(write, (figures.killedAfter.get(write) ?? 0) + 1);
  }
  expect(figures.kills).toBe(KILLS);

  // One more start finishes what the kills left; SIGTERM then stops it cleanly.
  const { child, exited } = serve();
  figures.restarts += 1;
  for (let i = 0; i < 1200 && unfinished() > 0; i += 1) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);

  for (let i = 1; i <= GROUPS; i += 1) {
    const messages = slack.history(`C0WG${i}`);
    const posts = messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    const inThread = messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts);
    const counts = [
      posts.length,
      inThread.filter((m) => !m.files).length,
      inThread.filter((m) => m.files?.some((f) => f.name.endsWith('-burnup.png'))).length,
    ];
    figures.lost += counts.filter((n) => n === 0).length;
    figures.doubled += counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    expect(counts, `wg-${i}: posts, replies, charts`).toEqual([1, 1, 1]);
    expect(JSON.stringify(posts[0]!.blocks)).toContain('wgbot was not running');
  }
  expect(unfinished()).toBe(0);
}, 240_000);
