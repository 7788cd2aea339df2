/** Main-process hardening with a mocked electron module (docs/design.md §5). */
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (event: { preventDefault: () => void }) => void;

const created: FakeWebContents[] = [];

class FakeWebContents {
  listeners = new Map<string, Listener>();
  openHandler: (() => unknown) | null = null;
  on(name: string, listener: Listener) {
    this.listeners.set(name, listener);
    return this;
  }
  setWindowOpenHandler(handler: () => unknown) {
    this.openHandler = handler;
  }
}

vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = new FakeWebContents();
    options: unknown;
    constructor(options: unknown) {
      this.options = options;
      created.push(this.webContents);
    }
    once() {
      return this;
    }
  },
}));

const { createMainWindow, denyAllPermissions, lockDownWebContents, mainWindowOptions } = await import('../../../electron/main/window.js');

beforeEach(() => {
  created.length = 0;
});

describe('main window', () => {
  it('is isolated, sandboxed, without Node, with web security on', () => {
    const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('blocks navigation, redirects, webviews and new windows', () => {
    createMainWindow('/p.cjs');
    const contents = created[0];
    expect(contents).toBeDefined();
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      contents?.listeners.get(name)?.({ preventDefault });
      expect(preventDefault, name).toHaveBeenCalledOnce();
    }
    expect(contents?.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('lockDownWebContents applies to any webContents', () => {
    const contents = new FakeWebContents();
    lockDownWebContents(contents as never);
    expect([...contents.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-navigate', 'will-redirect']);
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: never) => (handlers['request'] = h),
      setPermissionCheckHandler: (h: never) => (handlers['check'] = h),
      setDevicePermissionHandler: (h: never) => (handlers['device'] = h),
    };
    denyAllPermissions(session as never);
    const callback = vi.fn();
    (handlers['request'] as (...a: unknown[]) => void)({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect((handlers['check'] as () => boolean)()).toBe(false);
    expect((handlers['device'] as () => boolean)()).toBe(false);
  });
});
