/**
 * window.airlock in plain Chromium, as the preload defines it in Electron: the page gets the
 * object built by shared/airlock-api.ts (bundled here for the browser), whose transport calls
 * the REAL main-process dispatcher through a Playwright binding. The binding hands the
 * dispatcher the calling frame's URL and parent, so the sender check runs for real too.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { IPC_CHANNELS, IPC_METHODS, type IpcMethod, type JobEvent } from '../../../shared/ipc.js';
import type { Dispatch } from '../../../electron/main/ipc/dispatch.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const METHOD_BY_CHANNEL = new Map<string, IpcMethod>(IPC_METHODS.map((m) => [IPC_CHANNELS[m].channel, m]));

/** The page-side script: the preload's job, with a Playwright binding in place of ipcRenderer. */
async function bridgeScript(): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { buildAirlockApi } from './shared/airlock-api.ts';
        const invoke = window.__airlockInvoke;
        const listeners = new Set();
        window.__airlockDeliver = (event) => listeners.forEach((listener) => listener(event));
        const api = buildAirlockApi({
          invoke: (channel, request) => invoke(channel, request),
          subscribe: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
        }, 'e2e');
        Object.defineProperty(window, 'airlock', { value: api, writable: false, configurable: false });
      `,
      resolveDir: repo,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]?.text ?? '';
}

export async function installBridge(context: BrowserContext, dispatch: Dispatch): Promise<void> {
  await context.exposeBinding('__airlockInvoke', async (source, channel: unknown, request: unknown) => {
    const method = typeof channel === 'string' ? METHOD_BY_CHANNEL.get(channel) : undefined;
    if (!method) return { ok: false, error: { code: 'USAGE', message: 'Unknown channel.' } };
    return dispatch(method, { url: source.frame.url(), parent: source.frame.parentFrame() }, request);
  });
  await context.addInitScript({ content: await bridgeScript() });
}

/** Main -> renderer job events, as webContents.send would deliver them. */
export function deliverJobEvent(page: Page | null, event: JobEvent): void {
  if (!page || page.isClosed()) return;
  page.evaluate((e) => (window as unknown as { __airlockDeliver?: (e: unknown) => void }).__airlockDeliver?.(e), event).catch(() => undefined);
}
