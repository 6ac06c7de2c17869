import { defineConfig } from 'vitest/config';

/**
 * Four test layers (unit, integration, cdk, e2e), one run: `npx vitest run` runs them all, `--project unit` one.
 * Sized for our 2-core machines; the whole suite should stay under 15 minutes.
 */
export default defineConfig({
  test: {
    // A layer with no files yet must not fail the run.
    passWithNoTests: true,
    // Handlers log JSON lines; show them only for tests that fail, where they help.
    silent: 'passed-only',
    maxWorkers: 2,
    // Processes, not threads: tests start servers and child processes, and each file gets a clean process.
    pool: 'forks',
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The web console's logic (pure functions; its own package under web/, no browser needed).
          name: 'web',
          include: ['web/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts'],
          // Starts one DynamoDB Local + one local SQS for the run; see test/support/integration-env.ts.
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'cdk',
          include: ['test/cdk/**/*.test.ts'],
          // Synth bundles every function with esbuild: slow, especially the first time.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // One local stack (and browser) at a time, and only after the other layers have finished, so
          // ports, CPU and the shared `.local/` state are not contended.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
