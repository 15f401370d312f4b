import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

/**
 * The stress tests: attacks that load both cores for a minute, with timing bounds (250 ms for a
 * bystander's batches, 100 ms for /healthz) that only mean something when nothing else runs.
 * `npm test` runs them after every other suite (turbo.json); their report is reports/stress.json.
 */
export default defineConfig({
  test: {
    ...sharedTestConfig,
    include: ['test/**/*.stress.test.ts'],
    outputFile: { json: 'reports/stress.json' },
    testTimeout: 180_000,
    // One attack at a time: each measures a server alone on the machine.
    fileParallelism: false,
  },
});
