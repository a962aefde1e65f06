import { defineConfig } from 'vitest/config';

/**
 * Three projects. `unit`: in-process tests (core, imaging, native, tables, tomography kernels, batch
 * internals), files two at a time. Then two lanes of tests that start processes, servers, schedulers
 * and browsers, each one file at a time: `cluster` (the files that submit to the real Grid Engine queue
 * or listen on the README's fixed port 7077, which share that queue and port, and the cluster's
 * failure tests, which mostly wait on heartbeats, timeouts and worker start-ups) and `integration` (the
 * rest: CLI, streams, dashboard, examples, TLS). `npm test` (scripts/test.mjs) runs the two lanes at
 * the same time as two vitest processes; a plain `vitest run` runs them one after the other. A lane's
 * files stay serial because of the timing margins a second heavy file on two cores would eat.
 */
const CLUSTER_LANE = [
  'test/cluster/sge/**/*.test.ts',
  'test/cli/batch-sge.test.ts',
  'test/examples/readme.test.ts',
  'test/cluster/executor-loss.test.ts',
  'test/cluster/cluster-jobs.test.ts',
  'test/cluster/cluster-faults.test.ts',
];

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
        // isolate: false: a worker imports the library once for all its files instead of once per file
        // (97 files; 74 -> 48 s). Unit tests keep no state between files; shuffled orders pass too.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...INTEGRATION, ...CLUSTER_LANE], fileParallelism: true, maxWorkers: 2, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION, exclude: CLUSTER_LANE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'cluster', include: CLUSTER_LANE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
