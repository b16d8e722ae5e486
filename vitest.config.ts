import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests need Chromium: `npm run test:e2e` (CI installs it); the reliability suite runs after
    // these, on its own (`npm test` runs both), so its load test does not compete with them for the CPU.
    exclude: ['test/e2e/**', 'test/reliability/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Integration tests start real servers on port 0; isolating them in forks keeps native handles apart.
    pool: 'forks',
  },
});
