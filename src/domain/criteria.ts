import type { Criterion, CriterionProgress, PercentSource } from './types.js';

/** Rounds a percentage to one decimal place: enough for a sum of weights, no false precision. */
export function roundPercent(value: number): number {
  return Math.round(value * 10) / 10;
}

function ownFigure(c: Criterion): { percent: number; source: PercentSource } | null {
  // Order of trust (DESIGN.md §4): a linked GitLab object, then the handbook page, then a hand-set value.
  if (c.gitlabPercent !== null) return { percent: c.gitlabPercent, source: 'gitlab' };
  if (c.handbookPercent !== null) return { percent: c.handbookPercent, source: 'handbook' };
  if (c.manualPercent !== null) return { percent: c.manualPercent, source: 'manual' };
  return null;
}

/**
 * Weighted mean of the children's figures. Weights apply only when some child has one (a child without
 * a weight then counts as 1); a child with no figure at all counts as 0%, because progress nobody can
 * show is not progress — the roll-up must never claim more than the parts support.
 */
function rollUp(children: CriterionProgress[], weights: (number | null)[]): number {
  const weighted = weights.some((w) => w !== null);
  let total = 0;
  let sum = 0;
  children.forEach((child, i) => {
    const w = weighted ? (weights[i] ?? 1) : 1;
    total += w;
    sum += w * (child.percent ?? 0);
  });
  if (total === 0) {
    // Every weight is 0 (GitLab allows it): fall back to a plain mean.
    return children.reduce((acc, child) => acc + (child.percent ?? 0), 0) / children.length;
  }
  return sum / total;
}

/** A criterion's figure and where it comes from: its own when it has one, else the roll-up of its sub-items. */
export function criterionProgress(c: Criterion): CriterionProgress {
  const children = c.children.map(criterionProgress);
  const own = ownFigure(c);
  let percent: number | null = null;
  let source: PercentSource | null = null;
  if (own) {
    percent = own.percent;
    source = own.source;
  } else if (children.some((child) => child.percent !== null)) {
    percent = rollUp(
      children,
      c.children.map((child) => child.weight),
    );
    source = 'rollup';
  }
  return {
    id: c.id,
    title: c.title,
    url: c.url,
    percent: percent === null ? null : roundPercent(percent),
    source,
    children,
  };
}

/** The working group's overall figure: the plain mean of its top-level criteria, unknown ones counting 0. */
export function overallPercent(topLevel: CriterionProgress[]): number {
  if (topLevel.length === 0) return 0;
  return roundPercent(topLevel.reduce((acc, c) => acc + (c.percent ?? 0), 0) / topLevel.length);
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
