// Chromium for the browser tests (found or installed by chromium.ts), and where their screenshots go.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumForTests } from './chromium.ts';

/** Screenshots of the browser tests (gitignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-results/', import.meta.url));

/** Long enough for a first run that installs Chromium (apt, or the unpacked Debian package). */
export const BROWSER_SETUP_TIMEOUT_MS = 15 * 60_000;

export const DESKTOP = { width: 1200, height: 900 };
/** A common phone width: nothing may scroll sideways. */
export const PHONE = { width: 390, height: 844 };

export async function launchChromium(): Promise<Browser> {
  const found = await chromiumForTests();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS, env: { ...process.env, ...found.env } });
}
