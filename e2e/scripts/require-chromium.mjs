// Preflight for `npm run e2e`: one clear line instead of a stack trace when no browser exists.
import { HOW_TO_GET_CHROMIUM, findChromium } from '../chromium.mjs';

if (findChromium() === null) {
  process.stderr.write(`${HOW_TO_GET_CHROMIUM}\n`);
  process.exit(1);
}
