import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

// The quick run starts five servers one after another; on a busy two-core machine that takes a while.
export default defineConfig({ test: { ...sharedTestConfig, testTimeout: 240_000 } });
