/**
 * The team-health side of the fake GitLab (gitlab.ts routes to it first): merge requests that closed an
 * issue, their pipelines and test report summaries, creating issues and adding them to epics.
 *
 * Shapes follow GitLab's REST documentation:
 * - `GET /projects/:id/issues/:issue_iid/closed_by` (Issues API): the merge requests that closed the
 *   issue — `id`, `iid`, `project_id`, `title`, `state` (`merged`, `opened`, `closed`), `merged_at`, `web_url`.
 * - `GET /projects/:id/merge_requests/:merge_request_iid/pipelines` (Merge Requests API): its pipelines,
 *   newest first — `id`, `sha`, `ref`, `status`.
 * - `GET /projects/:id/pipelines/:pipeline_id/test_report_summary` (Pipelines API):
 *   `{ total: { time, count, success, failed, skipped, error, suite_error }, test_suites: [...] }`; a
 *   pipeline without a test report answers a total of 0 tests.
 * Creating issues and adding them to epics is gitlabWrites.ts's (`fake.writes`, with the token's scopes).
 */

export interface TeamHealthAnswer {
  status: number;
  body: unknown;
}

/** What the team-health fake needs of the rest of the fake GitLab. */
export interface TeamHealthHost {
  /** The project an API path segment names (numeric ID or URL-encoded path); null when none. */
  project(segment: string): { id: number; path: string } | null;
  webUrl: string;
}

export interface FakeMr {
  iid: number;
  state: 'merged' | 'opened' | 'closed';
  /** Newest first, as GitLab lists them. */
  pipelines: { id: number; status: string; tests: number | null }[];
}

const json = (status: number, body: unknown): TeamHealthAnswer => ({ status, body });

export class FakeGitlabTeamHealth {
  /** Closing merge requests by `projectId:issueIid`. */
  readonly #closedBy = new Map<string, FakeMr[]>();
  /** Merge requests by `projectId:mrIid`. */
  readonly #mrs = new Map<string, FakeMr>();
  /** Test counts by pipeline ID (null: no test report). */
  readonly #tests = new Map<number, number | null>();

  constructor(private readonly host: TeamHealthHost) {}

  /** Says that `mrs` closed issue `iid` of `projectPath`. */
  closeIssueWith(projectPath: string, iid: number, mrs: FakeMr[]): void {
    const project = this.host.project(encodeURIComponent(projectPath));
    if (!project) throw new Error(`FakeGitlab: no project ${projectPath}`);
    this.#closedBy.set(`${project.id}:${iid}`, mrs);
    for (const mr of mrs) {
      this.#mrs.set(`${project.id}:${mr.iid}`, mr);
      for (const p of mr.pipelines) this.#tests.set(p.id, p.tests);
    }
  }

  route(method: string, seg: string[]): TeamHealthAnswer | null {
    const [root, id, sub, subId, leaf] = seg;
    if (root === 'projects' && id) {
      const project = this.host.project(id);
      if (!project) return null;
      if (method === 'GET' && sub === 'issues' && subId && leaf === 'closed_by' && seg.length === 5)
        return json(
          200,
          (this.#closedBy.get(`${project.id}:${subId}`) ?? []).map((mr) => this.#renderMr(project, mr)),
        );
      if (method === 'GET' && sub === 'merge_requests' && subId && leaf === 'pipelines' && seg.length === 5) {
        const mr = this.#mrs.get(`${project.id}:${subId}`);
        if (!mr) return json(404, { message: '404 Not found' });
        return json(
          200,
          mr.pipelines.map((p) => ({ id: p.id, sha: `sha${p.id}`, ref: `mr-${mr.iid}`, status: p.status })),
        );
      }
      if (
        method === 'GET' &&
        sub === 'pipelines' &&
        subId &&
        leaf === 'test_report_summary' &&
        seg.length === 5
      )
        return this.#testSummary(Number(subId));
    }
    return null;
  }

  #renderMr(project: { id: number; path: string }, mr: FakeMr) {
    return {
      id: project.id * 1000 + mr.iid,
      iid: mr.iid,
      project_id: project.id,
      title: `MR !${mr.iid}`,
      state: mr.state,
      merged_at: mr.state === 'merged' ? '2026-11-20T10:00:00.000Z' : null,
      web_url: `${this.host.webUrl}/${project.path}/-/merge_requests/${mr.iid}`,
    };
  }

  #testSummary(pipelineId: number): TeamHealthAnswer {
    if (!this.#tests.has(pipelineId)) return json(404, { message: '404 Not found' });
    const count = this.#tests.get(pipelineId) ?? 0;
    return json(200, {
      total: { time: count * 0.1, count, success: count, failed: 0, skipped: 0, error: 0, suite_error: null },
      test_suites:
        count > 0
          ? [{ name: 'rspec', total_time: count * 0.1, total_count: count, success_count: count }]
          : [],
    });
  }
}
