import type { IsoDate } from '../domain/types.js';
import type { Lifecycle } from './model.js';

const ENDED =
  /\b(?:completed?|done|disbanded|closed|ended|finished|concluded|retired|archived|dissolved|sunset|wrapped up|inactive|achieved|accomplished)\b/i;
const PAUSED = /\b(?:paused|on[ -]hold|suspended|dormant|postponed)\b/i;
const NOT = /\b(?:not|never|no longer)\s+(?:yet\s+)?$/i;

/** What a status word, an outcome or a sentence says about the group: ended, paused, or nothing. */
export function lifecycleOf(text: string | null): Lifecycle | null {
  if (!text) return null;
  const paused = PAUSED.exec(text);
  const ended = ENDED.exec(text);
  const said = (m: RegExpExecArray | null) => m !== null && !NOT.test(text.slice(0, m.index));
  // 'Completed, paused from … to …' ended; 'Paused' alone paused: the first word said wins.
  if (said(paused) && (!said(ended) || paused!.index < ended!.index)) return 'paused';
  if (said(ended)) return 'ended';
  return null;
}

// A sentence saying so: 'This working group was disbanded on …', 'The working group has concluded'.
const ENDED_SENTENCE =
  /\b(?:this|the)\s+(?:working\s+)?group\s+(?:has\s+been|was|is\s+now|is|has)\s+(?:officially\s+)?(disbanded|closed|completed|concluded|ended|dissolved|retired|archived|paused|on hold)\b/i;

export function lifecycleFromSentence(text: string): Lifecycle | null {
  const match = ENDED_SENTENCE.exec(text);
  return match ? lifecycleOf(match[1]!) : null;
}

export interface LifecycleEvidence {
  frontMatterStatus: string | null;
  statusAttribute: string | null;
  /** An explicit 'Date Ended', 'Actual End Date', 'Date Closed', 'Completed'. */
  endedOn: IsoDate | null;
  /** A plain 'End Date' (no 'target', 'estimated', 'planned'): the target while ahead, the end once past. */
  endDate: IsoDate | null;
  outcome: string | null;
  sentence: Lifecycle | null;
  today: IsoDate | null;
}

export interface LifecycleReading {
  lifecycle: Lifecycle;
  endedOn: IsoDate | null;
  /** Which date alone made the group ended (no status word said so): the import warns about it. */
  endedByDate: 'endedOn' | 'endDate' | null;
  /** A past 'End Date' the page's own Status attribute contradicts ('Open'): kept active, with a warning. */
  endDateOverruled: boolean;
}

const ACTIVE = /\b(?:active|ongoing|on-?going|in progress|open)\b|進行中|活動中|オープン/i;

/**
 * Where the group stands. A status word that says ended or paused (front matter, then a Status attribute)
 * decides. Else a past end date: an explicit 'Date Ended' always, a plain 'End Date' unless the page's
 * Status attribute says the group is still open or active. The front matter's `status: active` does not
 * hold a past date back: pages keep it from the template long after the group ended. A 'Target End Date'
 * is never an end. Else an outcome or a sentence saying the group closed. A date ahead of today is a plan.
 */
export function readLifecycle(e: LifecycleEvidence): LifecycleReading {
  const past = (date: IsoDate | null) => date !== null && (e.today === null || date <= e.today);
  const stated = lifecycleOf(e.frontMatterStatus) ?? lifecycleOf(e.statusAttribute);
  const endedOn = past(e.endedOn) ? e.endedOn : past(e.endDate) ? e.endDate : null;
  const quiet = { endedByDate: null, endDateOverruled: false } as const;
  if (stated === 'paused') return { lifecycle: 'paused', endedOn: null, ...quiet };
  if (stated === 'ended') return { lifecycle: 'ended', endedOn: endedOn ?? e.endedOn, ...quiet };
  if (past(e.endedOn))
    return { lifecycle: 'ended', endedOn: e.endedOn, endedByDate: 'endedOn', endDateOverruled: false };
  const saysActive = e.statusAttribute !== null && ACTIVE.test(e.statusAttribute);
  if (past(e.endDate)) {
    if (saysActive) return { lifecycle: 'active', endedOn: null, endedByDate: null, endDateOverruled: true };
    return { lifecycle: 'ended', endedOn: e.endDate, endedByDate: 'endDate', endDateOverruled: false };
  }
  if (saysActive || (e.frontMatterStatus && ACTIVE.test(e.frontMatterStatus)))
    return { lifecycle: 'active', endedOn: null, ...quiet };
  const told = lifecycleOf(e.outcome) ?? e.sentence;
  if (told) return { lifecycle: told, endedOn: null, ...quiet };
  return { lifecycle: 'active', endedOn: null, ...quiet };
}
