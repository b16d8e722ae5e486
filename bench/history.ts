// `npm run bench -- history`: a year of progress history, stored the old way (a JSON copy of the group per
// change) and the new way (per-day figures and item events), with the sizes and what they cost.
import { createHash } from 'node:crypto';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../src/cli.js';
import { ManualClock } from '../src/clock.js';
import { type ItemFacts, itemChanges, type TrackedItem } from '../src/domain/itemHistory.js';
import type { Criterion } from '../src/domain/types.js';
import { DigestService } from '../src/services/digestService.js';
import { StatusService } from '../src/services/status.js';
import { SlackDigestPoster } from '../src/slack/digestPoster.js';
import { draftView } from '../src/slack/views/digest.js';
import { digestWebClient } from '../src/slack/webClients.js';
import { type Db, openDatabase } from '../src/store/db.js';
import { loadMigrations, migrate } from '../src/store/migrate.js';
import type { Store } from '../src/store/store.js';
import { type HistoryShape, type Moment, oldSnapshotWriter, simulate } from '../test/helpers/history.js';
import { tempStore } from '../test/helpers/store.js';
import { fmt, percentile } from './fixtures.js';

const GROUPS = 100;
const ITEMS = 300;
const DAYS = 365;
/** Groups written the old way for real; the old size is this sample's, scaled to GROUPS. */
const OLD_SAMPLE = 10;
const START = '2025-12-01T00:00:00.000Z';
const END = new Date(Date.parse(START) + DAYS * 86_400_000);
const MB = 1024 * 1024;

function criterion(title: string, children: Criterion[] = []): Criterion {
  const none = { gitlabPercent: null, handbookPercent: null, manualPercent: null };
  return {
    id: null,
    section: 'exit',
    title,
    url: null,
    ...none,
    weight: null,
    sourceLine: null,
    owner: null,
    children,
  };
}

/** 100 groups with 6 exit criteria (one sub-criterion each) and 300 items each, as the store holds them. */
function createGroups(store: Store): HistoryShape['groups'] {
  const now = new Date(START);
  return store.transaction(() =>
    Array.from({ length: GROUPS }, (_, g) => {
      const group = store.groups.insert(
        `group-${g}`,
        { name: `Working Group ${g}`, targetEndDate: '2027-03-31', channel: `#wg-${g}`, sourceKind: 'cli' },
        now,
      );
      store.criteria.save(
        group.id,
        'exit',
        Array.from({ length: 6 }, (_, c) => criterion(`Criterion ${c + 1}`, [criterion(`Part of ${c + 1}`)])),
      );
      const criterionIds = store.criteria
        .of(group.id, 'exit')
        .flatMap((c) => [c.id!, ...c.children.map((k) => k.id!)]);
      const itemIds = Array.from({ length: ITEMS }, (_, i) =>
        store.items.upsert(
          group.id,
          {
            source: 'manual',
            sourceKey: `item-${i}`,
            title: `Action item ${i}: do the next useful thing for the group`,
            notes: null,
            state: 'open',
            sprint: { number: 20 + (i % 4), title: `Sprint ${20 + (i % 4)}`, source: 'text' },
            owners: [`Person ${i % 50}`],
            ownerPersonIds: [],
            dueDate: null,
            url: null,
            storyRef: null,
            confidential: false,
            weight: null,
            labels: [],
            externalId: null,
            externalUpdatedAt: null,
            closedAt: null,
            position: i,
            sourceLine: null,
          },
          now,
        ),
      );
      return { wgId: group.id, itemIds, criterionIds };
    }),
  );
}

