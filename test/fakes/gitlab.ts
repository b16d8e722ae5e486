/**
 * A fake GitLab REST API (v4) server for integration tests.
 *
 * A real HTTP server (node:http on 127.0.0.1, random port) with an in-memory model of groups, projects,
 * epics, issues, iterations and milestones. It answers the endpoints wgbot uses the way GitLab's REST
 * documentation describes them (JSON shapes, offset pagination headers, `Link` header, 401/403/404
 * answers), can be told to misbehave (429 / 5xx / hangs / garbage), and records every request.
 * Point the real client at it with `GITLAB_URL=fake.url` and `GITLAB_TOKEN=fake.token`.
 *
 * Routes (all under `/api/v4`; `:id` is a numeric id or a URL-encoded full path such as `g%2Fsub`):
 * - `GET  /user`, `GET /groups/:id`, `GET /projects/:id`
 * - `GET  /groups/:id/epics/:epic_iid`, `PUT /groups/:id/epics/:epic_iid`
 * - `GET  /groups/:id/epics/:epic_iid/issues`, `GET /groups/:id/epics/:epic_iid/epics` (child epics; note
 *   that gitbeaker's `EpicLinks.all` asks for `…/epics/:epic_iid/links`, which GitLab does not route: 404)
 * - the epic routes also answer under `/groups/:id/-/epics/…`, as GitLab's do
 * - `GET  /groups/:id/issues`, `GET /projects/:id/issues`
 * - `GET  /projects/:id/issues/:issue_iid`, `PUT /projects/:id/issues/:issue_iid`
 * - `GET  /groups/:id/iterations`, `GET /projects/:id/iterations`
 * - `GET  /groups/:id/epics`, `GET /groups|projects/:id/issues_statistics` — see gitlabCounts.ts
 * - `GET  /groups/:id/milestones`, `GET /projects/:id/milestones`
 * - `GET  /users`, `GET /groups/:id/members/all/:user_id`, `GET /projects/:id/members/all/:user_id`, and
 *   outside `/api/v4`: `GET /oauth/authorize`, `POST /oauth/token` — see gitlabPeople.ts (`fake.people`)
 * - repository files, branches, commits and merge requests — see gitlabRepo.ts (`fake.repo`)
 * Anything else answers 404 `{"error":"404 Not Found"}`.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { issueStatistics, listedEpics } from './gitlabCounts.js';
import { FakeGitlabGraphql, type FakeIssueView, type FakeTreeView } from './gitlabGraphql.js';
import { FakeGitlabPeople, type NamespaceKey } from './gitlabPeople.js';
import { FakeGitlabWrites } from './gitlabWrites.js';
import { FakeGitlabRepo } from './gitlabRepo.js';
import { FakeGitlabTeamHealth } from './gitlabTeamHealth.js';

// ---------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------

export interface FakeGitlabOptions {
  /** The personal access token requests must carry in `PRIVATE-TOKEN`; default 'glpat-test-token'. */
  token?: string;
  /** Clock for created_at / updated_at / closed_at stamps and for iteration/milestone dates. */
  now?: () => Date;
}

export type Fault =
  | { status: 429; retryAfter?: number; rateLimitReset?: number; noHeaders?: boolean }
  | { status: 500 | 502 | 503 | 504 }
  | { status: 403 | 404 | 401 }
  | { hang: number }
  /** Holds the request until the promise settles (a test's own gate), then answers normally. */
  | { until: Promise<unknown> }
  | { garbage: true };

export interface LoggedRequest {
  method: string;
  /** Path as received, without the query, e.g. '/api/v4/groups/g%2Fsub/epics/42/issues'. */
  path: string;
  /** Query parameters; a parameter given more than once (e.g. `iids[]`) is an array. */
  query: Record<string, string | string[]>;
  /** Status answered (0 while the answer is still pending, e.g. during a `hang` fault). */
  status: number;
  /** Lower-case request headers; the token (`private-token`, `authorization`) replaced by '[redacted]'. */
  headers: Record<string, string>;
  /** Parsed JSON (or form) body for PUT/POST, else undefined. */
  body: unknown;
  /** Date.now() (real clock) when the request arrived. */
  at: number;
}

export interface FakeUser {
  id: number;
  username: string;
  name: string;
  state: 'active';
  avatar_url: string | null;
  web_url: string;
}

export interface FakeGroup {
  id: number;
  name: string;
  /** Last path segment, e.g. 'sub'. */
  path: string;
  /** Whole path, e.g. 'g/sub'. */
  full_path: string;
  parent_id: number | null;
  web_url: string;
  /** Not part of GitLab's group JSON (never rendered); decides whether epics/iterations are available. */
  tier: 'free' | 'premium';
}

export interface FakeNamespace {
  id: number;
  name: string;
  path: string;
  kind: 'group';
  full_path: string;
  parent_id: number | null;
  web_url: string;
}

export interface FakeProject {
  id: number;
  name: string;
  path: string;
  path_with_namespace: string;
  namespace: FakeNamespace;
  web_url: string;
  default_branch: string;
}

export interface EpicRef {
  id: number;
  iid: number;
  title: string;
  url: string;
  group_id: number;
}

export interface EpicJson {
  id: number;
  iid: number;
  group_id: number;
  parent_id: number | null;
  parent_iid: number | null;
  title: string;
  description: string | null;
  state: 'opened' | 'closed';
  confidential: boolean;
  web_url: string;
  reference: string;
  references: { short: string; relative: string; full: string };
  author: FakeUser;
  start_date: string | null;
  start_date_is_fixed: boolean;
  start_date_fixed: string | null;
  start_date_from_inherited_source: string | null;
  end_date: string | null;
  due_date: string | null;
  due_date_is_fixed: boolean;
  due_date_fixed: string | null;
  due_date_from_inherited_source: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  labels: string[];
  upvotes: number;
  downvotes: number;
  color: string;
  work_item_id: number;
  _links: { self: string; epic_issues: string; group: string; parent: string | null };
}

export interface IterationJson {
  id: number;
  iid: number;
  sequence: number;
  group_id: number;
  title: string | null;
  description: string | null;
  /** 1 upcoming, 2 current, 3 closed (GitLab REST gives numbers). */
  state: 1 | 2 | 3;
  created_at: string;
  updated_at: string;
  start_date: string;
  due_date: string;
  web_url: string;
}

export interface MilestoneJson {
  id: number;
  iid: number;
  project_id?: number;
  group_id?: number;
  title: string;
  description: string | null;
  state: 'active' | 'closed';
  created_at: string;
  updated_at: string;
  due_date: string | null;
  start_date: string | null;
  expired: boolean;
  web_url: string;
}

export interface IssueJson {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed';
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: FakeUser | null;
  labels: string[];
  milestone: MilestoneJson | null;
  assignees: FakeUser[];
  assignee: FakeUser | null;
  author: FakeUser;
  type: 'ISSUE';
  issue_type: 'issue' | 'incident';
  user_notes_count: number;
  merge_requests_count: number;
  upvotes: number;
  downvotes: number;
  due_date: string | null;
  confidential: boolean;
  discussion_locked: boolean | null;
  web_url: string;
  time_stats: {
    time_estimate: number;
    total_time_spent: number;
    human_time_estimate: string | null;
    human_total_time_spent: string | null;
  };
  task_completion_status: { count: number; completed_count: number };
  has_tasks: boolean;
  weight: number | null;
  references: { short: string; relative: string; full: string };
  iteration: IterationJson | null;
  epic_iid: number | null;
  epic: EpicRef | null;
  health_status: 'on_track' | 'needs_attention' | 'at_risk' | null;
  _links: { self: string; notes: string; award_emoji: string; project: string; closed_as_duplicate_of: null };
}

/** An issue as `GET /groups/:id/epics/:epic_iid/issues` answers it. */
export type EpicIssueJson = IssueJson & { epic_issue_id: number; relative_position: number };

export interface EpicLocator {
  groupPath: string;
  iid: number;
}

export type IssueSeed = Partial<Omit<IssueJson, 'epic'>> & {
  /** The epic to put the issue in (or an EpicRef / EpicJson with its global `id`). */
  epic?: EpicLocator | { id: number } | null;
};

// ---------------------------------------------------------------------------------------------------------
// Internal model
// ---------------------------------------------------------------------------------------------------------

interface GroupRec {
  json: FakeGroup;
  parent: GroupRec | null;
  epicSeq: number;
  iterationSeq: number;
  milestoneSeq: number;
}

export type DoraMetric =
  'deployment_frequency' | 'lead_time_for_changes' | 'time_to_restore_service' | 'change_failure_rate';

/** GitLab's Deployments API shape, the parts the DORA fallback reads. */
export interface DeploymentJson {
  id: number;
  iid: number;
  ref: string;
  status: 'success' | 'failed' | 'running' | 'created' | 'canceled';
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  environment: { id: number; name: string };
  deployable: { commit: { id: string; created_at: string } } | null;
}

interface ProjectRec {
  json: FakeProject;
  group: GroupRec;
  issueSeq: number;
  milestoneSeq: number;
}

interface EpicRec {
  json: EpicJson;
  group: GroupRec;
  parent: EpicRec | null;
}

