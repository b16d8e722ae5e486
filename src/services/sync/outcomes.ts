import { GitlabHttpError, GitlabLimitError, GitlabUnavailableError } from '../../gitlab/http.js';
import { SourceAccessError, type SourceFetchResult } from '../../gitlab/sources.js';
import type { StoredSource } from '../../store/repositories/gitlabSources.js';
import { describeWarning, type RecordWarning } from '../../gitlab/tolerance.js';

export interface SourceOutcome {
  sourceId: number;
  url: string;
  mode: 'full' | 'incremental';
  issues: number;
  complete: boolean;
  /** Why this link's fetch failed (what it holds stays as its last good fetch left it); null when it worked. */
  error: string | null;
  /**
   * `access`: GitLab answered 403/404 — no such object, or the token cannot see it; `unavailable`: GitLab
   * did not answer through the retries; `limit`: the sync stopped at a bound of wgbot's own (more pages than
   * GITLAB_MAX_PAGES, an answer too large, SYNC_BUDGET_SECONDS used up); `other`: anything else (garbage in
   * the answer, say).
   */
  errorKind: 'access' | 'unavailable' | 'limit' | 'other' | null;
  /** Records GitLab sent that this fetch could not understand and left out (the link still synced). */
  skipped: number;
  /** One line per record skipped or read with a guess, naming it (at most `WARNINGS_SHOWN`). */
  warnings: string[];
}

/** How many record warnings one link's outcome lists; the count `skipped` is always whole. */
export const WARNINGS_SHOWN = 20;

export interface SyncOutcome {
  slug: string;
  status: 'synced' | 'failed' | 'busy' | 'no-sources' | 'no-gitlab';
  sources: SourceOutcome[];
  /** HTTP requests this sync made (retries included). */
  requests: number;
  removed: number;
  error: string | null;
  ms: number;
  /** After a sync: how many things the plan and GitLab disagree on (`wgbot drift`). */
  disagreements?: number;
  /** Records skipped over all links (each is named in its link's `warnings`). */
  skipped: number;
  /** `busy`: the other process's lease this sync found (`owner` names host and process id) and its end. */
  heldBy?: { owner: string; until: string };
  /** A lease left by a process that stopped mid-sync (a crash), expired and taken over by this sync. */
  tookOver?: { owner: string; expiredAt: string };
}

/** Builds a group's outcome with the sync's request count and duration filled in. */
export type Outcome = (status: SyncOutcome['status'], fields?: Partial<SyncOutcome>) => SyncOutcome;

/** One link's fetch: what GitLab returned, or why it could not. */
export type Fetched = (
  | { source: StoredSource; result: SourceFetchResult; error?: undefined }
  | { source: StoredSource; error: unknown; result?: undefined }
) & {
  /** Records the fetch skipped or read with a guess (see gitlab/tolerance.ts). */
  warnings?: RecordWarning[];
};

/** How many of a fetch's record warnings are skipped records. */
export function skippedOf(f: Pick<Fetched, 'warnings'>): number {
  return (f.warnings ?? []).filter((w) => w.skipped).length;
}

export function errorKind(error: unknown): NonNullable<SourceOutcome['errorKind']> {
  if (error instanceof SourceAccessError) return 'access';
  if (error instanceof GitlabLimitError) return 'limit';
  if (error instanceof GitlabHttpError && (error.status === 403 || error.status === 404)) return 'access';
  if (error instanceof GitlabUnavailableError) return 'unavailable';
  return 'other';
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function sourceOutcome(fetched: Fetched, full: boolean): SourceOutcome {
  const { source, result, error } = fetched;
  const records = {
    skipped: skippedOf(fetched),
    warnings: (fetched.warnings ?? []).slice(0, WARNINGS_SHOWN).map(describeWarning),
  };
  if (result)
    return {
      sourceId: source.id,
      url: source.url,
      mode: result.mode,
      issues: result.issues.length,
      complete: result.complete,
      error: null,
      errorKind: null,
      ...records,
      warnings: [...(result.warnings ?? []), ...records.warnings],
    };
  return {
    sourceId: source.id,
    url: source.url,
    mode: full || !source.cursor ? 'full' : 'incremental',
    issues: 0,
    complete: false,
    error: messageOf(error),
    errorKind: errorKind(error),
    ...records,
  };
}
