import type { ViteUserConfig } from 'vitest/config';

/**
 * Every package reports to reports/vitest.json as well as the console, so .ci/run can add up
 * the real totals of all suites (scripts/test-summary.mjs).
 * Tests wait on events, never on sleeps; the bound is generous because `npm test` runs every
 * suite at once on two cores, where spawning a server can take several seconds.
 */
export const sharedTestConfig: NonNullable<ViteUserConfig['test']> = {
  reporters: ['default', 'json'],
  outputFile: { json: 'reports/vitest.json' },
  testTimeout: 30_000,
  hookTimeout: 30_000,
};