interface IssueRec {
  json: IssueJson;
  project: ProjectRec;
  epic: EpicRec | null;
  epicIssueId: number | null;
  relativePosition: number | null;
}

interface IterationRec {
  json: IterationJson;
  group: GroupRec;
  /** State follows the dates and the clock unless a state was given explicitly. */
  autoState: boolean;
}

interface MilestoneRec {
  json: MilestoneJson;
  group: GroupRec | null;
  project: ProjectRec | null;
}

interface QueuedFault {
  match: RegExp | string;
  fault: Fault;
  remaining: number;
  /** Matching requests to let through before this fault starts (e.g. fail page 2, not page 1). */
  skip: number;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly payload: Record<string, string>,
  ) {
    super(JSON.stringify(payload));
  }
}

const notFound = (what = 'Not found') => new ApiError(404, { message: `404 ${what}` });
const badRequest = (error: string) => new ApiError(400, { error });
const forbidden = () => new ApiError(403, { message: '403 Forbidden' });

const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 20;
/** GitLab stops counting (and omits x-total, x-total-pages and rel="last") above this many rows. */
const COUNT_LIMIT = 10_000;

function dateOnly(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return dateOnly(d);
}

function time(value: string | null | undefined): number {
  return value ? Date.parse(value) : Number.NaN;
}

function labelList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((l) => l.length > 0);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  return [];
}

function matches(match: RegExp | string, paths: string[]): boolean {
  return paths.some((p) => {
    if (typeof match === 'string') return p === match;
    match.lastIndex = 0;
    return match.test(p);
  });
}

// ---------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------

export class FakeGitlab {
  readonly url: string;
  readonly token: string;
  /** Every request received, in order of arrival, including failed and faulted ones. */
  readonly requests: LoggedRequest[] = [];
  /** Exceptions thrown inside the fake's own handlers (answered as 500); should stay empty. */
  readonly errors: unknown[] = [];
  /** The user the token belongs to (`GET /user`, `closed_by` of issues closed through the API). */
  readonly currentUser: FakeUser;
  /** Emails, members, visibility and the OAuth2 provider: who people are and what they may do. */
  readonly people: FakeGitlabPeople;
  /** Creating issues, linking them to epics, the token's scopes: see gitlabWrites.ts (`fake.writes`). */
  readonly writes: FakeGitlabWrites = new FakeGitlabWrites(this);
  /** `POST /api/graphql`: work items over the same epics and issues (gitlabGraphql.ts). */
  readonly graphql: FakeGitlabGraphql;
  /** Files on branches, commits and merge requests. */
  readonly repo: FakeGitlabRepo;
  /** Closing MRs, their pipelines and test reports; issues created and added to epics (gitlabTeamHealth.ts). */
  readonly teamHealth: FakeGitlabTeamHealth;

  private readonly now: () => Date;
  private readonly server: http.Server;
  private readonly faults: QueuedFault[] = [];
  private readonly endless: { match: RegExp | string; claimTotalPages: number | null }[] = [];
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  private readonly groups = new Map<number, GroupRec>();
  private readonly projects = new Map<number, ProjectRec>();
  private readonly epics = new Map<number, EpicRec>();
  private readonly issues = new Map<number, IssueRec>();
  private readonly iterations = new Map<number, IterationRec>();
  private readonly milestones = new Map<number, MilestoneRec>();
  private readonly users = new Map<string, FakeUser>();
  private readonly deployments = new Map<number, DeploymentJson[]>();
  private readonly dora = new Map<
    number,
    Partial<Record<DoraMetric, { date: string; value: number | null }[]>> | null
  >();
  private deploymentSeq = 700000;

  private seq = {
    user: 1,
    group: 100,
    project: 1000,
    iteration: 3000,
    milestone: 4000,
    epic: 9000,
    issue: 50000,
    epicIssue: 800000,
    position: 0,
  };

  private constructor(server: http.Server, url: string, options: FakeGitlabOptions) {
    this.server = server;
    this.url = url;
    this.token = options.token ?? 'glpat-test-token';
    this.now = options.now ?? (() => new Date());
    this.user('root', 'Administrator');
    this.currentUser = this.user('wgbot', 'wgbot');
    this.people = new FakeGitlabPeople({
      users: () => [...this.users.values()],
      userByName: (username) => this.users.get(username),
      lineage: (ns) => this.lineage(ns),
    });
    this.repo = new FakeGitlabRepo({
      now: () => this.now(),
      project: (segment) => this.apiProject(segment).json,
      paginate: (items, q, rawPath) => this.paginate(items, q, rawPath, (item) => item),
    });
    this.graphql = new FakeGitlabGraphql(this.treeView());
    this.teamHealth = new FakeGitlabTeamHealth({
      project: (segment) => {
        const p = this.#tryRoute(() => this.apiProject(segment));
        return p ? { id: p.json.id, path: p.json.path_with_namespace } : null;
      },
      webUrl: url,
    });
  }

