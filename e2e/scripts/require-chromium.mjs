// Preflight for `npm run e2e`: one clear line instead of a stack trace when no browser exists.
// It also drops the previous run's report, so a run that stops here can never be summed as a pass.
import { rmSync } from 'node:fs';
import { HOW_TO_GET_CHROMIUM, findChromium } from '../chromium.mjs';

rmSync(new URL('../reports/playwright.json', import.meta.url), { force: true });

if (findChromium() === null) {
  process.stderr.write(`${HOW_TO_GET_CHROMIUM}\n`);
  process.exit(1);
}
