import { z } from 'zod';
import type { Health } from '../../domain/types.js';
import type { GlEpic, GlIssue, GlIteration, GlMilestone } from '../schemas.js';
import type { ContainerInfo } from '../sources.js';
import { reportRecord } from '../tolerance.js';

// GitLab's work items (GraphQL, fields of WorkItemFields in documents.ts) as the shapes the REST sources
// produce, so one mapping (mapping.ts) serves both APIs. Read forgivingly: a widget that is absent or odd
// leaves its field empty; only a node without id, iid, title or updatedAt cannot be used.

const opt = <T extends z.ZodType>(t: T) => t.nullable().optional();

export const WorkItemNode = z.object({
  id: z.string(),
  iid: z.union([z.string(), z.number()]),
  title: z.string(),
  state: opt(z.string()),
  confidential: opt(z.boolean()),
  webUrl: opt(z.string()),
  reference: opt(z.string()),
  createdAt: opt(z.string()),
  updatedAt: z.string(),
  closedAt: opt(z.string()),
  description: opt(z.string()),
  workItemType: opt(z.object({ name: z.string() })),
  widgets: opt(z.array(z.record(z.string(), z.unknown()).nullable())),
});
export type WorkItemNode = z.infer<typeof WorkItemNode>;

const Assignees = z.object({
  nodes: z.array(z.object({ id: z.string(), username: z.string(), name: z.string() }).nullable()),
});
const Labels = z.object({ nodes: z.array(z.object({ title: z.string() }).nullable()) });
const Milestone = z.object({
  id: z.string(),
  iid: opt(z.union([z.string(), z.number()])),
  title: z.string(),
  state: opt(z.string()),
  startDate: opt(z.string()),
  dueDate: opt(z.string()),
  webPath: opt(z.string()),
});
const Iteration = z.object({
  id: z.string(),
  iid: opt(z.union([z.string(), z.number()])),
  sequence: opt(z.number()),
  title: opt(z.string()),
  state: opt(z.string()),
  startDate: opt(z.string()),
  dueDate: opt(z.string()),
  webUrl: opt(z.string()),
});
const Tasks = z.object({ count: z.number(), completedCount: z.number() });

/** The number at the end of a global id ('gid://gitlab/WorkItem/42' → 42); NaN when there is none. */
export function numericId(gid: string): number {
  const match = /(\d+)$/.exec(gid);
  return match ? Number(match[1]) : Number.NaN;
}

/** The value of `field` in the first widget that has it, read with `schema`; null when none has it readably. */
function widget<T>(node: WorkItemNode, field: string, schema: z.ZodType<T>): T | null {
  for (const w of node.widgets ?? []) {
    if (!w || !(field in w) || w[field] == null) continue;
    const parsed = schema.safeParse(w[field]);
    return parsed.success ? parsed.data : null;
  }
  return null;
}

const date = (value: string | null | undefined) => (value ? value.slice(0, 10) : null);

const HEALTH: Record<string, Health> = {
  onTrack: 'on_track',
  needsAttention: 'needs_attention',
  atRisk: 'at_risk',
};

/** GitLab's iteration states in words, as the REST sources' sprints keep them. */
const ITERATION_STATE: Record<string, string> = { started: 'current', opened: 'current' };

export function healthOf(node: WorkItemNode): Health | null {
  return HEALTH[widget(node, 'healthStatus', z.string()) ?? ''] ?? null;
}

export function progressOf(node: WorkItemNode): number | null {
  const value = widget(node, 'progress', z.number());
  return value !== null && value >= 0 && value <= 100 ? value : null;
}

export const isEpicLike = (node: WorkItemNode) =>
  ['Epic', 'Objective'].includes(node.workItemType?.name ?? '');

const state = (node: WorkItemNode) => (node.state === 'CLOSED' ? 'closed' : 'opened');

