import { type DeliveryWeeks, deliveryWeeks } from '../domain/deliveryWeeks.js';
import type { WorkingGroup } from '../domain/types.js';
import type { GitlabClient } from '../gitlab/client.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { MetricSeries } from './digestData.js';
import { deliverySeries } from './metricSeries.js';

/** The four DevOps key metrics of the epic seed (usage aside), for one project over the last 30 days. */
export interface ProjectMetrics {
  project: string;
  /** Successful production deployments per day. */
  deploymentFrequency: number | null;
  /** Median hours from commit to production. */
  leadTimeHours: number | null;
  /** Share of deployments that caused an incident, 0–100. */
  changeFailureRate: number | null;
  /** Median hours from incident to resolution. */
  timeToRestoreHours: number | null;
  /** 'dora': GitLab's own DORA metrics (Ultimate); 'estimated': from deployments and incident issues. */
  source: 'dora' | 'estimated';
}

const WINDOW_DAYS = 30;
const CACHE_MS = 60 * 60 * 1000;
/** The weeks the chart draws. */
const WEEKS = 8;
/** Four series per project and the chart draws eight: two projects at most get a weekly trend. */
const MAX_WEEKLY_PROJECTS = 2;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const hours = (from: string, to: string) => (new Date(to).getTime() - new Date(from).getTime()) / 3_600_000;

/**
 * DevOps key metrics per group: deployment frequency, lead time for changes, change failure rate and time
 * to restore service, from GitLab's DORA API where the plan has it, else estimated from successful
 * production deployments and incident issues. Cached for an hour: they move slowly and cost requests.
 */
export class MetricsService {
  readonly #cache = new Map<string, { at: number; value: ProjectMetrics }>();
  readonly #weekly = new Map<string, { at: number; value: MetricSeries[] }>();

  constructor(
    private readonly store: Store,
    private readonly gitlab: GitlabClient | null,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
  ) {}

  projects(group: WorkingGroup): { project: string; environment: string }[] {
    return this.store.metricProjects.of(group.id);
  }

  setProjects(group: WorkingGroup, projects: { project: string; environment: string }[]): void {
    this.store.transaction(() => this.store.metricProjects.replace(group.id, projects));
  }

  async forGroup(group: WorkingGroup): Promise<ProjectMetrics[]> {
    if (!this.gitlab) return [];
    const results: ProjectMetrics[] = [];
    for (const { project, environment } of this.projects(group)) {
      const cached = this.#cache.get(`${project}|${environment}`);
      if (cached && this.now().getTime() - cached.at < CACHE_MS) {
        results.push(cached.value);
        continue;
      }
      try {
        const value = await this.#compute(project, environment);
        this.#cache.set(`${project}|${environment}`, { at: this.now().getTime(), value });
        results.push(value);
      } catch (error) {
        this.logger.warn({ project, err: (error as Error).message }, 'metrics not available');
      }
    }
    return results;
  }

  /**
   * Each project's deployments, failed deployments, lead time and time to restore week by week over the
   * last 8 weeks, from GitLab's deployments and incident issues (any plan has them); cached like the rest.
   * A project GitLab does not answer for has no series (a warning), never zeros.
   */
  async weeklyForGroup(group: WorkingGroup): Promise<MetricSeries[]> {
    if (!this.gitlab) return [];
    const series: MetricSeries[] = [];
    for (const { project, environment } of this.projects(group).slice(0, MAX_WEEKLY_PROJECTS)) {
      const key = `${project}|${environment}`;
      const cached = this.#weekly.get(key);
      if (cached && this.now().getTime() - cached.at < CACHE_MS) {
        series.push(...cached.value);
        continue;
      }
      try {
        const value = deliverySeries(project, environment, await this.#weeks(project, environment));
        this.#weekly.set(key, { at: this.now().getTime(), value });
        series.push(...value);
      } catch (error) {
        this.logger.warn({ project, err: (error as Error).message }, 'weekly metrics not available');
      }
    }
    return series;
  }

  async #weeks(project: string, environment: string): Promise<DeliveryWeeks> {
    const now = this.now();
    const since = new Date(now.getTime() - WEEKS * 7 * 86_400_000).toISOString();
    const deployments = [
      ...(await this.gitlab!.listDeployments(project, environment, since)),
      ...(await this.gitlab!.listDeployments(project, environment, since, 'failed')),
    ];
    const incidents = await this.gitlab!.listIncidents(project, since);
    return deliveryWeeks(
      deployments.map((d) => ({
        status: d.status,
        createdAt: d.created_at,
        finishedAt: d.finished_at ?? null,
        commitAt: d.deployable?.commit?.created_at ?? null,
      })),
      incidents.flatMap((i) =>
        i.created_at ? [{ createdAt: i.created_at, closedAt: i.closed_at ?? null }] : [],
      ),
      now,
      WEEKS,
    );
  }

