import { defineConfig } from 'vitest/config';

// The reliability suite: load, faults, kills, hostile input and forged requests (about half a minute).
// `npm test` runs it after the other tests; `npm run test:reliability` runs it alone.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time: an attack in one file must not disturb the load figures of another.
    fileParallelism: false,
  },
});
