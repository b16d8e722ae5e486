import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares secrets in constant time (hashing first makes the lengths equal, so length leaks nothing). */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
