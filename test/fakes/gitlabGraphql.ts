/**
 * GitLab's GraphQL API (`POST /api/graphql`) for the fake GitLab: work items read from the SAME groups,
 * epics and issues the REST fake serves (an epic is a work item of type Epic whose id is the epic's
 * `work_item_id`; an issue is a work item of type Issue with the issue's id), plus work items REST does
 * not have (objectives, key results, tasks) added with `addWorkItem`.
 *
 * Queries run through graphql-js against GitLab's published schema (gitlabGraphqlSchema.ts): a query that
 * GitLab would refuse (an unknown field, a wrong argument) gets GitLab-style `errors` here too.
 * Served: `metadata`, `namespace(fullPath)` with `workItem(iid)` and `workItems(iid, parentIds,
 * updatedAfter, types, state, includeDescendants, sort, first, after)`, and on work items the fields and
 * widgets wgbot reads (assignees, dates, labels, milestone, description, hierarchy, iteration, weight,
 * health status, progress). `__type` introspection comes with graphql-js.
 */
import { type ExecutionResult, graphql } from 'graphql';
import { gitlabSchema } from './gitlabGraphqlSchema.js';

/** What the REST fake shares with this one (read at each request, so both always agree). */
export interface FakeTreeView {
  url: () => string;
  now: () => Date;
  /** Full paths of every group and project. */
  namespaces: () => { path: string; kind: 'group' | 'project' }[];
  epics: () => FakeEpicView[];
  issues: () => FakeIssueView[];
}

export interface FakeEpicView {
  json: {
    id: number;
    iid: number;
    work_item_id: number;
    title: string;
    description: string | null;
    state: 'opened' | 'closed';
    confidential: boolean;
    web_url: string;
    start_date: string | null;
    due_date: string | null;
    created_at: string;
    updated_at: string;
    closed_at: string | null;
    labels: string[];
  };
  groupPath: string;
  parentId: number | null;
}

export interface FakeIssueView {
  /** The issue as the REST fake renders it. */
  json: Record<string, unknown> & {
    id: number;
    iid: number;
    title: string;
    state: 'opened' | 'closed';
    created_at: string;
    updated_at: string;
  };
  projectPath: string;
  epicId: number | null;
}

export type WorkItemTypeName = 'Epic' | 'Issue' | 'Objective' | 'Key Result' | 'Task';

export interface WorkItemSeed {
  type: WorkItemTypeName;
  title?: string;
  state?: 'OPEN' | 'CLOSED';
  /** The parent's global id (`gid://gitlab/WorkItem/N`), e.g. from `workItemGid`. */
  parent?: string | null;
  progress?: number | null;
  healthStatus?: 'onTrack' | 'needsAttention' | 'atRisk' | null;
  weight?: number | null;
  dueDate?: string | null;
  assignees?: { username: string; name: string }[];
  updatedAt?: string;
}

/** One work item as the fake models it, whichever store it came from. */
interface Wi {
  id: number;
  iid: number;
  type: WorkItemTypeName;
  namespacePath: string;
  namespaceKind: 'group' | 'project';
  title: string;
  state: 'OPEN' | 'CLOSED';
  confidential: boolean;
  webUrl: string;
  reference: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  parentId: number | null;
  assignees: { id: number; username: string; name: string }[];
  labels: string[];
  milestone: Record<string, unknown> | null;
  iteration: Record<string, unknown> | null;
  startDate: string | null;
  dueDate: string | null;
  weight: number | null;
  healthStatus: string | null;
  progress: number | null;
  tasks: { count: number; completed_count: number } | null;
}

interface Extra extends WorkItemSeed {
  id: number;
  iid: number;
  namespacePath: string;
  namespaceKind: 'group' | 'project';
  createdAt: string;
  updatedAt: string;
}

