/**
 * The media IPC handlers against a real Station whose config.json declares temp folders as
 * media (no devices needed): the list, the bundles on a medium (split bundles grouped, hostile
 * entries skipped), and every request that names a medium checked against the media offered
 * now — malformed payloads and unknown ids answered with a code, a message and no job started.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorAction } from '../../../shared/error-actions.js';
import { Station } from '../../../electron/core/index.js';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';
import { listMediumBundles } from '../../../electron/main/media/medium-bundles.js';

let base: string;
let home: string;
let stick: string;
let readOnlyNote: string;

const dialogs: Dialogs = {
  chooseExportSources: vi.fn(),
  chooseFolder: vi.fn(),
  chooseBundle: vi.fn(),
  chooseFile: vi.fn(),
  chooseKeyFile: vi.fn(),
  chooseKeySaveFile: vi.fn(),
  chooseAuditExportFile: vi.fn(),
};
const jobHost = { start: vi.fn(() => 'job-m'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };
const FRAME = { url: 'app://airlock/index.html', parent: null };
const call = (method: Parameters<ReturnType<typeof createDispatch>>[0], payload: unknown) =>
  createDispatch(createHandlers({ openStation: () => Station.open({ home }), jobHost, dialogs, version: '1' }), {
    trustedOrigins: ['app://airlock'],
    log: () => undefined,
  })(method, FRAME, payload);

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-media-handlers-'));
  home = join(base, 'home');
  stick = join(base, 'stick');
  readOnlyNote = join(base, 'not-declared');
  await mkdir(stick);
  await mkdir(readOnlyNote);
  await (await Station.open({ home })).close();
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'handlers', mediaRoots: [stick, join(base, 'absent')] }));

  // What a medium may hold: a bundle, a split bundle (2 of 3 parts here, the index), a leftover
  // temp file, a symlink and a folder named like bundles, a hostile name, unrelated files.
  await writeFile(join(stick, 'weekly.airlock.tar'), Buffer.alloc(10_240));
  await writeFile(join(stick, 'big.airlock.tar.part-002-of-003'), Buffer.alloc(2048));
  await writeFile(join(stick, 'big.airlock.tar.part-001-of-003'), Buffer.alloc(4096));
  await writeFile(join(stick, 'big.airlock-index.json'), '{}');
  await writeFile(join(stick, 'big.airlock-index.json.asc'), 'sig');
  await writeFile(join(stick, 'only-index.airlock-index.json'), '{}');
  await writeFile(join(stick, '.weekly2.airlock.tar.0123456789ab.partial'), 'x');
  await symlink('/etc/passwd', join(stick, 'evil.airlock.tar'));
  await mkdir(join(stick, 'folder.airlock.tar'));
  await writeFile(join(stick, 'q3\u202Egpj.airlock.tar'), 'x');
  await writeFile(join(stick, 'notes.txt'), 'hello');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

beforeEach(() => jobHost.start.mockClear());

describe('listMedia', () => {
  it('lists the declared medium that exists, with the facts the UI shows', async () => {
    const answer = await call('listMedia', {});
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    const { media } = answer.value as { media: Array<Record<string, unknown>> };
    const declared = media.filter((m) => m['source'] === 'config');
    expect(declared).toEqual([
      expect.objectContaining({ id: stick, mountPoint: stick, removable: false, readOnly: false, size: expect.any(Number), free: expect.any(Number) }),
    ]);
    expect(declared[0]).toHaveProperty('filesystem');
    expect(declared[0]).toHaveProperty('vendor');
    expect(declared[0]).toHaveProperty('model');
  });

  it("does not offer a medium holding the export's sources (the selection is inside the declared folder)", async () => {
    const answer = await call('listMedia', { sources: [join(stick, 'notes.txt')] });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    const { media } = answer.value as { media: Array<Record<string, unknown>> };
    expect(media.map((m) => m['id'])).not.toContain(stick);
    const elsewhere = await call('listMedia', { sources: [join(base, 'elsewhere.txt')] });
    if (!elsewhere.ok) throw new Error(JSON.stringify(elsewhere));
    expect((elsewhere.value as { media: Array<Record<string, unknown>> }).media.map((m) => m['id'])).toContain(stick);
  });
});

describe('listMediumBundles', () => {
  it('groups split bundles, skips links, folders and temp files, and counts the leftovers', async () => {
    const answer = await call('listMediumBundles', { mediumId: stick });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    const value = answer.value as { medium: { id: string }; bundles: Array<Record<string, unknown>>; leftovers: number; truncated: boolean };
    expect(value.medium.id).toBe(stick);
    expect(value.leftovers).toBe(1);
    expect(value.truncated).toBe(false);
    expect(value.bundles).toEqual([
      { name: 'big', kind: 'split', path: join(stick, 'big.airlock.tar.part-001-of-003'), bytes: 6144, partsHere: 2, partsTotal: 3, indexHere: true },
      { name: 'only-index', kind: 'split', path: join(stick, 'only-index.airlock-index.json'), bytes: 0, partsHere: 0, partsTotal: null, indexHere: true },
      // The hostile name crosses as it is: the renderer shows it through displayText.
      { name: 'q3\u202Egpj', kind: 'bundle', path: join(stick, 'q3\u202Egpj.airlock.tar'), bytes: 1, partsHere: 0, partsTotal: null, indexHere: false },
      { name: 'weekly', kind: 'bundle', path: join(stick, 'weekly.airlock.tar'), bytes: 10_240, partsHere: 0, partsTotal: null, indexHere: false },
    ]);
  });

  it('stops at its caps and says the listing is incomplete', async () => {
    const few = await listMediumBundles(stick, { entries: 3, bundles: 500 });
    expect(few.truncated).toBe(true);
    const two = await listMediumBundles(stick, { entries: 20_000, bundles: 2 });
    expect(two).toMatchObject({ truncated: true, bundles: [{ name: 'big' }, { name: 'only-index' }] });
  });
});

describe('requests naming a medium', () => {
  const notListed = expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'MEDIA_NOT_LISTED' }) });

  it('answers an unknown medium id with MEDIA_NOT_LISTED, what is detected, and a next action', async () => {
    const answer = await call('listMediumBundles', { mediumId: '/dev/sdz9' });
    expect(answer).toEqual(notListed);
    if (answer.ok) return;
    expect(answer.error.message).toContain('"/dev/sdz9" is not one of them');
    expect(answer.error.message).toContain(stick);
    expect(errorAction(answer.error.code)).toMatch(/inserted and mounted/);
  });

  it('never treats an arbitrary folder, a label match or a hostile id as a medium', async () => {
    for (const mediumId of [readOnlyNote, '/etc', 'stick', `${stick}/`, 'x\u001b[2J']) {
      expect(await call('startVerifyMedium', { mediumId })).toEqual(notListed);
      expect(await call('ejectMedium', { mediumId })).toEqual(notListed);
      expect(await call('startExport', { selection: ['/data/a'], destination: { kind: 'medium', mediumId }, passphrase: 'pw' })).toEqual(notListed);
    }
    const shown = await call('listMediumBundles', { mediumId: 'x\u001b[2J' });
    expect(!shown.ok && shown.error.message).toContain('x\\u001b[2J');
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it('refuses malformed payloads as USAGE before any handler runs', async () => {
    const malformed = [
      ['listMediumBundles', {}],
      ['listMediumBundles', { mediumId: '' }],
      ['listMediumBundles', { mediumId: 'a'.repeat(4097) }],
      ['listMediumBundles', { mediumId: stick, extra: true }],
      ['listMediumBundles', { mediumId: 42 }],
      ['listMedia', { all: true }],
      ['startVerifyMedium', { mediumId: [stick] }],
      ['startVerifyMedium', { mediumId: stick, passphrase: '' }],
      ['startVerifyMedium', { mediumId: stick, passphrase: 'p'.repeat(1025) }],
      ['ejectMedium', null],
      ['startExport', { selection: ['/a'], destination: { kind: 'usb', mediumId: stick }, passphrase: 'pw' }],
      ['startExport', { selection: ['/a'], destination: { kind: 'medium' }, passphrase: 'pw' }],
      ['startExport', { selection: ['/a'], destination: { kind: 'medium', mediumId: stick, path: '/tmp' }, passphrase: 'pw' }],
      ['startExport', { selection: ['/a'], destination: { kind: 'folder', path: '' }, passphrase: 'pw' }],
      ['startExport', { selection: ['/a'], outDir: '/tmp', passphrase: 'pw' }],
    ] as const;
    for (const [method, payload] of malformed) {
      const answer = await call(method, payload);
      expect(answer, `${method} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'USAGE', message: expect.stringContaining('malformed') },
      });
    }
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it('starts jobs for a listed medium with exactly its id', async () => {
    expect(await call('startVerifyMedium', { mediumId: stick })).toEqual({ ok: true, value: { jobId: 'job-m' } });
    expect(jobHost.start).toHaveBeenLastCalledWith('verify-medium', { mediumId: stick });
    // The passphrase that signs the verification's receipts goes to the job, and only there.
    expect(await call('startVerifyMedium', { mediumId: stick, passphrase: 'pw' })).toEqual({ ok: true, value: { jobId: 'job-m' } });
    expect(jobHost.start).toHaveBeenLastCalledWith('verify-medium', { mediumId: stick, passphrase: 'pw' });
    const request = { selection: ['/data/a'], destination: { kind: 'medium', mediumId: stick }, passphrase: 'pw' };
    expect(await call('startExport', request)).toEqual({ ok: true, value: { jobId: 'job-m' } });
    expect(jobHost.start).toHaveBeenLastCalledWith('export', request);
    // A folder destination is not checked against the media list.
    const folder = { selection: ['/data/a'], destination: { kind: 'folder', path: '/srv/outbox' }, passphrase: 'pw' };
    expect(await call('startExport', folder)).toEqual({ ok: true, value: { jobId: 'job-m' } });
    expect(jobHost.start).toHaveBeenLastCalledWith('export', folder);
  });

  it('eject of a declared folder that is not a mount point says there is nothing to eject', async () => {
    const answer = await call('ejectMedium', { mediumId: stick });
    expect(answer).toMatchObject({ ok: false, error: { code: 'MEDIA_EJECT_FAILED', message: expect.stringContaining('not a mounted medium') } });
  });
});
