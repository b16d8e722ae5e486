/**
 * The repository side of the fake GitLab (see gitlab.ts, which routes to it): files on branches, commits
 * and merge requests, answered the way GitLab's REST documentation gives them.
 *
 * - `GET  /projects/:id/repository/files/:file_path?ref=` (Repository files API): `{file_name, file_path,
 *   size, encoding: 'base64', content, content_sha256, ref, blob_id, commit_id, last_commit_id}`; 404
 *   `{"message": "404 File Not Found"}`.
 * - `GET  /projects/:id/repository/branches/:branch` (Branches API): `{name, commit, merged, protected,
 *   default, web_url}`; 404 `{"message": "404 Branch Not Found"}`.
 * - `POST /projects/:id/repository/commits` (Commits API): `branch`, `commit_message`, `start_branch`,
 *   `force`, `actions[]` (`update` only here, `encoding` text or base64, `last_commit_id`); a new branch
 *   needs `start_branch`; an existing one with `start_branch` needs `force` (then it is reset to it
 *   first); a stale `last_commit_id` is refused (400). 201 with the commit.
 * - `GET  /projects/:id/merge_requests?state=&source_branch=` (Merge requests API), `POST` (201; 409 when an
 *   open one has the same source branch), `PUT /projects/:id/merge_requests/:iid` (title, description).
 * A token marked read-only (`readOnly = true`, scope read_api) gets 403 `insufficient_scope` on writes.
 */
import { createHash } from 'node:crypto';

export interface RepoAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface FileRec {
  bytes: Buffer;
  lastCommitId: string;
}

interface BranchRec {
  head: string;
  files: Map<string, FileRec>;
}

export interface FakeCommit {
  id: string;
  projectId: number;
  branch: string;
  message: string;
  /** Each file the commit changed, before and after (the branch's file before the commit). */
  changes: { path: string; before: string; after: string }[];
}

export interface FakeMergeRequest {
  id: number;
  iid: number;
  project_id: number;
  title: string;
  description: string | null;
  state: 'opened' | 'closed' | 'merged';
  source_branch: string;
  target_branch: string;
  web_url: string;
  created_at: string;
  updated_at: string;
}

/** What the repository fake needs of the rest of the fake GitLab. */
export interface RepoHost {
  now(): Date;
  /** The project's id and web URL by a path segment (id or encoded path); throws GitLab's 404 when none. */
  project(segment: string): { id: number; web_url: string; default_branch: string };
  /** GitLab's offset pagination (page, per_page, x-next-page, Link) of a listing at `rawPath`. */
  paginate(items: unknown[], q: URLSearchParams, rawPath: string): RepoAnswer;
}

const json = (status: number, body: unknown): RepoAnswer => ({ status, body });
const sha = (text: string | Buffer) => createHash('sha1').update(text).digest('hex');

export class FakeGitlabRepo {
  /** Set to answer writes as GitLab does for a token with read_api only. */
  readOnly = false;
  readonly commits: FakeCommit[] = [];
  readonly mergeRequests: FakeMergeRequest[] = [];
  private readonly branches = new Map<number, Map<string, BranchRec>>();
  private mrSeq = 600000;

  constructor(private readonly host: RepoHost) {}

  /** Puts a file on a project's branch (default: its default branch) as one commit. */
  addFile(projectPath: string, path: string, content: string | Buffer, branch?: string): string {
    const project = this.host.project(encodeURIComponent(projectPath));
    const branchRec = this.branch(project.id, branch ?? project.default_branch, true)!;
    const id = sha(`${projectPath}\0${path}\0${this.commits.length}\0${String(content)}`);
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const before = branchRec.files.get(path)?.bytes.toString('utf8') ?? '';
    branchRec.files.set(path, { bytes, lastCommitId: id });
    branchRec.head = id;
    this.commits.push({
      id,
      projectId: project.id,
      branch: branch ?? project.default_branch,
      message: `add ${path}`,
      changes: [{ path, before, after: bytes.toString('utf8') }],
    });
    return id;
  }

  /** A file's text on a branch, or null. */
  fileText(projectPath: string, path: string, branch: string): string | null {
    const project = this.host.project(encodeURIComponent(projectPath));
    return this.branch(project.id, branch, false)?.files.get(path)?.bytes.toString('utf8') ?? null;
  }

