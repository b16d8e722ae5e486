// `npm run bench -- fetch`: requests per full sync of a group whose epic, milestone and labelled list are
// each linked twice, against the minimum; and incremental syncs of epics with 20,000 and 100,000 issues
// (GitLab's x-total omitted beyond 10,000, as documented) with 10 changes: requests, wall time, the
// longest write transaction and the longest the event loop waited (the process held for all of it) and
// RSS. The big epics' initial state is a real full sync whose issues listing is handed over in-process
// (1,003 HTTP pages took minutes); the incremental sync that is measured goes over HTTP as in production.
// BENCH_SMALL=1 leaves out the 100,000-issue epic.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ManualClock } from '../src/clock.js';
import { createGitlabClient } from '../src/gitlab/client.js';
import { GlIssue, parseList } from '../src/gitlab/schemas.js';
import { ImportService } from '../src/services/importService.js';
import { LinkService } from '../src/services/linkService.js';
import { SyncService } from '../src/services/syncService.js';
import type { Store } from '../src/store/store.js';
import { FakeGitlab } from '../test/fakes/gitlab.js';
import { handbookSeed } from '../test/helpers/seeds.js';
import { tempStore } from '../test/helpers/store.js';
import { fmt } from './fixtures.js';

const SLUG = 'improve-ops-quality';
const MB = 1024 * 1024;

/** Wraps the store's transactions to time each one: the longest is how long a write held the process. */
function timeTransactions(store: Store): { longest: () => number; reset: () => void } {
  let longest = 0;
  const original = store.transaction.bind(store);
  store.transaction = (<T>(fn: () => T): T => {
    const started = performance.now();
    try {
      return original(fn);
    } finally {
      longest = Math.max(longest, performance.now() - started);
    }
  }) as Store['transaction'];
  return { longest: () => longest, reset: () => (longest = 0) };
}

/**
 * Times the in-process fake GitLab's answers (routing and building a page), which hold the same event
 * loop as wgbot: the event-loop delay minus these is what wgbot itself held.
 */
function timeFakeAnswers(gitlab: FakeGitlab): { longest: () => number; reset: () => void } {
  let longest = 0;
  const fake = gitlab as unknown as { route: (...args: unknown[]) => unknown };
  const route = fake.route.bind(gitlab);
  fake.route = (...args: unknown[]) => {
    const started = performance.now();
    try {
      return route(...args);
    } finally {
      longest = Math.max(longest, performance.now() - started);
    }
  };
  return { longest: () => longest, reset: () => (longest = 0) };
}

