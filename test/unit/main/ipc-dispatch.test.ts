/**
 * The one IPC gate (SECURITY-NOTES, Electron): registered once for every channel of the
 * contract, it refuses senders other than our main frame, refuses malformed payloads before a
 * handler runs, and answers with data whose errors carry a code and never a stack.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_METHODS } from '../../../shared/ipc.js';
import { AirlockError } from '../../../electron/core/index.js';
import type { IpcHandlers } from '../../../electron/main/ipc/handlers.js';

type Handler = (event: { senderFrame: unknown }, ...args: unknown[]) => Promise<unknown>;
const registered = new Map<string, Handler>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => registered.set(channel, handler),
    removeHandler: (channel: string) => registered.delete(channel),
  },
}));

const { registerIpc } = await import('../../../electron/main/ipc/register.js');
const { createDispatch, isTrustedSender, originOf } = await import('../../../electron/main/ipc/dispatch.js');

const APP_FRAME = { url: 'app://airlock/index.html', parent: null };
const log = vi.fn();

function fakeHandlers(overrides: Partial<IpcHandlers> = {}): IpcHandlers {
  const unexpected = () => Promise.reject(new Error('not expected in this test'));
  const all = Object.fromEntries(IPC_METHODS.map((m) => [m, vi.fn(unexpected)])) as unknown as IpcHandlers;
  return { ...all, ...overrides };
}

function invoke(method: keyof typeof IPC_CHANNELS, frame: unknown, ...args: unknown[]): Promise<unknown> {
  const handler = registered.get(IPC_CHANNELS[method].channel);
  if (!handler) throw new Error(`${method} not registered`);
  return handler({ senderFrame: frame }, ...args);
}

let handlers: IpcHandlers;
beforeEach(() => {
  registered.clear();
  log.mockClear();
  handlers = fakeHandlers({
    cancelJob: vi.fn(async ({ jobId }) => ({ cancelling: jobId === 'job-1' })),
    startVerify: vi.fn(async () => ({ jobId: 'job-2' })),
  });
  registerIpc(createDispatch(handlers, { trustedOrigins: ['app://airlock'], log }));
});

describe('registration', () => {
  it('registers every channel of the contract, and nothing else', () => {
    expect([...registered.keys()].sort()).toEqual(IPC_METHODS.map((m) => IPC_CHANNELS[m].channel).sort());
  });

  it('can be removed again', () => {
    const remove = registerIpc(createDispatch(handlers, { trustedOrigins: ['app://airlock'] }));
    remove();
    expect(registered.size).toBe(0);
  });
});

describe('sender frame check', () => {
  it.each([
    ['no frame (navigated away or destroyed)', null],
    ['a subframe of our page', { url: 'app://airlock/index.html', parent: APP_FRAME }],
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['another app:// host', { url: 'app://other/index.html', parent: null }],
    ['a file:// page', { url: 'file:///tmp/x.html', parent: null }],
    ['a data: URL', { url: 'data:text/html,<script>1</script>', parent: null }],
    ['an unparsable URL', { url: 'not a url', parent: null }],
  ])('refuses %s without calling the handler', async (_name, frame) => {
    const answer = await invoke('cancelJob', frame, { jobId: 'job-1' });
    expect(answer).toEqual({ ok: false, error: { code: 'SENDER_REFUSED', message: expect.stringMatching(/did not come from the Airlock window/) } });
    expect(handlers.cancelJob).not.toHaveBeenCalled();
  });

  it('accepts the main frame of app://airlock', async () => {
    expect(await invoke('cancelJob', APP_FRAME, { jobId: 'job-1' })).toEqual({ ok: true, value: { cancelling: true } });
    expect(handlers.cancelJob).toHaveBeenCalledWith({ jobId: 'job-1' });
  });

  it('compares scheme and host, not the opaque URL.origin of app://', () => {
    expect(new URL('app://airlock/x').origin).toBe('null');
    expect(originOf('app://airlock/x')).toBe('app://airlock');
    expect(originOf('http://127.0.0.1:5173/')).toBe('http://127.0.0.1:5173');
    expect(isTrustedSender({ url: 'app://airlock/a/b.html', parent: null }, ['app://airlock'])).toBe(true);
    expect(isTrustedSender({ url: 'app://airlock.evil/', parent: null }, ['app://airlock'])).toBe(false);
  });
});

describe('payload validation', () => {
  it.each([
    ['nothing', []],
    ['a string', ['job-1']],
    ['a wrong type', [{ jobId: 42 }]],
    ['an unknown key', [{ jobId: 'job-1', extra: true }]],
    ['an empty id', [{ jobId: '' }]],
    ['two arguments', [{ jobId: 'job-1' }, { jobId: 'job-1' }]],
  ])('refuses %s before the handler runs', async (_name, args) => {
    const answer = (await invoke('cancelJob', APP_FRAME, ...args)) as { ok: boolean; error: { code: string; message: string } };
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe('USAGE');
    expect(answer.error.message).toMatch(/malformed/);
    expect(handlers.cancelJob).not.toHaveBeenCalled();
  });

  it('bounds path lengths', async () => {
    const answer = (await invoke('startVerify', APP_FRAME, { bundlePath: 'x'.repeat(5000) })) as { ok: boolean };
    expect(answer.ok).toBe(false);
    expect(handlers.startVerify).not.toHaveBeenCalled();
  });
});

describe('errors cross as { code, message }', () => {
  it('keeps an AirlockError code and message', async () => {
    handlers.cancelJob = vi.fn(async () => {
      throw new AirlockError('PASSPHRASE_WRONG');
    });
    registered.clear();
    registerIpc(createDispatch(handlers, { trustedOrigins: ['app://airlock'], log }));
    expect(await invoke('cancelJob', APP_FRAME, { jobId: 'j' })).toEqual({
      ok: false,
      error: { code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' },
    });
  });

  it('turns anything else into INTERNAL without its message or stack, and logs it', async () => {
    handlers.cancelJob = vi.fn(async () => {
      throw new TypeError('secret detail at /home/op/.config');
    });
    registered.clear();
    registerIpc(createDispatch(handlers, { trustedOrigins: ['app://airlock'], log }));
    const answer = await invoke('cancelJob', APP_FRAME, { jobId: 'j' });
    expect(answer).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'An unexpected internal error occurred.' } });
    expect(JSON.stringify(answer)).not.toMatch(/secret|TypeError|at /);
    expect(log).toHaveBeenCalledOnce();
  });
});