const gid = (kind: string, id: number) => `gid://gitlab/${kind}/${id}`;
const numeric = (value: unknown) => Number(/(\d+)$/.exec(String(value))?.[1] ?? Number.NaN);
const HEALTH: Record<string, string> = {
  on_track: 'onTrack',
  needs_attention: 'needsAttention',
  at_risk: 'atRisk',
};
const TYPE_ENUM: Record<WorkItemTypeName, string> = {
  Epic: 'EPIC',
  Issue: 'ISSUE',
  Objective: 'OBJECTIVE',
  'Key Result': 'KEY_RESULT',
  Task: 'TASK',
};
const ITERATION_STATE: Record<number, string> = { 1: 'upcoming', 2: 'current', 3: 'closed' };
const MAX_PAGE = 100;

export class FakeGitlabGraphql {
  /**
   * Off by default: `/api/graphql` answers 404, so tests written for the REST API stay on it (GITLAB_API=auto
   * probes GraphQL first). A test of the GraphQL source turns it on.
   */
  enabled = false;
  /** False: the probe is answered as by a GitLab whose namespaces have no work items (before 16.10). */
  offerWorkItems = true;
  private readonly extras: Extra[] = [];
  private readonly queued: {
    errors: { message: string }[];
    keepData: boolean;
    edit?: (data: Record<string, any>) => void;
  }[] = [];
  private seq = 900_000;
  /** Every work item and their children, built once per request (the REST records change between them). */
  private snapshot: { all: Wi[]; children: Map<number, Wi[]> } | null = null;

  constructor(private readonly view: FakeTreeView) {}

  /** A work item REST does not serve (objective, key result, task) in a group or project. */
  addWorkItem(namespacePath: string, seed: WorkItemSeed): { id: number; iid: number; gid: string } {
    const kind = this.view.namespaces().find((n) => n.path === namespacePath)?.kind;
    if (!kind) throw new Error(`FakeGitlabGraphql: no group or project ${namespacePath}`);
    const iid =
      1 +
      this.all()
        .filter((w) => w.namespacePath === namespacePath)
        .reduce((m, w) => Math.max(m, w.iid), 0);
    const at = seed.updatedAt ?? this.view.now().toISOString();
    const extra: Extra = {
      ...seed,
      id: this.seq++,
      iid,
      namespacePath,
      namespaceKind: kind,
      createdAt: at,
      updatedAt: at,
    };
    this.extras.push(extra);
    this.snapshot = null;
    return { id: extra.id, iid, gid: gid('WorkItem', extra.id) };
  }

  /** Changes a work item added with `addWorkItem` and bumps its updatedAt. */
  updateWorkItem(id: number, changes: Partial<WorkItemSeed>): void {
    const extra = this.extras.find((e) => e.id === id);
    if (!extra) throw new Error(`FakeGitlabGraphql: no added work item ${id}`);
    Object.assign(extra, changes, { updatedAt: changes.updatedAt ?? this.view.now().toISOString() });
    this.snapshot = null;
  }

  /** The next answer carries these GraphQL errors: with the data (partial) or instead of it. */
  failNext(
    messages: string[],
    options: { keepData?: boolean; edit?: (data: Record<string, any>) => void } = {},
  ): void {
    this.queued.push({
      errors: messages.map((message) => ({ message })),
      keepData: options.keepData ?? false,
      ...(options.edit ? { edit: options.edit } : {}),
    });
  }

  /** The next answer's data, changed by `edit` first (a node GitLab could not resolve comes back null). */
  editNext(edit: (data: Record<string, any>) => void): void {
    this.queued.push({ errors: [], keepData: true, edit });
  }

  /** Answers one POST body as GitLab does: 200 with `data` and/or `errors`. */
  async answer(body: unknown): Promise<{ status: number; body: unknown }> {
    if (!this.enabled) return { status: 404, body: { message: '404 Not Found' } };
    this.snapshot = null;
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
    if (typeof query !== 'string')
      return { status: 200, body: { errors: [{ message: 'No query string was present' }] } };
    const result: ExecutionResult = await graphql({
      schema: gitlabSchema(),
      source: query,
      rootValue: this.root(),
      variableValues: (variables ?? {}) as Record<string, unknown>,
    });
    const json = JSON.parse(JSON.stringify(result)) as {
      data?: Record<string, unknown> | null;
      errors?: unknown[];
    };
    if (!this.offerWorkItems) hideWorkItems(json.data);
    const queued = this.queued.shift();
    if (queued?.edit && json.data) queued.edit(json.data);
    if (queued) return { status: 200, body: { ...(queued.keepData ? json : {}), errors: queued.errors } };
    return { status: 200, body: json };
  }

