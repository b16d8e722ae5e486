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
  children: Criterion[];
}

export interface CriterionProgress {
  id: number | null;
  title: string;
  url: string | null;
  percent: number | null;
  source: PercentSource | null;
  children: CriterionProgress[];
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
  archivedAt: string | null;
}
