import { defineConfig } from 'vitest/config';

/**
 * Two groups. `unit`: in-process tests (core, imaging, native, tables, tomography kernels, batch
 * internals), files two at a time. `integration`: tests that start processes, servers, schedulers
 * and browsers (cluster, Grid Engine, the CLI, streams, the dashboard, the README and examples), one
 * file at a time after the unit group: they share fixed ports (the README's 7077), the Grid Engine
 * queue and timing margins that a second heavy file on two cores would eat.
 */
const INTEGRATION = [
  'test/cluster/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/streaming/**/*.test.ts',
  'test/examples/**/*.test.ts',
  'test/ui/**/*.test.ts',
  'test/tomo/reconstruct-cli.test.ts',
  'test/tomo/stream-reconstruct.test.ts',
  'test/tomo/stream-dashboard.test.ts',
  'test/tomo/cluster.test.ts',
  'test/table/cli.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // Refuses a dist/ or native addon older than the sources (workers run them; vitest runs the sources).
    globalSetup: ['test/infra/global-setup.ts'],
    // After the summary: every skipped test and why.
    reporters: ['default', './test/infra/skip-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: INTEGRATION, fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
