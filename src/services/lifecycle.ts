import { localDate } from '../domain/dates.js';
import type { IsoDate, Lifecycle, WorkingGroup } from '../domain/types.js';
import type { GroupFields } from '../store/repositories/workingGroups.js';
import type { Store } from '../store/store.js';

/** What a lifecycle command did, for the CLI and Slack to word. */
export interface LifecycleOutcome {
  group: WorkingGroup;
  /** False when the group was already in that state: nothing was written. */
  changed: boolean;
  /** For `unarchive`: the page said the group ended, so re-importing it will end it again. */
  pageSaysEnded: boolean;
}

/**
 * The lifecycle fields a page import writes. A page that says paused or ended sets that (and wins over a
 * command); a page that says nothing leaves a lifecycle set by command alone — silence is not "active" —
 * but takes back one the page itself had set before (the page changed its mind).
 */
export function lifecycleFromPage(
  page: { lifecycle: Lifecycle; endedOn: IsoDate | null; outcome: string | null },
  existing: WorkingGroup | null,
): Partial<GroupFields> {
  const always = { outcome: page.outcome, pageEndedOn: page.endedOn };
  if (page.lifecycle === 'ended') {
    // No date on the page: keep the one a command recorded, else leave it unknown rather than invent one.
    const endedOn = page.endedOn ?? (existing?.lifecycle === 'ended' ? existing.endedOn : null);
    return { ...always, lifecycle: 'ended', lifecycleSource: 'page', endedOn };
  }
  if (page.lifecycle === 'paused')
    return { ...always, lifecycle: 'paused', lifecycleSource: 'page', endedOn: null };
  if (existing?.lifecycleSource === 'page')
    return { ...always, lifecycle: 'active', lifecycleSource: null, endedOn: null };
  return always;
}

/** Ending, reopening and deleting working groups: `wgbot archive|unarchive|delete`, `/wg archive|unarchive`. */
export class LifecycleService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** Ends the group: on the end date its page gave, else today in the group's zone. */
  archive(group: WorkingGroup): LifecycleOutcome {
    if (group.lifecycle === 'ended') return { group, changed: false, pageSaysEnded: false };
    const now = this.now();
    const endedOn = group.pageEndedOn ?? localDate(now, group.timezone);
    const updated = this.store.transaction(() =>
      this.store.groups.update(
        group.id,
        { name: group.name, lifecycle: 'ended', lifecycleSource: 'command', endedOn },
        now,
      ),
    );
    return { group: updated, changed: true, pageSaysEnded: false };
  }

  /** Makes the group active again (from ended or paused): digests, nudges and syncs resume. */
  unarchive(group: WorkingGroup): LifecycleOutcome {
    const pageSaysEnded = group.lifecycleSource === 'page' && group.lifecycle !== 'active';
    if (group.lifecycle === 'active') return { group, changed: false, pageSaysEnded: false };
    const updated = this.store.transaction(() =>
      this.store.groups.update(
        group.id,
        { name: group.name, lifecycle: 'active', lifecycleSource: 'command', endedOn: null },
        this.now(),
      ),
    );
    return { group: updated, changed: true, pageSaysEnded };
  }

  /** Removes the group and every row that belongs to it; the people stay (they may be in other groups). */
  delete(group: WorkingGroup): boolean {
    return this.store.transaction(() => this.store.groups.delete(group.id));
  }
}
