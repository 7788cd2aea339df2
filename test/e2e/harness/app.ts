/**
 * The whole app for one e2e file: the built renderer served on 127.0.0.1, the real main-process
 * handlers over a real Station in `home`, the real job host, and Debian's Chromium with the
 * window.airlock bridge, the page opened. Every e2e file opens and closes the app through here.
 */
import type { Page } from 'playwright-core';
import type { JobEvent } from '../../../shared/ipc.js';
import type { Dispatch } from '../../../electron/main/ipc/dispatch.js';
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
  /** Sees each job event before the page gets it (as webContents.send delivers it in the app). */
  onEvent?: (event: JobEvent) => void;
  /** Where the page's window.airlock calls go (a test that switches stations); main's dispatcher unless given. */
  dispatch?: (main: RealMain) => Dispatch;
  /** What the page opens, from the origin: '/index.html' unless given; null leaves it blank for the test to open. */
  path?: string | null;
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
    await installBridge(browser.context, options.dispatch ? options.dispatch(main) : main.dispatch);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.setDefaultTimeout(options.stepMs);
    await page.emulateMedia({ colorScheme: 'light' });
    const path = options.path === undefined ? '/index.html' : options.path;
    if (path !== null) await page.goto(`${served.origin}${path}`);
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
