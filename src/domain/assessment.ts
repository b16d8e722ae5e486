import { TZDate } from '@date-fns/tz';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** A self-assessment: questions grouped by area, each scored 1–5 with an optional note. */
export interface Questionnaire {
  name: string;
  areas: { id: string; title: string; questions: { id: string; text: string }[] }[];
  /** Where "Create backlog issues" files gaps: areas scored below `threshold`, with `label`. */
  backlog: { label: string; threshold: number; project: string | null };
}

/** The backlog settings of a questionnaire that names none. */
export const DEFAULT_BACKLOG = { label: 'devops-assessment', threshold: 3, project: null };

/** One person's answers: a score (1–5) by question ID, and their notes by question ID. */
export interface Answers {
  scores: Record<string, number>;
  notes: Record<string, string>;
}

const ID = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'an ID is lower-case letters, digits, - and _ (at most 40)');

const QUESTIONNAIRE = z.object({
  name: z.string().trim().min(1).max(120),
  areas: z
    .array(
      z.object({
        id: ID,
        title: z.string().trim().min(1).max(80),
        questions: z
          .array(z.object({ id: ID, text: z.string().trim().min(1).max(300) }))
          .min(1)
          .max(10),
      }),
    )
    .min(1)
    .max(12),
  backlog: z
    .object({
      label: z.string().trim().min(1).max(60).default(DEFAULT_BACKLOG.label),
      threshold: z.number().min(1).max(5).default(DEFAULT_BACKLOG.threshold),
      project: z.string().trim().min(1).max(255).nullable().default(null),
    })
    .default(DEFAULT_BACKLOG),
});

/** Slack's modal takes 100 blocks: two per question (score, note) and a header per area stay under it. */
const MAX_QUESTIONS = 30;

/**
 * A questionnaire from its YAML text, checked: the reason names the first field that is wrong. Question
 * IDs must be unique across areas, since answers are kept by question ID.
 */
export function parseQuestionnaire(
  text: string,
): { ok: true; value: Questionnaire } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 10 });
  } catch (error) {
    return { ok: false, reason: `not YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const parsed = QUESTIONNAIRE.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join('.') || 'the file'}: ${issue.message}` };
  }
  const ids = parsed.data.areas.flatMap((a) => a.questions.map((q) => q.id));
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) return { ok: false, reason: `question ID '${twice}' is used twice` };
  if (ids.length > MAX_QUESTIONS)
    return { ok: false, reason: `${ids.length} questions; at most ${MAX_QUESTIONS}` };
  return { ok: true, value: parsed.data };
}

/** The fewest answers a round's aggregates are shown for: fewer would let anyone work out who said what. */
export const MIN_ANSWERS_FOR_SUMMARY = 3;

/** An area's figures in a round; null where nobody scored it. */
export interface AreaFigures {
  id: string;
  title: string;
  /** Mean of each member's mean score in the area, one decimal. */
  score: number | null;
  /** Change since the previous round's score of the same area; null when either is unknown. */
  change: number | null;
  /** Highest minus lowest member mean in the area: how far apart the team sees it. */
  spread: number | null;
  /** How many members scored the area. */
  answered: number;
}

export type RoundSummary =
  | { kind: 'too-few'; answers: number; needed: number }
  | { kind: 'summary'; answers: number; areas: AreaFigures[]; lowest: AreaFigures[] };

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Each member's mean score in `area` (members who scored none of its questions are left out). */
function memberMeans(area: Questionnaire['areas'][number], answers: readonly Answers[]): number[] {
  const means: number[] = [];
  for (const answer of answers) {
    const scores = area.questions
      .map((q) => answer.scores[q.id])
      .filter((s): s is number => Number.isInteger(s) && s! >= 1 && s! <= 5);
    if (scores.length > 0) means.push(scores.reduce((a, b) => a + b, 0) / scores.length);
  }
  return means;
}

/** The areas' scores alone, for comparing with a later round. */
export function areaScores(questionnaire: Questionnaire, answers: readonly Answers[]): Map<string, number> {
  const scores = new Map<string, number>();
  for (const area of questionnaire.areas) {
    const means = memberMeans(area, answers);
    if (means.length > 0) scores.set(area.id, round1(means.reduce((a, b) => a + b, 0) / means.length));
  }
  return scores;
}

/**
 * A round's aggregates: score per area, change since the previous round, spread between members and the
 * lowest areas (up to three, those under 3 first). None at all below MIN_ANSWERS_FOR_SUMMARY answers.
 */
export function summarizeRound(
  questionnaire: Questionnaire,
  answers: readonly Answers[],
  previous: ReadonlyMap<string, number> | null,
): RoundSummary {
  if (answers.length < MIN_ANSWERS_FOR_SUMMARY)
    return { kind: 'too-few', answers: answers.length, needed: MIN_ANSWERS_FOR_SUMMARY };
  const scores = areaScores(questionnaire, answers);
  const areas = questionnaire.areas.map((area): AreaFigures => {
    const means = memberMeans(area, answers);
    const score = scores.get(area.id) ?? null;
    const before = previous?.get(area.id);
    return {
      id: area.id,
      title: area.title,
      score,
      change: score !== null && before !== undefined ? round1(score - before) : null,
      spread: means.length > 0 ? round1(Math.max(...means) - Math.min(...means)) : null,
      answered: means.length,
    };
  });
  const lowest = areas
    .filter((a) => a.score !== null)
    .sort((a, b) => a.score! - b.score! || a.title.localeCompare(b.title))
    .slice(0, 3);
  return { kind: 'summary', answers: answers.length, areas, lowest };
}

/** Areas scored below `threshold`: the gaps a backlog issue is filed for. */
export function gapAreas(summary: RoundSummary, threshold: number): AreaFigures[] {
  if (summary.kind !== 'summary') return [];
  return summary.areas.filter((a) => a.score !== null && a.score < threshold);
}

/** The notes given in an area, without who gave them: what a backlog issue quotes. */
export function areaNotes(area: Questionnaire['areas'][number], answers: readonly Answers[]): string[] {
  const notes: string[] = [];
  for (const q of area.questions)
    for (const answer of answers) {
      const note = answer.notes[q.id]?.trim();
      if (note) notes.push(`${q.text} — ${note}`);
    }
  return notes;
}

/** When a round given a due date closes: 17:00 on that day in the group's zone. */
export function dueAt(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, 17, 0, 0, timeZone).getTime());
}

/** A round without a due date runs a week. */
export const DEFAULT_ROUND_DAYS = 7;

/** The reminder goes out in the member's working hours within this long before the due time. */
export const REMIND_WITHIN_MS = 48 * 3_600_000;

/** Nobody is reminded within this long of being asked: a short round gets no reminder on top of its DM. */
export const NO_REMINDER_BEFORE_MS = 12 * 3_600_000;
