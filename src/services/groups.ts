import { roleKindOf } from '../domain/roles.js';
import type { WorkingGroup } from '../domain/types.js';
import { slugify } from '../import/slug.js';
import type { SubmissionClaim } from '../store/repositories/groupSubmissions.js';
import type { Store } from '../store/store.js';

/** A second create form with the same name this soon after the first is taken for the same group. */
export const SAME_NAME_WINDOW_MS = 10 * 60 * 1000;

export type { SubmissionClaim } from '../store/repositories/groupSubmissions.js';

export type Resolved =
  | { kind: 'found'; group: WorkingGroup }
  | { kind: 'unbound'; known: string[] }
  | { kind: 'unknown'; slug: string; known: string[] };

export interface NewGroup {
  name: string;
  channelId: string | null;
  channelName: string | null;
  targetEndDate: string | null;
  facilitatorPersonId: number;
  timezone: string;
}

/** Finding, creating and configuring working groups from Slack. */
export class GroupService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /**
   * The group a command means: the named one, else the one bound to the channel, else the one whose page
   * names this channel (`#wg_…`), which then becomes bound so the next lookup is one indexed read.
   */
  /** The group with this id, ended ones included; null when it is gone. */
  byId(wgId: number): WorkingGroup | null {
    return this.store.groups.getById(wgId);
  }

  resolve(slug: string | null, channelId: string | null, channelName: string | null): Resolved {
    if (slug) {
      const group = this.store.groups.getBySlug(slug);
      if (group) return { kind: 'found', group };
      return { kind: 'unknown', slug, known: this.#slugs() };
    }
    if (channelId) {
      const bound = this.store.groups.getByChannelId(channelId);
      if (bound) return { kind: 'found', group: bound };
      if (channelName) {
        const named = this.store.groups
          .list()
          .find(
            (g) => g.slackChannelId === null && g.channel?.toLowerCase() === `#${channelName.toLowerCase()}`,
          );
        if (named) return { kind: 'found', group: this.bind(named, channelId, channelName) };
      }
    }
    return { kind: 'unbound', known: this.#slugs() };
  }

  #slugs(): string[] {
    return this.store.groups
      .list()
      .filter((g) => g.lifecycle !== 'ended')
      .map((g) => g.slug);
  }

  /** Makes a channel the group's home; a channel is home to one group at a time. */
  bind(group: WorkingGroup, channelId: string, channelName: string | null): WorkingGroup {
    return this.store.transaction(() => {
      const previous = this.store.groups.getByChannelId(channelId);
      if (previous && previous.id !== group.id)
        this.store.groups.update(previous.id, { name: previous.name, slackChannelId: null }, this.now());
      return this.store.groups.update(
        group.id,
        {
          name: group.name,
          slackChannelId: channelId,
          ...(channelName ? { channel: `#${channelName}` } : {}),
        },
        this.now(),
      );
    });
  }

  /**
   * Claims a create-form submission before its acknowledgement (SQLite only): 'claimed' for the first of
   * its view and name; a second submission of the same view, or a group by the same name (case and
   * spacing aside) submitted in the last ten minutes, is told apart so it creates nothing.
   */
  claimSubmission(viewId: string, userId: string, name: string): SubmissionClaim {
    const now = this.now();
    const since = new Date(now.getTime() - SAME_NAME_WINDOW_MS);
    const nameKey = name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
    return this.store.transaction(() => this.store.submissions.claim(viewId, userId, nameKey, since, now));
  }

  /** A group's slug by its id; null when it is gone. */
  slugOf(wgId: number): string | null {
    return this.store.groups.getById(wgId)?.slug ?? null;
  }

  /** What became of a claimed submission: its group, or refused after the ack (the name is free again). */
  finishSubmission(viewId: string, outcome: { wgId: number } | 'refused'): void {
    this.store.transaction(() => this.store.submissions.finish(viewId, outcome, this.now()));
  }

  /** A new group from the Slack form, with its facilitator; the slug comes from the name and is made unique. */
  create(input: NewGroup): WorkingGroup {
    return this.store.transaction(() => {
      const base = slugify(input.name) || 'working-group';
      let slug = base;
      for (let n = 2; this.store.groups.getBySlug(slug); n += 1) slug = `${base.slice(0, 75)}-${n}`;
      if (input.channelId) {
        const previous = this.store.groups.getByChannelId(input.channelId);
        if (previous)
          this.store.groups.update(previous.id, { name: previous.name, slackChannelId: null }, this.now());
      }
      const group = this.store.groups.insert(
        slug,
        {
          name: input.name,
          targetEndDate: input.targetEndDate,
          slackChannelId: input.channelId,
          channel: input.channelName ? `#${input.channelName}` : input.channelId,
          sourceKind: 'slack',
          timezone: input.timezone,
        },
        this.now(),
      );
      this.store.roles.add(group.id, {
        personId: input.facilitatorPersonId,
        role: 'Facilitator',
        kind: 'facilitator',
        title: null,
        source: 'slack',
      });
      return group;
    });
  }

  /** Grants a role by its label ('facilitator', 'Functional Lead', 'DRI for Runner'). */
  addRole(group: WorkingGroup, personId: number, label: string): { created: boolean; role: string } {
    const role = label
      .trim()
      .split(/\s+/)
      .map((w) => (w === w.toLowerCase() ? w.charAt(0).toUpperCase() + w.slice(1) : w))
      .join(' ');
    const created = this.store.transaction(() =>
      this.store.roles.add(group.id, {
        personId,
        role,
        kind: roleKindOf(role),
        title: null,
        source: 'slack',
      }),
    );
    return { created, role };
  }

  removeRole(group: WorkingGroup, personId: number, label: string | null): number {
    return this.store.transaction(() => this.store.roles.remove(group.id, personId, label?.trim() ?? null));
  }

  setSchedule(group: WorkingGroup, cron: string | null, timeZone: string | null): WorkingGroup {
    return this.store.transaction(() =>
      this.store.groups.update(
        group.id,
        { name: group.name, digestCron: cron, digestTimezone: timeZone },
        this.now(),
      ),
    );
  }
}
