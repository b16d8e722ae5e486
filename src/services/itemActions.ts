import { TZDate } from '@date-fns/tz';
import { addDaysIso, isIsoDate } from '../domain/dates.js';
import type { GitlabClient } from '../gitlab/client.js';
import { GitlabHttpError } from '../gitlab/http.js';
import { parseEpicDescription } from '../import/epic.js';
import { parseMarkdown } from '../import/markdown.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import type { Store } from '../store/store.js';

/** Why wgbot cannot change an item in GitLab, said the same way by every button; null when it can. */
export type WriteBlock = string | null;

export type DoneResult =
  | { kind: 'done'; item: StoredActionItem; where: 'gitlab' | 'wgbot' }
  | { kind: 'already'; item: StoredActionItem }
  | { kind: 'read-only'; item: StoredActionItem; reason: string }
  | { kind: 'gone' }
  | { kind: 'failed'; item: StoredActionItem; reason: string };

export type DueDateResult = {
  item: StoredActionItem;
  dueDate: string;
  /** 'gitlab': written there too; 'wgbot': kept here (`blocked` says why, unless the item lives here). */
  where: 'gitlab' | 'wgbot';
  blocked: WriteBlock;
} | null;

export type SnoozeResult = {
  item: StoredActionItem;
  until: Date;
  /** Snoozing is wgbot's own; this says whether wgbot could change the item in GitLab at all. */
  blocked: WriteBlock;
} | null;

const READ_ONLY_TOKEN = "wgbot's GitLab token can only read (scope read_api)";
const NO_GITLAB = 'wgbot is not connected to GitLab here';

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

    if (!livesInGitlab(item)) {
      // Items read from a file live only here: wgbot is where they are ticked.
      this.store.transaction(() => this.store.items.setState(item.id, 'done', this.now()));
      return { kind: 'done', item: this.store.items.getById(item.id)!, where: 'wgbot' };
    }
    const blocked = this.writeBlock(item);
    if (blocked) return { kind: 'read-only', item, reason: blocked };
    try {
      if (item.source === 'gitlab_issue' && item.gitlabPath && item.gitlabIid !== null) {
        await this.gitlab!.setIssueState(item.gitlabPath, item.gitlabIid, 'close');
      } else if (item.source === 'epic_task' && item.gitlabPath && item.gitlabIid !== null) {
        await this.#tickTaskLine(item);
      } else {
        return { kind: 'read-only', item, reason: 'wgbot does not close epics' };
      }
    } catch (error) {
      if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 401)) {
        this.#readOnly = true;
        this.logger.warn({ status: error.status }, 'GitLab refused a write: the token lacks the api scope');
        return { kind: 'read-only', item, reason: READ_ONLY_TOKEN };
      }
      this.logger.warn({ item: item.id, err: (error as Error).message }, 'mark done failed');
      return {
        kind: 'failed',
        item,
        reason: `GitLab did not take it (${(error as Error).message.slice(0, 200)})`,
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
   * Why wgbot cannot change this item in GitLab — the same words on every button — or null when it can,
   * or when the item lives in wgbot alone (read from a file: wgbot is where it is changed).
   */
  writeBlock(item: StoredActionItem): WriteBlock {
    if (!livesInGitlab(item)) return null;
    if (!this.gitlab) return NO_GITLAB;
    return this.#readOnly ? READ_ONLY_TOKEN : null;
  }

  /**
   * Gives an item a new due date: in GitLab too when it is an issue and the token may write; else here
   * (a task line's date lives in the epic text, which a person edits in GitLab). Reminders about it stop
   * until that date has passed — even while its sprint's end keeps it overdue in the reports.
   */
  async setDueDate(itemId: number, dueDate: string): Promise<DueDateResult> {
    // The listener checked the range in the reader's zone; whatever calls, only a real date is stored.
    if (!isIsoDate(dueDate)) throw new RangeError(`not a date: ${JSON.stringify(dueDate.slice(0, 40))}`);
    const item = this.store.items.getById(itemId);
    if (!item || item.removedAt) return null;
    let where: 'gitlab' | 'wgbot' = 'wgbot';
    let blocked = this.writeBlock(item);
    if (!blocked && item.source === 'gitlab_issue' && item.gitlabPath && item.gitlabIid !== null) {
      try {
        await this.gitlab!.setIssueDueDate(item.gitlabPath, item.gitlabIid, dueDate);
        where = 'gitlab';
      } catch (error) {
        const refused = error instanceof GitlabHttpError && (error.status === 403 || error.status === 401);
        if (refused) this.#readOnly = true;
        blocked = refused
          ? READ_ONLY_TOKEN
          : `GitLab did not take it (${(error as Error).message.slice(0, 200)})`;
        this.logger.warn({ item: item.id, err: (error as Error).message }, 'due date kept in wgbot only');
      }
    } else if (!blocked && livesInGitlab(item)) {
      blocked =
        item.source === 'gitlab_epic' ? 'wgbot does not edit epics' : "its date is in the epic's text";
    }
    const quietUntil = startOfDay(addDaysIso(dueDate, 1), this.store.groups.getById(item.wgId)?.timezone);
    this.store.transaction(() => {
      this.store.items.setDueDate(item.id, dueDate, this.now());
      this.store.items.snooze(item.id, quietUntil > this.now() ? quietUntil : null, this.now());
    });
    return { item: this.store.items.getById(item.id)!, dueDate, where, blocked };
  }

  /** Keeps reminders away for `days` days; snoozing again extends from now. */
  snooze(itemId: number, days: number): SnoozeResult {
    const item = this.store.items.getById(itemId);
    if (!item || item.removedAt) return null;
    const until = new Date(this.now().getTime() + days * 24 * 60 * 60 * 1000);
    this.store.transaction(() => this.store.items.snooze(item.id, until, this.now()));
    return { item: this.store.items.getById(item.id)!, until, blocked: this.writeBlock(item) };
  }
}

/** Midnight at the start of `date` in the group's zone: when an item due the day before becomes overdue. */
function startOfDay(date: string, timeZone = 'UTC'): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(year, month - 1, day, timeZone).getTime());
}

/** Items from GitLab (issues, epics, stories, the epic's task lines); the rest were read from a file. */
function livesInGitlab(item: StoredActionItem): boolean {
  return item.source === 'gitlab_issue' || item.source === 'gitlab_epic' || item.sourceKey.startsWith('s');
}
