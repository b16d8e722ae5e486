import { z } from 'zod';

// The parts of GitLab's REST answers wgbot reads (docs: Issues, Epics, Epic Issues, Iterations, Milestones).
// Parsing them, rather than trusting them, turns a proxy's garbage into a clear sync error instead of a crash
// deep inside the store. Unknown fields are dropped; fields GitLab may omit are optional.

const date = z.string().nullable().optional();

export const GlUser = z.object({
  id: z.number(),
  username: z.string(),
  name: z.string(),
});

export const GlIteration = z.object({
  id: z.number(),
  iid: z.number().nullable().optional(),
  sequence: z.number().nullable().optional(),
  group_id: z.number().nullable().optional(),
  title: z.string().nullable().optional(),
  // REST gives 1 upcoming, 2 current, 3 closed; webhooks and GraphQL give words.
  state: z.union([z.number(), z.string()]).nullable().optional(),
  start_date: date,
  due_date: date,
  web_url: z.string().nullable().optional(),
});

export const GlMilestone = z.object({
  id: z.number(),
  iid: z.number().nullable().optional(),
  title: z.string(),
  state: z.string().nullable().optional(),
  start_date: date,
  due_date: date,
  web_url: z.string().nullable().optional(),
  project_id: z.number().nullable().optional(),
  group_id: z.number().nullable().optional(),
});

export const GlIssue = z.object({
  id: z.number(),
  iid: z.number(),
  project_id: z.number(),
  title: z.string(),
  state: z.enum(['opened', 'closed', 'locked']),
  created_at: z.string().optional(),
  updated_at: z.string(),
  closed_at: date,
  labels: z.array(z.string()).default([]),
  milestone: GlMilestone.nullable().optional(),
  iteration: GlIteration.nullable().optional(),
  assignees: z.array(GlUser).nullable().default([]),
  due_date: date,
  confidential: z.boolean().default(false),
  web_url: z.string(),
  weight: z.number().nullable().optional(),
  task_completion_status: z.object({ count: z.number(), completed_count: z.number() }).nullable().optional(),
  references: z.object({ short: z.string().optional(), full: z.string().optional() }).nullable().optional(),
  epic: z.object({ id: z.number(), iid: z.number() }).nullable().optional(),
  // Ultimate only; absent elsewhere.
  health_status: z.enum(['on_track', 'needs_attention', 'at_risk']).nullable().optional(),
});

export const GlEpic = z.object({
  id: z.number(),
  iid: z.number(),
  group_id: z.number().optional(),
  parent_id: z.number().nullable().optional(),
  title: z.string(),
  description: z.string().nullable().optional(),
  state: z.enum(['opened', 'closed']),
  confidential: z.boolean().default(false),
  web_url: z.string(),
  start_date: date,
  due_date: date,
  end_date: date,
  updated_at: z.string(),
  closed_at: date,
  labels: z.array(z.string()).default([]),
  references: z.object({ full: z.string().optional() }).nullable().optional(),
});

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
export type GlEpic = z.infer<typeof GlEpic>;

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

export function parseList<T>(schema: z.ZodType<T>, value: unknown, what: string): T[] {
  if (!Array.isArray(value)) throw new GitlabShapeError(`GitLab's answer for ${what} is not a list`);
  return value.map((v, i) => parseShape(schema, v, `${what}[${i}]`));
}
