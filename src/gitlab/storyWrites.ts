import { z } from 'zod';
import {
  createGitlabRequester,
  DEFAULT_POLICY,
  GitlabHttpError,
  type HttpDeps,
  type RequestPolicy,
  realDeps,
} from './http.js';
import { GitlabShapeError, parseShape } from './schemas.js';

// What the drift buttons write: a new story from an epic's task line, linked to the epic, and the epic's
// description with one line changed. A click waits on these: short retries, and none for a create (a
// create that timed out may have landed, and a second would be a duplicate story).
const INTERACTIVE: Partial<RequestPolicy> = { maxRetries: 2, maxDelayMs: 2_000, timeoutMs: 15_000 };

const GlEpicText = z.object({ description: z.string().nullable().optional() });
const GlCreated = z.object({
  id: z.number(),
  iid: z.number(),
  web_url: z.string(),
  references: z.object({ full: z.string() }).partial().optional(),
});
const GlTokenSelf = z.object({ scopes: z.array(z.string()) });
const GlNamed = z.object({ id: z.number(), title: z.string().optional(), username: z.string().optional() });

/** A story wgbot created: GitLab's global id (for the epic link), its number, reference and page. */
export interface CreatedStory {
  id: number;
  iid: number;
  ref: string;
  webUrl: string;
}

export interface NewStory {
  title: string;
  description: string;
  assigneeIds: number[];
  milestoneId: number | null;
}

/** The GitLab calls behind "Create the story" and "Tick the line" (REST v4, `api` scope). */
export interface StoryWrites {
  /** The scopes of wgbot's own token (`GET /personal_access_tokens/self`); null when GitLab will not say. */
  tokenScopes(): Promise<string[] | null>;
  epicDescription(groupPath: string, iid: number): Promise<string>;
  setEpicDescription(groupPath: string, iid: number, description: string): Promise<void>;
  /** The active account with exactly this username, else null. */
  accountId(username: string): Promise<number | null>;
  /** The project's (or an ancestor group's) milestone with exactly this title, else null. */
  milestoneId(projectPath: string, title: string): Promise<number | null>;
  createIssue(projectPath: string, story: NewStory): Promise<CreatedStory>;
  /** Puts the issue (by its global id) in the epic: GitLab's epic issues API. */
  linkToEpic(groupPath: string, epicIid: number, issueId: number): Promise<void>;
}

export interface StoryWritesOptions {
  url: string;
  token: string;
  policy?: Partial<RequestPolicy>;
  deps?: Partial<HttpDeps>;
}

const enc = (path: string) => encodeURIComponent(path);

function named(body: unknown): z.infer<typeof GlNamed>[] {
  if (!Array.isArray(body)) return [];
  return body.flatMap((v) => {
    const parsed = GlNamed.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });
}

type Send = ReturnType<typeof createGitlabRequester>['send'];

/** The requests the calls share: retried reads and edits, and a sender that never retries (creates). */
interface Requests {
  get(endpoint: string, query?: Record<string, string>): Promise<unknown>;
  send: Send;
  sendOnce: Send;
  prefixUrl: string;
  headers: Record<string, string>;
  json: Record<string, string>;
}

export function createStoryWrites(options: StoryWritesOptions): StoryWrites {
  const policy = { ...DEFAULT_POLICY, ...INTERACTIVE, ...options.policy };
  const deps = { ...realDeps, ...options.deps };
  const { send } = createGitlabRequester(policy, deps);
  const { send: sendOnce } = createGitlabRequester({ ...policy, maxRetries: 0 }, deps);
  const prefixUrl = `${options.url.replace(/\/+$/, '')}/api/v4`;
  const headers = { 'private-token': options.token };
  const get = async (endpoint: string, query: Record<string, string> = {}) =>
    (
      await send(endpoint, {
        method: 'GET',
        prefixUrl,
        headers,
        searchParams: new URLSearchParams(query).toString(),
      })
    ).body;
  const r: Requests = {
    get,
    send,
    sendOnce,
    prefixUrl,
    headers,
    json: { ...headers, 'content-type': 'application/json' },
  };
  return { ...readCalls(r), ...writeCalls(r) };
}

type ReadCalls = 'tokenScopes' | 'epicDescription' | 'accountId' | 'milestoneId';

function readCalls({ get }: Requests): Pick<StoryWrites, ReadCalls> {
  return {
    async tokenScopes() {
      try {
        return parseShape(GlTokenSelf, await get('personal_access_tokens/self'), 'the token').scopes;
      } catch (error) {
        // Older GitLab, or a kind of token the endpoint does not describe: the write itself will tell.
        if (error instanceof GitlabHttpError || error instanceof GitlabShapeError) return null;
        throw error;
      }
    },
    async epicDescription(groupPath, iid) {
      const epic = parseShape(GlEpicText, await get(`groups/${enc(groupPath)}/epics/${iid}`), `epic &${iid}`);
      return epic.description ?? '';
    },
    async accountId(username) {
      const found = named(await get('users', { username })).filter(
        (u) => u.username?.toLowerCase() === username.toLowerCase(),
      );
      return found.length === 1 ? found[0]!.id : null;
    },
    async milestoneId(projectPath, title) {
      const list = named(
        await get(`projects/${enc(projectPath)}/milestones`, {
          title,
          include_ancestors: 'true',
          state: 'active',
        }),
      ).filter((m) => m.title === title);
      return list[0]?.id ?? null;
    },
  };
}

function writeCalls(r: Requests): Pick<StoryWrites, 'setEpicDescription' | 'createIssue' | 'linkToEpic'> {
  const { prefixUrl, json } = r;
  return {
    async setEpicDescription(groupPath, iid, description) {
      await r.send(`groups/${enc(groupPath)}/epics/${iid}`, {
        method: 'PUT',
        prefixUrl,
        headers: json,
        body: JSON.stringify({ description }),
      });
    },
    async createIssue(projectPath, story) {
      const answer = await r.sendOnce(`projects/${enc(projectPath)}/issues`, {
        method: 'POST',
        prefixUrl,
        headers: json,
        body: JSON.stringify({
          title: story.title,
          description: story.description,
          ...(story.assigneeIds.length > 0 ? { assignee_ids: story.assigneeIds } : {}),
          ...(story.milestoneId !== null ? { milestone_id: story.milestoneId } : {}),
        }),
      });
      const created = parseShape(GlCreated, answer.body, `the new issue in ${projectPath}`);
      return {
        id: created.id,
        iid: created.iid,
        ref: created.references?.full ?? `${projectPath}#${created.iid}`,
        webUrl: created.web_url,
      };
    },
    async linkToEpic(groupPath, epicIid, issueId) {
      await r.sendOnce(`groups/${enc(groupPath)}/epics/${epicIid}/issues/${issueId}`, {
        method: 'POST',
        prefixUrl,
        headers: r.headers,
      });
    },
  };
}
