/**
 * The desktop app's lifecycle: hardened window, app:// protocol, the one IPC registration and
 * the job host. The only place (with dialogs.ts and ipc/register.ts) that touches Electron's
 * app-level APIs; everything it wires is tested without Electron.
 */
import { join } from 'node:path';
import { app, BrowserWindow, protocol, session } from 'electron';
import { JOB_EVENT_CHANNEL, type JobEvent } from '../../shared/ipc.js';
import { resolveHomeDir, Station } from '../core/index.js';
import { electronDialogs } from './dialogs.js';
import { createDispatch, originOf } from './ipc/dispatch.js';
import { createHandlers } from './ipc/handlers.js';
import { registerIpc } from './ipc/register.js';
import { JobHost } from './jobs/job-host.js';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, serveAppRequest } from './protocol.js';
import { createMainWindow, denyAllPermissions, lockDownWebContents } from './window.js';

/** `outDir` is electron-vite's out/: main/, preload/ and renderer/ beside each other. */
export function startDesktopApp(outDir: string): void {
  // Must happen before `ready`.
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  // Applies to every webContents, including any a bug might create.
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  start(outDir).catch((error: unknown) => {
    console.error('Airlock failed to start:', error);
    app.exit(1);
  });
}

async function start(outDir: string): Promise<void> {
  const preloadPath = join(outDir, 'preload', 'index.cjs');
  const rendererDir = join(outDir, 'renderer');
  // Built as its own entry beside main (electron.vite.config.ts).
  const jobWorkerPath = join(outDir, 'main', 'job-worker.js');
  await app.whenReady();
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));

  // The dev server URL is honoured only in an unpackaged (development) build.
  const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  const devOrigin = devUrl ? originOf(devUrl) : null;

  let window: BrowserWindow | null = null;
  const sendJobEvent = (event: JobEvent): void => {
    if (window && !window.isDestroyed()) window.webContents.send(JOB_EVENT_CHANNEL, event);
  };

  // Same state as the CLI: --home is the CLI's; the app follows $AIRLOCK_HOME, else app data.
  const home = resolveHomeDir();
  const jobHost = new JobHost({ workerScript: jobWorkerPath, station: { home }, onEvent: sendJobEvent });
  const handlers = createHandlers({
    openStation: () => Station.open({ home }),
    jobHost,
    dialogs: electronDialogs(() => window),
    version: app.getVersion(),
  });
  registerIpc(createDispatch(handlers, { trustedOrigins: devOrigin ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN] }));

  // Quitting cancels running jobs and waits for core to clean up after them.
  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (shuttingDown || jobHost.list().every((job) => job.state !== 'running')) return;
    event.preventDefault();
    shuttingDown = true;
    void jobHost.shutdown().finally(() => app.quit());
  });

  const open = async (): Promise<void> => {
    window = createMainWindow(preloadPath);
    await window.loadURL(devUrl ?? APP_INDEX_URL);
  };
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void open();
  });
  await open();
}
