/**
 * Electron main process (placeholder shell: the desktop flows come later). Everything the app
 * does runs in electron/core behind its facade; this file only wires a hardened window.
 */
import { join } from 'node:path';
import { app, BrowserWindow, protocol, session } from 'electron';
import { APP_INDEX_URL, APP_SCHEME, serveAppRequest } from './protocol.js';
import { createMainWindow, denyAllPermissions, lockDownWebContents } from './window.js';

const OUT_DIR = join(import.meta.dirname, '..');
const PRELOAD_PATH = join(OUT_DIR, 'preload', 'index.cjs');
const RENDERER_DIR = join(OUT_DIR, 'renderer');

// Must happen before `ready`.
app.enableSandbox();
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// Applies to every webContents, including any a bug might create.
app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

async function start(): Promise<void> {
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(RENDERER_DIR, request));

  const open = async (): Promise<void> => {
    const window = createMainWindow(PRELOAD_PATH);
    // The dev server URL is honoured only in an unpackaged (development) build.
    const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
    await window.loadURL(devUrl ?? APP_INDEX_URL);
  };
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void open();
  });
  await open();
}

start().catch((error: unknown) => {
  console.error('Airlock failed to start:', error);
  app.exit(1);
});
