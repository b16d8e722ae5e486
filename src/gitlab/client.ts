import {
  EpicIssues,
  Epics,
  GroupIterations,
  GroupMilestones,
  Issues,
  ProjectMilestones,
} from '@gitbeaker/rest';
import {
  createGitlabRequester,
  DEFAULT_POLICY,
  GitlabHttpError,
  type HttpDeps,
  type RequestPolicy,
  type RequestStats,
  realDeps,
} from './http.js';
import { z } from 'zod';
import {
  GlDeployment,
  type GlEpic,
  GlEpicRecord,
  GlIssue,
  GlIteration,
  GlMilestone,
  parseList,
} from './schemas.js';
import { readOne, settleEpicUrl, settleIssueUrl } from './settle.js';
import { graphqlCall } from './graphql/transport.js';

export type Scope = { group: string } | { project: string };

/** Which GitLab API epics are read through (GITLAB_API): GraphQL work items, REST, or chosen per instance. */
export type GitlabApiMode = 'auto' | 'rest' | 'graphql';

/** A GraphQL answer as GitLab sends it: `data` (possibly partial) and `errors`. */
export interface GraphqlAnswer {
  data: unknown;
  errors: { message: string; path?: (string | number)[] }[];
}

export interface IssueFilters {
  epicId?: number;
  labels?: string[];
  milestone?: string | null;
  updatedAfter?: string;
}

/** The GitLab calls wgbot makes, typed and validated; everything else about GitLab stays behind this. */
export interface GitlabClient {
  readonly stats: RequestStats;
  /** GITLAB_API; absent means 'auto'. */
  readonly api?: GitlabApiMode;
  /**
   * One GraphQL request (`POST /api/graphql`) through the same requester as REST: the same retries, rate
   * limits, bounds and counters. Absent on clients that have no GraphQL (the demo's).
   */
  graphql?(
    query: string,
    variables: Record<string, unknown>,
    options?: { get?: boolean },
  ): Promise<GraphqlAnswer>;
  /** Ends every request in flight or waiting and refuses new ones (the process is stopping). */
  abort(reason: string): void;
  getEpic(groupPath: string, iid: number): Promise<GlEpic>;
  listEpicIssues(groupPath: string, iid: number): Promise<GlIssue[]>;
  /** How many issues the epic has (GitLab's x-total), or null when GitLab does not say (over 10,000). */
  countEpicIssues(groupPath: string, iid: number): Promise<number | null>;
  listChildEpics(groupPath: string, iid: number): Promise<GlEpic[]>;
  /** The epics of a group and its subgroups (any state) updated at or after `updatedAfter`. */
  listGroupEpicsUpdated(groupPath: string, updatedAfter: string): Promise<GlEpic[]>;
  listIssues(scope: Scope, filters: IssueFilters): Promise<GlIssue[]>;
  /**
   * How many issues match (any state), from GitLab's issues statistics, which counts beyond the 10,000
   * rows after which listings stop saying how many there are; null when GitLab does not say.
   */
  countIssues(scope: Scope, filters: IssueFilters): Promise<number | null>;
  getIssue(projectPath: string, iid: number): Promise<GlIssue>;
  getMilestone(scope: Scope, iid: number): Promise<GlMilestone | null>;
  /** Upcoming and current iterations; null where iterations are not available (GitLab Free). */
  listOpenIterations(scope: Scope): Promise<GlIteration[] | null>;
  setIssueState(projectPath: string, iid: number, state: 'close' | 'reopen'): Promise<GlIssue>;
  setIssueDueDate(projectPath: string, iid: number, dueDate: string): Promise<GlIssue>;
  setEpicDescription(groupPath: string, iid: number, description: string): Promise<GlEpic>;
  /** One DORA metric over a period (GitLab Ultimate); null where GitLab does not offer it (403/404). */
  doraMetric(
    projectPath: string,
    metric: DoraMetricName,
    startDate: string,
    endDate: string,
  ): Promise<number | null>;
  /** Deployments in one status (GitLab's `status` filter): successful ones unless asked for failed ones. */
  listDeployments(
    projectPath: string,
    environment: string,
    updatedAfter: string,
    status?: 'success' | 'failed',
  ): Promise<GlDeployment[]>;
  listIncidents(projectPath: string, createdAfter: string): Promise<GlIssue[]>;
}