function milestoneOf(node: WorkItemNode): GlMilestone | null {
  const m = widget(node, 'milestone', Milestone);
  if (!m) return null;
  const origin = node.webUrl ? new URL(node.webUrl).origin : null;
  return {
    id: numericId(m.id),
    iid: m.iid == null ? null : Number(m.iid),
    title: m.title,
    state: m.state ?? null,
    start_date: date(m.startDate),
    due_date: date(m.dueDate),
    web_url: origin && m.webPath ? `${origin}${m.webPath}` : null,
  };
}

function iterationOf(node: WorkItemNode): GlIteration | null {
  const it = widget(node, 'iteration', Iteration);
  if (!it) return null;
  return {
    id: numericId(it.id),
    iid: it.iid == null ? null : Number(it.iid),
    sequence: it.sequence ?? null,
    title: it.title ?? null,
    state: it.state ? (ITERATION_STATE[it.state] ?? it.state) : null,
    start_date: date(it.startDate),
    due_date: date(it.dueDate),
    web_url: it.webUrl ?? null,
  };
}

function labelsOf(node: WorkItemNode): string[] {
  return (widget(node, 'labels', Labels)?.nodes ?? []).flatMap((l) => (l ? [l.title] : []));
}

/** An issue, task or key result as the REST issue shape (`project_id` is not read from GraphQL: 0). */
export function toIssue(node: WorkItemNode): GlIssue {
  const tasks = widget(node, 'taskCompletionStatus', Tasks);
  const dueDate = widget(node, 'dueDate', z.string());
  return {
    id: numericId(node.id),
    iid: Number(node.iid),
    project_id: 0,
    title: node.title,
    state: state(node),
    created_at: node.createdAt ?? undefined,
    updated_at: node.updatedAt,
    closed_at: node.closedAt ?? null,
    labels: labelsOf(node),
    milestone: milestoneOf(node),
    iteration: iterationOf(node),
    assignees: (widget(node, 'assignees', Assignees)?.nodes ?? []).flatMap((u) =>
      u ? [{ id: numericId(u.id), username: u.username, name: u.name }] : [],
    ),
    due_date: date(dueDate),
    confidential: confidentialOf(node),
    web_url: node.webUrl ?? '',
    weight: widget(node, 'weight', z.number()),
    task_completion_status: tasks ? { count: tasks.count, completed_count: tasks.completedCount } : null,
    references: node.reference ? { full: node.reference } : null,
    health_status: healthOf(node),
    progress: progressOf(node),
  };
}

/** An epic or objective child as the REST child-epic shape; its id is the work item's. */
export function toEpic(node: WorkItemNode): GlEpic {
  return {
    id: numericId(node.id),
    iid: Number(node.iid),
    title: node.title,
    description: node.description ?? null,
    state: state(node),
    confidential: confidentialOf(node),
    web_url: node.webUrl ?? '',
    start_date: date(widget(node, 'startDate', z.string())),
    due_date: date(widget(node, 'dueDate', z.string())),
    end_date: null,
    updated_at: node.updatedAt,
    closed_at: node.closedAt ?? null,
    labels: labelsOf(node),
    references: node.reference ? { full: node.reference } : null,
  };
}

/**
 * GitLab sends `confidential` on every work item; without it nobody can say the item is public, so it is
 * read as confidential, with a guess naming it.
 */
function confidentialOf(node: WorkItemNode): boolean {
  if (typeof node.confidential === 'boolean') return node.confidential;
  reportRecord({
    what: `work item ${node.reference ?? node.id}`,
    id: Number.isFinite(numericId(node.id)) ? numericId(node.id) : null,
    iid: Number.isFinite(Number(node.iid)) ? Number(node.iid) : null,
    field: 'confidential',
    problem: 'absent: taken as confidential',
    skipped: false,
  });
  return true;
}

/** The linked work item itself, with GitLab's health status and progress when it has them. */
export function toContainer(node: WorkItemNode): ContainerInfo {
  return {
    title: node.title,
    description: node.description ?? null,
    state: state(node),
    webUrl: node.webUrl ?? null,
    externalId: `work_item:${numericId(node.id)}`,
    dueDate: date(widget(node, 'dueDate', z.string())),
    updatedAt: node.updatedAt,
    health: healthOf(node),
    progress: progressOf(node),
  };
}
