import { addDaysIso, daysBetween } from './dates.js';
import type { IsoDate, Sprint, SprintCadence, SprintRef } from './types.js';

const SPRINT_TITLE = /\bsprint\s*#?\s*(\d{1,4})\b/i;

/** The N of a title like 'Sprint 21', 'Sprint #21 (Nov)' or 'Platform sprint 21'; null otherwise. */
export function sprintNumberFromTitle(title: string): number | null {
  const match = SPRINT_TITLE.exec(title);
  return match ? Number(match[1]) : null;
}

/** Sprint `number` laid out by the group's cadence (fixed length from an anchor sprint). */
export function cadenceSprint(cadence: SprintCadence, number: number): Sprint {
  const startDate = addDaysIso(cadence.anchorDate, (number - cadence.anchorNumber) * cadence.lengthDays);
  return {
    number,
    title: `Sprint ${number}`,
    startDate,
    endDate: addDaysIso(startDate, cadence.lengthDays - 1),
    source: 'cadence',
  };
}

/** The cadence sprint that contains `date`. */
export function cadenceSprintAt(cadence: SprintCadence, date: IsoDate): Sprint {
  const offset = Math.floor(daysBetween(cadence.anchorDate, date) / cadence.lengthDays);
  return cadenceSprint(cadence, cadence.anchorNumber + offset);
}

function contains(sprint: Sprint, date: IsoDate): boolean {
  return (
    sprint.startDate !== null && sprint.endDate !== null && sprint.startDate <= date && date <= sprint.endDate
  );
}

/**
 * Gives an item's sprint its dates. Sources in order (docs/architecture.md): a GitLab iteration, else a
 * milestone titled 'Sprint N', else the group's cadence. A sprint none of them knows keeps its title and
 * no dates.
 */
export function resolveSprint(
  ref: SprintRef | null,
  known: Sprint[],
  cadence: SprintCadence | null,
): Sprint | null {
  if (!ref) return null;
  if (ref.source !== 'text') {
    const exact = known.find((s) => s.source === ref.source && s.title === ref.title);
    if (exact) return exact;
  }
  if (ref.number !== null) {
    const byNumber =
      known.find((s) => s.source === 'iteration' && s.number === ref.number) ??
      known.find((s) => s.source === 'milestone' && s.number === ref.number);
    if (byNumber) return byNumber;
    if (cadence) return cadenceSprint(cadence, ref.number);
  }
  return { number: ref.number, title: ref.title, startDate: null, endDate: null, source: 'cadence' };
}

/** The sprint running on `today`, by the same order of sources. */
export function currentSprint(today: IsoDate, known: Sprint[], cadence: SprintCadence | null): Sprint | null {
  return (
    known.find((s) => s.source === 'iteration' && contains(s, today)) ??
    known.find((s) => s.source === 'milestone' && s.number !== null && contains(s, today)) ??
    (cadence ? cadenceSprintAt(cadence, today) : null)
  );
}
