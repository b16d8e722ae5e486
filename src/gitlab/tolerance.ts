import { AsyncLocalStorage } from 'node:async_hooks';
import type { z } from 'zod';

/**
 * One record GitLab sent that wgbot could not take as it came: skipped (it cannot be understood), or
 * read with a guess (a child epic without `state` taken as open). Named so an operator can find it.
 */
export interface RecordWarning {
  /** What the record is, as wgbot asked for it: 'child epics of &5 in g', 'issues of epic &5'. */
  what: string;
  id: number | null;
  iid: number | null;
  /** The field at fault, dotted ('assignees.0.username'); '' for the record as a whole. */
  field: string;
  problem: string;
  /** True when the record was left out; false when it was read with a guess. */
  skipped: boolean;
  /** What kind of member the record would have been, when the listing says ('issue', 'epic'). */
  kind?: RecordKind;
}

export type RecordKind = 'issue' | 'epic';

const sinks = new AsyncLocalStorage<RecordWarning[]>();

/**
 * Runs `work` and gathers the record warnings its GitLab reads raise. The sink travels with the async
 * context (like the request scope), so the client's list readers need no extra argument.
 */
export async function collectRecordWarnings<T>(
  work: () => Promise<T>,
): Promise<{ value: T; warnings: RecordWarning[] }> {
  const warnings: RecordWarning[] = [];
  const value = await sinks.run(warnings, work);
  return { value, warnings };
}

/**
 * Records a warning in the current sink. Outside one (a CLI look-up, not a sync) nobody counts it: the
 * record is skipped all the same, and the caller sees fewer rows.
 */
export function reportRecord(warning: RecordWarning): void {
  sinks.getStore()?.push(warning);
}

/** A warning as one line of a log or a CLI answer: names the record, the field and what was done. */
export function describeWarning(w: RecordWarning): string {
  const ids = [w.id !== null ? `id ${w.id}` : null, w.iid !== null ? `iid ${w.iid}` : null]
    .filter(Boolean)
    .join(', ');
  const field = w.field ? ` field ${w.field}` : '';
  return `${w.what}${ids ? ` (${ids})` : ''}:${field} ${w.problem}; ${w.skipped ? 'skipped' : 'read anyway'}`;
}

function numberField(raw: unknown, key: 'id' | 'iid'): number | null {
  if (raw === null || typeof raw !== 'object') return null;
  const value = (raw as Record<string, unknown>)[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}

/** One record of a list: parsed, or skipped with one warning naming it (its id and iid, the field). */
export function readRecord<T>(schema: z.ZodType<T>, raw: unknown, what: string, kind?: RecordKind): T | null {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  reportRecord({
    what,
    id: numberField(raw, 'id'),
    iid: numberField(raw, 'iid'),
    field: issue ? issue.path.join('.') : '',
    problem: issue ? issue.message : 'not an object',
    skipped: true,
    ...(kind ? { kind } : {}),
  });
  return null;
}
