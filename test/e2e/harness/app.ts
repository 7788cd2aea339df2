/**
 * The whole app for one e2e file: the built renderer served on 127.0.0.1, the real main-process
 * handlers over a real Station in `home`, the real job host, and Debian's Chromium with the
 * window.airlock bridge. The same pieces desktop-app.e2e.test.ts assembles, in one call.
 */
import type { Page } from 'playwright-core';
import type { JobEvent } from '../../../shared/ipc.js';
import { deliverJobEvent, installBridge } from './bridge.js';
import { buildRenderer } from './build-renderer.js';
import { launchChromium, type ChromiumOptions, type LaunchedChromium } from './launch-chromium.js';
import { startRealMain, type RealMain } from './real-main.js';
import { serveRenderer, type ServedRenderer } from './serve-renderer.js';

export interface AppUnderTest {
  page: Page;
  main: RealMain;
  origin: string;
  /** Stop the jobs, the browser and the server (each even if another fails). */
  close(): Promise<void>;
}

export interface OpenAppOptions extends ChromiumOptions {
  home: string;
  /** A folder for the built renderer (built once per call). */
  rendererDir: string;
  /** Timeout for each page action. */
  stepMs: number;
  onEvent?: (event: JobEvent) => void;
}

export async function openApp(options: OpenAppOptions): Promise<AppUnderTest> {
  await buildRenderer(options.rendererDir);
  return openBuiltApp(options);
}

/** As openApp, for a renderer already built in rendererDir. */
export async function openBuiltApp(options: OpenAppOptions): Promise<AppUnderTest> {
  let page: Page | null = null;
  let served: ServedRenderer | undefined;
  let browser: LaunchedChromium | undefined;
  let main: RealMain | undefined;
  try {
    served = await serveRenderer(options.rendererDir);
    main = startRealMain({
      home: options.home,
      trustedOrigin: served.origin,
      onEvent: (event) => {
        options.onEvent?.(event);
        deliverJobEvent(page, event);
      },
    });
    browser = await launchChromium(options);
    await installBridge(browser.context, main.dispatch);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(options.stepMs);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${served.origin}/index.html`);
  } catch (error) {
    await closeAll(main, browser, served);
    throw error;
  }
  const opened = { main, browser, served };
  return { page, main, origin: served.origin, close: () => closeAll(opened.main, opened.browser, opened.served) };
}

async function closeAll(main: RealMain | undefined, browser: LaunchedChromium | undefined, served: ServedRenderer | undefined): Promise<void> {
  const results = await Promise.allSettled([main?.jobHost.shutdown(), browser?.close(), served?.close()]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
