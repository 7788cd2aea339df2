/**
 * The desktop app's wiring with a mocked electron module (docs/design.md §5): sandbox enabled and
 * app:// registered before `ready`, permissions denied on the session, every web contents
 * locked down, the IPC channels registered once, the window loading app://airlock/index.html
 * with the CommonJS preload. And the CLI flag that turns the app into the `airlock` command.
 */
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_METHODS } from '../../../shared/ipc.js';

const calls: string[] = [];
const handles = new Map<string, unknown>();
const appListeners = new Map<string, (...args: unknown[]) => void>();
const windows: Array<{ options: { webPreferences: Record<string, unknown> }; url?: string; contents: FakeContents }> = [];
const session = {
  setPermissionRequestHandler: vi.fn(),
  setPermissionCheckHandler: vi.fn(),
  setDevicePermissionHandler: vi.fn(),
};

class FakeContents {
  events: string[] = [];
  openHandler: (() => unknown) | null = null;
  on(name: string) {
    this.events.push(name);
    return this;
  }
  setWindowOpenHandler(handler: () => unknown) {
    this.openHandler = handler;
  }
  send = vi.fn();
}

vi.mock('electron', () => ({
  app: {
    enableSandbox: () => calls.push('enableSandbox'),
    on: (name: string, listener: (...args: unknown[]) => void) => appListeners.set(name, listener),
    whenReady: async () => {
      calls.push('ready');
    },
    isPackaged: true,
    getVersion: () => '0.1.0',
    quit: vi.fn(),
    exit: vi.fn(),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown) => calls.push(`registerSchemes ${JSON.stringify(schemes)}`),
    handle: (scheme: string) => calls.push(`protocol.handle ${scheme}`),
  },
  session: { defaultSession: session },
  ipcMain: { handle: (channel: string, handler: unknown) => handles.set(channel, handler), removeHandler: vi.fn() },
  dialog: {},
  BrowserWindow: class {
    static getAllWindows = () => windows;
    webContents = new FakeContents();
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      windows.push({ options, contents: this.webContents });
    }
    once() {
      return this;
    }
    isDestroyed() {
      return false;
    }
    async loadURL(url: string) {
      const entry = windows.at(-1);
      if (entry) entry.url = url;
    }
  },
}));

const { startDesktopApp } = await import('../../../electron/main/desktop-app.js');
const { cliArguments, CLI_FLAG } = await import('../../../electron/main/cli-mode.js');

describe('startDesktopApp', () => {
  it('hardens before ready, then wires protocol, permissions, IPC and the window', async () => {
    startDesktopApp('/opt/airlock/out');
    // Before the ready promise settles: sandbox and privileged scheme already done.
    expect(calls.slice(0, 2)).toEqual(['enableSandbox', expect.stringContaining('"scheme":"app"')]);
    expect(calls[1]).toContain('"secure":true');
    // vi.waitFor gives up after 1 s by default: a loaded machine can spend that loading main's modules.
    await vi.waitFor(() => expect(windows).toHaveLength(1), { timeout: 30_000 });

    expect(calls).toContain('protocol.handle app');
    expect(session.setPermissionRequestHandler).toHaveBeenCalledOnce();
    const deny = vi.fn();
    (session.setPermissionRequestHandler.mock.calls[0]?.[0] as (...a: unknown[]) => void)({}, 'media', deny);
    expect(deny).toHaveBeenCalledWith(false);

    expect([...handles.keys()].sort()).toEqual(IPC_METHODS.map((m) => IPC_CHANNELS[m].channel).sort());

    const [window] = windows;
    await vi.waitFor(() => expect(window?.url).toBe('app://airlock/index.html'), { timeout: 30_000 });
    expect(window?.options.webPreferences).toMatchObject({
      preload: '/opt/airlock/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(window?.contents.events).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
    expect(window?.contents.openHandler?.()).toEqual({ action: 'deny' });

    // Any other web contents a bug might create is locked down too.
    const stray = new FakeContents();
    appListeners.get('web-contents-created')?.({}, stray);
    expect(stray.events).toEqual(expect.arrayContaining(['will-navigate']));
    expect(stray.openHandler?.()).toEqual({ action: 'deny' });
  });
});

describe('cliArguments', () => {
  it('takes the flag only before any other argument, after Chromium switches at most', () => {
    expect(cliArguments(['/opt/Airlock/airlock', CLI_FLAG, 'keys', 'list'], false)).toEqual(['keys', 'list']);
    expect(cliArguments(['electron', '.', CLI_FLAG, '--help'], true)).toEqual(['--help']);
    expect(cliArguments(['/opt/Airlock/airlock-desktop', '--ozone-platform=headless', CLI_FLAG, 'verify', 'b.tar'], false)).toEqual(['verify', 'b.tar']);
    expect(cliArguments(['/opt/Airlock/airlock'], false)).toBeNull();
    expect(cliArguments(['/opt/Airlock/airlock', 'file.tar', CLI_FLAG], false)).toBeNull();
    expect(cliArguments(['electron', '.', 'x', CLI_FLAG], true)).toBeNull();
  });
});
