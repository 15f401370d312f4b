import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// Tests cover pure logic (ring buffer, store, bridge, formatting), so no DOM environment is needed.
export default defineConfig({
  test: { ...sharedTestConfig, environment: 'node', include: ['test/**/*.test.ts'] },
});
