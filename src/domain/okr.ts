import type { Health } from './types.js';

/** A key result of an objective a group links, as the sync read it. */
export interface KeyResult {
  /** 'kr:<GitLab id>': stable across renames. */
  key: string;
  title: string;
  url: string | null;
  /** GitLab's figure 0–100; null when it could not be read (unknown, never 0). */
  progress: number | null;
  health: Health | null;
}

/** A criterion the sync already made from a key result. */
export interface OkrCriterion {
  id: number;
  okrKey: string;
  title: string;
}

export interface OkrPlan {
  create: KeyResult[];
  update: { id: number; keyResult: KeyResult }[];
  /** Criteria whose key result is no longer under the objective. */
  retire: number[];
}

/**
 * How a group's key-result criteria follow the objective's key results: one criterion per key result
 * (keyed by its GitLab id, so a renamed key result renames its criterion), criteria of key results gone
 * from the objective retired. Key results are capped at `max` (the rest are left out and counted).
 */
export function planOkrCriteria(
  existing: OkrCriterion[],
  keyResults: KeyResult[],
  max = 50,
): OkrPlan & { leftOut: number } {
  // A key result whose figure is unreadable stays: it is still under the objective (its figure unknown).
  const unique = dedupe(keyResults);
  const kept = unique.slice(0, max);
  const byKey = new Map(existing.map((c) => [c.okrKey, c]));
  const plan: OkrPlan = { create: [], update: [], retire: [] };
  for (const kr of kept) {
    const current = byKey.get(kr.key);
    if (current) plan.update.push({ id: current.id, keyResult: kr });
    else plan.create.push(kr);
    byKey.delete(kr.key);
  }
  plan.retire = [...byKey.values()].map((c) => c.id);
  return { ...plan, leftOut: unique.length - kept.length };
}

function dedupe(keyResults: KeyResult[]): KeyResult[] {
  const seen = new Set<string>();
  return keyResults.filter((kr) => !seen.has(kr.key) && seen.add(kr.key));
}

/** A progress figure as a percentage wgbot can store: GitLab's 0–100, held within bounds; NaN is none. */
export function clampPercent(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.min(100, Math.max(0, value));
}
