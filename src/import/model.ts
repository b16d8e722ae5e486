import type { FollowUp, IsoDate, RoleKind } from '../domain/types.js';
import type { ImportWarning } from './errors.js';

export interface ParsedCriterion {
  title: string;
  url: string | null;
  percent: number | null;
  /** The criterion's DRI/owner as the page names it (a criteria table's owner column), or null. */
  owner: string | null;
  /** Words the page put beside the figure ('=> 50% (blocked on X)' → 'blocked on X'), or null. */
  note: string | null;
  line: number | null;
  children: ParsedCriterion[];
}

export interface ParsedRole {
  role: string;
  kind: RoleKind;
  name: string;
  title: string | null;
  gitlabUsername: string | null;
  line: number | null;
}

/** Where a group stands in its life, as the page tells it (front matter `status`, an end date, an outcome). */
export type Lifecycle = 'active' | 'paused' | 'ended';

export interface ParsedWorkingGroup {
  slug: string;
  name: string;
  description: string | null;
  createdDate: IsoDate | null;
  targetEndDate: IsoDate | null;
  channel: string | null;
  docUrl: string | null;
  taskBoardUrl: string | null;
  businessGoal: string | null;
  entryCriteria: ParsedCriterion[];
  exitCriteria: ParsedCriterion[];
  followUps: FollowUp[];
  roles: ParsedRole[];
  /** 'ended' from `status: completed|disbanded`, a Date Ended/Closed or a closed outcome; 'paused' likewise. */
  lifecycle: Lifecycle;
  /** The day the group ended, when the page says it. */
  endedOn: IsoDate | null;
  /** The page's Outcome attribute, as written. */
  outcome: string | null;
  warnings: ImportWarning[];
}

/** What the reader is told besides the page: all of it plain data, so parsing stays pure. */
export interface ParseOptions {
  /** The month (1–12) fiscal years start in; FY24 is the one ending in 2024. Default 2 (February). */
  fiscalYearStartMonth: number;
  /** Relative links ('/handbook/…', '../foo') are resolved against this when set. */
  baseUrl: string | null;
  /** Today, to tell a past 'Date Ended' (the group ended) from a planned one. Unknown: any date counts. */
  today: IsoDate | null;
  /** A title for a page that has none (the importer passes the file's name). */
  fallbackTitle: string | null;
}

export const DEFAULT_PARSE_OPTIONS: ParseOptions = {
  fiscalYearStartMonth: 2,
  baseUrl: null,
  today: null,
  fallbackTitle: null,
};

/** What every reader of a page shares: the options and where to put what it read past. */
export interface ReadContext {
  options: ParseOptions;
  warnings: ImportWarning[];
}
