import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../src/store/store.js';

/** The two real documents wgbot was designed from, verbatim (demo/ holds the same, tidied). */
function seedPath(file: string): string {
  return fileURLToPath(new URL(`../fixtures/seeds/${file}`, import.meta.url));
}

export const HANDBOOK_SEED = seedPath('004_3a79e02c654fbc8e.txt');
export const EPIC_SEED = seedPath('000_7623eae178e0c7af.txt');

export const handbookSeed = () => readFileSync(HANDBOOK_SEED, 'utf8');
export const epicSeed = () => readFileSync(EPIC_SEED, 'utf8');

/**
 * Gives the seed group two-week sprints with sprint 21 from Monday 16 November 2026: the epic seed's
 * sprint-20 items are then overdue (call inside no transaction; it opens its own).
 */
export function sprintsFromNov16(store: Store, now: Date, slug = 'improve-ops-quality'): void {
  const group = store.groups.getBySlug(slug)!;
  store.transaction(() =>
    store.groups.update(
      group.id,
      { name: group.name, cadence: { lengthDays: 14, anchorNumber: 21, anchorDate: '2026-11-16' } },
      now,
    ),
  );
}