export type DoraMetricName =
  'deployment_frequency' | 'lead_time_for_changes' | 'time_to_restore_service' | 'change_failure_rate';

export interface GitlabClientOptions {
  url: string;
  token: string;
  policy?: Partial<RequestPolicy>;
  deps?: Partial<HttpDeps>;
  api?: GitlabApiMode;
}

const PAGE = { perPage: 100 } as const;

function issueQuery(filters: IssueFilters) {
  return {
    scope: 'all',
    state: 'all',
    ...(filters.epicId !== undefined ? { epicId: filters.epicId } : {}),
    ...(filters.labels && filters.labels.length > 0 ? { labels: filters.labels.join(',') } : {}),
    ...(filters.milestone ? { milestone: filters.milestone } : {}),
    ...(filters.updatedAfter ? { updatedAfter: filters.updatedAfter } : {}),
  };
}

/** The listing's filters as issues_statistics takes them (the same names, snake_case). */
function statisticsQuery(filters: IssueFilters): Record<string, string> {
  return {
    scope: 'all',
    ...(filters.epicId !== undefined ? { epic_id: String(filters.epicId) } : {}),
    ...(filters.labels && filters.labels.length > 0 ? { labels: filters.labels.join(',') } : {}),
    ...(filters.milestone ? { milestone: filters.milestone } : {}),
    ...(filters.updatedAfter ? { updated_after: filters.updatedAfter } : {}),
  };
}

/** The part of GitLab's issues statistics answer wgbot reads: `{"statistics":{"counts":{"all":N,…}}}`. */
const IssueCounts = z.object({
  statistics: z.object({ counts: z.object({ all: z.number().int().nonnegative() }) }),
});

function total(info: { total?: number } | undefined): number | null {
  return info?.total !== undefined && Number.isFinite(info.total) ? info.total : null;
}

/** The gitbeaker APIs wgbot uses, all on our requester, plus `getAll` for the listings gitbeaker gets wrong. */
function gitlabApis(options: GitlabClientOptions, requester: ReturnType<typeof createGitlabRequester>) {
  // Our requester replaces gitbeaker's (see http.ts); its own rate limiter is off because ours is shared.
  const settings = {
    host: options.url,
    token: options.token,
    requesterFn: requester.requesterFn,
    rateLimits: {},
    queryTimeout: null,
  } as never;
  return {
    epics: new Epics(settings),
    epicIssues: new EpicIssues(settings),
    issues: new Issues(settings),
    groupIterations: new GroupIterations(settings),
    groupMilestones: new GroupMilestones(settings),
    projectMilestones: new ProjectMilestones(settings),
    getAll: offsetPager(options, requester.send),
    /** GitLab's web address, for the URLs of records that came without one. */
    web: options.url.replace(/\/+$/, ''),
  };
}

type Apis = ReturnType<typeof gitlabApis>;

/**
 * gitbeaker 43.8 asks for child epics at …/epics/:iid/links and for project iterations at
 * /project/:id/iterations; GitLab serves neither (…/epics/:iid/epics, /projects/:id/iterations).
 * Those (and the calls gitbeaker lacks) go through the same requester directly, following GitLab's
 * offset pagination.
 */
function offsetPager(
  options: GitlabClientOptions,
  send: ReturnType<typeof createGitlabRequester>['send'],
): (endpoint: string, query: Record<string, string>) => Promise<unknown[]> {
  const prefixUrl = `${options.url.replace(/\/+$/, '')}/api/v4`;
  return async (endpoint, query) => {
    const all: unknown[] = [];
    let page: string | null = '1';
    while (page) {
      const answer = await send(endpoint, {
        method: 'GET',
        prefixUrl,
        headers: { 'private-token': options.token },
        searchParams: new URLSearchParams({ ...query, per_page: '100', page }).toString(),
      });
      if (!Array.isArray(answer.body)) return all.concat(answer.body as never);
      all.push(...answer.body);
      page = answer.headers['x-next-page'] || null;
    }
    return all;
  };
}

