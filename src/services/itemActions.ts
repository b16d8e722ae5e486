import { isIsoDate } from '../domain/dates.js';
import type { GitlabClient } from '../gitlab/client.js';
import { GitlabHttpError } from '../gitlab/http.js';
import { parseEpicDescription } from '../import/epic.js';
import { parseMarkdown } from '../import/markdown.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { Store } from '../store/store.js';

export type DoneResult =
  | { kind: 'done'; item: StoredActionItem; where: 'gitlab' | 'wgbot' }
  | { kind: 'already'; item: StoredActionItem }
  | { kind: 'read-only'; item: StoredActionItem; reason: string }
  | { kind: 'gone' }
  | { kind: 'failed'; item: StoredActionItem; reason: string };

/**
 * What the item buttons do. *Mark done* closes the GitLab issue or ticks the epic's task-list line when
 * the token may write (`api` scope); with a read-only token it says so and points at GitLab. Every action
 * is idempotent: clicking twice changes nothing the second time.
 */
export class ItemActionService {
  /** Set once GitLab refuses a write for want of scope, so we stop asking until restart. */
  #readOnly = false;

  constructor(
    private readonly store: Store,
    private readonly gitlab: GitlabClient | null,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
  ) {}

  async markDone(itemId: number): Promise<DoneResult> {
    const item = this.store.items.getById(itemId);
    if (!item || item.removedAt) return { kind: 'gone' };
    if (item.state === 'done') return { kind: 'already', item };

    const inGitlab =
      item.source === 'gitlab_issue' || item.source === 'gitlab_epic' || item.sourceKey.startsWith('s');
    if (!inGitlab) {
      // Items read from a file live only here: wgbot is where they are ticked.
      this.store.transaction(() => this.store.items.setState(item.id, 'done', this.now()));
      return { kind: 'done', item: this.store.items.getById(item.id)!, where: 'wgbot' };
    }
    if (!this.gitlab || this.#readOnly) {
      return {
        kind: 'read-only',
        item,
        reason: this.gitlab
          ? "wgbot's GitLab token can only read (scope read_api), so close it in GitLab"
          : 'wgbot is not connected to GitLab here, so close it in GitLab',
      };
    }
    try {
      if (item.source === 'gitlab_issue' && item.gitlabPath && item.gitlabIid !== null) {
        await this.gitlab.setIssueState(item.gitlabPath, item.gitlabIid, 'close');
      } else if (item.source === 'epic_task' && item.gitlabPath && item.gitlabIid !== null) {
        await this.#tickTaskLine(item);
      } else {
        return { kind: 'read-only', item, reason: 'wgbot cannot close epics, so close it in GitLab' };
      }
    } catch (error) {
      if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 401)) {
        this.#readOnly = true;
        this.logger.warn({ status: error.status }, 'GitLab refused a write: the token lacks the api scope');
        return {
          kind: 'read-only',
          item,
          reason: "wgbot's GitLab token may not write (it needs the api scope), so close it in GitLab",
        };
      }
      this.logger.warn({ item: item.id, err: (error as Error).message }, 'mark done failed');
      return {
        kind: 'failed',
        item,
        reason: `GitLab did not take it (${(error as Error).message.slice(0, 200)}); try again or close it in GitLab`,
      };
    }
    this.store.transaction(() => this.store.items.setState(item.id, 'done', this.now()));
    return { kind: 'done', item: this.store.items.getById(item.id)!, where: 'gitlab' };
  }

  /** Ticks the task-list line in the epic description: fetched fresh, changed in one place, written back. */
  async #tickTaskLine(item: StoredActionItem): Promise<void> {
    const epic = await this.gitlab!.getEpic(item.gitlabPath!, item.gitlabIid!);
    const description = epic.description ?? '';
    const key = item.sourceKey.slice(item.sourceKey.indexOf(':') + 1);
    const task = parseEpicDescription(parseMarkdown(description)).items.find((t) => t.key === key);
    if (!task || task.line === null) throw new Error('the line is no longer in the epic description');
    if (task.done) return;
    const lines = description.split('\n');
    const index = task.line - 1;
    lines[index] = lines[index]!.replace(/\[ \]/, '[x]');
    await this.gitlab!.setEpicDescription(item.gitlabPath!, item.gitlabIid!, lines.join('\n'));
  }

  /**
   * Gives an item a new due date: in GitLab too when it is an issue and the token may write; else here
   * (a task line's date lives in the epic text, which a person edits in GitLab).
   */
  async setDueDate(
    itemId: number,
    dueDate: string,
  ): Promise<{ item: StoredActionItem; where: 'gitlab' | 'wgbot' } | null> {
    // The listener checked the range in the reader's zone; whatever calls, only a real date is stored.
    if (!isIsoDate(dueDate)) throw new RangeError(`not a date: ${JSON.stringify(dueDate.slice(0, 40))}`);
    const item = this.store.items.getById(itemId);
    if (!item || item.removedAt) return null;
    let where: 'gitlab' | 'wgbot' = 'wgbot';
    if (
      item.source === 'gitlab_issue' &&
      item.gitlabPath &&
      item.gitlabIid !== null &&
      this.gitlab &&
      !this.#readOnly
    ) {
      try {
        await this.gitlab.setIssueDueDate(item.gitlabPath, item.gitlabIid, dueDate);
        where = 'gitlab';
      } catch (error) {
        if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 401))
          this.#readOnly = true;
        this.logger.warn({ item: item.id, err: (error as Error).message }, 'due date kept in wgbot only');
      }
    }
    this.store.transaction(() => {
      this.store.items.setDueDate(item.id, dueDate, this.now());
      this.store.items.snooze(item.id, null, this.now());
    });
    return { item: this.store.items.getById(item.id)!, where };
  }

  /** Keeps reminders away for `days` days; snoozing again extends from now. */
  snooze(itemId: number, days: number): { item: StoredActionItem; until: Date } | null {
    const item = this.store.items.getById(itemId);
    if (!item || item.removedAt) return null;
    const until = new Date(this.now().getTime() + days * 24 * 60 * 60 * 1000);
    this.store.transaction(() => this.store.items.snooze(item.id, until, this.now()));
    return { item: this.store.items.getById(item.id)!, until };
  }
}
