/**
 * Debian's Chromium (apt-get install chromium), driven by playwright-core; never a downloaded
 * browser. A fresh profile per run, no network features, no GPU.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

export interface LaunchedChromium {
  context: BrowserContext;
  /** Close the browser and remove its profile folder. */
  close(): Promise<void>;
}

export interface ChromiumOptions {
  /** The CSS viewport; 1200x860 unless given (a 200% zoom of that window is 600x430 at deviceScaleFactor 2). */
  viewport?: { width: number; height: number } | undefined;
  deviceScaleFactor?: number | undefined;
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<LaunchedChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'airlock-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1200, height: 860 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}