/** Samples RSS while `work` runs; answers its result and the highest RSS seen. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const value = await work();
    return { value, peakRss: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

async function setUp(now: string) {
  const clock = new ManualClock(now);
  const gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  gitlab.addIteration('g', { title: 'Sprint 21', start_date: '2026-11-16', due_date: '2026-11-27' });
  const { store, cleanup } = tempStore(() => clock.now());
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  const client = createGitlabClient({
    url: gitlab.url,
    token: gitlab.token,
    policy: { requestsPerMinute: 1e6, maxPages: 2000 },
  });
  const sync = new SyncService(store, client, () => clock.now());
  const link = (url: string, criterion: string | null = null) =>
    new LinkService(store, gitlab.url, () => clock.now()).link(SLUG, url, criterion);
  const syncGroup = () => sync.syncGroup(store.groups.getBySlug(SLUG)!);
  const close = async () => {
    cleanup();
    await gitlab.close();
  };
  return { clock, gitlab, client, store, link, syncGroup, close };
}

async function benchMixedGroup(): Promise<void> {
  console.log('\n== Full sync of a group: an epic, a milestone and a labelled list, each linked twice ==');
  const { gitlab, link, syncGroup, close } = await setUp('2026-11-16T08:00:00Z');
  const epic = gitlab.addEpic('g', { title: 'Epic' });
  const milestone = gitlab.addMilestone({ groupPath: 'g' }, { title: 'M1' });
  for (let i = 0; i < 30; i += 1) gitlab.addIssue('g/app', { epic: { groupPath: 'g', iid: epic.iid } });
  for (let i = 0; i < 30; i += 1) gitlab.addIssue('g/app', { milestone });
  for (let i = 0; i < 30; i += 1) gitlab.addIssue('g/app', { labels: ['wg::ops'] });
  const urls = [
    `${gitlab.url}/groups/g/-/epics/${epic.iid}`,
    `${gitlab.url}/groups/g/-/milestones/${milestone.iid}`,
    `${gitlab.url}/g/app/-/issues?label_name[]=wg::ops`,
  ];
  urls.forEach((url, i) => {
    link(url);
    link(url, String(i + 2));
  });
  const outcome = await syncGroup();
  // Epic 3 (epic, issues, child epics) + milestone 2 (milestone, issues) + list 1 + iterations once (the
  // project's are its group's) = 7. Before one fetch per object: 9, or 13 when a link's cursor differed.
  const minimum = 7;
  console.log(
    `requests: ${outcome.requests} (minimum ${minimum}: ${outcome.requests === minimum ? 'met' : 'NOT MET'}); status ${outcome.status}`,
  );
  await close();
}

async function benchBigEpic(size: number): Promise<void> {
  console.log(
    `\n== Epic with ${size.toLocaleString('en-US')} issues: full sync, then 10 changes and an incremental sync ==`,
  );
  // The issues were last touched a day before the first sync.
  const { clock, gitlab, client, store, link, syncGroup, close } = await setUp('2026-11-15T08:00:00Z');
  const epic = gitlab.addEpic('g', { title: 'Big epic' });
  const seeded = [];
  for (let i = 0; i < size; i += 1)
    seeded.push(
      gitlab.addIssue('g/app', {
        title: `Story ${i + 1}`,
        epic: { groupPath: 'g', iid: epic.iid },
        weight: i % 5,
      }),
    );
  clock.set('2026-11-16T08:00:00Z');
  link(`${gitlab.url}/groups/g/-/epics/${epic.iid}`);
  const writes = timeTransactions(store);

  // The initial state: a full sync through wgbot's own write path, its issues listing (size / 100 pages)
  // handed over directly; the epic, child epics and iterations still come over HTTP.
  const listEpicIssues = client.listEpicIssues;
  const listing = parseList(GlIssue, seeded, 'the seeded issues');
  client.listEpicIssues = () => Promise.resolve(listing);
  let started = performance.now();
  const full = await withPeakRss(syncGroup);
  const fullMs = performance.now() - started;
  client.listEpicIssues = listEpicIssues;
  console.log(
    `initial full sync: ${full.value.status}, ${fmt(fullMs)}, ${full.value.sources[0]?.issues} issues (listing in-process), ` +
      `longest write ${fmt(writes.longest())}, peak RSS ${(full.peakRss / MB).toFixed(0)} MB`,
  );

  clock.advance(15 * 60_000);
  for (let iid = 1; iid <= 10; iid += 1) gitlab.updateIssue('g/app', iid, { state: 'closed' });
  gitlab.resetLog();
  writes.reset();
  const answers = timeFakeAnswers(gitlab);
  const rssBefore = process.memoryUsage().rss;
  const held = monitorEventLoopDelay({ resolution: 5 });
  held.enable();
  started = performance.now();
  const inc = await withPeakRss(syncGroup);
  const incMs = performance.now() - started;
  held.disable();
  const heldMs = held.max / 1e6;
  const changedPages = 1;
  const bound = 3 + changedPages;
  const requests = gitlab.requests.length;
  console.log(
    `incremental sync: ${fmt(incMs)}, ${requests} requests (must be ≤ 3 + ${changedPages} changed page${changedPages > 1 ? 's' : ''} = ${bound}: ${requests <= bound ? 'ok' : 'NOT MET'}), ` +
      `${inc.value.sources[0]?.issues} changed issues, ${inc.value.sources[0]?.complete ? 'a FULL listing' : 'no full listing'}`,
  );
  console.log(
    `                  longest write ${fmt(writes.longest())} (must be < 100 ms: ${writes.longest() < 100 ? 'ok' : 'NOT MET'}), ` +
      `RSS ${(rssBefore / MB).toFixed(0)} MB before, peak ${(inc.peakRss / MB).toFixed(0)} MB (fake GitLab in the same process)`,
  );
  console.log(
    `                  longest event-loop delay ${fmt(heldMs)} (wgbot, the garbage collector, and the in-process fake GitLab, ` +
      `whose longest answer took ${fmt(answers.longest())})`,
  );
  await close();
}

export async function benchFetch(): Promise<void> {
  await benchMixedGroup();
  await benchBigEpic(20_000);
  if (!process.env.BENCH_SMALL) await benchBigEpic(100_000);
}
