import { afterEach, beforeEach, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { ImportService } from '../../src/services/importService.js';
import { MetricsService } from '../../src/services/metricsService.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let clock: ManualClock;
let gitlab: FakeGitlab;
let store: Store;
let cleanup: () => void;
let metrics: MetricsService;
const DAY = 86_400_000;

beforeEach(async () => {
  clock = new ManualClock('2026-11-23T09:00:00Z');
  gitlab = await FakeGitlab.start({ now: () => clock.now() });
  gitlab.addGroup('g');
  gitlab.addProject('g/app');
  ({ store, cleanup } = tempStore(() => clock.now()));
  new ImportService(store, () => clock.now()).importText(handbookSeed());
  metrics = new MetricsService(store, createGitlabClient({ url: gitlab.url, token: gitlab.token }), () =>
    clock.now(),
  );
  metrics.setProjects(store.groups.getBySlug('improve-ops-quality')!, [
    { project: 'g/app', environment: 'production' },
  ]);
});
afterEach(async () => {
  cleanup();
  await gitlab.close();
});

const values = (series: { weeks: { value: number | null }[] }) => series.weeks.map((w) => w.value);

it('reads deploys, failures, lead time and time to restore week by week from the fake GitLab', async () => {
  // Ten daily deployments 1–10 days back (lead time 2 h per day back), one failed, one to staging.
  for (let d = 1; d <= 10; d += 1)
    gitlab.addDeployment('g/app', {
      at: new Date(clock.now().getTime() - d * DAY).toISOString(),
      leadTimeHours: d * 2,
    });
  gitlab.addDeployment('g/app', { at: '2026-11-20T10:00:00Z', status: 'failed' });
  gitlab.addDeployment('g/app', { at: '2026-11-20T10:00:00Z', environment: 'staging' });
  gitlab.addIssue('g/app', {
    title: 'Outage',
    issue_type: 'incident',
    state: 'closed',
    created_at: '2026-11-10T10:00:00Z',
    closed_at: '2026-11-10T14:00:00Z',
  } as never);
  const [deploys, failed, lead, restore] = await metrics.weeklyForGroup(
    store.groups.getBySlug('improve-ops-quality')!,
  );
  expect(deploys!.label).toBe('Deploys · g/app');
  expect(deploys!.source).toBe('GitLab deployments to production: g/app');
  expect(deploys!.weeks[0]!.start).toBe('2026-09-28');
  // Counts of listed weeks are figures (0 is known); medians of weeks with nothing are gaps.
  expect(values(deploys!)).toEqual([0, 0, 0, 0, 0, 0, 4, 6]);
  expect(values(failed!)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  expect(values(lead!)).toEqual([null, null, null, null, null, null, 17, 7]);
  expect(restore!.source).toBe('GitLab incidents closed: g/app');
  expect(values(restore!)).toEqual([null, null, null, null, null, null, 4, null]);
});

it('gives no series, not zeros, for a project GitLab does not answer for', async () => {
  const group = store.groups.getBySlug('improve-ops-quality')!;
  metrics.setProjects(group, [{ project: 'g/missing', environment: 'production' }]);
  expect(await metrics.weeklyForGroup(group)).toEqual([]);
});
