import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, HOW_TO_GET_CHROMIUM, findChromium } from '../../../e2e/chromium.mjs';

// The perf run's own config, so neither `npm test` nor the e2e suite ever picks its spec up.
// Browser discovery and launch flags are the e2e suite's: the same Chromium, started the same way.
const executablePath = findChromium();
if (executablePath === null) throw new Error(HOW_TO_GET_CHROMIUM);

export default defineConfig({
  testDir: '.',
  testMatch: '*.perf.ts',
  forbidOnly: true,
  retries: 0,
  // One measurement at a time: a second page would share this machine's cores with the first.
  workers: 1,
  reporter: [['list']],
  outputDir: 'results/test-output',
  use: {
    browserName: 'chromium',
    // Headless is the only mode on a machine without a display; see README.md for what it changes.
    headless: true,
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
    },
  },
});
