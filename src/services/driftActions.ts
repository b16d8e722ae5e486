import { addStoryToTaskLine, tickTaskLine } from '../domain/taskLineEdits.js';
import type { CreatedStory, StoryWrites } from '../gitlab/storyWrites.js';
import { GitlabHttpError } from '../gitlab/http.js';
import { type ParsedActionItem, parseEpicDescription } from '../import/epic.js';
import { parseMarkdown } from '../import/markdown.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { Store } from '../store/store.js';

/** What a drift button did; the views word it. */
export type DriftActionResult =
  | {
      kind: 'created';
      title: string;
      story: CreatedStory;
      /** The owner made assignee, or the owners wgbot found no GitLab account for. */
      assignee: string | null;
      unassigned: string[];
      milestone: string | null;
    }
  | { kind: 'ticked'; title: string }
  | { kind: 'already'; title: string; what: 'has a story' | 'is ticked' }
  /** wgbot's GitLab token may only read: `api` is missing. */
  | { kind: 'no-api-scope' }
  | { kind: 'cannot'; reason: string }
  | { kind: 'gone' };

/** A task line of a linked epic, with where the epic is. */
interface EpicLine {
  item: StoredActionItem;
  groupPath: string;
  epicIid: number;
}

const NO_GITLAB = 'wgbot is not connected to GitLab here';

/** A story created in GitLab whose link to the epic or line write has not succeeded yet. */
type UnfinishedStory = Extract<DriftActionResult, { kind: 'created' }> & { linked: boolean };

/**
 * "Create the story" and "Tick the line": the two drift fixes wgbot can make itself. The epic's text is
 * read fresh before each write and only the line in question is changed. Both need wgbot's token to have
 * the `api` scope: asked of GitLab first where it says, else learnt from a refused write.
 */
