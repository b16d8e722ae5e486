/**
 * The Definition of Done a group holds its closed stories to: "automated unit and integration tests that
 * run in a pipeline prior to being considered complete". What GitLab says of each story is the evidence;
 * this decides pass, fail, exempt or unknown. Pure: no I/O.
 */
export interface DodRules {
  /** The closing merge request's last pipeline must have succeeded. */
  pipelineRequired: boolean;
  /** That pipeline must carry a test report with at least one test. */
  testsRequired: boolean;
  /** A story with this label is exempt (documentation, a spike); null: none is. */
  exemptLabel: string | null;
}

export const DEFAULT_DOD: DodRules = { pipelineRequired: true, testsRequired: true, exemptLabel: null };

/** One merged merge request that closed the story, and its last pipeline. */
export interface MergedMr {
  iid: number;
  webUrl: string | null;
  /** The newest pipeline's status (`success`, `failed`, …); null: the MR ran none. */
  pipeline: string | null;
  /** Tests in that pipeline's report; null: no test report, or not asked (the pipeline failed). */
  tests: number | null;
}

/** What GitLab told of a story: its merged closing MRs, or why it could not be read. */
export type StoryEvidence = { kind: 'read'; merged: MergedMr[] } | { kind: 'unreadable'; reason: string };

export type DodVerdict =
  | { verdict: 'pass'; mr: MergedMr }
  | { verdict: 'exempt' }
  | { verdict: 'unknown'; reason: string }
  | { verdict: 'fail'; reason: 'no merged MR' | 'pipeline not green' | 'no tests' | 'no pipeline' };

/** Whether one merged MR meets the rules; the reason it does not, else null. */
function shortfall(
  mr: MergedMr,
  rules: DodRules,
): Exclude<DodVerdict, { verdict: 'pass' | 'exempt' | 'unknown' }>['reason'] | null {
  if (rules.pipelineRequired || rules.testsRequired) {
    if (mr.pipeline === null) return 'no pipeline';
    if (mr.pipeline !== 'success') return 'pipeline not green';
  }
  if (rules.testsRequired && !(mr.tests !== null && mr.tests > 0)) return 'no tests';
  return null;
}

/**
 * A story passes when any merged MR that closed it meets the rules; it fails with the nearest miss
 * otherwise. A story GitLab would not tell about is unknown — never a failure.
 */
export function dodVerdict(evidence: StoryEvidence, labels: readonly string[], rules: DodRules): DodVerdict {
  const exempt = rules.exemptLabel?.toLowerCase();
  if (exempt && labels.some((l) => l.toLowerCase() === exempt)) return { verdict: 'exempt' };
  if (evidence.kind === 'unreadable') return { verdict: 'unknown', reason: evidence.reason };
  if (evidence.merged.length === 0) return { verdict: 'fail', reason: 'no merged MR' };
  const misses = evidence.merged.map((mr) => ({ mr, miss: shortfall(mr, rules) }));
  const good = misses.find((m) => m.miss === null);
  if (good) return { verdict: 'pass', mr: good.mr };
  const order = ['no tests', 'pipeline not green', 'no pipeline'] as const;
  const nearest = order.find((reason) => misses.some((m) => m.miss === reason))!;
  return { verdict: 'fail', reason: nearest };
}

/** The rules in words: "a merged MR whose last pipeline is green with tests; exempt: label docs". */
export function describeDod(rules: DodRules): string {
  const needs = rules.testsRequired
    ? 'a merged MR whose last pipeline is green with tests'
    : rules.pipelineRequired
      ? 'a merged MR whose last pipeline is green'
      : 'a merged MR';
  return `${needs}; exempt: ${rules.exemptLabel ? `label ${rules.exemptLabel}` : 'none'}`;
}
