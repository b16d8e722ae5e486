import { z } from 'zod';
import {
  createGitlabRequester,
  DEFAULT_POLICY,
  GitlabHttpError,
  type HttpDeps,
  type RequestPolicy,
  realDeps,
} from './http.js';
import { parseList, parseShape } from './schemas.js';

/**
 * The GitLab calls that change a repository through a merge request, as GitLab's REST documentation
 * gives them: Projects (`GET /projects/:id`), Repository files (`GET /projects/:id/repository/files/
 * :file_path?ref=`, the content base64-encoded with its `last_commit_id`), Branches (`GET …/repository/
 * branches/:branch`), Commits (`POST …/repository/commits` with actions) and Merge requests (`GET
 * /projects/:id/merge_requests?state=opened&source_branch=`, `POST`, `PUT …/merge_requests/:iid`). All go
 * through wgbot's requester (retries, rate limit, no token in logs). Writing needs the token's `api` scope.
 */

export const GlProject = z.object({
  id: z.number(),
  path_with_namespace: z.string(),
  default_branch: z.string().nullable().optional(),
  web_url: z.string(),
});
export type GlProject = z.infer<typeof GlProject>;

const GlRepositoryFile = z.object({
  file_path: z.string(),
  encoding: z.string(),
  content: z.string(),
  blob_id: z.string(),
  last_commit_id: z.string(),
});

export interface RepositoryFile {
  filePath: string;
  /** The file's text, decoded from GitLab's base64 as UTF-8. */
  text: string;
  /**
   * Whether `text` written back as UTF-8 gives the stored bytes again. False for a file that is not valid
   * UTF-8 (a Windows-1252 page): its odd bytes read as U+FFFD, and writing the text would change them.
   */
  exact: boolean;
  blobId: string;
  lastCommitId: string;
}

const GlBranch = z.object({ name: z.string(), commit: z.object({ id: z.string() }) });

const GlCommit = z.object({ id: z.string(), short_id: z.string(), web_url: z.string().optional() });
export type GlCommit = z.infer<typeof GlCommit>;

export const GlMergeRequest = z.object({
  id: z.number(),
  iid: z.number(),
  title: z.string(),
  description: z.string().nullable(),
  state: z.string(),
  source_branch: z.string(),
  target_branch: z.string(),
  web_url: z.string(),
});
export type GlMergeRequest = z.infer<typeof GlMergeRequest>;

export interface CommitUpdate {
  branch: string;
  /** The branch the commit is built on; with `force`, the branch is reset to it first. */
  startBranch: string;
  force: boolean;
  message: string;
  filePath: string;
  text: string;
  /** The file's last commit as read: GitLab refuses the update when the file changed since. */
  lastCommitId: string;
}

export interface RepositoryClient {
  getProject(project: string): Promise<GlProject>;
  /** The file at `ref`, or null when there is no such file (404). */
  getFile(project: string, filePath: string, ref: string): Promise<RepositoryFile | null>;
  /** Whether the branch exists (GET …/repository/branches/:branch). */
  hasBranch(project: string, branch: string): Promise<boolean>;
  commitUpdate(project: string, update: CommitUpdate): Promise<GlCommit>;
  openMergeRequests(project: string, sourceBranch: string): Promise<GlMergeRequest[]>;
  createMergeRequest(
    project: string,
    mr: { sourceBranch: string; targetBranch: string; title: string; description: string },
  ): Promise<GlMergeRequest>;
  updateMergeRequest(
    project: string,
    iid: number,
    mr: { title: string; description: string },
  ): Promise<GlMergeRequest>;
}

export interface RepositoryClientOptions {
  url: string;
  token: string;
  policy?: Partial<RequestPolicy>;
  deps?: Partial<HttpDeps>;
}

const enc = (value: string) => encodeURIComponent(value);

type Call = (
  method: string,
  endpoint: string,
  query: Record<string, string>,
  body?: object,
) => Promise<unknown>;

