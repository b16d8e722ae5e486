import type { Coverage, Criterion, CriterionProgress, PercentSource } from './types.js';

/** Rounds a percentage to one decimal place: enough for a sum of weights, no false precision. */
export function roundPercent(value: number): number {
  return Math.round(value * 10) / 10;
}

function ownFigure(c: Criterion): { percent: number; source: PercentSource } | null {
  // Order of trust: a linked GitLab object, then the handbook page, then a hand-set value.
  if (c.gitlabPercent !== null) return { percent: c.gitlabPercent, source: 'gitlab' };
  if (c.handbookPercent !== null) return { percent: c.handbookPercent, source: 'handbook' };
  if (c.manualPercent !== null) return { percent: c.manualPercent, source: 'manual' };
  return null;
}

/** Sources of a criterion's own figure as a reader would name them in a flag. */
const SOURCE_LABEL: Record<Exclude<PercentSource, 'rollup'>, string> = {
  gitlab: 'GitLab says',
  handbook: 'page says',
  manual: 'hand-set figure says',
};

/** A disagreement larger than this between a criterion's own figure and its sub-items' roll-up is flagged. */
export const FLAG_THRESHOLD_POINTS = 10;

/**
 * Weighted mean of the figures of the children that have one; null when none has. A child with no figure
 * is "no figure yet", not 0 %: it is left out rather than guessed. Weights apply only when some measured
 * child has one (a measured child without a weight then counts as 1).
 */
export function rollUp(children: CriterionProgress[], weights: (number | null)[]): number | null {
  const measured = children
    .map((child, i) => ({ percent: child.percent, weight: weights[i] ?? null }))
    .filter((m): m is { percent: number; weight: number | null } => m.percent !== null);
  if (measured.length === 0) return null;
  const weighted = measured.some((m) => m.weight !== null);
  const total = measured.reduce((acc, m) => acc + (weighted ? (m.weight ?? 1) : 1), 0);
  if (total === 0) {
    // Every weight is 0 (GitLab allows it): fall back to a plain mean.
    return measured.reduce((acc, m) => acc + m.percent, 0) / measured.length;
  }
  return measured.reduce((acc, m) => acc + (weighted ? (m.weight ?? 1) : 1) * m.percent, 0) / total;
}

function flagOf(own: { percent: number; source: PercentSource }, rolled: number | null): string | null {
  if (rolled === null || own.source === 'rollup') return null;
  const sub = roundPercent(rolled);
  if (Math.abs(own.percent - sub) <= FLAG_THRESHOLD_POINTS) return null;
  return `${SOURCE_LABEL[own.source]} ${percentWords(own.percent)}, sub-items say ${percentWords(sub)}`;
}

function percentWords(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} %`;
}

/**
 * A criterion's figure and where it comes from: its own when it has one, else the roll-up of its measured
 * sub-items. When both exist and disagree by more than 10 points, the criterion carries a flag saying so.
 */
export function criterionProgress(c: Criterion): CriterionProgress {
  const children = c.children.map(criterionProgress);
  const own = ownFigure(c);
  const rolled =
    children.length > 0
      ? rollUp(
          children,
          c.children.map((child) => child.weight),
        )
      : null;
  const figure = own ?? (rolled === null ? null : { percent: rolled, source: 'rollup' as const });
  return {
    id: c.id,
    title: c.title,
    url: c.url,
    percent: figure === null ? null : roundPercent(figure.percent),
    source: figure?.source ?? null,
    owner: c.owner,
    flag: own ? flagOf(own, rolled) : null,
    children,
    gitlabFrom: figure?.source === 'gitlab' ? (c.gitlabFrom ?? null) : null,
    health: c.health ?? null,
    fromOkr: Boolean(c.okrKey),
  };
}

/**
 * The working group's overall figure: the plain mean of the top-level criteria that have a figure, with
 * how many do. Null when none has one — a group nobody has measured is not at 0 %.
 */
export function overallProgress(topLevel: CriterionProgress[]): {
  overall: number | null;
  coverage: Coverage;
} {
  const measured = topLevel.filter((c) => c.percent !== null).map((c) => c.percent!);
  const coverage = { measured: measured.length, total: topLevel.length };
  if (measured.length === 0) return { overall: null, coverage };
  return { overall: roundPercent(measured.reduce((acc, p) => acc + p, 0) / measured.length), coverage };
}

/** The overall figure alone (see overallProgress). */
export function overallPercent(topLevel: CriterionProgress[]): number | null {
  return overallProgress(topLevel).overall;
}

/** Depth-first list of a progress tree with each node's path ('1', '1.2', …), the way people number them. */
export function flattenProgress(
  nodes: CriterionProgress[],
  prefix = '',
): { path: string; depth: number; node: CriterionProgress }[] {
  return nodes.flatMap((node, i) => {
    const path = prefix ? `${prefix}.${i + 1}` : String(i + 1);
    return [{ path, depth: path.split('.').length - 1, node }, ...flattenProgress(node.children, path)];
  });
}
