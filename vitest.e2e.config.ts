import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: need Debian's chromium (see README); CI installs it.
export default defineConfig({
  test: { include: ['test/e2e/**/*.e2e.test.ts'], testTimeout: 60_000, hookTimeout: 60_000, pool: 'forks' },
});