/** One request through wgbot's requester, JSON in and out; a 404 is null where asked. */
function caller(options: RepositoryClientOptions): {
  call: Call;
  orNull: <T>(work: () => Promise<T>) => Promise<T | null>;
} {
  const requester = createGitlabRequester(
    { ...DEFAULT_POLICY, ...options.policy },
    { ...realDeps, ...options.deps },
  );
  const prefixUrl = `${options.url.replace(/\/+$/, '')}/api/v4`;
  const call: Call = async (method, endpoint, query, body) => {
    const answer = await requester.send(endpoint, {
      method,
      prefixUrl,
      headers: {
        'private-token': options.token,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      searchParams: new URLSearchParams(query).toString(),
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return answer.body;
  };
  const orNull = async <T>(work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GitlabHttpError && error.status === 404) return null;
      throw error;
    }
  };
  return { call, orNull };
}

const project = (path: string) => `projects/${enc(path)}`;

export function createRepositoryClient(options: RepositoryClientOptions): RepositoryClient {
  const { call, orNull } = caller(options);
  return { ...repositoryCalls(call, orNull), ...mergeRequestCalls(call) };
}

type RepositoryCalls = 'getProject' | 'getFile' | 'hasBranch' | 'commitUpdate';

function repositoryCalls(
  call: Call,
  orNull: ReturnType<typeof caller>['orNull'],
): Pick<RepositoryClient, RepositoryCalls> {
  return {
    async getProject(path) {
      return parseShape(GlProject, await call('GET', project(path), {}), `project ${path}`);
    },
    async getFile(path, filePath, ref) {
      const answer = await orNull(() =>
        call('GET', `${project(path)}/repository/files/${enc(filePath)}`, { ref }),
      );
      if (answer === null) return null;
      const file = parseShape(GlRepositoryFile, answer, `file ${filePath}`);
      const bytes = file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : null;
      const text = bytes ? bytes.toString('utf8') : file.content;
      const exact = bytes ? Buffer.from(text, 'utf8').equals(bytes) : true;
      return {
        filePath: file.file_path,
        text,
        exact,
        blobId: file.blob_id,
        lastCommitId: file.last_commit_id,
      };
    },
    async hasBranch(path, branch) {
      const answer = await orNull(() =>
        call('GET', `${project(path)}/repository/branches/${enc(branch)}`, {}),
      );
      return answer !== null && parseShape(GlBranch, answer, `branch ${branch}`).name === branch;
    },
    async commitUpdate(path, update) {
      const body = {
        branch: update.branch,
        start_branch: update.startBranch,
        force: update.force,
        commit_message: update.message,
        actions: [
          {
            action: 'update',
            file_path: update.filePath,
            // base64 carries the bytes exactly, whatever the page's line ends.
            encoding: 'base64',
            content: Buffer.from(update.text, 'utf8').toString('base64'),
            last_commit_id: update.lastCommitId,
          },
        ],
      };
      return parseShape(
        GlCommit,
        await call('POST', `${project(path)}/repository/commits`, {}, body),
        'commit',
      );
    },
  };
}

function mergeRequestCalls(
  call: Call,
): Pick<RepositoryClient, 'openMergeRequests' | 'createMergeRequest' | 'updateMergeRequest'> {
  return {
    async openMergeRequests(path, sourceBranch) {
      const list = await call('GET', `${project(path)}/merge_requests`, {
        state: 'opened',
        source_branch: sourceBranch,
        per_page: '20',
      });
      return parseList(GlMergeRequest, list, `merge requests from ${sourceBranch}`);
    },
    async createMergeRequest(path, mr) {
      const body = {
        source_branch: mr.sourceBranch,
        target_branch: mr.targetBranch,
        title: mr.title,
        description: mr.description,
        remove_source_branch: true,
      };
      return parseShape(
        GlMergeRequest,
        await call('POST', `${project(path)}/merge_requests`, {}, body),
        'merge request',
      );
    },
    async updateMergeRequest(path, iid, mr) {
      return parseShape(
        GlMergeRequest,
        await call('PUT', `${project(path)}/merge_requests/${iid}`, {}, mr),
        `merge request !${iid}`,
      );
    },
  };
}