export class DriftActionService {
  constructor(
    private readonly store: Store,
    private readonly gitlab: StoryWrites | null,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Lines whose story is being created now, by item id (one process serves the buttons). */
  readonly #creating = new Set<number>();
  /** Stories created whose epic link or line write failed, by item id: a retry finishes them. */
  readonly #unfinished = new Map<number, UnfinishedStory>();

  async tickLine(itemId: number): Promise<DriftActionResult> {
    const found = this.#line(itemId);
    if ('kind' in found) return found;
    const { item, groupPath, epicIid } = found;
    return this.#guarded(async (gitlab) => {
      const description = await gitlab.epicDescription(groupPath, epicIid);
      const task = this.#task(description, item);
      if (!task || task.line === null) return { kind: 'cannot', reason: 'the line is no longer in the epic' };
      if (task.done) return { kind: 'already', title: item.title, what: 'is ticked' };
      const ticked = tickTaskLine(description, task.line);
      if (ticked === null) return { kind: 'cannot', reason: 'the line is no longer in the epic' };
      await gitlab.setEpicDescription(groupPath, epicIid, ticked);
      return { kind: 'ticked', title: item.title };
    });
  }

  /**
   * "Create the story": once per line. A press while another is creating the same line's story is told so
   * (the claim is taken before the first await, so two clicks cannot both create); a story created whose
   * epic link or line write then failed is kept, and the next press finishes it instead of creating another.
   */
  async createStory(itemId: number): Promise<DriftActionResult> {
    if (this.#creating.has(itemId)) return { kind: 'cannot', reason: 'its story is being created right now' };
    this.#creating.add(itemId);
    try {
      return await this.#createStory(itemId);
    } finally {
      this.#creating.delete(itemId);
    }
  }

  async #createStory(itemId: number): Promise<DriftActionResult> {
    const found = this.#line(itemId);
    if ('kind' in found) return found;
    const { item, groupPath, epicIid } = found;
    if (item.storyRef) {
      this.#unfinished.delete(itemId);
      return { kind: 'already', title: item.title, what: 'has a story' };
    }
    const project = this.storyProject(itemId);
    if (!project) return { kind: 'cannot', reason: 'no story of the epic shows which project stories go in' };
    return this.#guarded(async (gitlab) => {
      const started = this.#unfinished.get(itemId) ?? (await this.#newStory(gitlab, found, project));
      if (started.kind !== 'created') return started;
      // Recorded before linking: whatever fails from here, a retry reuses this issue.
      this.#unfinished.set(itemId, started);
      if (!started.linked) {
        await gitlab.linkToEpic(groupPath, epicIid, started.story.id);
        started.linked = true;
      }
      await this.#writeReference(gitlab, found, started.story.ref);
      this.#unfinished.delete(itemId);
      const { linked: _linked, ...created } = started;
      return created;
    });
  }

  /** Creates the line's issue in GitLab (assignee, milestone), unless the line is gone or has a story. */
  async #newStory(
    gitlab: StoryWrites,
    { item, groupPath, epicIid }: EpicLine,
    project: string,
  ): Promise<UnfinishedStory | Exclude<DriftActionResult, { kind: 'created' }>> {
    const before = this.#task(await gitlab.epicDescription(groupPath, epicIid), item);
    if (!before || before.line === null)
      return { kind: 'cannot', reason: 'the line is no longer in the epic' };
    if (before.storyRef) return { kind: 'already', title: item.title, what: 'has a story' };
    const { assignee, assigneeIds, unassigned } = await this.#assignees(gitlab, item);
    const sprint = item.sprint?.title ?? null;
    const milestoneId = sprint ? await gitlab.milestoneId(project, sprint) : null;
    const story = await gitlab.createIssue(project, {
      title: item.title,
      description: `From the task list of epic &${epicIid} (${groupPath}), created by wgbot.`,
      assigneeIds,
      milestoneId,
    });
    return {
      kind: 'created',
      title: item.title,
      story,
      assignee,
      unassigned,
      milestone: milestoneId !== null ? sprint : null,
      linked: false,
    };
  }

  /** Writes the new story's reference onto the line, in the epic's text as it is now. */
  async #writeReference(gitlab: StoryWrites, { item, groupPath, epicIid }: EpicLine, ref: string) {
    const description = await gitlab.epicDescription(groupPath, epicIid);
    const task = this.#task(description, item);
    if (task?.storyRef === ref) return; // written by an earlier attempt whose answer was lost
    const rewritten = task?.line ? addStoryToTaskLine(description, task.line, ref) : null;
    if (rewritten === null) throw new Error(`the story ${ref} was created, but its line moved in the epic`);
    await gitlab.setEpicDescription(groupPath, epicIid, rewritten);
  }

  /** Runs a write, turning GitLab's refusals into what the reader is told. */
  async #guarded(write: (gitlab: StoryWrites) => Promise<DriftActionResult>): Promise<DriftActionResult> {
    if (!this.gitlab) return { kind: 'cannot', reason: NO_GITLAB };
    try {
      const scopes = await this.gitlab.tokenScopes();
      if (scopes !== null && !scopes.includes('api')) return { kind: 'no-api-scope' };
      return await write(this.gitlab);
    } catch (error) {
      if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 401)) {
        this.logger.warn(
          { status: error.status },
          'GitLab refused a drift fix: the token lacks the api scope',
        );
        return { kind: 'no-api-scope' };
      }
      this.logger.warn({ err: (error as Error).message }, 'drift fix failed');
      return { kind: 'cannot', reason: `GitLab did not take it (${(error as Error).message.slice(0, 200)})` };
    }
  }

  /** The item as a task line of a linked epic, or why it is not one. */
  #line(itemId: number): EpicLine | DriftActionResult {
    const item = this.store.items.getById(itemId);
    if (!item || item.removedAt) return { kind: 'gone' };
    if (item.source !== 'epic_task' || !item.gitlabPath || item.gitlabIid === null)
      return { kind: 'cannot', reason: 'the line is not in a linked GitLab epic' };
    return { item, groupPath: item.gitlabPath, epicIid: item.gitlabIid };
  }

  /** The line in the epic's text now, by the same key the sync gave it. */
  #task(description: string, item: StoredActionItem): ParsedActionItem | undefined {
    const key = item.sourceKey.slice(item.sourceKey.indexOf(':') + 1);
    return parseEpicDescription(parseMarkdown(description)).items.find((t) => t.key === key);
  }

  /** Where a line's story goes: the project most of its group's GitLab issues are in; null when none. */
  storyProject(itemId: number): string | null {
    const line = this.store.items.getById(itemId);
    if (!line) return null;
    const counts = new Map<string, number>();
    for (const item of this.store.items.listByWg(line.wgId))
      if (item.source === 'gitlab_issue' && item.gitlabPath)
        counts.set(item.gitlabPath, (counts.get(item.gitlabPath) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return ranked[0]?.[0] ?? null;
  }

  /** The line's first owner with a GitLab account becomes the assignee; the others are named. */
  async #assignees(gitlab: StoryWrites, item: StoredActionItem) {
    const unassigned: string[] = [];
    for (const owner of item.owners.slice(0, 5)) {
      const username = this.#usernameOf(item.wgId, owner);
      const id = username ? await gitlab.accountId(username) : null;
      if (id !== null) return { assignee: owner, assigneeIds: [id], unassigned };
      unassigned.push(owner);
    }
    return { assignee: null, assigneeIds: [], unassigned };
  }

  /** An owner's GitLab username: a handle as written, the person's known one, or their role's. */
  #usernameOf(wgId: number, owner: string): string | null {
    if (owner.startsWith('@')) return owner.slice(1);
    const person = this.store.people.findByName(owner);
    if (person?.gitlabUsername) return person.gitlabUsername;
    const role = this.store.roles.of(wgId).find((r) => r.name === owner && r.gitlabUsername);
    return role?.gitlabUsername ?? null;
  }
}
