import { z } from 'zod';
import { type RecordKind, readRecord, reportRecord } from './tolerance.js';

// The parts of GitLab's REST answers wgbot reads (docs: Issues, Epics, Epic Issues, Iterations, Milestones).
// Parsing them, rather than trusting them, turns a proxy's garbage into a clear sync error instead of a crash
// deep inside the store. Unknown fields are dropped; fields GitLab may omit are optional.

const date = z.string().nullable().optional();

// GitLab is known to send some fields loosely: booleans as strings ("confidential": "false" in its own
// "update epic" example), ids as numeric strings, null where a list is meant. These read them as meant.

/** A number, or a string of digits GitLab sent for one. */
const looseInt = z.preprocess(
  (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
  z.number(),
);

/** A boolean, or 'true'/'false' as a string; absent or null stays null (see `settleConfidential`). */
const looseFlag = z.preprocess((v) => {
  if (v === undefined) return null;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return v;
}, z.boolean().nullable());

/**
 * GitLab sends `confidential` on every issue and epic it documents; without it nobody can say the record
 * is public, so it is read as confidential (never shown where a public one would be), with a guess.
 */
function settleConfidential(record: { confidential: boolean | null }, guesses: Guess[]): boolean {
  if (record.confidential !== null) return record.confidential;
  guesses.push({ field: 'confidential', problem: 'absent: taken as confidential' });
  return true;
}

/** A list, where null means empty. */
const looseList = <T extends z.ZodType>(item: T) => z.preprocess((v) => v ?? [], z.array(item));

/** A guess made while reading a record (a missing field filled in); reported with the record's name. */
export interface Guess {
  field: string;
  problem: string;
}

/**
 * An issue's or epic's state: as given, else from `state_id` (1 opened, 2 closed, as in webhooks), else
 * closed when it has a `closed_at`, else open — with a guess saying so.
 */
function settleState<S extends string>(
  record: { state?: S | null | undefined; state_id?: number | null | undefined; closed_at?: string | null },
  guesses: Guess[],
): S | 'opened' | 'closed' {
  if (record.state) return record.state;
  if (record.state_id === 1) return 'opened';
  if (record.state_id === 2) return 'closed';
  if (record.closed_at) return 'closed';
  guesses.push({ field: 'state', problem: 'no state, state_id or closed_at given: taken as open' });
  return 'opened';
}

/** The record, carrying its guesses only when there are some. */
function withGuesses<T extends object>(record: T, guesses: Guess[]): T & { guesses?: Guess[] } {
  return guesses.length > 0 ? { ...record, guesses } : record;
}

export const GlUser = z.object({
  id: looseInt,
  username: z.string(),
  name: z.string(),
});

export const GlIteration = z.object({
  id: looseInt,
  iid: looseInt.nullable().optional(),
  sequence: looseInt.nullable().optional(),
  group_id: looseInt.nullable().optional(),
  title: z.string().nullable().optional(),
  // REST gives 1 upcoming, 2 current, 3 closed; webhooks and GraphQL give words.
  state: z.union([z.number(), z.string()]).nullable().optional(),
  start_date: date,
  due_date: date,
  web_url: z.string().nullable().optional(),
  // GraphQL and newer REST answers name the cadence an automatically scheduled iteration belongs to.
  iteration_cadence: z.object({ title: z.string().nullable().optional() }).nullable().optional(),
  cadence_title: z.string().nullable().optional(),
});

export const GlMilestone = z.object({
  id: looseInt,
  iid: looseInt.nullable().optional(),
  title: z.string(),
  state: z.string().nullable().optional(),
  start_date: date,
  due_date: date,
  web_url: z.string().nullable().optional(),
  project_id: looseInt.nullable().optional(),
  group_id: looseInt.nullable().optional(),
});

/** 'g/proj#6' → the issue's URL on the GitLab of `webUrl`'s host, when GitLab gave no web_url. */
function issueUrlFromReference(full: string | undefined, iid: number): string | null {
  if (!full?.includes('#')) return null;
  return `/${full.slice(0, full.lastIndexOf('#'))}/-/issues/${iid}`;
}

export const GlIssue = z
  .object({
    id: looseInt,
    iid: looseInt,
    project_id: looseInt,
    title: z.string(),
    state: z.enum(['opened', 'closed', 'locked']).nullable().optional(),
    state_id: looseInt.nullable().optional(),
    created_at: z.string().optional(),
    updated_at: z.string(),
    closed_at: date,
    labels: looseList(z.string()),
    milestone: GlMilestone.nullable().optional(),
    iteration: GlIteration.nullable().optional(),
    assignees: looseList(GlUser),
    due_date: date,
    confidential: looseFlag,
    web_url: z.string().nullable().optional(),
    weight: looseInt.nullable().optional(),
    task_completion_status: z.object({ count: looseInt, completed_count: looseInt }).nullable().optional(),
    references: z.object({ short: z.string().optional(), full: z.string().optional() }).nullable().optional(),
    epic: z.object({ id: looseInt, iid: looseInt }).nullable().optional(),
    // Ultimate only; absent elsewhere.
    health_status: z.enum(['on_track', 'needs_attention', 'at_risk']).nullable().optional(),
    // A key result's or objective's progress (GraphQL work items' progress widget); REST never sends it.
    progress: z.number().nullable().optional(),
  })
  .transform((issue, ctx) => {
    const guesses: Guess[] = [];
    const state = settleState(issue, guesses);
    const confidential = settleConfidential(issue, guesses);
    // Without web_url the path in `references.full` still says where the issue lives (host-relative).
    const webUrl = issue.web_url ?? issueUrlFromReference(issue.references?.full, issue.iid);
    if (webUrl === null) {
      ctx.addIssue({ code: 'custom', path: ['web_url'], message: 'no web_url and no references.full' });
      return z.NEVER;
    }
    if (!issue.web_url) guesses.push({ field: 'web_url', problem: 'absent: built from references.full' });
    return withGuesses({ ...issue, state, confidential, web_url: webUrl }, guesses);
  });

/**
 * An epic as GitLab's REST API sends it. Child epics as the epic-links documentation shows them have no
 * `state`, no `web_url` and no `confidential`: the state is settled here, the URL by the client (it knows
 * the group path and GitLab's address).
 */
export const GlEpicRecord = z
  .object({
    id: looseInt,
    iid: looseInt,
    group_id: looseInt.optional(),
    parent_id: looseInt.nullable().optional(),
    title: z.string(),
    description: z.string().nullable().optional(),
    state: z.enum(['opened', 'closed']).nullable().optional(),
    state_id: looseInt.nullable().optional(),
    confidential: looseFlag,
    web_url: z.string().nullable().optional(),
    start_date: date,
    due_date: date,
    end_date: date,
    updated_at: z.string(),
    closed_at: date,
    labels: looseList(z.string()),
    references: z.object({ full: z.string().optional() }).nullable().optional(),
  })
  .transform((epic) => {
    const guesses: Guess[] = [];
    const state = settleState(epic, guesses);
    const confidential = settleConfidential(epic, guesses);
    return withGuesses({ ...epic, state, confidential }, guesses);
  });

export type GlEpicRecord = z.infer<typeof GlEpicRecord>;

export const GlDeployment = z.object({
  id: z.number(),
  status: z.string(),
  created_at: z.string(),
  finished_at: z.string().nullable().optional(),
  deployable: z
    .object({ commit: z.object({ created_at: z.string().nullable().optional() }).nullable().optional() })
    .nullable()
    .optional(),
});

export type GlDeployment = z.infer<typeof GlDeployment>;
export type GlUser = z.infer<typeof GlUser>;
export type GlIteration = z.infer<typeof GlIteration>;
export type GlMilestone = z.infer<typeof GlMilestone>;
export type GlIssue = z.infer<typeof GlIssue>;
/** An epic once read: its web_url is known (given, or built from its group path and iid). */
export type GlEpic = Omit<GlEpicRecord, 'web_url'> & { web_url: string };

/** GitLab answered 200 with something that is not what its documentation describes. */
export class GitlabShapeError extends Error {
  override name = 'GitlabShapeError';
}

export function parseShape<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GitlabShapeError(
      `GitLab's answer for ${what} is not in the documented shape (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown'})`,
    );
  }
  return parsed.data;
}

/**
 * A list answer, each record validated on its own: one that cannot be understood is skipped with one
 * warning naming it; guesses made while reading one are reported too. A list answer that is not a list is
 * still an error of the whole answer.
 */
export function parseList<T>(schema: z.ZodType<T>, value: unknown, what: string, kind?: RecordKind): T[] {
  if (!Array.isArray(value)) throw new GitlabShapeError(`GitLab's answer for ${what} is not a list`);
  const records: T[] = [];
  for (const raw of value) {
    const record = readRecord(schema, raw, what, kind);
    if (record === null) continue;
    reportGuesses(record, what);
    records.push(record);
  }
  return records;
}

/** Reports the guesses a record's reading made (see `Guess`), once, with the record's name. */
export function reportGuesses(record: unknown, what: string): void {
  const { guesses, id, iid } = record as { guesses?: Guess[]; id?: number; iid?: number };
  for (const g of guesses ?? [])
    reportRecord({
      what,
      id: id ?? null,
      iid: iid ?? null,
      field: g.field,
      problem: g.problem,
      skipped: false,
    });
}