/** The new write path (what recordProgress writes), fed from the simulation instead of GitLab syncs. */
function newWriter(store: Store): (wgId: number, moment: Moment) => void {
  const tracked = new Map<number, Map<number, TrackedItem>>();
  let week = '';
  return (wgId, moment) => {
    const mine = tracked.get(wgId) ?? new Map<number, TrackedItem>();
    tracked.set(wgId, mine);
    const facts: ItemFacts[] = moment.items.map((i) => ({
      itemId: i.id,
      state: i.state,
      sprintNumber: i.sprintNumber,
      sprintTitle: `Sprint ${i.sprintNumber}`,
      dueDate: i.dueDate,
    }));
    const { events, changed } = itemChanges([...mine.values()], facts, moment.at);
    store.itemHistory.record(wgId, events, changed);
    for (const c of changed) mine.set(c.itemId, c);
    // What the old snapshot held and can change here (titles and owners never do in the simulation), as
    // recordProgress hashes it from GroupState: the figures, and each item's facts, overdue flag and place.
    const today = moment.at.slice(0, 10);
    const content = moment.items
      .map(
        (i) =>
          `${i.id},${i.state},${i.sprintNumber},${i.dueDate},${i.dueDate !== null && i.state === 'open' && i.dueDate < today}`,
      )
      .join(';');
    const fingerprint = createHash('sha256')
      .update(`${moment.overall}|${moment.criteria.map((c) => c.percent).join(',')}|${content}`)
      .digest('base64url');
    store.progressDays.record(wgId, moment.at, moment, fingerprint);
    // A digest every Monday from 09:00: its baseline figures, as DigestService records them.
    const at = new Date(moment.at);
    const period = `${wgId}:${moment.at.slice(0, 10)}`;
    if (at.getUTCDay() === 1 && at.getUTCHours() >= 9 && week !== period) {
      week = period;
      const { record } = store.digests.claim(
        { wgId, period: moment.at.slice(0, 10), marker: `m:${period}`, kind: 'scheduled', dueAt: at },
        { owner: 'bench', now: at, until: at },
      );
      const baseline = store.snapshots.insert(wgId, { ...moment, takenAt: moment.at }, 'digest');
      store.digests.markPosted(record.id, `C${wgId}`, `${at.getTime() / 1000}.000100`, baseline, at);
    }
  };
}

function fileSize(db: Db, path: string): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  return statSync(path).size;
}

function timed<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const result = fn();
  return [result, performance.now() - started];
}

async function backupMs(dbPath: string, out: string): Promise<number> {
  const started = performance.now();
  const code = await runCli(['backup', out, '--db', dbPath, '--force'], {
    stdout: () => {},
    stderr: (t) => process.stderr.write(t),
    env: {},
    clock: new ManualClock(END),
  });
  if (code !== 0) throw new Error('backup failed');
  return performance.now() - started;
}

