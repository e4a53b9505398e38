import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (mocks, pure domain, CDK assertions) and integration tests
// against the real local stand-ins (DynamoDB Local, s3rver, aws-ses-v2-local).
export default defineConfig({
  test: {
    // Handlers log JSON through Powertools; keep test output readable.
    env: {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_REGION: 'cn-north-1',
      // Lambda runs Node 22; tests run on the local Node 20 on purpose.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
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
    ],
  },
});
