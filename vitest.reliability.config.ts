import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: load, faults, kills, hostile input and forged requests (about a minute).
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