const enc = (path: string) => encodeURIComponent(path);

const scoped = (scope: Scope) => ('group' in scope ? { groupId: scope.group } : { projectId: scope.project });

export function createGitlabClient(options: GitlabClientOptions): GitlabClient {
  const requester = createGitlabRequester(
    { ...DEFAULT_POLICY, ...options.policy },
    { ...realDeps, ...options.deps },
  );
  const apis = gitlabApis(options, requester);
  return {
    stats: requester.stats,
    // Without GITLAB_API (tests, tools) REST, as before work items; the config's default is 'auto'.
    api: options.api ?? 'rest',
    graphql: graphqlCall(options, requester.send),
    abort: requester.abort,
    ...epicCalls(apis),
    ...issueCalls(apis),
    ...planningCalls(apis),
    ...deliveryCalls(apis),
  };
}

type EpicCalls =
  | 'getEpic'
  | 'listEpicIssues'
  | 'countEpicIssues'
  | 'listChildEpics'
  | 'listGroupEpicsUpdated'
  | 'setEpicDescription';

function epicCalls({ epics, epicIssues, getAll, web }: Apis): Pick<GitlabClient, EpicCalls> {
  // The group id of each epic read, by group path: tells a child epic of another group from one of its own.
  const groupIds = new Map<string, number>();
  const readEpic = (groupPath: string, body: unknown, what: string) => {
    const record = readOne(GlEpicRecord, body, what);
    if (record.group_id !== undefined) groupIds.set(groupPath, record.group_id);
    return settleEpicUrl(record, { web, groupPath, groupId: groupIds.get(groupPath), what });
  };
  const issuesUrl = settleIssueUrl(web);
  return {
    async getEpic(groupPath, iid) {
      return readEpic(groupPath, await epics.show(groupPath, iid), `epic &${iid} of ${groupPath}`);
    },
    async listEpicIssues(groupPath, iid) {
      const what = `issues of epic &${iid} in ${groupPath}`;
      return parseList(GlIssue, await epicIssues.all(groupPath, iid, PAGE), what, 'issue').map(issuesUrl);
    },
    async countEpicIssues(groupPath, iid) {
      const page = await epicIssues.all(groupPath, iid, { perPage: 1, maxPages: 1, showExpanded: true });
      return total(page.paginationInfo as { total?: number });
    },
    async listChildEpics(groupPath, iid) {
      const what = `child epics of &${iid} in ${groupPath}`;
      const records = parseList(
        GlEpicRecord,
        await getAll(`groups/${enc(groupPath)}/epics/${iid}/epics`, {}),
        what,
        'epic',
      );
      return records.map((epic) =>
        settleEpicUrl(epic, { web, groupPath, groupId: groupIds.get(groupPath), what }),
      );
    },
    async listGroupEpicsUpdated(groupPath, updatedAfter) {
      const what = `epics of ${groupPath} updated since ${updatedAfter}`;
      const records = parseList(
        GlEpicRecord,
        await getAll(`groups/${enc(groupPath)}/epics`, {
          updated_after: updatedAfter,
          state: 'all',
          include_descendant_groups: 'true',
          order_by: 'updated_at',
          sort: 'asc',
        }),
        what,
        'epic',
      );
      return records.map((epic) =>
        settleEpicUrl(epic, { web, groupPath, groupId: groupIds.get(groupPath), what }),
      );
    },
    async setEpicDescription(groupPath, iid, description) {
      return readEpic(groupPath, await epics.edit(groupPath, iid, { description }), `epic &${iid}`);
    },
  };
}

type IssueCalls =
  'listIssues' | 'countIssues' | 'getIssue' | 'setIssueState' | 'setIssueDueDate' | 'listIncidents';

