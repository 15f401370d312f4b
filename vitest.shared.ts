import type { ViteUserConfig } from 'vitest/config';

/**
 * Every package reports to reports/vitest.json as well as the console, so .ci/run can add up
 * the real totals of all suites (scripts/test-summary.mjs).
 */
export const sharedTestConfig: NonNullable<ViteUserConfig['test']> = {
  reporters: ['default', 'json'],
  outputFile: { json: 'reports/vitest.json' },
};