  branchNames(projectPath: string): string[] {
    const project = this.host.project(encodeURIComponent(projectPath));
    return [...(this.branches.get(project.id)?.keys() ?? [])];
  }

  private branch(projectId: number, name: string, create: boolean): BranchRec | null {
    let all = this.branches.get(projectId);
    if (!all) {
      all = new Map();
      this.branches.set(projectId, all);
    }
    let found = all.get(name) ?? null;
    if (!found && create) {
      found = { head: sha(`${projectId}\0${name}\0root`), files: new Map() };
      all.set(name, found);
    }
    return found;
  }

  /** Answers a repository or merge request route, or null when the route is not one of these. */
  route(method: string, seg: string[], q: URLSearchParams, body: unknown): RepoAnswer | null {
    const [root, id, sub, kind, name, ...rest] = seg;
    if (root !== 'projects' || id === undefined) return null;
    if (
      sub === 'repository' &&
      kind === 'files' &&
      name !== undefined &&
      rest.length === 0 &&
      method === 'GET'
    )
      return this.getFile(id, decodeURIComponent(name), q.get('ref'));
    if (
      sub === 'repository' &&
      kind === 'branches' &&
      name !== undefined &&
      rest.length === 0 &&
      method === 'GET'
    )
      return this.getBranch(id, decodeURIComponent(name));
    if (sub === 'repository' && kind === 'commits' && name === undefined && method === 'POST')
      return this.writable() ?? this.commit(id, asRecord(body));
    if (sub === 'merge_requests' && kind === undefined) {
      if (method === 'GET') return this.listMergeRequests(id, q, `/api/v4/projects/${id}/merge_requests`);
      if (method === 'POST') return this.writable() ?? this.createMergeRequest(id, asRecord(body));
    }
    if (sub === 'merge_requests' && kind !== undefined && name === undefined && method === 'PUT')
      return this.writable() ?? this.updateMergeRequest(id, kind, asRecord(body));
    return null;
  }

  private writable(): RepoAnswer | null {
    return this.readOnly ? json(403, { error: 'insufficient_scope', scope: 'api' }) : null;
  }

  private getFile(segment: string, path: string, ref: string | null): RepoAnswer {
    if (!ref) return json(400, { error: 'ref is missing' });
    const project = this.host.project(segment);
    const branch = this.branch(project.id, ref, false);
    const file = branch?.files.get(path);
    if (!branch || !file) return json(404, { message: '404 File Not Found' });
    return json(200, {
      file_name: path.split('/').at(-1),
      file_path: path,
      size: file.bytes.length,
      encoding: 'base64',
      content: file.bytes.toString('base64'),
      content_sha256: createHash('sha256').update(file.bytes).digest('hex'),
      ref,
      blob_id: sha(Buffer.concat([Buffer.from(`blob ${file.bytes.length}\0`), file.bytes])),
      commit_id: branch.head,
      last_commit_id: file.lastCommitId,
      execute_filemode: false,
    });
  }

  private getBranch(segment: string, name: string): RepoAnswer {
    const project = this.host.project(segment);
    const branch = this.branch(project.id, name, false);
    if (!branch) return json(404, { message: '404 Branch Not Found' });
    return json(200, {
      name,
      commit: { id: branch.head, short_id: branch.head.slice(0, 8) },
      merged: false,
      protected: name === project.default_branch,
      default: name === project.default_branch,
      web_url: `${project.web_url}/-/tree/${name}`,
    });
  }

  /** The branch a commit goes on: existing, created from start_branch, or reset to it with force. */
  private commitBranch(projectId: number, b: Record<string, unknown>): BranchRec | RepoAnswer {
    const name = String(b.branch ?? '');
    const start = typeof b.start_branch === 'string' ? b.start_branch : null;
    const existing = this.branch(projectId, name, false);
    if (existing && start && start !== name && b.force !== true)
      return json(400, {
        message: `A branch called '${name}' already exists. Switch to that branch in order to make changes`,
      });
    if (existing && !(start && b.force === true)) return existing;
    if (!start) return json(400, { message: 'You can only create or edit files when you are on a branch' });
    const from = this.branch(projectId, start, false);
    if (!from) return json(400, { message: `You can only create or edit files when you are on a branch` });
    const copy: BranchRec = { head: from.head, files: new Map(from.files) };
    this.branches.get(projectId)!.set(name, copy);
    return copy;
  }

