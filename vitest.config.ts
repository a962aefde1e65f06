import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Refuses a dist/ or native addon older than the sources (workers run them; vitest runs the sources).
    globalSetup: ['test/infra/global-setup.ts'],
    // After the summary: every skipped test and why.
    reporters: ['default', './test/infra/skip-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
