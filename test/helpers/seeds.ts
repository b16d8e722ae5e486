import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The seed documents in ../shared/seeds, with a copy in test/fixtures for clones without ../shared. */
function seedPath(file: string): string {
  const shared = fileURLToPath(new URL(`../../../shared/seeds/${file}`, import.meta.url));
  return existsSync(shared) ? shared : fileURLToPath(new URL(`../fixtures/seeds/${file}`, import.meta.url));
}

export const HANDBOOK_SEED = seedPath('004_3a79e02c654fbc8e.txt');
export const EPIC_SEED = seedPath('000_7623eae178e0c7af.txt');

export const handbookSeed = () => readFileSync(HANDBOOK_SEED, 'utf8');
export const epicSeed = () => readFileSync(EPIC_SEED, 'utf8');