  private commit(segment: string, b: Record<string, unknown>): RepoAnswer {
    const project = this.host.project(segment);
    if (typeof b.branch !== 'string' || typeof b.commit_message !== 'string' || !Array.isArray(b.actions))
      return json(400, { error: 'branch, commit_message, actions are missing' });
    const branch = this.commitBranch(project.id, b);
    if ('status' in branch) return branch;
    const id = sha(`${project.id}\0${b.branch}\0${this.commits.length}\0${b.commit_message}`);
    const changes: FakeCommit['changes'] = [];
    const staged = new Map(branch.files);
    for (const raw of b.actions as Record<string, unknown>[]) {
      const path = String(raw.file_path ?? '');
      const file = staged.get(path);
      if (raw.action !== 'update') return json(400, { message: `action ${String(raw.action)} is not faked` });
      if (!file) return json(400, { message: "A file with this name doesn't exist" });
      if (typeof raw.last_commit_id === 'string' && raw.last_commit_id !== file.lastCommitId)
        return json(400, { message: `The file has changed since you started editing it: ${path}` });
      const content = String(raw.content ?? '');
      const bytes = raw.encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
      changes.push({ path, before: file.bytes.toString('utf8'), after: bytes.toString('utf8') });
      staged.set(path, { bytes, lastCommitId: id });
    }
    branch.files = staged;
    branch.head = id;
    this.commits.push({ id, projectId: project.id, branch: b.branch, message: b.commit_message, changes });
    return json(201, {
      id,
      short_id: id.slice(0, 8),
      title: b.commit_message.split('\n')[0],
      message: b.commit_message,
      created_at: this.host.now().toISOString(),
      parent_ids: [],
      web_url: `${project.web_url}/-/commit/${id}`,
    });
  }

  private listMergeRequests(segment: string, q: URLSearchParams, rawPath: string): RepoAnswer {
    const project = this.host.project(segment);
    const state = q.get('state');
    const source = q.get('source_branch');
    return this.host.paginate(
      this.mergeRequests.filter(
        (mr) =>
          mr.project_id === project.id &&
          (!state || state === 'all' || mr.state === state) &&
          (!source || mr.source_branch === source),
      ),
      q,
      rawPath,
    );
  }

  private createMergeRequest(segment: string, b: Record<string, unknown>): RepoAnswer {
    const project = this.host.project(segment);
    const source = String(b.source_branch ?? '');
    if (!source || !b.target_branch || !b.title)
      return json(400, { error: 'source_branch, target_branch, title are missing' });
    if (!this.branch(project.id, source, false))
      return json(400, { message: ['Source branch does not exist'] });
    const clash = this.mergeRequests.find(
      (mr) => mr.project_id === project.id && mr.source_branch === source && mr.state === 'opened',
    );
    if (clash)
      return json(409, {
        message: [`Another open merge request already exists for this source branch: !${clash.iid}`],
      });
    const iid = this.mergeRequests.filter((mr) => mr.project_id === project.id).length + 1;
    const at = this.host.now().toISOString();
    const mr: FakeMergeRequest = {
      id: this.mrSeq++,
      iid,
      project_id: project.id,
      title: String(b.title),
      description: typeof b.description === 'string' ? b.description : null,
      state: 'opened',
      source_branch: source,
      target_branch: String(b.target_branch),
      web_url: `${project.web_url}/-/merge_requests/${iid}`,
      created_at: at,
      updated_at: at,
    };
    this.mergeRequests.push(mr);
    return json(201, mr);
  }

  private updateMergeRequest(segment: string, iidText: string, b: Record<string, unknown>): RepoAnswer {
    const project = this.host.project(segment);
    const mr = this.mergeRequests.find((m) => m.project_id === project.id && String(m.iid) === iidText);
    if (!mr) return json(404, { message: '404 Not found' });
    if (typeof b.title === 'string') mr.title = b.title;
    if (typeof b.description === 'string') mr.description = b.description;
    if (b.state_event === 'close') mr.state = 'closed';
    mr.updated_at = this.host.now().toISOString();
    return json(200, mr);
  }
}

function asRecord(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