  private root() {
    return {
      metadata: { version: '18.5.0-ee', revision: 'fake', enterprise: true, kas: { enabled: false } },
      namespace: ({ fullPath }: { fullPath: string }) => {
        const ns = this.view.namespaces().find((n) => n.path.toLowerCase() === fullPath.toLowerCase());
        return ns ? this.namespaceObject(ns.path) : null;
      },
    };
  }

  private namespaceObject(path: string) {
    return {
      id: gid('Namespace', 1),
      fullPath: path,
      workItem: ({ iid }: { iid: string }) => {
        const wi = this.all().find((w) => w.namespacePath === path && String(w.iid) === iid);
        return wi ? this.workItemObject(wi) : null;
      },
      workItems: (args: Record<string, unknown>) =>
        connection(
          this.filter(path, args).map((w) => this.workItemObject(w)),
          args,
        ),
    };
  }

  private filter(path: string, args: Record<string, unknown>): Wi[] {
    const inside = (p: string) =>
      p === path || (args.includeDescendants === true && p.startsWith(`${path}/`));
    const parents = Array.isArray(args.parentIds) ? new Set(args.parentIds.map(numeric)) : null;
    const types = Array.isArray(args.types) ? new Set(args.types as string[]) : null;
    const after = typeof args.updatedAfter === 'string' ? Date.parse(args.updatedAfter) : null;
    const state = args.state as string | undefined;
    const list = this.all().filter(
      (w) =>
        inside(w.namespacePath) &&
        (parents === null || (w.parentId !== null && parents.has(w.parentId))) &&
        (types === null || types.has(TYPE_ENUM[w.type])) &&
        (after === null || Date.parse(w.updatedAt) >= after) &&
        (typeof args.iid !== 'string' || String(w.iid) === args.iid) &&
        (!state || state === 'all' || (state === 'opened') === (w.state === 'OPEN')),
    );
    const dir = String(args.sort ?? 'CREATED_DESC').endsWith('_ASC') ? 1 : -1;
    return list.sort((a, b) => dir * (Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id));
  }

  private children(parent: Wi): Wi[] {
    this.all();
    return this.snapshot!.children.get(parent.id) ?? [];
  }

