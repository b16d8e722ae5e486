import type { IsoDate } from './types.js';

/** How long a group took against its target, as the exit report's views and markdown both say it. */
export interface ExitTiming {
  started: IsoDate | null;
  finished: IsoDate;
  target: IsoDate | null;
  days: number | null;
  daysLate: number | null;
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** 'Took 120 days (2026-01-10 → 2026-05-10), 9 days after the target of 2026-05-01.' */
export function timingSentence(timing: ExitTiming): string {
  const span = timing.started ? `${timing.started} → ${timing.finished}` : `until ${timing.finished}`;
  const took = timing.days !== null ? `Took ${days(timing.days)} (${span})` : `Finished ${timing.finished}`;
  if (timing.target === null || timing.daysLate === null) return `${took}; no target end date was set.`;
  if (timing.daysLate === 0) return `${took}, on the target date.`;
  const when = timing.daysLate > 0 ? 'after' : 'before';
  return `${took}, ${days(Math.abs(timing.daysLate))} ${when} the target of ${timing.target}.`;
}
