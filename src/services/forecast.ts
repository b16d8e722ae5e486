import { addDaysIso } from '../domain/dates.js';
import { type Forecast, FORECAST_WEEKS, forecast, STALLED_DAYS } from '../domain/forecast.js';
import type { IsoDate, Lifecycle } from '../domain/types.js';
import type { Store } from '../store/store.js';

export type { Forecast, Verdict } from '../domain/forecast.js';

/**
 * A group's forecast from its recorded figures; null for a paused or ended group (no deadline runs, so
 * no verdict either). Reads two index seeks' worth of rows: cheap enough for every line of a list.
 */
export function groupForecast(
  store: Store,
  group: { id: number; lifecycle: Lifecycle; targetEndDate: IsoDate | null },
  today: IsoDate,
  overall: number | null,
): Forecast | null {
  if (group.lifecycle !== 'active') return null;
  const from = addDaysIso(today, -Math.max(FORECAST_WEEKS * 7, STALLED_DAYS));
  return forecast({
    history: store.progressDays.overallHistory(group.id, from),
    overall,
    today,
    targetEndDate: group.targetEndDate,
  });
}