  #tryRoute<T>(find: () => T): T | null {
    try {
      return find();
    } catch {
      return null;
    }
  }

  /** What the GraphQL fake reads: the same records, rendered as REST renders them. */
  private treeView(): FakeTreeView {
    return {
      url: () => this.url,
      now: () => this.now(),
      namespaces: () => [
        ...[...this.groups.values()].map((g) => ({ path: g.json.full_path, kind: 'group' as const })),
        ...[...this.projects.values()].map((p) => ({
          path: p.json.path_with_namespace,
          kind: 'project' as const,
        })),
      ],
      epics: () =>
        [...this.epics.values()]
          .sort((a, b) => a.json.id - b.json.id)
          .map((e) => ({
            json: this.renderEpic(e),
            groupPath: e.group.json.full_path,
            parentId: e.parent?.json.id ?? null,
          })),
      issues: () =>
        [...this.issues.values()]
          .sort(
            (a, b) =>
              (a.relativePosition ?? 0) - (b.relativePosition ?? 0) ||
              (a.epicIssueId ?? 0) - (b.epicIssueId ?? 0) ||
              a.json.id - b.json.id,
          )
          .map((r) => ({
            // Read only, so not copied: 2,000 issues are rendered on every GraphQL request.
            json: (this.syncIssue(r), r.json) as unknown as FakeIssueView['json'],
            projectPath: r.project.json.path_with_namespace,
            epicId: r.epic?.json.id ?? null,
          })),
    };
  }

  /** A namespace and its ancestor groups, nearest first; null when there is none by that path. */
  private lineage(ns: NamespaceKey): NamespaceKey[] | null {
    const project = ns.kind === 'project' ? this.projectByPath(ns.path) : undefined;
    let group = ns.kind === 'group' ? this.groupByPath(ns.path) : project?.group;
    if (!group) return null;
    const chain: NamespaceKey[] = project
      ? [{ kind: 'project', path: project.json.path_with_namespace }]
      : [];
    for (; group; group = group.parent ?? undefined)
      chain.push({ kind: 'group', path: group.json.full_path });
    return chain;
  }

  static async start(options: FakeGitlabOptions = {}): Promise<FakeGitlab> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGitlab(server, `http://127.0.0.1:${port}`, options);
    server.on('request', (req, res) => {
      void fake.handle(req, res);
    });
    return fake;
  }

  async close(): Promise<void> {
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Seeding
  // -------------------------------------------------------------------------------------------------------

  /** A user object (created on first use, same id afterwards) for `assignees`, `author` and the like. */
  user(username: string, name?: string): FakeUser {
    const existing = this.users.get(username);
    if (existing) return existing;
    const u: FakeUser = {
      id: this.seq.user++,
      username,
      name: name ?? username.charAt(0).toUpperCase() + username.slice(1),
      state: 'active',
      avatar_url: `https://www.gravatar.com/avatar/${username}?s=80&d=identicon`,
      web_url: `${this.url}/${username}`,
    };
    this.users.set(username, u);
    return u;
  }

  /**
   * A group; `path` like 'g' or 'g/sub'. Missing ancestors are created too. The tier defaults to the
   * parent's tier, or 'premium' for a top-level group.
   */
  addGroup(path: string, opts: { tier?: 'free' | 'premium' } = {}): FakeGroup {
    if (this.groupByPath(path)) throw new Error(`FakeGitlab: group ${path} already exists`);
    const slash = path.lastIndexOf('/');
    let parent: GroupRec | null = null;
    if (slash >= 0) {
      const parentPath = path.slice(0, slash);
      parent = this.groupByPath(parentPath) ?? null;
      if (!parent) {
        this.addGroup(parentPath, opts);
        parent = this.groupByPath(parentPath)!;
      }
    }
    const segment = path.slice(slash + 1);
    const json: FakeGroup = {
      id: this.seq.group++,
      name: segment,
      path: segment,
      full_path: path,
      parent_id: parent?.json.id ?? null,
      web_url: `${this.url}/groups/${path}`,
      tier: opts.tier ?? parent?.json.tier ?? 'premium',
    };
    this.groups.set(json.id, { json, parent, epicSeq: 0, iterationSeq: 0, milestoneSeq: 0 });
    return json;
  }

  /** A project 'g/sub/proj'; its namespace (everything before the last '/') must be an existing group. */
  addProject(path: string): FakeProject {
    const slash = path.lastIndexOf('/');
    if (slash < 0) throw new Error(`FakeGitlab: project path ${path} has no namespace`);
    const group = this.groupByPath(path.slice(0, slash));
    if (!group) throw new Error(`FakeGitlab: no group ${path.slice(0, slash)} for project ${path}`);
    if (this.projectByPath(path)) throw new Error(`FakeGitlab: project ${path} already exists`);
    const segment = path.slice(slash + 1);
    const json: FakeProject = {
      id: this.seq.project++,
      name: segment,
      path: segment,
      path_with_namespace: path,
      namespace: {
        id: group.json.id,
        name: group.json.name,
        path: group.json.path,
        kind: 'group',
        full_path: group.json.full_path,
        parent_id: group.json.parent_id,
        web_url: group.json.web_url,
      },
      web_url: `${this.url}/${path}`,
      default_branch: 'main',
    };
    this.projects.set(json.id, { json, group, issueSeq: 0, milestoneSeq: 0 });
    return json;
  }

  /** An epic in `groupPath` (iid per group, id global). `start_date`/`due_date` given are fixed dates. */
  addEpic(groupPath: string, fields: Partial<EpicJson> = {}): EpicJson {
    const group = this.mustGroup(groupPath);
    const iid = fields.iid ?? ++group.epicSeq;
    group.epicSeq = Math.max(group.epicSeq, iid);
    const stamp = this.stamp();
    let parent: EpicRec | null = null;
    if (fields.parent_id != null) {
      parent = this.epics.get(fields.parent_id) ?? null;
      if (!parent) throw new Error(`FakeGitlab: no epic with id ${fields.parent_id}`);
    }
    const json: EpicJson = {
      id: this.seq.epic++,
      iid,
      group_id: group.json.id,
      parent_id: null,
      parent_iid: null,
      title: `Epic ${iid}`,
      description: '',
      state: 'opened',
      confidential: false,
      web_url: '',
      reference: '',
      references: { short: '', relative: '', full: '' },
      author: this.user('root'),
      start_date: null,
      start_date_is_fixed: false,
      start_date_fixed: null,
      start_date_from_inherited_source: null,
      end_date: null,
      due_date: null,
      due_date_is_fixed: false,
      due_date_fixed: null,
      due_date_from_inherited_source: null,
      created_at: stamp,
      updated_at: stamp,
      closed_at: null,
      labels: [],
      upvotes: 0,
      downvotes: 0,
      color: '#1068bf',
      work_item_id: this.seq.issue++,
      _links: { self: '', epic_issues: '', group: '', parent: null },
    };
    const { id: _id, group_id: _g, parent_iid: _pi, ...rest } = fields;
    Object.assign(json, rest);
    this.fixEpicDates(json, fields);
    if (json.state === 'closed' && !json.closed_at) json.closed_at = json.updated_at;
    const rec: EpicRec = { json, group, parent };
    this.epics.set(json.id, rec);
    this.syncEpic(rec);
    return json;
  }

  /** A child epic of `parentGroupPath`&`parentIid`, in the parent's group unless `groupPath` is given. */
  addChildEpic(
    parentGroupPath: string,
    parentIid: number,
    fields: Partial<EpicJson> & { groupPath?: string } = {},
  ): EpicJson {
    const parent = this.mustEpic(parentGroupPath, parentIid);
    const { groupPath, ...rest } = fields;
    return this.addEpic(groupPath ?? parent.group.json.full_path, { ...rest, parent_id: parent.json.id });
  }

  /** An issue in `projectPath` (iid per project, id global); `epic: {groupPath, iid}` puts it in an epic. */
  addIssue(projectPath: string, fields: IssueSeed = {}): IssueJson {
    const project = this.mustProject(projectPath);
    const iid = fields.iid ?? ++project.issueSeq;
    project.issueSeq = Math.max(project.issueSeq, iid);
    const stamp = this.stamp();
    const author = this.user('root');
    const json: IssueJson = {
      id: this.seq.issue++,
      iid,
      project_id: project.json.id,
      title: `Issue ${iid}`,
      description: '',
      state: 'opened',
      created_at: stamp,
      updated_at: stamp,
      closed_at: null,
      closed_by: null,
      labels: [],
      milestone: null,
      assignees: [],
      assignee: null,
      author,
      type: 'ISSUE',
      issue_type: 'issue',
      user_notes_count: 0,
      merge_requests_count: 0,
      upvotes: 0,
      downvotes: 0,
      due_date: null,
      confidential: false,
      discussion_locked: null,
      web_url: '',
      time_stats: {
        time_estimate: 0,
        total_time_spent: 0,
        human_time_estimate: null,
        human_total_time_spent: null,
      },
      task_completion_status: { count: 0, completed_count: 0 },
      has_tasks: false,
      weight: null,
      references: { short: '', relative: '', full: '' },
      iteration: null,
      epic_iid: null,
      epic: null,
      health_status: null,
      _links: { self: '', notes: '', award_emoji: '', project: '', closed_as_duplicate_of: null },
    };
    const { epic, id: _id, project_id: _p, epic_iid: _e, ...rest } = fields;
    Object.assign(json, rest);
    if (json.state === 'closed' && !json.closed_at) json.closed_at = json.updated_at;
    if (json.state === 'closed' && !json.closed_by) json.closed_by = author;
    const rec: IssueRec = { json, project, epic: null, epicIssueId: null, relativePosition: null };
    this.issues.set(json.id, rec);
    if (epic) this.link(rec, this.resolveEpic(epic));
    this.syncIssue(rec);
    return json;
  }

  /**
   * An iteration of `groupPath`. Dates default to a two-week iteration starting today; unless `state` is
   * given it follows the dates and the clock (1 upcoming, 2 current, 3 closed). Title defaults to null, as
   * with GitLab's automatic cadences.
   */
  addIteration(groupPath: string, fields: Partial<IterationJson> = {}): IterationJson {
    const group = this.mustGroup(groupPath);
    const iid = fields.iid ?? ++group.iterationSeq;
    group.iterationSeq = Math.max(group.iterationSeq, iid);
    const stamp = this.stamp();
    const start = fields.start_date ?? dateOnly(this.now());
    const json: IterationJson = {
      id: this.seq.iteration++,
      iid,
      sequence: iid,
      group_id: group.json.id,
      title: null,
      description: null,
      state: 2,
      created_at: stamp,
      updated_at: stamp,
      start_date: start,
      due_date: fields.due_date ?? addDays(start, 13),
      web_url: '',
    };
    const { id: _id, group_id: _g, ...rest } = fields;
    Object.assign(json, rest);
    json.web_url = `${this.url}/groups/${group.json.full_path}/-/iterations/${json.id}`;
    const rec: IterationRec = { json, group, autoState: fields.state === undefined };
    this.iterations.set(json.id, rec);
    this.syncIteration(rec);
    return json;
  }

  /** A group or project milestone (iid per group/project). `expired` follows due_date and the clock. */
  addMilestone(
    scope: { groupPath: string } | { projectPath: string },
    fields: Partial<MilestoneJson> = {},
  ): MilestoneJson {
    const group = 'groupPath' in scope ? this.mustGroup(scope.groupPath) : null;
    const project = 'projectPath' in scope ? this.mustProject(scope.projectPath) : null;
    const owner = (group ?? project)!;
    const iid = fields.iid ?? ++owner.milestoneSeq;
    owner.milestoneSeq = Math.max(owner.milestoneSeq, iid);
    const stamp = this.stamp();
    const json: MilestoneJson = {
      id: this.seq.milestone++,
      iid,
      ...(project ? { project_id: project.json.id } : { group_id: group!.json.id }),
      title: `Milestone ${iid}`,
      description: '',
      state: 'active',
      created_at: stamp,
      updated_at: stamp,
      due_date: null,
      start_date: null,
      expired: false,
      web_url: project
        ? `${project.json.web_url}/-/milestones/${iid}`
        : `${this.url}/groups/${group!.json.full_path}/-/milestones/${iid}`,
    };
    const { id: _id, group_id: _g, project_id: _p, web_url: _w, ...rest } = fields;
    Object.assign(json, rest);
    const rec: MilestoneRec = { json, group, project };
    this.milestones.set(json.id, rec);
    this.syncMilestone(rec);
    return json;
  }

  /** The stored issue (throws if unknown or deleted). */
  getIssue(projectPath: string, iid: number): IssueJson {
    const rec = this.mustIssue(projectPath, iid);
    this.syncIssue(rec);
    return rec.json;
  }

  // Lookups for the write routes in gitlabWrites.ts; an unknown `:id` answers 404 as GitLab does.
  projectPathFor(segment: string): string {
    return this.apiProject(segment).json.path_with_namespace;
  }

  groupPathFor(segment: string): string {
    return this.apiGroup(segment).json.full_path;
  }

  issueById(id: number): { json: IssueJson; projectPath: string } | null {
    const rec = this.issues.get(id);
    return rec ? { json: rec.json, projectPath: rec.project.json.path_with_namespace } : null;
  }

  milestoneById(id: number): MilestoneJson | null {
    return this.milestones.get(id)?.json ?? null;
  }

  userById(id: number): FakeUser | null {
    return [...this.users.values()].find((u) => u.id === id) ?? null;
  }

  /** The stored epic (throws if unknown). */
  getEpic(groupPath: string, iid: number): EpicJson {
    const rec = this.mustEpic(groupPath, iid);
    this.syncEpic(rec);
    return rec.json;
  }

  /**
   * Changes an issue as someone in GitLab would and bumps updated_at to now() (or to `changes.updated_at`).
   * `state: 'closed'` sets closed_at/closed_by, `state: 'opened'` clears them; `epic` (an object with the
   * epic's global `id`, or null) moves the issue between epics.
   */
  updateIssue(projectPath: string, iid: number, changes: IssueSeed): IssueJson {
    const rec = this.mustIssue(projectPath, iid);
    const { epic, id: _id, iid: _iid, project_id: _p, epic_iid: _e, ...rest } = changes;
    const wasState = rec.json.state;
    Object.assign(rec.json, rest);
    if (epic !== undefined) this.link(rec, epic === null ? null : this.resolveEpic(epic));
    rec.json.updated_at = changes.updated_at ?? this.stamp();
    if (rec.json.state === 'closed' && wasState !== 'closed') {
      if (changes.closed_at === undefined) rec.json.closed_at = rec.json.updated_at;
      if (changes.closed_by === undefined) rec.json.closed_by = this.user('root');
    } else if (rec.json.state === 'opened') {
      rec.json.closed_at = null;
      rec.json.closed_by = null;
    }
    this.syncIssue(rec);
    return rec.json;
  }

  /** Moves an issue into an epic (or out of any, with null) and bumps its updated_at. */
  setIssueEpic(projectPath: string, iid: number, epic: EpicLocator | null): IssueJson {
    const rec = this.mustIssue(projectPath, iid);
    this.link(rec, epic === null ? null : this.mustEpic(epic.groupPath, epic.iid));
    rec.json.updated_at = this.stamp();
    this.syncIssue(rec);
    return rec.json;
  }

  /** Deletes an issue: it disappears from every list and its own URL answers 404. */
  deleteIssue(projectPath: string, iid: number): void {
    const rec = this.mustIssue(projectPath, iid);
    this.issues.delete(rec.json.id);
    this.epicIssuesCache = null;
  }

  /** Changes an epic and bumps updated_at to now() (or to `changes.updated_at`). */
  updateEpic(groupPath: string, iid: number, changes: Partial<EpicJson>): EpicJson {
    const rec = this.mustEpic(groupPath, iid);
    const { id: _id, iid: _iid, group_id: _g, parent_iid: _pi, ...rest } = changes;
    const wasState = rec.json.state;
    Object.assign(rec.json, rest);
    if (changes.parent_id !== undefined) {
      rec.parent = changes.parent_id === null ? null : (this.epics.get(changes.parent_id) ?? null);
    }
    this.fixEpicDates(rec.json, changes);
    rec.json.updated_at = changes.updated_at ?? this.stamp();
    if (rec.json.state === 'closed' && wasState !== 'closed' && changes.closed_at === undefined)
      rec.json.closed_at = rec.json.updated_at;
    if (rec.json.state === 'opened') rec.json.closed_at = null;
    this.syncEpic(rec);
    return rec.json;
  }

  // -------------------------------------------------------------------------------------------------------
  // Faults and log
  // -------------------------------------------------------------------------------------------------------

  /**
   * The next `times` requests whose path (without '/api/v4' and query) matches get `fault`. A string must
   * equal the path (raw, e.g. '/groups/g%2Fsub/epics/1', or decoded, '/groups/g/sub/epics/1'); a RegExp is
   * tested against both. Faults are consumed in order of registration, before authentication.
   */
  failNext(match: RegExp | string, fault: Fault, times = 1, options: { skip?: number } = {}): void {
    if (times > 0) this.faults.push({ match, fault, remaining: times, skip: options.skip ?? 0 });
  }

  /**
   * A deployment of a project (GitLab's Deployments API). `leadTimeHours` puts its commit that long before
   * the deployment.
   */
  addDeployment(
    projectPath: string,
    fields: { at: string; status?: DeploymentJson['status']; environment?: string; leadTimeHours?: number },
  ): DeploymentJson {
    const project = this.apiProject(encodeURIComponent(projectPath));
    const list = this.deployments.get(project.json.id) ?? [];
    const at = new Date(fields.at);
    const commitAt = new Date(at.getTime() - (fields.leadTimeHours ?? 24) * 3_600_000).toISOString();
    const deployment: DeploymentJson = {
      id: ++this.deploymentSeq,
      iid: list.length + 1,
      ref: 'main',
      status: fields.status ?? 'success',
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
      finished_at: at.toISOString(),
      environment: { id: 1, name: fields.environment ?? 'production' },
      deployable: { commit: { id: `sha${this.deploymentSeq}`, created_at: commitAt } },
    };
    list.push(deployment);
    this.deployments.set(project.json.id, list);
    return deployment;
  }

  /** DORA metrics a project answers with (GitLab Ultimate); unset, the endpoint answers 403 as on Premium. */
  setDoraMetrics(
    projectPath: string,
    metrics: Partial<Record<DoraMetric, { date: string; value: number | null }[]>> | null,
  ): void {
    this.dora.set(this.apiProject(encodeURIComponent(projectPath)).json.id, metrics);
  }

  /**
   * Listings whose path (as for `failNext`) matches never end, like a broken GitLab or proxy: every page
   * answers with the first page's rows, offers the next page (`x-next-page` and `Link: rel="next"`) and
   * gives no totals — or claims `claimTotalPages` pages (x-total-pages) all the same. Until `clearFaults()`.
   */
  endlessPages(match: RegExp | string, options: { claimTotalPages?: number } = {}): void {
    this.endless.push({ match, claimTotalPages: options.claimTotalPages ?? null });
  }

  /** Drops faults not yet consumed, and endless listings. */
  clearFaults(): void {
    this.faults.length = 0;
    this.endless.length = 0;
  }

  /** How many faulted answers are still queued. */
  get pendingFaults(): number {
    return this.faults.reduce((n, f) => n + f.remaining, 0);
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  /** Logged requests whose path (without '/api/v4') matches, e.g. `fake.requestsTo(/\/epics\/1\/issues$/)`. */
  requestsTo(match: RegExp | string): LoggedRequest[] {
    return this.requests.filter((r) => {
      const p = r.path.startsWith('/api/v4/') ? r.path.slice('/api/v4'.length) : r.path;
      return matches(match, [p, safeDecode(p)]);
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // HTTP
  // -------------------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const search = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: LoggedRequest = {
      method,
      path: rawPath,
      query: queryRecord(search),
      status: 0,
      headers: redactHeaders(req.headers),
      body: undefined,
      at: Date.now(),
    };
    this.requests.push(entry);

    const send = (answer: Answer | { raw: string; status: number; headers: Record<string, string> }) => {
      entry.status = answer.status;
      if (res.writableEnded || res.destroyed) return;
      // Date comes from the fake's clock, as GitLab's comes from its own: wgbot's sync cursor reads it.
      const common = {
        date: this.now().toUTCString(),
        'x-request-id': randomUUID(),
        'cache-control': 'max-age=0, private, must-revalidate',
      };
      if ('raw' in answer) {
        res.writeHead(answer.status, { ...common, ...answer.headers });
        res.end(answer.raw);
        return;
      }
      const text = JSON.stringify(answer.body);
      res.writeHead(answer.status, {
        ...common,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        ...answer.headers,
      });
      res.end(text);
    };

    try {
      const bodyText = await readBody(req);
      let bodyError = false;
      if (method === 'PUT' || method === 'POST') {
        const parsed = parseBody(bodyText, req.headers['content-type']);
        entry.body = parsed.body;
        bodyError = parsed.error;
      }

      const apiPath = rawPath.startsWith('/api/v4/') ? rawPath.slice('/api/v4'.length) : rawPath;
      const body = entry.body;
      // The log keeps no OAuth client secret, as it keeps no token.
      if (body && typeof body === 'object' && 'client_secret' in body)
        entry.body = { ...body, client_secret: '[redacted]' };
      const fault = this.takeFault(apiPath);
      if (fault) {
        if ('hang' in fault) {
          await this.sleep(fault.hang);
        } else if ('until' in fault) {
          await fault.until;
        } else {
          send(faultAnswer(fault));
          return;
        }
      }

      const oauth = this.oauthRoute(method, rawPath, search, body, req);
      if (oauth) {
        send(oauth.status === 302 ? { raw: '', status: 302, headers: oauth.headers ?? {} } : oauth);
        return;
      }
      if (!this.authorized(req)) {
        send({ status: 401, body: { message: '401 Unauthorized' } });
        return;
      }
      if (bodyError) {
        send({ status: 400, body: { error: 'The request body is not valid JSON' } });
        return;
      }
      if (rawPath === '/api/graphql' && (method === 'POST' || method === 'GET')) {
        const query = { query: search.get('query'), variables: JSON.parse(search.get('variables') ?? '{}') };
        send(await this.graphql.answer(method === 'GET' ? query : entry.body));
        return;
      }
      if (!rawPath.startsWith('/api/v4/')) {
        send({ status: 404, body: { error: '404 Not Found' } });
        return;
      }
      const segments = apiPath.slice(1).split('/');
      send(
        this.writes.route(method, segments, entry.body) ??
          this.route(method, segments, search, entry.body, rawPath),
      );
    } catch (error) {
      if (error instanceof ApiError) {
        send({ status: error.status, body: error.payload });
      } else {
        this.errors.push(error);
        send({ status: 500, body: { message: '500 Internal Server Error' } });
      }
    }
  }

  private takeFault(apiPath: string): Fault | null {
    const paths = [apiPath, safeDecode(apiPath)];
    const index = this.faults.findIndex((f) => matches(f.match, paths));
    if (index < 0) return null;
    const queued = this.faults[index]!;
    if (queued.skip > 0) {
      queued.skip -= 1;
      return null;
    }
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.faults.splice(index, 1);
    return queued.fault;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  /**
   * GitLab's OAuth2 endpoints, and any request carrying a user's OAuth token (scope read_user: `GET /user`
   * only); null for everything else.
   */
  private oauthRoute(
    method: string,
    rawPath: string,
    q: URLSearchParams,
    body: unknown,
    req: http.IncomingMessage,
  ): Answer | null {
    if (rawPath === '/oauth/authorize' && method === 'GET') return this.people.authorize(q);
    if (rawPath === '/oauth/token' && method === 'POST') return this.people.token(asObject(body));
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !this.people.bearer(bearer)) return null;
    if (rawPath === '/api/v4/user' && method === 'GET') return this.people.currentUser(bearer);
    return { status: 403, body: { error: 'insufficient_scope', scope: 'api read_api' } };
  }

  private authorized(req: http.IncomingMessage): boolean {
    const header = req.headers['private-token'];
    if (typeof header === 'string') return header === this.token;
    const auth = req.headers.authorization;
    return typeof auth === 'string' && auth === `Bearer ${this.token}`;
  }

  private route(method: string, path: string[], q: URLSearchParams, body: unknown, rawPath: string): Answer {
    // GitLab routes group epics both as `groups/:id/epics/…` and `groups/:id/-/epics/…`.
    const seg = path[0] === 'groups' && path[2] === '-' && path[3] === 'epics' ? path.toSpliced(2, 1) : path;
    const health = this.teamHealth.route(method, seg);
    if (health) return health;
    const [root, id, sub, subId, leaf, ...extra] = seg;
    const get = method === 'GET';
    const put = method === 'PUT';
    // Rows are rendered after slicing: a page of a 100,000-issue listing renders 100 issues, not all.
    const paged = <T>(items: T[], render: (item: T) => unknown = (item) => item) =>
      this.paginate(items, q, rawPath, render as (item: unknown) => unknown);

    if (root === 'user' && seg.length === 1 && get) return { status: 200, body: this.currentUser };
    if (root === 'users' && seg.length === 1 && get) return this.people.listUsers(q);
    if (
      (root === 'groups' || root === 'projects') &&
      id &&
      sub === 'members' &&
      subId === 'all' &&
      leaf &&
      get
    ) {
      const kind = root === 'groups' ? 'group' : 'project';
      if (extra.length === 0)
        return this.people.memberAll({ kind, path: this.namespacePath(kind, id) }, leaf);
    }

    if (root === 'groups' && id !== undefined && extra.length === 0) {
      if (seg.length === 2 && get) return { status: 200, body: this.renderGroup(this.apiGroup(id)) };
      if (sub === 'epics' && subId !== undefined) {
        if (seg.length === 4 && (get || put)) {
          const group = this.apiGroup(id);
          const epic = this.apiEpic(group, subId);
          if (put) this.putEpic(epic, body);
          return { status: 200, body: this.renderEpic(epic) };
        }
        if (seg.length === 5 && get && leaf === 'issues') {
          const epic = this.apiEpic(this.apiGroup(id), subId);
          return paged(this.epicIssues(epic), (r) => this.renderEpicIssue(r));
        }
        if (seg.length === 5 && get && leaf === 'epics') {
          const epic = this.apiEpic(this.apiGroup(id), subId);
          const children = [...this.epics.values()]
            .filter((e) => e.parent === epic)
            .sort((a, b) => a.json.id - b.json.id);
          return paged(children.map((e) => this.renderEpic(e)));
        }
      }
      if (seg.length === 3 && get) {
        const group = this.apiGroup(id);
        if (sub === 'issues') {
          const all = [...this.issues.values()].filter((r) => this.within(r.project.group, group));
          return paged(this.listIssues(all, q), (r) => this.renderIssue(r));
        }
        if (sub === 'iterations') return paged(this.listIterations(group, q));
        if (sub === 'issues_statistics') {
          const all = [...this.issues.values()].filter((r) => this.within(r.project.group, group));
          return { status: 200, body: issueStatistics(this.listIssues(all, q).map((r) => r.json)) };
        }
        if (sub === 'epics') {
          if (group.json.tier === 'free') throw forbidden();
          const under = q.get('include_descendant_groups') === 'false' ? [group] : null;
          const epics = [...this.epics.values()].filter((e) =>
            under ? under.includes(e.group) : this.within(e.group, group),
          );
          return paged(
            listedEpics(
              epics.map((e) => this.renderEpic(e)),
              q,
            ),
          );
        }
        if (sub === 'milestones') {
          const own = [...this.milestones.values()].filter((m) => m.group === group);
          const ancestors = q.get('include_ancestors') === 'true' ? this.groupMilestones(group.parent) : [];
          return paged(this.listMilestones([...own, ...ancestors], q));
        }
      }
    }

    if (root === 'projects' && id !== undefined && extra.length === 0) {
      if (seg.length === 2 && get) {
        const project = this.apiProject(id).json;
        const visibility = this.people.visibilityOf({ kind: 'project', path: project.path_with_namespace });
        return { status: 200, body: { ...project, visibility } };
      }
      if (sub === 'dora' && subId === 'metrics' && seg.length === 4 && get) {
        const metrics = this.dora.get(this.apiProject(id).json.id);
        if (!metrics) return { status: 403, body: { message: '403 Forbidden' } };
        const metric = q.get('metric') as DoraMetric | null;
        if (!metric) return { status: 400, body: { error: 'metric is missing' } };
        return { status: 200, body: metrics[metric] ?? [] };
      }
      if (sub === 'deployments' && seg.length === 3 && get) {
        const environment = q.get('environment');
        const status = q.get('status');
        const after = q.get('updated_after');
        const list = (this.deployments.get(this.apiProject(id).json.id) ?? []).filter(
          (d) =>
            (!environment || d.environment.name === environment) &&
            (!status || d.status === status) &&
            (!after || d.updated_at >= after),
        );
        return paged(list);
      }
      if (sub === 'issues' && subId !== undefined && seg.length === 4 && (get || put)) {
        const project = this.apiProject(id);
        const issue = this.apiIssue(project, subId);
        if (put) this.putIssue(issue, body);
        return { status: 200, body: this.renderIssue(issue) };
      }
      if (seg.length === 3 && get) {
        const project = this.apiProject(id);
        if (sub === 'issues') {
          const all = [...this.issues.values()].filter((r) => r.project === project);
          return paged(this.listIssues(all, q), (r) => this.renderIssue(r));
        }
        if (sub === 'iterations') return paged(this.listIterations(project.group, q));
        if (sub === 'issues_statistics') {
          const all = [...this.issues.values()].filter((r) => r.project === project);
          return { status: 200, body: issueStatistics(this.listIssues(all, q).map((r) => r.json)) };
        }
        if (sub === 'milestones') {
          const own = [...this.milestones.values()].filter((m) => m.project === project);
          const ancestors = q.get('include_ancestors') === 'true' ? this.groupMilestones(project.group) : [];
          return paged(this.listMilestones([...own, ...ancestors], q));
        }
      }
    }

    return this.repo.route(method, seg, q, body) ?? { status: 404, body: { error: '404 Not Found' } };
  }

  private paginate(
    items: unknown[],
    q: URLSearchParams,
    rawPath: string,
    render: (item: unknown) => unknown,
  ): Answer {
    const page = intParam(q, 'page', 1);
    let perPage = intParam(q, 'per_page', DEFAULT_PER_PAGE);
    if (perPage < 1) perPage = DEFAULT_PER_PAGE;
    perPage = Math.min(perPage, MAX_PER_PAGE);
    const apiPath = rawPath.slice('/api/v4'.length);
    const endless = this.endless.find((e) => matches(e.match, [apiPath, safeDecode(apiPath)]));
    if (endless) {
      const answer = this.endlessPage(
        items.slice(0, perPage).map(render),
        q,
        rawPath,
        Math.max(page, 1),
        perPage,
      );
      if (endless.claimTotalPages !== null)
        answer.headers!['x-total-pages'] = String(endless.claimTotalPages);
      return answer;
    }
    const current = Math.max(page, 1);
    const total = items.length;
    const totalPages = Math.max(1, Math.ceil(total / perPage));
    const slice = items.slice((current - 1) * perPage, current * perPage).map(render);
    const next = current < totalPages ? current + 1 : null;
    const prev = current > 1 ? current - 1 : null;
    const counted = total <= COUNT_LIMIT;

    const href = (p: number) => {
      const params = new URLSearchParams(q);
      params.set('page', String(p));
      params.set('per_page', String(perPage));
      return `${this.url}${rawPath}?${params.toString()}`;
    };
    const links: string[] = [];
    if (prev !== null) links.push(`<${href(prev)}>; rel="prev"`);
    if (next !== null) links.push(`<${href(next)}>; rel="next"`);
    links.push(`<${href(1)}>; rel="first"`);
    if (counted) links.push(`<${href(totalPages)}>; rel="last"`);

    const headers: Record<string, string> = {
      'x-page': String(current),
      'x-per-page': String(perPage),
      'x-next-page': next === null ? '' : String(next),
      'x-prev-page': prev === null ? '' : String(prev),
      link: links.join(', '),
    };
    if (counted) {
      headers['x-total'] = String(total);
      headers['x-total-pages'] = String(totalPages);
    }
    return { status: 200, body: slice, headers };
  }

  private endlessPage(
    rows: unknown[],
    q: URLSearchParams,
    rawPath: string,
    page: number,
    perPage: number,
  ): Answer {
    const params = new URLSearchParams(q);
    params.set('page', String(page + 1));
    params.set('per_page', String(perPage));
    const headers: Record<string, string> = {
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': String(page + 1),
      'x-prev-page': page > 1 ? String(page - 1) : '',
      link: `<${this.url}${rawPath}?${params.toString()}>; rel="next"`,
    };
    return { status: 200, body: rows, headers };
  }

  // -------------------------------------------------------------------------------------------------------
  // Lookups
  // -------------------------------------------------------------------------------------------------------

  private groupByPath(path: string): GroupRec | undefined {
    const lower = path.toLowerCase();
    for (const g of this.groups.values()) if (g.json.full_path.toLowerCase() === lower) return g;
    return undefined;
  }

  private projectByPath(path: string): ProjectRec | undefined {
    const lower = path.toLowerCase();
    for (const p of this.projects.values()) if (p.json.path_with_namespace.toLowerCase() === lower) return p;
    return undefined;
  }

  private mustGroup(path: string): GroupRec {
    const g = this.groupByPath(path);
    if (!g) throw new Error(`FakeGitlab: no group ${path}`);
    return g;
  }

  private mustProject(path: string): ProjectRec {
    const p = this.projectByPath(path);
    if (!p) throw new Error(`FakeGitlab: no project ${path}`);
    return p;
  }

  private mustEpic(groupPath: string, iid: number): EpicRec {
    const group = this.mustGroup(groupPath);
    for (const e of this.epics.values()) if (e.group === group && e.json.iid === iid) return e;
    throw new Error(`FakeGitlab: no epic ${groupPath}&${iid}`);
  }

  private mustIssue(projectPath: string, iid: number): IssueRec {
    const project = this.mustProject(projectPath);
    for (const r of this.issues.values()) if (r.project === project && r.json.iid === iid) return r;
    throw new Error(`FakeGitlab: no issue ${projectPath}#${iid}`);
  }

  private resolveEpic(epic: EpicLocator | { id: number }): EpicRec {
    if ('groupPath' in epic) return this.mustEpic(epic.groupPath, epic.iid);
    const rec = this.epics.get(epic.id);
    if (!rec) throw new Error(`FakeGitlab: no epic with id ${epic.id}`);
    return rec;
  }

  /** The full path of a group or project named by id or encoded path (404 when there is none). */
  private namespacePath(kind: 'group' | 'project', segment: string): string {
    return kind === 'group'
      ? this.apiGroup(segment).json.full_path
      : this.apiProject(segment).json.path_with_namespace;
  }

  private apiGroup(segment: string): GroupRec {
    const key = safeDecode(segment);
    const g = /^\d+$/.test(key) ? this.groups.get(Number(key)) : this.groupByPath(key);
    if (!g) throw notFound('Group Not Found');
    return g;
  }

  private apiProject(segment: string): ProjectRec {
    const key = safeDecode(segment);
    const p = /^\d+$/.test(key) ? this.projects.get(Number(key)) : this.projectByPath(key);
    if (!p) throw notFound('Project Not Found');
    return p;
  }

  private apiEpic(group: GroupRec, iidSegment: string): EpicRec {
    if (group.json.tier === 'free') throw forbidden();
    if (!/^\d+$/.test(iidSegment)) throw notFound();
    const iid = Number(iidSegment);
    for (const e of this.epics.values()) if (e.group === group && e.json.iid === iid) return e;
    throw notFound();
  }

  private apiIssue(project: ProjectRec, iidSegment: string): IssueRec {
    if (!/^\d+$/.test(iidSegment)) throw notFound();
    const iid = Number(iidSegment);
    for (const r of this.issues.values()) if (r.project === project && r.json.iid === iid) return r;
    throw notFound();
  }

  /** Whether `group` is `root` or one of its descendants. */
  private within(group: GroupRec, root: GroupRec): boolean {
    for (let g: GroupRec | null = group; g; g = g.parent) if (g === root) return true;
    return false;
  }

  private groupMilestones(from: GroupRec | null): MilestoneRec[] {
    const out: MilestoneRec[] = [];
    for (let g = from; g; g = g.parent)
      for (const m of this.milestones.values()) if (m.group === g) out.push(m);
    return out;
  }

  // -------------------------------------------------------------------------------------------------------
  // Lists and filters
  // -------------------------------------------------------------------------------------------------------

  /** An epic's issues in order, kept between the pages of one listing until an issue joins or leaves. */
  private epicIssuesCache: { epic: EpicRec; issues: IssueRec[] } | null = null;

  private epicIssues(epic: EpicRec): IssueRec[] {
    if (this.epicIssuesCache?.epic !== epic || this.epicIssuesCache.issues.some((r) => r.epic !== epic))
      this.epicIssuesCache = { epic, issues: this.sortedEpicIssues(epic) };
    return this.epicIssuesCache.issues.filter((r) => this.issues.has(r.json.id));
  }

  private sortedEpicIssues(epic: EpicRec): IssueRec[] {
    return [...this.issues.values()]
      .filter((r) => r.epic === epic)
      .sort(
        (a, b) =>
          (a.relativePosition ?? 0) - (b.relativePosition ?? 0) ||
          (a.epicIssueId ?? 0) - (b.epicIssueId ?? 0),
      );
  }

  private listIssues(all: IssueRec[], q: URLSearchParams): IssueRec[] {
    for (const r of all) this.syncIssue(r);
    let list = all;

    const issueType = q.get('issue_type');
    if (issueType) list = list.filter((r) => r.json.issue_type === issueType);
    const state = q.get('state') ?? 'all';
    if (!['opened', 'closed', 'all'].includes(state)) throw badRequest('state does not have a valid value');
    if (state !== 'all') list = list.filter((r) => r.json.state === state);

    const labels = q.get('labels');
    if (labels) {
      if (labels === 'None') list = list.filter((r) => r.json.labels.length === 0);
      else if (labels === 'Any') list = list.filter((r) => r.json.labels.length > 0);
      else {
        const wanted = labelList(labels);
        list = list.filter((r) => wanted.every((l) => r.json.labels.includes(l)));
      }
    }

    const milestone = q.get('milestone');
    if (milestone) {
      if (milestone === 'None') list = list.filter((r) => r.json.milestone === null);
      else if (milestone === 'Any') list = list.filter((r) => r.json.milestone !== null);
      else list = list.filter((r) => r.json.milestone?.title === milestone);
    }

    const iteration = q.get('iteration_id');
    if (iteration) {
      if (iteration === 'None') list = list.filter((r) => r.json.iteration === null);
      else if (iteration === 'Any') list = list.filter((r) => r.json.iteration !== null);
      else if (/^\d+$/.test(iteration)) list = list.filter((r) => r.json.iteration?.id === Number(iteration));
      else throw badRequest('iteration_id is invalid');
    }

    const epicId = q.get('epic_id');
    if (epicId) {
      if (epicId === 'None') list = list.filter((r) => r.epic === null);
      else if (epicId === 'Any') list = list.filter((r) => r.epic !== null);
      else if (/^\d+$/.test(epicId)) list = list.filter((r) => r.epic?.json.id === Number(epicId));
      else throw badRequest('epic_id is invalid');
    }

    for (const [param, field, after] of [
      ['updated_after', 'updated_at', true],
      ['updated_before', 'updated_at', false],
      ['created_after', 'created_at', true],
      ['created_before', 'created_at', false],
    ] as const) {
      const value = q.get(param);
      if (!value) continue;
      const limit = Date.parse(value);
      if (Number.isNaN(limit)) throw badRequest(`${param} is invalid`);
      list = list.filter((r) => (after ? time(r.json[field]) >= limit : time(r.json[field]) <= limit));
    }

    const iids = [...q.getAll('iids[]'), ...q.getAll('iids')];
    if (iids.length > 0) {
      if (!iids.every((i) => /^\d+$/.test(i))) throw badRequest('iids is invalid');
      const set = new Set(iids.map(Number));
      list = list.filter((r) => set.has(r.json.iid));
    }

    const searchText = q.get('search');
    if (searchText) {
      const needle = searchText.toLowerCase();
      list = list.filter(
        (r) =>
          r.json.title.toLowerCase().includes(needle) ||
          (r.json.description ?? '').toLowerCase().includes(needle),
      );
    }

    const orderBy = q.get('order_by') ?? 'created_at';
    const sort = q.get('sort') ?? 'desc';
    if (sort !== 'asc' && sort !== 'desc') throw badRequest('sort does not have a valid value');
    const dir = sort === 'asc' ? 1 : -1;
    let compare: (a: IssueRec, b: IssueRec) => number;
    switch (orderBy) {
      case 'created_at':
      case 'updated_at':
        compare = (a, b) => dir * (time(a.json[orderBy]) - time(b.json[orderBy]));
        break;
      case 'title':
        compare = (a, b) => dir * a.json.title.localeCompare(b.json.title);
        break;
      case 'due_date':
        // Issues without a due date come last either way, as in GitLab.
        compare = (a, b) => {
          if (a.json.due_date === b.json.due_date) return 0;
          if (a.json.due_date === null) return 1;
          if (b.json.due_date === null) return -1;
          return dir * a.json.due_date.localeCompare(b.json.due_date);
        };
        break;
      case 'relative_position':
      case 'priority':
      case 'label_priority':
      case 'milestone_due':
      case 'popularity':
      case 'weight':
        compare = () => 0;
        break;
      default:
        throw badRequest('order_by does not have a valid value');
    }
    return [...list].sort((a, b) => compare(a, b) || dir * (a.json.id - b.json.id));
  }

  private listIterations(group: GroupRec, q: URLSearchParams): IterationJson[] {
    if (group.json.tier === 'free') throw forbidden();
    const groups = q.get('include_ancestors') === 'false' ? [group] : this.ancestry(group);
    let list = [...this.iterations.values()].filter((i) => groups.includes(i.group));
    for (const i of list) this.syncIteration(i);
    const state = q.get('state') ?? 'all';
    const wanted: Record<string, number[]> = {
      opened: [1, 2],
      upcoming: [1],
      current: [2],
      started: [2],
      closed: [3],
      all: [1, 2, 3],
    };
    const states = wanted[state];
    if (!states) throw badRequest('state does not have a valid value');
    list = list.filter((i) => states.includes(i.json.state));
    const searchText = q.get('search');
    if (searchText)
      list = list.filter((i) => (i.json.title ?? '').toLowerCase().includes(searchText.toLowerCase()));
    return list
      .sort((a, b) => a.json.start_date.localeCompare(b.json.start_date) || a.json.id - b.json.id)
      .map((i) => structuredClone(i.json));
  }

  private listMilestones(all: MilestoneRec[], q: URLSearchParams): MilestoneJson[] {
    for (const m of all) this.syncMilestone(m);
    let list = all;
    const iids = [...q.getAll('iids[]'), ...q.getAll('iids')];
    if (iids.length > 0) {
      if (!iids.every((i) => /^\d+$/.test(i))) throw badRequest('iids is invalid');
      const set = new Set(iids.map(Number));
      list = list.filter((m) => set.has(m.json.iid));
    }
    const title = q.get('title');
    if (title !== null) list = list.filter((m) => m.json.title === title);
    const state = q.get('state');
    if (state) {
      if (state !== 'active' && state !== 'closed') throw badRequest('state does not have a valid value');
      list = list.filter((m) => m.json.state === state);
    }
    const searchText = q.get('search');
    if (searchText) list = list.filter((m) => m.json.title.toLowerCase().includes(searchText.toLowerCase()));
    // GitLab orders milestones by due date (those without one last), then title.
    return [...list]
      .sort((a, b) => {
        const ad = a.json.due_date;
        const bd = b.json.due_date;
        if (ad !== bd) {
          if (ad === null) return 1;
          if (bd === null) return -1;
          return ad.localeCompare(bd);
        }
        return a.json.title.localeCompare(b.json.title) || a.json.id - b.json.id;
      })
      .map((m) => structuredClone(m.json));
  }

  private ancestry(group: GroupRec): GroupRec[] {
    const out: GroupRec[] = [];
    for (let g: GroupRec | null = group; g; g = g.parent) out.push(g);
    return out;
  }

  // -------------------------------------------------------------------------------------------------------
  // Writes through the API
  // -------------------------------------------------------------------------------------------------------

  private putEpic(rec: EpicRec, body: unknown): void {
    const b = asObject(body);
    const known = [
      'title',
      'description',
      'confidential',
      'labels',
      'add_labels',
      'remove_labels',
      'state_event',
      'start_date_is_fixed',
      'start_date_fixed',
      'due_date_is_fixed',
      'due_date_fixed',
      'parent_id',
      'color',
    ];
    if (!known.some((k) => k in b))
      throw badRequest(`${known.join(', ')} are missing, at least one parameter must be provided`);
    const before = JSON.stringify(rec.json);
    const e = rec.json;
    if ('title' in b) {
      if (typeof b.title !== 'string' || b.title === '') throw badRequest('title is empty');
      e.title = b.title;
    }
    if ('description' in b) e.description = b.description === null ? null : String(b.description);
    if ('confidential' in b) e.confidential = Boolean(b.confidential);
    if ('color' in b) e.color = String(b.color);
    if ('labels' in b) e.labels = labelList(b.labels);
    if ('add_labels' in b) e.labels = [...new Set([...e.labels, ...labelList(b.add_labels)])];
    if ('remove_labels' in b) {
      const drop = labelList(b.remove_labels);
      e.labels = e.labels.filter((l) => !drop.includes(l));
    }
    if ('start_date_is_fixed' in b) e.start_date_is_fixed = Boolean(b.start_date_is_fixed);
    if ('start_date_fixed' in b) e.start_date_fixed = (b.start_date_fixed as string | null) ?? null;
    if ('due_date_is_fixed' in b) e.due_date_is_fixed = Boolean(b.due_date_is_fixed);
    if ('due_date_fixed' in b) e.due_date_fixed = (b.due_date_fixed as string | null) ?? null;
    if ('parent_id' in b) {
      if (b.parent_id === null) rec.parent = null;
      else {
        const parent = this.epics.get(Number(b.parent_id));
        if (!parent) throw notFound();
        rec.parent = parent;
      }
    }
    if ('state_event' in b) {
      if (b.state_event === 'close' && e.state !== 'closed') {
        e.state = 'closed';
        e.closed_at = this.stamp();
      } else if (b.state_event === 'reopen' && e.state !== 'opened') {
        e.state = 'opened';
        e.closed_at = null;
      } else if (b.state_event !== 'close' && b.state_event !== 'reopen') {
        throw badRequest('state_event does not have a valid value');
      }
    }
    this.fixEpicDates(e, {});
    this.syncEpic(rec);
    // As in Rails, an update that changes nothing does not touch updated_at.
    if (JSON.stringify(rec.json) !== before) e.updated_at = this.stamp();
  }

  private putIssue(rec: IssueRec, body: unknown): void {
    const b = asObject(body);
    const known = [
      'title',
      'description',
      'state_event',
      'due_date',
      'labels',
      'add_labels',
      'remove_labels',
      'confidential',
      'discussion_locked',
      'weight',
      'milestone_id',
      'epic_id',
      'epic_iid',
      'assignee_ids',
      'assignee_id',
      'issue_type',
    ];
    if (!known.some((k) => k in b))
      throw badRequest(`${known.join(', ')} are missing, at least one parameter must be provided`);
    this.syncIssue(rec);
    const before = JSON.stringify(rec.json);
    const i = rec.json;
    if ('title' in b) {
      if (typeof b.title !== 'string' || b.title === '') throw badRequest('title is empty');
      i.title = b.title;
    }
    if ('description' in b) i.description = b.description === null ? null : String(b.description);
    if ('due_date' in b) {
      const due = b.due_date;
      if (due !== null && due !== '' && !(typeof due === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(due)))
        throw badRequest('due_date is invalid');
      i.due_date = due === '' ? null : (due as string | null);
    }
    if ('labels' in b) i.labels = labelList(b.labels);
    if ('add_labels' in b) i.labels = [...new Set([...i.labels, ...labelList(b.add_labels)])];
    if ('remove_labels' in b) {
      const drop = labelList(b.remove_labels);
      i.labels = i.labels.filter((l) => !drop.includes(l));
    }
    if ('confidential' in b) i.confidential = Boolean(b.confidential);
    if ('discussion_locked' in b) i.discussion_locked = Boolean(b.discussion_locked);
    if ('weight' in b) i.weight = b.weight === null ? null : Number(b.weight);
    if ('milestone_id' in b) {
      const id = b.milestone_id === null || b.milestone_id === 0 ? null : Number(b.milestone_id);
      i.milestone = id === null ? null : (this.milestones.get(id)?.json ?? null);
    }
    if ('assignee_ids' in b || 'assignee_id' in b) {
      const ids = labelList('assignee_ids' in b ? b.assignee_ids : [b.assignee_id]).map(Number);
      i.assignees = [...this.users.values()].filter((u) => ids.includes(u.id));
    }
    if ('epic_id' in b) {
      const id = b.epic_id === null || b.epic_id === 0 ? null : Number(b.epic_id);
      if (id === null) this.link(rec, null);
      else {
        const epic = this.epics.get(id);
        if (!epic) throw notFound();
        if (rec.epic !== epic) this.link(rec, epic);
      }
    }
    if ('state_event' in b) {
      if (b.state_event === 'close' && i.state !== 'closed') {
        i.state = 'closed';
        i.closed_at = this.stamp();
        i.closed_by = this.currentUser;
      } else if (b.state_event === 'reopen' && i.state !== 'opened') {
        i.state = 'opened';
        i.closed_at = null;
        i.closed_by = null;
      } else if (b.state_event !== 'close' && b.state_event !== 'reopen') {
        throw badRequest('state_event does not have a valid value');
      }
    }
    this.syncIssue(rec);
    // As in Rails, an update that changes nothing does not touch updated_at.
    if (JSON.stringify(rec.json) !== before) i.updated_at = this.stamp();
  }

  /** Puts an issue in an epic (a new epic_issue link at the end) or takes it out of any. */
  private link(rec: IssueRec, epic: EpicRec | null): void {
    this.epicIssuesCache = null;
    if (epic === null) {
      rec.epic = null;
      rec.epicIssueId = null;
      rec.relativePosition = null;
    } else if (rec.epic !== epic) {
      rec.epic = epic;
      rec.epicIssueId = this.seq.epicIssue++;
      this.seq.position += 513;
      rec.relativePosition = this.seq.position;
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Derived fields and rendering
  // -------------------------------------------------------------------------------------------------------

  private stamp(): string {
    return this.now().toISOString();
  }

  private today(): string {
    return dateOnly(this.now());
  }

  /** Dates given directly (`start_date`, `due_date`/`end_date`) become fixed dates, as in GitLab. */
  private fixEpicDates(e: EpicJson, given: Partial<EpicJson>): void {
    if (given.start_date !== undefined && given.start_date_fixed === undefined) {
      e.start_date_fixed = given.start_date;
      e.start_date_is_fixed = given.start_date !== null;
    } else if (given.start_date_fixed != null && given.start_date_is_fixed === undefined) {
      e.start_date_is_fixed = true;
    }
    const due = given.due_date !== undefined ? given.due_date : given.end_date;
    if (due !== undefined && given.due_date_fixed === undefined) {
      e.due_date_fixed = due;
      e.due_date_is_fixed = due !== null;
    } else if (given.due_date_fixed != null && given.due_date_is_fixed === undefined) {
      e.due_date_is_fixed = true;
    }
    e.start_date = e.start_date_is_fixed ? e.start_date_fixed : e.start_date_from_inherited_source;
    e.due_date = e.due_date_is_fixed ? e.due_date_fixed : e.due_date_from_inherited_source;
    e.end_date = e.due_date;
  }

  private epicApiUrl(rec: EpicRec): string {
    return `${this.url}/api/v4/groups/${rec.group.json.id}/epics/${rec.json.iid}`;
  }

  private syncEpic(rec: EpicRec): void {
    const e = rec.json;
    const groupPath = rec.group.json.full_path;
    e.group_id = rec.group.json.id;
    e.parent_id = rec.parent?.json.id ?? null;
    e.parent_iid = rec.parent?.json.iid ?? null;
    e.web_url = `${this.url}/groups/${groupPath}/-/epics/${e.iid}`;
    e.reference = `&${e.iid}`;
    e.references = { short: `&${e.iid}`, relative: `&${e.iid}`, full: `${groupPath}&${e.iid}` };
    e._links = {
      self: this.epicApiUrl(rec),
      epic_issues: `${this.epicApiUrl(rec)}/issues`,
      group: `${this.url}/api/v4/groups/${rec.group.json.id}`,
      parent: rec.parent ? this.epicApiUrl(rec.parent) : null,
    };
  }

  private syncIteration(rec: IterationRec): void {
    if (!rec.autoState) return;
    const today = this.today();
    const i = rec.json;
    i.state = i.start_date > today ? 1 : i.due_date < today ? 3 : 2;
  }

  private syncMilestone(rec: MilestoneRec): void {
    const m = rec.json;
    m.expired = m.due_date !== null && m.due_date < this.today();
  }

  private syncIssue(rec: IssueRec): void {
    const i = rec.json;
    const path = rec.project.json.path_with_namespace;
    const api = `${this.url}/api/v4/projects/${rec.project.json.id}/issues/${i.iid}`;
    i.project_id = rec.project.json.id;
    i.web_url = `${rec.project.json.web_url}/-/issues/${i.iid}`;
    i.references = { short: `#${i.iid}`, relative: `#${i.iid}`, full: `${path}#${i.iid}` };
    i._links = {
      self: api,
      notes: `${api}/notes`,
      award_emoji: `${api}/award_emoji`,
      project: `${this.url}/api/v4/projects/${rec.project.json.id}`,
      closed_as_duplicate_of: null,
    };
    i.assignee = i.assignees[0] ?? null;
    i.has_tasks = i.task_completion_status.count > 0;
    if (rec.epic && !this.epics.has(rec.epic.json.id)) this.link(rec, null);
    const epic = rec.epic;
    i.epic_iid = epic?.json.iid ?? null;
    i.epic = epic
      ? {
          id: epic.json.id,
          iid: epic.json.iid,
          title: epic.json.title,
          url: `/groups/${epic.group.json.full_path}/-/epics/${epic.json.iid}`,
          group_id: epic.group.json.id,
        }
      : null;
    if (i.milestone) {
      const stored = this.milestones.get(i.milestone.id);
      if (stored) {
        this.syncMilestone(stored);
        i.milestone = stored.json;
      }
    }
    if (i.iteration) {
      const stored = this.iterations.get(i.iteration.id);
      if (stored) {
        this.syncIteration(stored);
        i.iteration = stored.json;
      }
    }
  }

  private renderIssue(rec: IssueRec): Record<string, unknown> {
    this.syncIssue(rec);
    const out = structuredClone(rec.json) as unknown as Record<string, unknown>;
    if (rec.project.group.json.tier === 'free') {
      // Premium-only fields that GitLab leaves out of the issue JSON on the Free tier.
      for (const key of ['epic', 'epic_iid', 'iteration', 'weight', 'health_status']) delete out[key];
    }
    return out;
  }

  private renderEpicIssue(rec: IssueRec): Record<string, unknown> {
    return {
      ...this.renderIssue(rec),
      epic_issue_id: rec.epicIssueId,
      relative_position: rec.relativePosition,
    };
  }

  private renderEpic(rec: EpicRec): EpicJson {
    this.syncEpic(rec);
    return structuredClone(rec.json);
  }

  private renderGroup(rec: GroupRec): Record<string, unknown> {
    const { tier: _tier, ...rest } = rec.json;
    return {
      ...rest,
      name: rec.json.name,
      full_name: rec.json.full_path.split('/').join(' / '),
      visibility: this.people.visibilityOf({ kind: 'group', path: rec.json.full_path }),
    };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function intParam(q: URLSearchParams, name: string, fallback: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`${name} is invalid`);
  return Number(raw);
}

function queryRecord(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const prev = out[key];
    if (prev === undefined) out[key] = key === 'private_token' ? '[redacted]' : value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

function redactHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (key === 'private-token') out[key] = '[redacted]';
    else if (key === 'authorization') out[key] = text.replace(/^(\S+\s+).*$/, '$1[redacted]');
    else out[key] = text;
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string, contentType: string | undefined): { body: unknown; error: boolean } {
  if (text === '') return { body: undefined, error: false };
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return { body: queryRecord(new URLSearchParams(text)), error: false };
  }
  try {
    return { body: JSON.parse(text) as unknown, error: false };
  } catch {
    return { body: text, error: true };
  }
}

function asObject(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

function faultAnswer(fault: Exclude<Fault, { hang: number } | { until: Promise<unknown> }>): {
  raw: string;
  status: number;
  headers: Record<string, string>;
} {
  if ('garbage' in fault) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      raw: '[{"id":1,"iid":1,"title":"trunc',
    };
  }
  switch (fault.status) {
    case 429: {
      // What GitLab's Rack::Attack throttle answers; only the headers asked for are sent.
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (!fault.noHeaders) {
        headers['ratelimit-name'] = 'throttle_authenticated_api';
        headers['ratelimit-limit'] = '2000';
        headers['ratelimit-observed'] = '2001';
        headers['ratelimit-remaining'] = '0';
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        if (fault.rateLimitReset !== undefined) {
          headers['ratelimit-reset'] = String(fault.rateLimitReset);
          headers['ratelimit-resettime'] = new Date(fault.rateLimitReset * 1000).toUTCString();
        }
      }
      return { status: 429, headers, raw: 'Retry later\n' };
    }
    case 500:
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        raw: JSON.stringify({ message: '500 Internal Server Error' }),
      };
    case 502:
    case 503:
    case 504: {
      // These come from the load balancer / Workhorse, as HTML.
      const reason = http.STATUS_CODES[fault.status] ?? 'Error';
      return {
        status: fault.status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        raw: `<!DOCTYPE html>\n<html><head><title>${fault.status} ${reason}</title></head><body><h1>${fault.status}</h1><p>GitLab is not responding.</p></body></html>\n`,
      };
    }
    default: {
      const message = { 401: '401 Unauthorized', 403: '403 Forbidden', 404: '404 Not Found' }[fault.status];
      return {
        status: fault.status,
        headers: { 'content-type': 'application/json' },
        raw: JSON.stringify({ message }),
      };
    }
  }
}
