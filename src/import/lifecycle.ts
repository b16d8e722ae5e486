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
  endedOn: IsoDate | null;
  /** A plain 'End Date': the day the group ended when a target is given besides, or the page says it ended. */
  endDate: IsoDate | null;
  hasTarget: boolean;
  outcome: string | null;
  sentence: Lifecycle | null;
  today: IsoDate | null;
}

/**
 * Where the group stands: the page's own status word first (front matter, then a Status attribute), then
 * a past 'Date Ended'/'Date Closed', then an outcome or a sentence saying it closed. A 'Date Ended' still
 * to come is a plan, not an end.
 */
export function readLifecycle(e: LifecycleEvidence): { lifecycle: Lifecycle; endedOn: IsoDate | null } {
  const past = (date: IsoDate | null) => date !== null && (e.today === null || date <= e.today);
  const stated = lifecycleOf(e.frontMatterStatus) ?? lifecycleOf(e.statusAttribute);
  const endDate = e.hasTarget || stated === 'ended' ? e.endDate : null;
  const endedOn = past(e.endedOn) ? e.endedOn : past(endDate) ? endDate : null;
  if (stated === 'paused') return { lifecycle: 'paused', endedOn: null };
  if (stated === 'ended') return { lifecycle: 'ended', endedOn: endedOn ?? e.endedOn };
  if (e.frontMatterStatus && /\bactive|ongoing|in progress|open\b/i.test(e.frontMatterStatus)) {
    return { lifecycle: 'active', endedOn: null };
  }
  if (endedOn) return { lifecycle: 'ended', endedOn };
  const told = lifecycleOf(e.outcome) ?? e.sentence;
  if (told) return { lifecycle: told, endedOn: told === 'ended' ? endedOn : null };
  return { lifecycle: 'active', endedOn: null };
}
