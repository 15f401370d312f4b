// Finds a Chromium for Playwright without ever downloading one (this machine's registries
// carry no browser builds). Shared by the preflight check and playwright.config.ts.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** @returns {string | null} the first Chromium that exists: $CHROMIUM_PATH, Debian's, Playwright's. */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // Playwright throws when it has no browser of its own installed; that is fine here.
  }
  return candidates.find((path) => path !== undefined && path !== '' && existsSync(path)) ?? null;
}

export const HOW_TO_GET_CHROMIUM =
  'e2e: no Chromium found. Install one: `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
  'or `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium binary.';

/** Launch flags for a headless root sandbox with no outside network (see ../shared/TOOLCHAIN.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
