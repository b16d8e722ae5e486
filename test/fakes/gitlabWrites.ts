/**
 * The fake GitLab's write routes for the drift buttons, and the scopes of its token (`fake.writes`):
 * - `GET  /personal_access_tokens/self`: the token's details, `scopes` among them
 * - `POST /projects/:id/issues`: a new issue (`title`, `description`, `assignee_ids`, `milestone_id`), 201
 * - `POST /groups/:id/epics/:epic_iid/issues/:issue_id`: puts the issue (global id) in the epic, 201
 * With `scopes` lacking `api` (a `read_api` token) every POST and PUT answers 403 `insufficient_scope`,
 * the epic's `PUT` (gitlab.ts) included, as GitLab does. Shapes follow GitLab's REST documentation.
 */
import type { FakeGitlab, IssueJson } from './gitlab.js';

interface Answer {
  status: number;
  body: unknown;
}

const obj = (body: unknown): Record<string, unknown> =>
  body && typeof body === 'object' ? (body as Record<string, unknown>) : {};

export class FakeGitlabWrites {
  /** The token's scopes; `['read_api']` makes it read-only. */
  scopes: string[] = ['api'];
  /** Whether `/personal_access_tokens/self` answers (older GitLab: 404, and the write itself tells). */
  selfEndpoint = true;

  constructor(private readonly fake: FakeGitlab) {}

  /** The answer for a write route (or a refused write), or null to let gitlab.ts answer. */
  route(method: string, seg: string[], body: unknown): Answer | null {
    if (method === 'GET' && seg.join('/') === 'personal_access_tokens/self') return this.tokenSelf();
    if (method !== 'POST' && method !== 'PUT') return null;
    if (!this.scopes.includes('api'))
      return {
        status: 403,
        body: {
          error: 'insufficient_scope',
          error_description: 'The request requires higher privileges than provided by the access token.',
          scope: 'api',
        },
      };
    if (method !== 'POST') return null;
    const [root, id, sub, subId, leaf, issueId, ...extra] = seg;
    if (root === 'projects' && id && sub === 'issues' && seg.length === 3)
      return this.createIssue(this.fake.projectPathFor(id), obj(body));
    if (
      root === 'groups' &&
      id &&
      sub === 'epics' &&
      subId &&
      leaf === 'issues' &&
      issueId &&
      extra.length === 0
    )
      return this.linkIssue(this.fake.groupPathFor(id), Number(subId), Number(issueId));
    return null;
  }

  private tokenSelf(): Answer {
    if (!this.selfEndpoint) return { status: 404, body: { error: '404 Not Found' } };
    return {
      status: 200,
      body: {
        id: 42,
        name: 'wgbot',
        revoked: false,
        created_at: '2026-01-01T00:00:00.000Z',
        description: null,
        scopes: this.scopes,
        user_id: this.fake.currentUser.id,
        last_used_at: null,
        active: true,
        expires_at: null,
      },
    };
  }

  private createIssue(projectPath: string, body: Record<string, unknown>): Answer {
    if (typeof body.title !== 'string' || body.title.trim() === '')
      return { status: 400, body: { error: 'title is missing' } };
    const assigneeIds = Array.isArray(body.assignee_ids) ? body.assignee_ids.map(Number) : [];
    const assignees = assigneeIds.flatMap((userId) => {
      const user = this.fake.userById(userId);
      return user ? [user] : [];
    });
    const milestone =
      body.milestone_id === undefined ? null : this.fake.milestoneById(Number(body.milestone_id));
    const issue: IssueJson = this.fake.addIssue(projectPath, {
      title: body.title,
      description: typeof body.description === 'string' ? body.description : '',
      assignees,
      milestone: milestone as IssueJson['milestone'],
      labels:
        typeof body.labels === 'string'
          ? body.labels
              .split(',')
              .map((l) => l.trim())
              .filter(Boolean)
          : [],
    });
    return { status: 201, body: this.fake.getIssue(projectPath, issue.iid) };
  }

  private linkIssue(groupPath: string, epicIid: number, issueId: number): Answer {
    const epic = this.fake.getEpic(groupPath, epicIid);
    const found = this.fake.issueById(issueId);
    if (!found) return { status: 404, body: { message: '404 Not found' } };
    const issue = this.fake.setIssueEpic(found.projectPath, found.json.iid, { groupPath, iid: epicIid });
    return { status: 201, body: { id: 800_000 + issueId, epic, issue } };
  }
}
