import { defineConfig } from 'vitest/config';

// Handlers log and write EMF metrics as they would in Lambda; in tests that is noise unless asked for.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

// Four suites: pure unit tests, CDK template tests, browser tests of the customer's views, and integration tests that run against the
// embedded local runtime (DynamoDB Local, fauxqs, aws-ses-v2-local) started once by globalSetup.
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
      // The customer's e-mail and pages in a real Chromium (@sparticuz/chromium: no apt step), launched once per file.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
