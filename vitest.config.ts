import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests (mocks, pure domain, CDK assertions), integration tests
// against the real local stand-ins (DynamoDB Local, s3rver, aws-ses-v2-local), and browser tests
// of the console and review pages against the same stand-ins.
export default defineConfig({
  test: {
    // Handlers log JSON through Powertools; keep test output readable.
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_REGION: 'cn-north-1',
      // Lambda runs Node 22; tests run on the local Node 20 on purpose.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Metrics are CloudWatch EMF lines on stdout; test/unit/platform/metrics.test.ts turns them on for itself.
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/infra/**/*.test.ts'],
          setupFiles: ['test/setup-matchers.ts'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/setup-matchers.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Pages in a real browser (Debian's chromium through playwright-core) against the local stack.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          setupFiles: ['test/setup-matchers.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
