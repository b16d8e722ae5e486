import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { createGitlabClient } from '../../src/gitlab/client.js';
import { ImportService } from '../../src/services/importService.js';
import { MetricsService, metricsLine } from '../../src/services/metricsService.js';
import type { Store } from '../../src/store/store.js';
import { FakeGitlab } from '../fakes/gitlab.js';
import { handbookSeed } from '../helpers/seeds.js';
import { tempStore } from '../helpers/store.js';

let clock: ManualClock;
let gitlab: FakeGitlab;
let store: Store;
let cleanup: () => void;
let metrics: MetricsService;

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
});
afterEach(async () => {
  cleanup();
  await gitlab.close();
});

const group = () => store.groups.getBySlug('improve-ops-quality')!;

describe('DevOps key metrics', () => {
  it("uses GitLab's DORA metrics where the plan offers them", async () => {
    gitlab.setDoraMetrics('g/app', {
      deployment_frequency: [{ date: '2026-10-24', value: 45 }],
      lead_time_for_changes: [{ date: '2026-10-24', value: 36 * 3600 }],
      time_to_restore_service: [{ date: '2026-10-24', value: 3 * 3600 }],
      change_failure_rate: [{ date: '2026-10-24', value: 0.1 }],
    });
    metrics.setProjects(group(), [{ project: 'g/app', environment: 'production' }]);
    const [m] = await metrics.forGroup(group());
    expect(m).toEqual({
      project: 'g/app',
      deploymentFrequency: 1.5,
      leadTimeHours: 36,
      changeFailureRate: 10,
      timeToRestoreHours: 3,
      source: 'dora',
    });
    expect(metricsLine(m!)).toBe(
      '`g/app` — deploys 1.5/day · lead time 36 h · change failure 10% · time to restore 3 h _(last 30 days, GitLab DORA)_',
    );
  });

  it('estimates them from production deployments and incident issues elsewhere', async () => {
    for (let d = 1; d <= 10; d += 1) {
      gitlab.addDeployment('g/app', {
        at: new Date(clock.now().getTime() - d * 86_400_000).toISOString(),
        leadTimeHours: d * 2,
      });
    }
    gitlab.addDeployment('g/app', { at: '2026-11-20T10:00:00Z', status: 'failed' });
    gitlab.addDeployment('g/app', { at: '2026-11-20T10:00:00Z', environment: 'staging' });
    gitlab.addIssue('g/app', {
      title: 'Outage',
      issue_type: 'incident',
      state: 'closed',
      created_at: '2026-11-10T10:00:00Z',
      closed_at: '2026-11-10T14:00:00Z',
    } as never);
    metrics.setProjects(group(), [{ project: 'g/app', environment: 'production' }]);
    const [m] = await metrics.forGroup(group());
    expect(m).toMatchObject({ source: 'estimated', changeFailureRate: 10, leadTimeHours: 11 });
    expect(m!.deploymentFrequency).toBeCloseTo(10 / 30, 5);
    expect(metricsLine(m!)).toContain('_(last 30 days, estimated from deployments and incidents)_');
    // Asked again within the hour, GitLab is not asked again.
    gitlab.resetLog();
    await metrics.forGroup(group());
    expect(gitlab.requests).toHaveLength(0);
  });
});
