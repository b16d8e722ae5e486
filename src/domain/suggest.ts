import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate a mistyped word most likely meant, or null when none is close: within a third of the
 * word's length in edits (one for short words, two to three for longer ones), or the one candidate the
 * word begins (`stat` → `status`).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  const typed = word.toLowerCase();
  const pool = candidates.filter((c) => c.toLowerCase() !== typed);
  if (typed.length === 0 || pool.length === 0) return null;
  const prefixed = pool.filter((c) => c.toLowerCase().startsWith(typed));
  if (typed.length >= 3 && prefixed.length === 1) return prefixed[0]!;
  const lower = pool.map((c) => c.toLowerCase());
  const near = closest(typed, lower);
  // Two letters swapped (`sycn`) are two edits: allowed from four letters on.
  const allowed = typed.length < 4 ? 1 : Math.min(3, Math.max(2, Math.floor(typed.length / 3)));
  return distance(typed, near) <= allowed ? pool[lower.indexOf(near)]! : null;
}
