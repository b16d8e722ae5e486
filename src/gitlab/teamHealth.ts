import { z } from 'zod';
import {
  createGitlabRequester,
  DEFAULT_POLICY,
  GitlabHttpError,
  type HttpDeps,
  type RequestPolicy,
  realDeps,
} from './http.js';
import { parseShape } from './schemas.js';

/**
 * The GitLab calls of the team-health features (#17), with wgbot's token. Shapes from GitLab's REST docs:
 * - `POST /projects/:id/issues` (title, description, labels) → the issue (`id`, `iid`, `web_url`);
 * - `POST /groups/:id/epics/:epic_iid/issues/:issue_id` (Epic Issues API) adds an issue to an epic;
 * - `GET /projects/:id/issues/:issue_iid/closed_by` → the merge requests that closed the issue;
 * - `GET /projects/:id/merge_requests/:merge_request_iid/pipelines` → its pipelines, newest first;
 * - `GET /projects/:id/pipelines/:pipeline_id/test_report_summary` → `{ total: { count, … }, test_suites }`.
 * Writes are never retried: a create that timed out may have been made.
 */

/** An issue GitLab made. */
export interface CreatedIssue {
  id: number;
  iid: number;
  webUrl: string;
}

/** A merge request that closed an issue, as GitLab's `closed_by` lists it. */
export interface ClosingMr {
  projectId: number;
  iid: number;
  state: string;
  webUrl: string | null;
}

/** A pipeline of a merge request (newest first, as GitLab lists them). */
export interface MrPipeline {
  id: number;
  status: string;
}

/**
 * The GitLab calls of the team-health features, with wgbot's token. Errors throw (GitlabHttpError with
 * the status: 401/403 on a write means the token lacks the `api` scope).
 */
export interface TeamHealthGitlab {
  /** Ends every request in flight or waiting and refuses new ones (the process is stopping). */
  abort(reason: string): void;
  createIssue(
    projectPath: string,
    issue: { title: string; description: string; labels: string[] },
  ): Promise<CreatedIssue>;
  /** Adds the issue (by its global ID) to the epic. */
  addIssueToEpic(groupPath: string, epicIid: number, issueId: number): Promise<void>;
  closedBy(projectPath: string, issueIid: number): Promise<ClosingMr[]>;
  mrPipelines(projectId: number, mrIid: number): Promise<MrPipeline[]>;
  /** The pipeline's test report summary: how many tests ran; null when it has no test report. */
  testCount(projectId: number, pipelineId: number): Promise<number | null>;
}

const READS: Partial<RequestPolicy> = { maxRetries: 2, maxDelayMs: 2_000, timeoutMs: 10_000 };
const WRITES: Partial<RequestPolicy> = { maxRetries: 0, timeoutMs: 15_000 };

const GlCreated = z.object({ id: z.number(), iid: z.number(), web_url: z.string() });
const GlClosingMr = z.object({
  iid: z.number(),
  project_id: z.number(),
  state: z.string(),
  web_url: z.string().nullable().optional(),
});
const GlPipeline = z.object({ id: z.number(), status: z.string() });
const GlTestSummary = z.object({ total: z.object({ count: z.number().nullable().optional() }).optional() });

export interface TeamHealthGitlabOptions {
  url: string;
  token: string;
  policy?: Partial<RequestPolicy>;
  deps?: Partial<HttpDeps>;
}

const enc = (path: string) => encodeURIComponent(path);

/** Rows of a list answer that parse: an odd one is left out, never the end of the check. */
function rows<T>(schema: z.ZodType<T>, body: unknown): T[] {
  if (!Array.isArray(body)) return [];
  return body.slice(0, 100).flatMap((v) => {
    const parsed = schema.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });
}

export function createTeamHealthGitlab(options: TeamHealthGitlabOptions): TeamHealthGitlab {
  const deps = { ...realDeps, ...options.deps };
  const reads = createGitlabRequester({ ...DEFAULT_POLICY, ...READS, ...options.policy }, deps);
  const writes = createGitlabRequester({ ...DEFAULT_POLICY, ...options.policy, ...WRITES }, deps);
  const prefixUrl = `${options.url.replace(/\/+$/, '')}/api/v4`;
  const headers = { 'private-token': options.token };
  const get = async (endpoint: string) =>
    (await reads.send(endpoint, { method: 'GET', prefixUrl, headers, searchParams: 'per_page=100' })).body;
  const post = async (endpoint: string, body: Record<string, unknown>) =>
    (
      await writes.send(endpoint, {
        method: 'POST',
        prefixUrl,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).body;
  return {
    abort(reason) {
      reads.abort(reason);
      writes.abort(reason);
    },
    async createIssue(projectPath, issue): Promise<CreatedIssue> {
      const body = await post(`projects/${enc(projectPath)}/issues`, {
        title: issue.title.slice(0, 255),
        description: issue.description,
        labels: issue.labels.join(','),
      });
      const created = parseShape(GlCreated, body, `the issue created in ${projectPath}`);
      return { id: created.id, iid: created.iid, webUrl: created.web_url };
    },
    async addIssueToEpic(groupPath, epicIid, issueId) {
      await post(`groups/${enc(groupPath)}/epics/${epicIid}/issues/${issueId}`, {});
    },
    async closedBy(projectPath, issueIid): Promise<ClosingMr[]> {
      const list = rows(GlClosingMr, await get(`projects/${enc(projectPath)}/issues/${issueIid}/closed_by`));
      return list.map((mr) => ({
        projectId: mr.project_id,
        iid: mr.iid,
        state: mr.state,
        webUrl: mr.web_url ?? null,
      }));
    },
    async mrPipelines(projectId, mrIid): Promise<MrPipeline[]> {
      return rows(GlPipeline, await get(`projects/${projectId}/merge_requests/${mrIid}/pipelines`));
    },
    async testCount(projectId, pipelineId) {
      try {
        const body = await get(`projects/${projectId}/pipelines/${pipelineId}/test_report_summary`);
        const parsed = GlTestSummary.safeParse(body);
        return parsed.success ? (parsed.data.total?.count ?? null) : null;
      } catch (error) {
        // A pipeline without a test report has no summary to show.
        if (error instanceof GitlabHttpError && error.status === 404) return null;
        throw error;
      }
    },
  };
}
