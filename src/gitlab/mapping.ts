import { sprintNumberFromTitle } from '../domain/sprints.js';
import type { Health, SprintRef } from '../domain/types.js';
import type { StoredSprint } from '../store/repositories/sprints.js';
import type { GlEpic, GlIssue, GlIteration, GlMilestone } from './schemas.js';

/** What the store needs to know of a GitLab issue or child epic, before owners become people. */
export interface MappedItem {
  source: 'gitlab_issue' | 'gitlab_epic';
  sourceKey: string;
  externalId: string;
  title: string;
  state: 'open' | 'done';
  sprint: SprintRef | null;
  assignees: { username: string; name: string }[];
  dueDate: string | null;
  url: string;
  storyRef: string | null;
  confidential: boolean;
  weight: number | null;
  labels: string[];
  closedAt: string | null;
  updatedAt: string;
  tasksCompleted: number | null;
  tasksTotal: number | null;
  gitlabPath: string | null;
  gitlabIid: number;
  /** GitLab's health status, when it gives one (Ultimate; work items). */
  health: Health | null;
  /** A key result's or objective's progress 0–100 from GitLab's progress widget; null for other items. */
  progress: number | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDate(value: string | null | undefined): string | null {
  return value && ISO_DATE.test(value.slice(0, 10)) ? value.slice(0, 10) : null;
}

/** 'g/sub/proj#12' → 'g/sub/proj'; GitLab's web URL is the fallback. */
function projectPathOf(issue: GlIssue): string | null {
  const full = issue.references?.full;
  if (full?.includes('#')) return full.slice(0, full.lastIndexOf('#'));
  const match = /^https?:\/\/[^/]+\/(.+?)\/-\/(?:issues|work_items)\/\d+/.exec(issue.web_url);
  return match ? match[1]! : null;
}

function iterationTitle(iteration: GlIteration): string {
  if (iteration.title) return iteration.title;
  if (iteration.sequence != null) return `Sprint ${iteration.sequence}`;
  return `Iteration ${iteration.start_date ?? iteration.id}`;
}

/**
 * An issue's sprint, in the order docs/architecture.md gives: its iteration, else a milestone titled like
 * 'Sprint 21'.
 * Other milestones ('17.0') are releases, not sprints.
 */
export function sprintOfIssue(issue: GlIssue): SprintRef | null {
  if (issue.iteration) {
    const title = iterationTitle(issue.iteration);
    return {
      number: sprintNumberFromTitle(title) ?? issue.iteration.sequence ?? null,
      title,
      source: 'iteration',
    };
  }
  if (issue.milestone) {
    const number = sprintNumberFromTitle(issue.milestone.title);
    if (number !== null) return { number, title: issue.milestone.title, source: 'milestone' };
  }
  return null;
}

export function mapIssue(issue: GlIssue): MappedItem {
  const tasks = issue.task_completion_status;
  return {
    source: 'gitlab_issue',
    sourceKey: `issue:${issue.id}`,
    externalId: `issue:${issue.id}`,
    title: issue.title,
    state: issue.state === 'closed' ? 'done' : 'open',
    sprint: sprintOfIssue(issue),
    assignees: (issue.assignees ?? []).map((a) => ({ username: a.username, name: a.name })),
    dueDate: isoDate(issue.due_date),
    url: issue.web_url,
    storyRef: issue.references?.full ?? `#${issue.iid}`,
    confidential: issue.confidential,
    weight: issue.weight ?? null,
    labels: issue.labels,
    closedAt: issue.state === 'closed' ? (issue.closed_at ?? issue.updated_at) : null,
    updatedAt: issue.updated_at,
    tasksCompleted: tasks && tasks.count > 0 ? tasks.completed_count : null,
    tasksTotal: tasks && tasks.count > 0 ? tasks.count : null,
    gitlabPath: projectPathOf(issue),
    gitlabIid: issue.iid,
    health: issue.health_status ?? null,
    progress: null,
  };
}

export function mapChildEpic(epic: GlEpic, groupPath: string): MappedItem {
  return {
    source: 'gitlab_epic',
    sourceKey: `epic:${epic.id}`,
    externalId: `epic:${epic.id}`,
    title: epic.title,
    state: epic.state === 'closed' ? 'done' : 'open',
    sprint: null,
    assignees: [],
    dueDate: isoDate(epic.due_date ?? epic.end_date),
    url: epic.web_url,
    storyRef: epic.references?.full ?? `&${epic.iid}`,
    confidential: epic.confidential,
    weight: null,
    labels: epic.labels,
    closedAt: epic.state === 'closed' ? (epic.closed_at ?? epic.updated_at) : null,
    updatedAt: epic.updated_at,
    tasksCompleted: null,
    tasksTotal: null,
    gitlabPath: groupPath,
    gitlabIid: epic.iid,
    health: null,
    progress: null,
  };
}

/** The iterations and sprint-like milestones seen in issues or listed, as sprints with dates. */
export function sprintsFrom(issues: GlIssue[], iterations: GlIteration[] | null): StoredSprint[] {
  const sprints = new Map<string, StoredSprint>();
  const addIteration = (it: GlIteration) => {
    const title = iterationTitle(it);
    sprints.set(`iteration:${it.id}`, {
      source: 'iteration',
      externalId: String(it.id),
      number: sprintNumberFromTitle(title) ?? it.sequence ?? null,
      title,
      startDate: isoDate(it.start_date),
      endDate: isoDate(it.due_date),
      state: it.state === null || it.state === undefined ? null : iterationState(it.state),
      webUrl: it.web_url ?? null,
    });
  };
  const addMilestone = (m: GlMilestone) => {
    const number = sprintNumberFromTitle(m.title);
    if (number === null) return;
    sprints.set(`milestone:${m.id}`, {
      source: 'milestone',
      externalId: String(m.id),
      number,
      title: m.title,
      startDate: isoDate(m.start_date),
      endDate: isoDate(m.due_date),
      state: m.state ?? null,
      webUrl: m.web_url ?? null,
    });
  };
  for (const it of iterations ?? []) addIteration(it);
  for (const issue of issues) {
    if (issue.iteration) addIteration(issue.iteration);
    if (issue.milestone) addMilestone(issue.milestone);
  }
  return [...sprints.values()];
}

function iterationState(state: number | string): string {
  if (typeof state === 'string') return state;
  return ({ 1: 'upcoming', 2: 'current', 3: 'closed' } as Record<number, string>)[state] ?? String(state);
}
