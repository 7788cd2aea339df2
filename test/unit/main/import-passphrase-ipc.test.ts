/**
 * The import's passphrase over IPC (issue #19), through the real dispatcher and handlers: optional,
 * a non-empty string of at most 1024 characters like export's; passed to the import job as given;
 * hostile values (too long, empty, wrong type) refused as USAGE before a job starts, and the
 * passphrase is never in an answer or a log line.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';
import type { IpcMethod } from '../../../shared/ipc.js';

const PASSPHRASE = 'import-passphrase-never-echoed';
const dialogs: Dialogs = {
  chooseExportSources: vi.fn(),
  chooseFolder: vi.fn(),
  chooseBundle: vi.fn(),
  chooseFile: vi.fn(),
  chooseKeyFile: vi.fn(),
  chooseKeySaveFile: vi.fn(),
  chooseAuditExportFile: vi.fn(),
};
const jobHost = { start: vi.fn(() => 'job-p'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };
const log = vi.fn();
const FRAME = { url: 'app://airlock/index.html', parent: null };
const openStation = vi.fn(() => Promise.reject(new Error('no station needed here')));
const call = (method: IpcMethod, payload: unknown) =>
  createDispatch(createHandlers({ openStation, jobHost, dialogs, version: '1' }), { trustedOrigins: ['app://airlock'], log })(method, FRAME, payload);

const importWith = (fields: Record<string, unknown>) => ({ bundlePath: '/media/b.airlock.tar', destDir: '/srv/inbox', ...fields });

beforeEach(() => {
  jobHost.start.mockClear();
  log.mockClear();
});

describe('startImport with a passphrase', () => {
  it('passes the passphrase to the import job as given, and answers only the job id', async () => {
    const answer = await call('startImport', importWith({ passphrase: PASSPHRASE }));
    expect(answer).toEqual({ ok: true, value: { jobId: 'job-p' } });
    expect(jobHost.start).toHaveBeenCalledWith('import', {
      bundlePath: '/media/b.airlock.tar',
      destDir: '/srv/inbox',
      passphrase: PASSPHRASE,
      pushTo: undefined,
    });
  });

  it('takes the longest allowed passphrase and one with every kind of character', async () => {
    for (const passphrase of ['x'.repeat(1024), 'Umlaute äöü ß, emoji 🔑, quotes "\' and a\ttab']) {
      expect(await call('startImport', importWith({ passphrase }))).toMatchObject({ ok: true });
      expect(jobHost.start).toHaveBeenLastCalledWith('import', expect.objectContaining({ passphrase }));
    }
  });

  it('without a passphrase the job gets none (the receipt stays unsigned)', async () => {
    expect(await call('startImport', importWith({}))).toMatchObject({ ok: true });
    expect(jobHost.start).toHaveBeenLastCalledWith('import', expect.not.objectContaining({ passphrase: expect.anything() }));
  });

  it.each([
    ['over 1024 characters', `${PASSPHRASE}${'x'.repeat(1024)}`],
    ['empty', ''],
    ['a number', 1234],
    ['an array', [PASSPHRASE]],
    ['an object', { value: PASSPHRASE }],
    ['null', null],
    ['a boolean', true],
  ])('refuses a passphrase that is %s as USAGE before a job starts, never echoing it', async (_name, passphrase) => {
    const answer = await call('startImport', importWith({ passphrase }));
    expect(answer).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(JSON.stringify(answer)).not.toContain(PASSPHRASE);
    expect(JSON.stringify(log.mock.calls)).not.toContain(PASSPHRASE);
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it('a passphrase does not stand in for a destination', async () => {
    expect(await call('startImport', { bundlePath: '/media/b.airlock.tar', passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(jobHost.start).not.toHaveBeenCalled();
  });
});