  private workItemObject(wi: Wi): Record<string, unknown> {
    return {
      id: gid('WorkItem', wi.id),
      iid: String(wi.iid),
      title: wi.title,
      state: wi.state,
      confidential: wi.confidential,
      webUrl: wi.webUrl,
      description: wi.description,
      createdAt: wi.createdAt,
      updatedAt: wi.updatedAt,
      closedAt: wi.closedAt,
      reference: ({ full }: { full?: boolean }) =>
        full ? wi.reference : wi.reference.slice(wi.reference.search(/[#&]/)),
      workItemType: { id: gid('WorkItems::Type', 1), name: wi.type },
      widgets: () => this.widgets(wi),
    };
  }

  private widgets(wi: Wi): Record<string, unknown>[] {
    const widgets: Record<string, unknown>[] = [
      {
        __typename: 'WorkItemWidgetAssignees',
        type: 'ASSIGNEES',
        assignees: (args: Record<string, unknown>) =>
          connection(
            wi.assignees.map((u) => ({ ...u, id: gid('User', u.id) })),
            args,
          ),
      },
      {
        __typename: 'WorkItemWidgetStartAndDueDate',
        type: 'START_AND_DUE_DATE',
        startDate: wi.startDate,
        dueDate: wi.dueDate,
        rollUp: false,
      },
      {
        __typename: 'WorkItemWidgetLabels',
        type: 'LABELS',
        labels: (args: Record<string, unknown>) =>
          connection(
            wi.labels.map((title) => ({ title })),
            args,
          ),
      },
      { __typename: 'WorkItemWidgetMilestone', type: 'MILESTONE', milestone: wi.milestone },
      {
        __typename: 'WorkItemWidgetDescription',
        type: 'DESCRIPTION',
        description: wi.description,
        edited: false,
        taskCompletionStatus: { count: wi.tasks?.count ?? 0, completedCount: wi.tasks?.completed_count ?? 0 },
      },
      {
        __typename: 'WorkItemWidgetHierarchy',
        type: 'HIERARCHY',
        hasParent: wi.parentId !== null,
        hasChildren: this.children(wi).length > 0,
        children: (args: Record<string, unknown>) =>
          connection(
            this.children(wi).map((c) => this.workItemObject(c)),
            args,
          ),
      },
      { __typename: 'WorkItemWidgetHealthStatus', type: 'HEALTH_STATUS', healthStatus: wi.healthStatus },
      { __typename: 'WorkItemWidgetWeight', type: 'WEIGHT', weight: wi.weight },
    ];
    if (wi.type === 'Issue' || wi.type === 'Task')
      widgets.push({ __typename: 'WorkItemWidgetIteration', type: 'ITERATION', iteration: wi.iteration });
    if (wi.type === 'Objective' || wi.type === 'Key Result')
      widgets.push({
        __typename: 'WorkItemWidgetProgress',
        type: 'PROGRESS',
        progress: wi.progress,
        updatedAt: wi.updatedAt,
      });
    return widgets;
  }

  /** Every work item: the REST fake's epics and issues, and the ones added here. */
  private all(): Wi[] {
    if (this.snapshot) return this.snapshot.all;
    const all = this.build();
    const children = new Map<number, Wi[]>();
    // As GitLab's hierarchy widget shows them here: child epics first (oldest first), then the rest in order.
    for (const w of [...all.filter((x) => x.type === 'Epic'), ...all.filter((x) => x.type !== 'Epic')])
      if (w.parentId !== null) {
        const list = children.get(w.parentId) ?? [];
        list.push(w);
        children.set(w.parentId, list);
      }
    this.snapshot = { all, children };
    return all;
  }

  private build(): Wi[] {
    const epics = this.view.epics();
    const workItemOfEpic = new Map(epics.map((e) => [e.json.id, e.json.work_item_id]));
    return [
      ...epics.map((e) => this.fromEpic(e, workItemOfEpic)),
      ...this.view.issues().map((i) => this.fromIssue(i, workItemOfEpic)),
      ...this.extras.map((x) => this.fromExtra(x)),
    ];
  }

  private fromEpic(e: FakeEpicView, workItemOfEpic: Map<number, number>): Wi {
    const j = e.json;
    return {
      ...common(j),
      id: j.work_item_id,
      type: 'Epic',
      namespacePath: e.groupPath,
      namespaceKind: 'group',
      webUrl: j.web_url,
      reference: `${e.groupPath}&${j.iid}`,
      description: j.description,
      parentId: e.parentId === null ? null : (workItemOfEpic.get(e.parentId) ?? null),
      labels: j.labels,
      startDate: j.start_date,
      dueDate: j.due_date,
      assignees: [],
      milestone: null,
      iteration: null,
      weight: null,
      healthStatus: null,
      progress: null,
      tasks: null,
    };
  }

  private fromIssue(i: FakeIssueView, workItemOfEpic: Map<number, number>): Wi {
    const j = i.json as Record<string, any>;
    const milestone = j.milestone;
    const iteration = j.iteration;
    return {
      ...common(i.json),
      id: i.json.id,
      type: 'Issue',
      namespacePath: i.projectPath,
      namespaceKind: 'project',
      webUrl: j.web_url,
      reference: j.references.full,
      description: j.description ?? null,
      parentId: i.epicId === null ? null : (workItemOfEpic.get(i.epicId) ?? null),
      assignees: j.assignees.map((u: { id: number; username: string; name: string }) => ({
        id: u.id,
        username: u.username,
        name: u.name,
      })),
      labels: j.labels,
      milestone: milestone
        ? {
            id: gid('Milestone', milestone.id),
            iid: String(milestone.iid),
            title: milestone.title,
            state: milestone.state,
            startDate: milestone.start_date ? `${milestone.start_date}T00:00:00Z` : null,
            dueDate: milestone.due_date ? `${milestone.due_date}T00:00:00Z` : null,
            webPath: new URL(milestone.web_url).pathname,
          }
        : null,
      iteration: iteration
        ? {
            id: gid('Iteration', iteration.id),
            iid: String(iteration.iid),
            sequence: iteration.sequence,
            title: iteration.title,
            state: ITERATION_STATE[iteration.state] ?? 'current',
            startDate: `${iteration.start_date}T00:00:00Z`,
            dueDate: `${iteration.due_date}T00:00:00Z`,
            webUrl: iteration.web_url,
          }
        : null,
      startDate: null,
      dueDate: j.due_date ?? null,
      weight: j.weight ?? null,
      healthStatus: j.health_status ? (HEALTH[j.health_status] ?? null) : null,
      progress: null,
      tasks: j.task_completion_status ?? null,
    };
  }

  private fromExtra(x: Extra): Wi {
    const base = this.view.url();
    const sep = x.namespaceKind === 'group' ? '&' : '#';
    const owner = x.namespaceKind === 'group' ? `groups/${x.namespacePath}` : x.namespacePath;
    return {
      id: x.id,
      iid: x.iid,
      type: x.type,
      namespacePath: x.namespacePath,
      namespaceKind: x.namespaceKind,
      title: x.title ?? `${x.type} ${x.iid}`,
      state: x.state ?? 'OPEN',
      confidential: false,
      webUrl: `${base}/${owner}/-/work_items/${x.iid}`,
      reference: `${x.namespacePath}${sep}${x.iid}`,
      description: null,
      createdAt: x.createdAt,
      updatedAt: x.updatedAt,
      closedAt: x.state === 'CLOSED' ? x.updatedAt : null,
      parentId: x.parent ? numeric(x.parent) : null,
      assignees: (x.assignees ?? []).map((a, n) => ({ id: 700_000 + n, ...a })),
      labels: [],
      milestone: null,
      iteration: null,
      startDate: null,
      dueDate: x.dueDate ?? null,
      weight: x.weight ?? null,
      healthStatus: x.healthStatus ?? null,
      progress: x.progress ?? null,
      tasks: null,
    };
  }
}

function common(j: {
  iid: number;
  title: string;
  state: 'opened' | 'closed';
  created_at: string;
  updated_at: string;
  confidential?: boolean;
  closed_at?: string | null;
}) {
  return {
    iid: j.iid,
    title: j.title,
    state: j.state === 'closed' ? ('CLOSED' as const) : ('OPEN' as const),
    confidential: j.confidential ?? false,
    createdAt: j.created_at,
    updatedAt: j.updated_at,
    closedAt: j.closed_at ?? null,
  };
}

/** A Relay connection over `all`, paged by `first`/`after` (cursors are offsets), at most 100 a page. */
function connection<T, N = T>(all: T[], args: Record<string, unknown>, render?: (item: T) => N) {
  const start = typeof args.after === 'string' ? Number(Buffer.from(args.after, 'base64').toString()) + 1 : 0;
  const first = Math.min(typeof args.first === 'number' ? args.first : MAX_PAGE, MAX_PAGE);
  const nodes = all
    .slice(start, start + first)
    .map((item) => (render ? render(item) : (item as unknown as N)));
  const cursor = (n: number) => Buffer.from(String(start + n)).toString('base64');
  return {
    count: all.length,
    nodes,
    edges: nodes.map((node, n) => ({ node, cursor: cursor(n) })),
    pageInfo: {
      hasNextPage: start + first < all.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? cursor(0) : null,
      endCursor: nodes.length > 0 ? cursor(nodes.length - 1) : null,
    },
  };
}

/** The probe's view of a GitLab before namespaces had work items. */
function hideWorkItems(data: Record<string, unknown> | null | undefined): void {
  for (const value of Object.values(data ?? {})) {
    const fields = (value as { fields?: { name: string }[] } | null)?.fields;
    if (Array.isArray(fields))
      (value as { fields: { name: string }[] }).fields = fields.filter((f) => !/^workItems?$/.test(f.name));
  }
}
