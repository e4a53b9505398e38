import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests (mocks, pure domain, CDK assertions), integration tests
// against the real local stand-ins (DynamoDB Local, s3rver, aws-ses-v2-local), and browser tests
// of the console and review pages against the same stand-ins.
export default defineConfig({
  test: {
    // Coverage gates the domain and the validator (`npm test` runs with --coverage): the rooms'
    // use cases and the file checks are where an untested branch is a wrong decision on someone's
    // application. Thresholds sit just under what the suite reaches, so a change that drops tests
    // fails; raise them as tests grow.
    coverage: {
      provider: 'v8',
      include: ['shared/{intake,validation,ladder,review,operations,rules}/**/*.ts', 'functions/validator.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: {
        // Measured on the unit project alone (2026-12): lines 96.4, branches 83.6, functions 94.7, statements 94.3.
        'shared/{intake,ladder,review,operations,rules}/**/*.ts': {
          lines: 95,
          branches: 82,
          functions: 93,
          statements: 93,
        },
        // Measured likewise: lines 94.3, branches 89.8, functions 100, statements 93.0.
        '{shared/validation/**/*.ts,functions/validator.ts}': {
          lines: 93,
          branches: 88,
          functions: 99,
          statements: 92,
        },
      },
    },
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
