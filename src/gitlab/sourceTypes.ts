// What every source of a group's work answers, REST or GraphQL: kept apart from the REST sources so the
// GraphQL ones (src/gitlab/graphql/) share it without reaching into them.
import type { SourceCursor } from '../domain/sources.js';
import type { GlEpic, GlIssue, GlIteration } from './schemas.js';

export interface ContainerInfo {
  title: string;
  description: string | null;
  state: string | null;
  webUrl: string | null;
  externalId: string;
  dueDate: string | null;
  updatedAt: string | null;
  /** GitLab's health status of the container (work items), when it has one. */
  health?: 'on_track' | 'needs_attention' | 'at_risk' | null;
  /** An objective's or key result's progress 0–100 (work items' progress widget); absent otherwise. */
  progress?: number | null;
}

export interface SourceFetchInput {
  cursor: SourceCursor | null;
  /** External ids ('issue:<id>') of the issues this source held after its last sync. */
  known: ReadonlySet<string>;
  /** External ids ('epic:<id>') of the child epics it held; an epic source's incremental fetch reads them. */
  knownChildEpics?: ReadonlySet<string>;
  /**
   * The container as the last fetch recorded it (null when none did, or before its description was kept):
   * an incremental fetch that learns the container did not change uses this instead of asking again.
   */
  stored?: ContainerInfo | null;
  full: boolean;
  now: Date;
}

export interface SourceFetchResult {
  mode: 'full' | 'incremental';
  container: ContainerInfo | null;
  issues: GlIssue[];
  /** True when `issues` is every member of the source; false when it is only what changed. */
  complete: boolean;
  /**
   * External ids ('issue:<id>') of members a complete listing sent but could not read: absent from
   * `issues`, they stay members (GitLab still has them); every other member missing from `issues` left.
   */
  issuesKept?: string[];
  /** Child epics, or null when not fetched this time (the stored ones stay). */
  childEpics: GlEpic[] | null;
  /**
   * False when `childEpics` holds only the children that changed (the others stay), with `childEpicsGone`
   * the ids of those that left the epic; absent or true when `childEpics` is every child.
   */
  childEpicsComplete?: boolean;
  childEpicsGone?: number[];
  iterations: GlIteration[] | null;
  cursor: SourceCursor;
  /** What went oddly but did not stop the fetch (a record skipped, GitLab's partial GraphQL errors, an API switch). */
  warnings?: string[];
}

/**
 * One kind of GitLab object that holds a working group's work. REST sources live here; a Work Items
 * (GraphQL) source for epics after the REST epics API is removed implements the same interface.
 */
export interface WorkSource {
  fetch(input: SourceFetchInput): Promise<SourceFetchResult>;
}

/** The source exists but this token or this GitLab cannot read it: the message says what to link instead. */
export class SourceAccessError extends Error {
  override name = 'SourceAccessError';
  /** GitLab's HTTP status behind it (403, 404, 410), when there was one. */
  status: number | null = null;
}

/** A full fetch at least this often catches what incremental fetches cannot see (deleted issues, lost events). */
export const FULL_SYNC_EVERY_MS = 24 * 60 * 60 * 1000;
/** Incremental fetches start this far before the cursor: GitLab's updated_at has one-second steps. */
export const OVERLAP_MS = 5 * 60 * 1000;