  async #compute(project: string, environment: string): Promise<ProjectMetrics> {
    const gitlab = this.gitlab!;
    const end = this.now();
    const start = new Date(end.getTime() - WINDOW_DAYS * 86_400_000);
    const [startDate, endDate] = [start.toISOString().slice(0, 10), end.toISOString().slice(0, 10)];
    const frequency = await gitlab.doraMetric(project, 'deployment_frequency', startDate, endDate);
    if (frequency !== null) {
      // GitLab reports lead time and time to restore in seconds, the failure rate as a fraction.
      const lead = await gitlab.doraMetric(project, 'lead_time_for_changes', startDate, endDate);
      const restore = await gitlab.doraMetric(project, 'time_to_restore_service', startDate, endDate);
      const failure = await gitlab.doraMetric(project, 'change_failure_rate', startDate, endDate);
      return {
        project,
        deploymentFrequency: frequency / WINDOW_DAYS,
        leadTimeHours: lead === null ? null : lead / 3600,
        changeFailureRate: failure === null ? null : failure * 100,
        timeToRestoreHours: restore === null ? null : restore / 3600,
        source: 'dora',
      };
    }
    const deployments = (await gitlab.listDeployments(project, environment, start.toISOString())).filter(
      (d) => d.status === 'success' && d.created_at >= start.toISOString(),
    );
    const incidents = await gitlab.listIncidents(project, start.toISOString());
    const leadTimes = deployments.flatMap((d) =>
      d.deployable?.commit?.created_at
        ? [hours(d.deployable.commit.created_at, d.finished_at ?? d.created_at)]
        : [],
    );
    const restores = incidents.flatMap((i) =>
      i.closed_at && i.created_at ? [hours(i.created_at, i.closed_at)] : [],
    );
    return {
      project,
      deploymentFrequency: deployments.length / WINDOW_DAYS,
      leadTimeHours: median(leadTimes),
      changeFailureRate:
        deployments.length > 0 ? Math.min(100, (incidents.length / deployments.length) * 100) : null,
      timeToRestoreHours: median(restores),
      source: 'estimated',
    };
  }
}

function round(value: number | null, unit: string, digits = 1): string {
  return value === null ? '—' : `${Number(value.toFixed(digits))}${unit}`;
}

/** One line per project: what the digest and `/wg metrics` show. */
export function metricsLine(m: ProjectMetrics): string {
  const hoursOrDays = (h: number | null) => (h !== null && h >= 48 ? round(h / 24, ' d') : round(h, ' h'));
  return `\`${m.project}\` — deploys ${round(m.deploymentFrequency, '/day', 2)} · lead time ${hoursOrDays(m.leadTimeHours)} · change failure ${round(m.changeFailureRate, '%', 0)} · time to restore ${hoursOrDays(m.timeToRestoreHours)} _(last ${WINDOW_DAYS} days, ${m.source === 'estimated' ? 'estimated from deployments and incidents' : 'GitLab DORA'})_`;
}
