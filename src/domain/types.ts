/** Pure domain types shared by the importer, the store, the services and the views. No I/O here. */

/** An ISO calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;

export type RoleKind =
  'executive_sponsor' | 'facilitator' | 'functional_lead' | 'stakeholder' | 'member' | 'other';

export type PercentSource = 'gitlab' | 'handbook' | 'manual' | 'rollup';

export type CriterionSection = 'entry' | 'exit';

export interface Criterion {
  id: number | null;
  section: CriterionSection;
  title: string;
  url: string | null;
  /** From a linked GitLab issue, epic or milestone: the most trusted figure. */
  gitlabPercent: number | null;
  /** From a `=> NN%` marker on the handbook page. */
  handbookPercent: number | null;
  /** Set by hand in Slack or the CLI. */
  manualPercent: number | null;
  weight: number | null;
  sourceLine: number | null;
  /** The criterion's owner (DRI) as the page names it. */
  owner: string | null;
  children: Criterion[];
  /** Where the GitLab figure comes from (the linked object's title) and when it was synced; absent: unknown. */
  gitlabFrom?: GitlabFigureOrigin | null;
  /** GitLab's health status of the linked object (work items), when it gives one. */
  health?: Health | null;
  /** 'kr:<id>' for a criterion made from a key result of a linked objective: the sync owns it. */
  okrKey?: string | null;
}

/** Which GitLab object a figure comes from, and when wgbot last read it. */
export interface GitlabFigureOrigin {
  name: string;
  syncedAt: string;
}

export interface CriterionProgress {
  id: number | null;
  title: string;
  url: string | null;
  /** Null: no figure yet (never 0 %). */
  percent: number | null;
  source: PercentSource | null;
  owner: string | null;
  /** Set when the criterion's own figure and its sub-items' roll-up disagree by more than 10 points. */
  flag: string | null;
  children: CriterionProgress[];
  /** For a figure from GitLab: which object gave it and when it was synced. */
  gitlabFrom?: GitlabFigureOrigin | null;
  health?: Health | null;
  /** True for a criterion made from a key result of a linked objective. */
  fromOkr?: boolean;
}

/** How many of a group's top-level exit criteria have a figure. */
export interface Coverage {
  measured: number;
  total: number;
}

export interface Role {
  role: string;
  kind: RoleKind;
  name: string;
  title: string | null;
  slackUserId: string | null;
  gitlabUsername: string | null;
}

export interface FollowUp {
  title: string;
  url: string | null;
}

/** GitLab's health status of an issue, epic or work item (Ultimate); null when GitLab gives none. */
export type Health = 'on_track' | 'needs_attention' | 'at_risk';

export type ItemState = 'open' | 'done';
export type ItemSource = 'epic_task' | 'gitlab_issue' | 'gitlab_epic' | 'manual';

export interface SprintRef {
  number: number | null;
  title: string;
  source: 'iteration' | 'milestone' | 'text';
}

export interface ActionItem {
  id: number | null;
  source: ItemSource;
  sourceKey: string;
  title: string;
  notes: string | null;
  state: ItemState;
  sprint: SprintRef | null;
  owners: string[];
  dueDate: IsoDate | null;
  url: string | null;
  storyRef: string | null;
  confidential: boolean;
  weight: number | null;
  labels: string[];
  snoozedUntil: string | null;
  closedAt: string | null;
  /** GitLab's health status of the issue or work item; null or absent when GitLab gives none. */
  health?: Health | null;
  /** A key result's or objective's progress 0–100; null or absent for other items. */
  progress?: number | null;
}

/** A sprint with dates, from GitLab (iteration or milestone) or derived from the group's cadence. */
export interface Sprint {
  number: number | null;
  title: string;
  startDate: IsoDate | null;
  endDate: IsoDate | null;
  source: 'iteration' | 'milestone' | 'cadence';
}

export interface SprintCadence {
  lengthDays: number;
  anchorNumber: number;
  /** First day of sprint `anchorNumber`. */
  anchorDate: IsoDate;
}

/**
 * Where a group stands in its life: 'active' gets digests, nudges and periodic syncs; 'paused' keeps
 * syncing but gets no digest or nudge; 'ended' gets none of them and is hidden from lists unless asked.
 */
export type Lifecycle = 'active' | 'paused' | 'ended';

/** Who set a group's lifecycle: its page said so, or someone ran a command. */
export type LifecycleSource = 'page' | 'command';

export interface WorkingGroup {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  businessGoal: string | null;
  createdDate: IsoDate | null;
  targetEndDate: IsoDate | null;
  channel: string | null;
  slackChannelId: string | null;
  docUrl: string | null;
  taskBoardUrl: string | null;
  timezone: string;
  cadence: SprintCadence | null;
  digestCron: string | null;
  digestTimezone: string | null;
  lifecycle: Lifecycle;
  lifecycleSource: LifecycleSource | null;
  /** The day the group ended; null unless it has ended. */
  endedOn: IsoDate | null;
  /** The end date its page last gave, kept for when a command ends the group. */
  pageEndedOn: IsoDate | null;
  /** The page's Outcome, as written. */
  outcome: string | null;
}