function issueCalls({ issues, getAll, web }: Apis): Pick<GitlabClient, IssueCalls> {
  const issueUrl = settleIssueUrl(web);
  const readIssue = (body: unknown, what: string) => issueUrl(readOne(GlIssue, body, what));
  return {
    async listIssues(scope, filters) {
      const found = await issues.all({ ...scoped(scope), ...issueQuery(filters), ...PAGE } as never);
      const where = 'group' in scope ? scope.group : scope.project;
      return parseList(GlIssue, found, `issues of ${where}`, 'issue').map(issueUrl);
    },
    async countIssues(scope, filters) {
      // GET /groups|projects/:id/issues_statistics takes the listing's filters (epic_id included, an EE
      // filter it shares with the issues listing) and answers counts, not rows: exact at any size.
      const base = 'group' in scope ? `groups/${enc(scope.group)}` : `projects/${enc(scope.project)}`;
      const [body] = await getAll(`${base}/issues_statistics`, statisticsQuery(filters));
      return IssueCounts.safeParse(body).data?.statistics.counts.all ?? null;
    },
    async getIssue(projectPath, iid) {
      return readIssue(await issues.show(iid, { projectId: projectPath }), `issue ${projectPath}#${iid}`);
    },
    async setIssueState(projectPath, iid, state) {
      return readIssue(
        await issues.edit(projectPath, iid, { stateEvent: state }),
        `issue ${projectPath}#${iid}`,
      );
    },
    async setIssueDueDate(projectPath, iid, dueDate) {
      return readIssue(await issues.edit(projectPath, iid, { dueDate }), `issue ${projectPath}#${iid}`);
    },
    async listIncidents(projectPath, createdAfter) {
      const found = await issues.all({
        projectId: projectPath,
        issueType: 'incident',
        createdAfter,
        state: 'all',
        ...PAGE,
      } as never);
      return parseList(GlIssue, found, `incidents of ${projectPath}`).map(issueUrl);
    },
  };
}

function planningCalls(apis: Apis): Pick<GitlabClient, 'getMilestone' | 'listOpenIterations'> {
  const { groupMilestones, projectMilestones, groupIterations, getAll } = apis;
  return {
    async getMilestone(scope, iid) {
      const list =
        'group' in scope
          ? await groupMilestones.all(scope.group, { iids: [iid] } as never)
          : await projectMilestones.all(scope.project, { iids: [iid] } as never);
      const [first] = parseList(GlMilestone, list, `milestone %${iid}`);
      return first ?? null;
    },
    async listOpenIterations(scope) {
      try {
        const list =
          'group' in scope
            ? await groupIterations.all(scope.group, { state: 'opened', ...PAGE } as never)
            : await getAll(`projects/${enc(scope.project)}/iterations`, { state: 'opened' });
        return parseList(
          GlIteration,
          list,
          `iterations of ${'group' in scope ? scope.group : scope.project}`,
        );
      } catch (error) {
        // Iterations are a Premium feature: on GitLab Free the sprint comes from milestones instead.
        if (error instanceof Error && 'status' in error && (error.status === 403 || error.status === 404))
          return null;
        throw error;
      }
    },
  };
}

/** The delivery metrics' calls, neither of which gitbeaker offers. */
function deliveryCalls({ getAll }: Apis): Pick<GitlabClient, 'doraMetric' | 'listDeployments'> {
  return {
    async doraMetric(projectPath, metric, startDate, endDate) {
      try {
        const rows = await getAll(`projects/${enc(projectPath)}/dora/metrics`, {
          metric,
          start_date: startDate,
          end_date: endDate,
          interval: 'all',
        });
        const first = rows[0] as { value?: number | null } | undefined;
        return typeof first?.value === 'number' ? first.value : null;
      } catch (error) {
        if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 404)) return null;
        throw error;
      }
    },
    async listDeployments(projectPath, environment, updatedAfter, status = 'success') {
      return parseList(
        GlDeployment,
        await getAll(`projects/${enc(projectPath)}/deployments`, {
          environment,
          status,
          updated_after: updatedAfter,
          order_by: 'updated_at',
        }),
        'deployments',
      );
    },
  };
}
