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

/**
 * 'g/sub/proj#12' → 'g/sub/proj'; GitLab's web URL is the fallback (with or without the '/-/' older
 * GitLab versions and its own API examples leave out: '…/h5bp/html5-boilerplate/issues/6').
 */
function projectPathOf(issue: GlIssue): string | null {
  const full = issue.references?.full;
  if (full?.includes('#')) return full.slice(0, full.lastIndexOf('#'));
  const match = /^https?:\/\/[^/]+\/(.+?)(?:\/-)?\/(?:issues|work_items)\/\d+/.exec(issue.web_url);
  return match ? match[1]! : null;
}

/** 'Mar 1–14', 'Mar 28–Apr 10', 'Dec 28, 2026–Jan 10, 2027', or one date alone. */
function dateSpan(start: string | null, end: string | null): string | null {
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const month = (iso: string) => day(iso).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const dayOf = (iso: string) => String(day(iso).getUTCDate());
  if (start && end) {
    if (start.slice(0, 4) !== end.slice(0, 4))
      return `${month(start)} ${dayOf(start)}, ${start.slice(0, 4)}–${month(end)} ${dayOf(end)}, ${end.slice(0, 4)}`;
    if (start.slice(0, 7) === end.slice(0, 7)) return `${month(start)} ${dayOf(start)}–${dayOf(end)}`;
    return `${month(start)} ${dayOf(start)}–${month(end)} ${dayOf(end)}`;
  }
  const one = start ?? end;
  return one ? `${month(one)} ${dayOf(one)}` : null;
}

/**
 * An iteration's name: its title; an untitled one (automatic scheduling leaves titles null) is named by its
 * cadence and dates, 'Iteration · Mar 1–14' — never a sprint number GitLab did not give.
 */
export function iterationTitle(iteration: GlIteration): string {
  if (iteration.title) return iteration.title;
  const cadence = iteration.iteration_cadence?.title || iteration.cadence_title || 'Iteration';
  const span = dateSpan(isoDate(iteration.start_date), isoDate(iteration.due_date));
  return span ? `${cadence} · ${span}` : cadence;
}

/** A titled iteration's sprint number ('Sprint 21', else its sequence); an untitled one has none. */
function iterationNumber(iteration: GlIteration): number | null {
  if (!iteration.title) return null;
  return sprintNumberFromTitle(iteration.title) ?? iteration.sequence ?? null;
}

/** 'g/proj#6' from `references.full`, else from the web URL's project path; never a bare '#6'. */
function storyRefOf(issue: GlIssue): string | null {
  if (issue.references?.full) return issue.references.full;
  const path = projectPathOf(issue);
  return path ? `${path}#${issue.iid}` : null;
}

/**
 * An issue's sprint, in the order docs/architecture.md gives: its iteration, else a milestone titled like
 * 'Sprint 21'.
 * Other milestones ('17.0') are releases, not sprints.
 */
export function sprintOfIssue(issue: GlIssue): SprintRef | null {
  if (issue.iteration) {
    return {
      number: iterationNumber(issue.iteration),
      title: iterationTitle(issue.iteration),
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
    storyRef: storyRefOf(issue),
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
    progress: issue.progress ?? null,
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
    sprints.set(`iteration:${it.id}`, {
      source: 'iteration',
      externalId: String(it.id),
      number: iterationNumber(it),
      title: iterationTitle(it),
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