export async function benchHistory(): Promise<void> {
  console.log(
    `\n== History: a simulated year, ${GROUPS} groups × ${ITEMS} items, syncs every 15 min, 5 changes per group per working day ==`,
  );
  const shape: Omit<HistoryShape, 'groups'> = { start: START, days: DAYS, changesPerWorkingDay: 5, seed: 42 };
  const fresh = tempStore(() => END);
  const { store } = fresh;
  const groups = createGroups(store);
  const write = newWriter(store);
  const [moments, simulateMs] = timed(() =>
    store.transaction(() => simulate({ ...shape, groups }, (wgId, m) => write(wgId, m))),
  );
  const newSize = fileSize(store.db, fresh.path);
  const count = (table: string) => store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  console.log(
    `simulated: ${moments.toLocaleString()} moments where a sync could see something new (the first sync of each day, and each change; the ${(
      (DAYS * 96 * GROUPS) /
      1000
    ).toFixed(0)}k syncs in between write nothing either way), ${(simulateMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `new: ${(newSize / MB).toFixed(1)} MB — ${count('progress_days').toLocaleString()} day rows, ${count('progress_day_criteria').toLocaleString()} criterion-day rows, ${count('item_events').toLocaleString()} item events, ${count('progress_snapshots').toLocaleString()} digest baselines (whole database, items and all)`,
  );

  // The old representation, written for real for the first groups (same seed: the very same history).
  const old = tempStore();
  old.store.close();
  const oldPath = join(old.dir, 'old.db');
  const oldDb = openDatabase(oldPath);
  migrate(
    oldDb,
    loadMigrations().filter((m) => m.version < 5),
  );
  oldDb.transaction(() => {
    const groupRow = oldDb.prepare(
      "INSERT INTO working_groups (id, slug, name, created_at, updated_at) VALUES (?, ?, 'g', ?, ?)",
    );
    const itemRow = oldDb.prepare(
      "INSERT INTO action_items (id, wg_id, source, source_key, title, state, created_at, updated_at) VALUES (?, ?, 'manual', ?, 't', 'open', ?, ?)",
    );
    for (const g of groups.slice(0, OLD_SAMPLE)) {
      groupRow.run(g.wgId, `group-${g.wgId}`, START, START);
      for (const id of g.itemIds) itemRow.run(id, g.wgId, `item-${id}`, START, START);
    }
  })();
  const oldWriter = oldSnapshotWriter(oldDb);
  const [, oldWriteMs] = timed(() =>
    oldDb.transaction(() => simulate({ ...shape, groups: groups.slice(0, OLD_SAMPLE) }, oldWriter.write))(),
  );
  const oldSampleSize = fileSize(oldDb, oldPath);
  const oldSize = (oldSampleSize * GROUPS) / OLD_SAMPLE;
  console.log(
    `old: ${(oldSize / MB / 1024).toFixed(2)} GB — measured ${(oldSampleSize / MB).toFixed(0)} MB for ${OLD_SAMPLE} groups (${oldWriter.rows().toLocaleString()} snapshot rows written as the old code did, only when something changed; ${(oldWriteMs / 1000).toFixed(1)} s), × ${GROUPS / OLD_SAMPLE}`,
  );
  console.log(
    `new / old: 1/${Math.round(oldSize / newSize)} ${oldSize / newSize >= 20 ? '(≥ 20× smaller)' : '(LESS than 20× smaller)'}`,
  );

  // The old chart read: the JSON of 180 days of one group's snapshots, parsed.
  const from = new Date(END.getTime() - 180 * 86_400_000).toISOString();
  const [bytes, oldReadMs] = timed(() => {
    let total = 0;
    for (const row of oldDb
      .prepare('SELECT data FROM progress_snapshots WHERE wg_id = ? AND taken_at >= ?')
      .pluck()
      .iterate(groups[0]!.wgId, from) as Iterable<string>) {
      total += row.length;
      JSON.parse(row);
    }
    return total;
  });
  console.log(
    `old digest build read ${(bytes / MB).toFixed(1)} MB of JSON for one group's chart: ${fmt(oldReadMs)}`,
  );

  // Burn-up unchanged: migrate a copy of the old sample and compare with the new representation.
  oldDb.close();
  const migratedPath = join(old.dir, 'migrated.db');
  copyFileSync(oldPath, migratedPath);
  const migratedDb = openDatabase(migratedPath);
  const [, migrateMs] = timed(() => migrate(migratedDb));
  const { Store: StoreClass } = await import('../src/store/store.js');
  const migrated = new StoreClass(migratedDb);
  let identical = true;
  for (const g of groups.slice(0, OLD_SAMPLE)) {
    const a = JSON.stringify(migrated.progressDays.burnup(g.wgId, START));
    const b = JSON.stringify(store.progressDays.burnup(g.wgId, START));
    if (a !== b) identical = false;
  }
  console.log(
    `migration 0005 of the old sample: ${(migrateMs / 1000).toFixed(1)} s (→ ${(fileSize(migratedDb, migratedPath) / MB).toFixed(1)} MB); burn-up series after migration vs written new: ${identical ? 'identical' : 'DIFFERENT'} (${OLD_SAMPLE} groups × ${migrated.progressDays.burnup(groups[0]!.wgId, START).length} days)`,
  );
  migratedDb.close();

  // What the new size costs: /wg status (service level), a digest build, a backup.
  const status = new StatusService(store, () => END);
  const statusMs = (): number[] =>
    Array.from({ length: GROUPS }, (_, i) => timed(() => status.status(`group-${i}`))[1]).sort(
      (a, b) => a - b,
    );
  const firstMs = statusMs();
  const againMs = statusMs();
  const digests = new DigestService(store, new SlackDigestPoster(digestWebClient(undefined)), () => END);
  const buildMs: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const started = performance.now();
    draftView(await digests.build(store.groups.getBySlug(`group-${i}`)!));
    buildMs.push(performance.now() - started);
  }
  buildMs.sort((a, b) => a - b);
  const newBackupMs = await backupMs(fresh.path, join(fresh.dir, 'backup.db'));
  const oldBackupMs = await backupMs(oldPath, join(old.dir, 'backup.db'));
  console.log(
    `new: /wg status p50 ${fmt(percentile(firstMs, 50))}, p99 ${fmt(percentile(firstMs, 99))} (first ask per group; again, from its cache: p50 ${fmt(percentile(againMs, 50))}); digest build (data + blocks) p50 ${fmt(percentile(buildMs, 50))}; wgbot backup ${fmt(newBackupMs)}`,
  );
  console.log(
    `old: wgbot backup of the ${OLD_SAMPLE}-group sample ${fmt(oldBackupMs)} (≈ ${((oldBackupMs * GROUPS) / OLD_SAMPLE / 1000).toFixed(0)} s at ${GROUPS} groups)`,
  );
  fresh.cleanup();
  old.cleanup();
}
