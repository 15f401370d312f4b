import { configDefaults, defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.js';

// Stress tests (*.stress.test.ts) load both cores for a minute: `npm run stress` runs them alone.
export default defineConfig({
  test: { ...sharedTestConfig, exclude: [...configDefaults.exclude, '**/*.stress.test.ts'] },
});
