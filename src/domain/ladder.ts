import { addDaysIso, daysBetween } from './dates.js';
import type { IsoDate } from './types.js';

/**
 * The escalation ladder of an overdue item: its owner is reminded (the nudge DM), then its group's
 * facilitators are asked, then its executive sponsor. Each step is reached once per item. Pure: the
 * service gives the facts (dates in the group's zone), this says which step is due now and what comes next.
 */
export const LADDER_STEPS = ['owner', 'facilitators', 'sponsor'] as const;
export type LadderStep = (typeof LADDER_STEPS)[number];

/** Why a step was reached: the item went overdue, its reminders went unanswered, it stayed late, its owner is blocked, or the facilitators had their days. */
export type StepReason = 'overdue' | 'nudges' | 'late' | 'blocked' | 'after-facilitators';

/** When a group's ladder climbs: facilitators after N unanswered nudges or M days late, the sponsor K days after them. */
export interface LadderSettings {
  afterNudges: number;
  afterLateDays: number;
  sponsorAfterDays: number;
}

export const DEFAULT_LADDER: LadderSettings = { afterNudges: 3, afterLateDays: 5, sponsorAfterDays: 10 };

/** The bounds `/wg escalation` accepts (the table checks the same). */
export const LADDER_LIMITS = {
  afterNudges: { min: 1, max: 60 },
  afterLateDays: { min: 1, max: 365 },
  sponsorAfterDays: { min: 1, max: 365 },
} as const;

export interface LadderFacts {
  /** The group's local date now. */
  today: IsoDate;
  /** The day the item became due (the earlier of its due date and sprint end); null: it is not overdue. */
  overdueSince: IsoDate | null;
  /** Owner reminders about it since the owner last did something about it. */
  unansweredNudges: number;
  /** The local day each step was reached, for the steps reached so far. */
  reached: Partial<Record<LadderStep, IsoDate>>;
  /** "I'm on it — new date": the ladder waits until this day has passed. */
  holdUntil: IsoDate | null;
  /** The owner said they are blocked: the facilitators' step is due at once. */
  blocked: boolean;
}

export interface DueStep {
  step: LadderStep;
  reason: StepReason;
}

/** What comes next: a step, and the day it is due if nothing changes (null: after more unanswered reminders or in the owner's next working hours). */
export interface NextStep {
  step: LadderStep;
  on: IsoDate | null;
}

export type LadderState =
  | { kind: 'quiet' }
  | { kind: 'held'; until: IsoDate; resumes: IsoDate }
  | { kind: 'climbing'; due: DueStep[]; next: NextStep | null };

/** The later of two dates, either may be missing. */
function later(a: IsoDate | null | undefined, b: IsoDate | null | undefined): IsoDate | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a > b ? a : b;
}

/** The facilitators' step: due, or when it will be; null when reached already. */
function facilitatorsStep(facts: LadderFacts, settings: LadderSettings, lateFrom: IsoDate) {
  if (facts.reached.facilitators) return null;
  if (facts.unansweredNudges >= settings.afterNudges)
    return { due: { step: 'facilitators', reason: 'nudges' } as DueStep };
  if (daysBetween(lateFrom, facts.today) >= settings.afterLateDays)
    return { due: { step: 'facilitators', reason: 'late' } as DueStep };
  return { next: { step: 'facilitators', on: addDaysIso(lateFrom, settings.afterLateDays) } as NextStep };
}

/**
 * Which steps are due for an item now, and what comes after. Lateness counts from the later of the day
 * the item became due and the end of a hold (a new date the owner gave); the sponsor's days count from
 * the later of the facilitators' step and the end of a hold. Nothing is due while a hold lasts (whether
 * or not the item still counts as overdue), or for an item that is not overdue — except the facilitators'
 * step for an owner who says they are blocked.
 */
export function ladderState(facts: LadderFacts, settings: LadderSettings = DEFAULT_LADDER): LadderState {
  // An owner who says they are blocked is heard at once, whatever the dates and any hold say.
  if (facts.blocked && !facts.reached.facilitators) {
    const next = { step: 'sponsor' as const, on: addDaysIso(facts.today, settings.sponsorAfterDays) };
    return { kind: 'climbing', due: [{ step: 'facilitators', reason: 'blocked' }], next };
  }
  if (facts.holdUntil !== null && facts.today <= facts.holdUntil)
    return { kind: 'held', until: facts.holdUntil, resumes: addDaysIso(facts.holdUntil, 1) };
  if (facts.overdueSince === null) return { kind: 'quiet' };
  const due: DueStep[] = [];
  if (!facts.reached.owner) due.push({ step: 'owner', reason: 'overdue' });
  const lateFrom = later(facts.overdueSince, facts.holdUntil)!;
  const facilitators = facilitatorsStep(facts, settings, lateFrom);
  if (facilitators?.next) {
    return {
      kind: 'climbing',
      due,
      next: facts.reached.owner ? facilitators.next : { step: 'owner', on: null },
    };
  }
  if (facilitators?.due) due.push(facilitators.due);
  if (facts.reached.sponsor) return { kind: 'climbing', due, next: null };
  // The facilitators' day: today when they are due now.
  const from = later(facts.reached.facilitators ?? facts.today, facts.holdUntil)!;
  if (daysBetween(from, facts.today) >= settings.sponsorAfterDays) {
    due.push({ step: 'sponsor', reason: 'after-facilitators' });
    return { kind: 'climbing', due, next: null };
  }
  const next: NextStep = due.some((d) => d.step === 'owner')
    ? { step: 'owner', on: null }
    : { step: 'sponsor', on: addDaysIso(from, settings.sponsorAfterDays) };
  return { kind: 'climbing', due, next };
}

/** The highest step an item has reached, or null. */
export function currentStep(reached: Partial<Record<LadderStep, unknown>>): LadderStep | null {
  return [...LADDER_STEPS].reverse().find((s) => reached[s] !== undefined) ?? null;
}

/** `N M K` as `/wg escalation` reads them: whole numbers within LADDER_LIMITS; else why not. */
export function parseLadderSettings(
  words: string[],
): { ok: true; settings: LadderSettings } | { ok: false; reason: string } {
  if (words.length !== 3) return { ok: false, reason: 'Give three numbers: N M K.' };
  const keys = ['afterNudges', 'afterLateDays', 'sponsorAfterDays'] as const;
  const values: number[] = [];
  for (const [i, word] of words.entries()) {
    const key = keys[i]!;
    const { min, max } = LADDER_LIMITS[key];
    if (!/^\d{1,3}$/.test(word) || Number(word) < min || Number(word) > max)
      return { ok: false, reason: `\`${word.slice(0, 20)}\` is not a whole number from ${min} to ${max}.` };
    values.push(Number(word));
  }
  return {
    ok: true,
    settings: { afterNudges: values[0]!, afterLateDays: values[1]!, sponsorAfterDays: values[2]! },
  };
}
