import type { GitlabClient, IssueFilters, Scope } from '../gitlab/client.js';
import { emptyStats, type RequestStats } from '../gitlab/http.js';
import type { GlEpic, GlIssue, GlIteration } from '../gitlab/schemas.js';

/**
 * An in-memory GitLab for the offline demo: one group epic with its issues and sprints (iterations),
 * changed by the demo script week by week. It implements the same GitlabClient the sync uses against
 * GitLab, so the demo runs the real sync, the real store and the real views — with no network.
 */
export class DemoGitlab implements GitlabClient {
  readonly stats: RequestStats = emptyStats();

  /** In memory: no request is ever in flight, so there is nothing to end. */
  abort(): void {}
  readonly iterations: GlIteration[] = [];
  readonly issues: GlIssue[] = [];
  readonly epic: GlEpic;
  #nextId = 50_000;

  constructor(
    private readonly url: string,
    private readonly now: () => Date,
    epic: { title: string; description: string; dueDate: string },
  ) {
    this.epic = {
      id: 9001,
      iid: 42,
      title: epic.title,
      description: epic.description,
      state: 'opened',
      confidential: false,
      web_url: `${url}/groups/demo/-/epics/42`,
      due_date: epic.dueDate,
      updated_at: now().toISOString(),
      labels: [],
    };
  }

  addIteration(sequence: number, start: string, end: string): GlIteration {
    const it: GlIteration = {
      id: 3000 + sequence,
      iid: sequence,
      sequence,
      title: `Sprint ${sequence}`,
      start_date: start,
      due_date: end,
      state: 1,
    };
    this.iterations.push(it);
    return it;
  }

  addIssue(fields: {
    title: string;
    owner: [string, string];
    sprint?: number;
    weight?: number;
    confidential?: boolean;
    dueDate?: string;
  }): GlIssue {
    const id = ++this.#nextId;
    const iid = this.issues.length + 1;
    const issue: GlIssue = {
      id,
      iid,
      project_id: 1000,
      title: fields.title,
      state: 'opened',
      updated_at: this.now().toISOString(),
      labels: [],
      assignees: [{ id: id + 1_000_000, username: fields.owner[0], name: fields.owner[1] }],
      iteration: fields.sprint ? (this.iterations.find((i) => i.sequence === fields.sprint) ?? null) : null,
      milestone: null,
      due_date: fields.dueDate ?? null,
      confidential: fields.confidential ?? false,
      web_url: `${this.url}/demo/app/-/issues/${iid}`,
      weight: fields.weight ?? null,
      references: { full: `demo/app#${iid}` },
      task_completion_status: null,
      epic: { id: this.epic.id, iid: this.epic.iid },
    };
    this.issues.push(issue);
    return issue;
  }

  update(title: string, change: Partial<Pick<GlIssue, 'state' | 'due_date'>> & { sprint?: number }): void {
    const issue = this.issues.find((i) => i.title === title);
    if (!issue) throw new Error(`demo: no issue '${title}'`);
    if (change.state) {
      issue.state = change.state;
      issue.closed_at = change.state === 'closed' ? this.now().toISOString() : null;
    }
    if (change.due_date !== undefined) issue.due_date = change.due_date;
    if (change.sprint !== undefined)
      issue.iteration = this.iterations.find((i) => i.sequence === change.sprint) ?? null;
    issue.updated_at = this.now().toISOString();
  }

  #touch<T>(value: T): T {
    this.stats.requests += 1;
    this.stats.serverTime = this.now().toISOString();
    return structuredClone(value);
  }

  #filter(filters: IssueFilters): GlIssue[] {
    return this.issues.filter(
      (i) =>
        (filters.epicId === undefined || i.epic?.id === filters.epicId) &&
        (!filters.updatedAfter || i.updated_at >= filters.updatedAfter),
    );
  }

  async getEpic() {
    return this.#touch(this.epic);
  }
  async listEpicIssues() {
    return this.#touch(this.issues);
  }
  async countEpicIssues() {
    this.#touch(null);
    return this.issues.length;
  }
  async listChildEpics() {
    return this.#touch([]);
  }
  async listGroupEpicsUpdated(_path: string, updatedAfter: string) {
    return this.#touch(this.epic.updated_at >= updatedAfter ? [this.epic] : []);
  }
  async listIssues(_scope: Scope, filters: IssueFilters) {
    return this.#touch(this.#filter(filters));
  }
  async countIssues(_scope: Scope, filters: IssueFilters) {
    this.#touch(null);
    return this.#filter({ ...filters, updatedAfter: undefined } as IssueFilters).length;
  }
  async getIssue(_path: string, iid: number) {
    return this.#touch(this.issues.find((i) => i.iid === iid)!);
  }
  async getMilestone() {
    return this.#touch(null);
  }
  async listOpenIterations() {
    return this.#touch(this.iterations);
  }
  async setIssueState(_path: string, iid: number, state: 'close' | 'reopen') {
    const issue = this.issues.find((i) => i.iid === iid)!;
    this.update(issue.title, { state: state === 'close' ? 'closed' : 'opened' });
    return this.#touch(issue);
  }
  async setIssueDueDate(_path: string, iid: number, dueDate: string) {
    const issue = this.issues.find((i) => i.iid === iid)!;
    this.update(issue.title, { due_date: dueDate });
    return this.#touch(issue);
  }
  async setEpicDescription(_path: string, _iid: number, description: string) {
    this.epic.description = description;
    this.epic.updated_at = this.now().toISOString();
    return this.#touch(this.epic);
  }
  async doraMetric(_project: string, metric: string) {
    this.#touch(null);
    // A team that deploys about every other day, as the epic seed hopes: numbers as GitLab reports them.
    const values: Record<string, number> = {
      deployment_frequency: 14,
      lead_time_for_changes: 2.5 * 86_400,
      time_to_restore_service: 5 * 3600,
      change_failure_rate: 0.07,
    };
    return values[metric] ?? null;
  }
  async listDeployments() {
    return this.#touch([]);
  }
  async listIncidents() {
    return this.#touch([]);
  }
}
