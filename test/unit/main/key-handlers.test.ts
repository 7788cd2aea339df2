/**
 * The Keys view's rotate, export-public, backup, restore and revoke-import channels, through the
 * real dispatch (schema parse first) and the real handlers against real Stations in temp homes:
 * the same outcomes the CLI gives (test/integration/keys/key-lifecycle.test.ts), files written
 * only where main's save dialog says, and nothing changed when a passphrase is wrong.
 */
import { readFile, readdir, stat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Station } from '../../../electron/core/index.js';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';
import { publicKeyFileName, type KeySavePurpose } from '../../../electron/main/ipc/key-handlers.js';

const PASSPHRASE = 'current passphrase';
const NEW_PASSPHRASE = 'the next passphrase';

let base: string;
let home: string;
let senderHome: string;
let senderFingerprint: string;
/** What the save dialog answers next (null: the operator cancelled). */
let saveAnswer: string | null = null;
const chooseKeySaveFile = vi.fn(async (_purpose: KeySavePurpose, _defaultName: string): Promise<string | null> => saveAnswer);

const dialogs: Dialogs = {
  chooseExportSources: vi.fn(async () => []),
  chooseFolder: vi.fn(async () => null),
  chooseBundle: vi.fn(async () => null),
  chooseFile: vi.fn(async () => []),
  chooseKeyFile: vi.fn(async () => null),
  chooseKeySaveFile,
  chooseAuditExportFile: vi.fn(async () => null),
};
const jobHost = { start: vi.fn(() => 'job-1'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };
const FRAME = { url: 'app://airlock/index.html', parent: null };

/** Dispatch into the station at `at` (this station unless said). */
const callAt = (at: string, method: Parameters<ReturnType<typeof createDispatch>>[0], payload: unknown) =>
  createDispatch(createHandlers({ openStation: () => Station.open({ home: at }), jobHost, dialogs, version: '1.0.0' }), {
    trustedOrigins: ['app://airlock'],
    log: () => undefined,
  })(method, FRAME, payload);
const call = (method: Parameters<ReturnType<typeof createDispatch>>[0], payload: unknown) => callAt(home, method, payload);

async function stationFingerprint(at: string): Promise<string | undefined> {
  const status = (await callAt(at, 'stationStatus', {})) as { ok: true; value: { stationKey: { fingerprint: string } | null } };
  return status.value.stationKey?.fingerprint;
}

async function signers(at: string): Promise<Array<{ fingerprint: string; role: string | null; retiredAt?: string; revokedAt?: string }>> {
  const listed = (await callAt(at, 'listTrusted', {})) as { ok: true; value: { signers: Array<{ fingerprint: string; role: string | null }> } };
  return listed.value.signers;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-key-handlers-'));
  home = join(base, 'home');
  senderHome = join(base, 'sender');
  const sender = await Station.open({ home: senderHome });
  senderFingerprint = (await sender.generateKey({ name: 'Sender Station', passphrase: 'x' })).fingerprint;
  await writeFile(join(base, 'sender.asc'), await sender.exportPublicKey());
  sender.close();
  const station = await Station.open({ home });
  await station.generateKey({ name: 'Station 3', passphrase: PASSPHRASE });
  await station.trustKeyFile(join(base, 'sender.asc'), { expectedFingerprint: senderFingerprint });
  station.close();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

beforeEach(() => {
  chooseKeySaveFile.mockClear();
  saveAnswer = null;
});

describe('export-public', () => {
  it('writes the station public key where the save dialog says, whole', async () => {
    saveAnswer = join(base, 'exported-station.asc');
    expect(await call('exportPublicKey', {})).toEqual({ ok: true, value: { path: saveAnswer, fingerprint: null } });
    expect(chooseKeySaveFile).toHaveBeenCalledWith('public-key', 'station.asc');
    const station = await Station.open({ home });
    const expected = await station.exportPublicKey();
    station.close();
    expect(await readFile(saveAnswer, 'utf8')).toBe(expected);
    // Temp, fsync, rename: no temp file is left beside it.
    expect((await readdir(base)).filter((n) => n.startsWith('exported-station.asc') || n.includes('.airlock-tmp'))).toEqual(['exported-station.asc']);
  });

  it('writes a trusted signer’s key, named after its fingerprint, from a grouped lower-case fingerprint', async () => {
    saveAnswer = join(base, 'exported-sender.asc');
    const typed = senderFingerprint.toLowerCase().replace(/(.{4})/gu, '$1 ');
    expect(await call('exportPublicKey', { fingerprint: typed.trim() })).toEqual({ ok: true, value: { path: saveAnswer, fingerprint: senderFingerprint } });
    expect(chooseKeySaveFile).toHaveBeenCalledWith('public-key', publicKeyFileName(senderFingerprint));
    expect(publicKeyFileName(senderFingerprint)).toBe(`signer-${senderFingerprint.slice(0, 16)}.asc`);
    expect(await readFile(saveAnswer, 'utf8')).toBe(await readFile(join(base, 'sender.asc'), 'utf8'));
  });

  it('writes nothing when the operator cancels the dialog', async () => {
    const before = await readdir(base);
    expect(await call('exportPublicKey', {})).toEqual({ ok: true, value: { path: null, fingerprint: null } });
    expect(await readdir(base)).toEqual(before);
  });

  it('refuses an unknown fingerprint before any dialog opens', async () => {
    expect(await call('exportPublicKey', { fingerprint: 'AB12'.repeat(10) })).toMatchObject({ ok: false, error: { code: 'KEY_NOT_FOUND' } });
    expect(chooseKeySaveFile).not.toHaveBeenCalled();
  });

  it('takes no path from the renderer', async () => {
    expect(await call('exportPublicKey', { path: join(base, 'chosen-by-renderer.asc') })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(chooseKeySaveFile).not.toHaveBeenCalled();
  });
});

describe('backup and restore', () => {
  it('refuses a wrong passphrase before the dialog, writing nothing', async () => {
    saveAnswer = join(base, 'never.backup.asc');
    expect(await call('backupKey', { passphrase: 'wrong' })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_WRONG' } });
    expect(chooseKeySaveFile).not.toHaveBeenCalled();
    await expect(stat(saveAnswer)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes the backup (mode 0600) where the dialog says, never over an existing file, and restores it in a home without a key', async () => {
    expect(await call('backupKey', { passphrase: PASSPHRASE })).toEqual({ ok: true, value: { path: null } });
    saveAnswer = join(base, 'station-key.backup.asc');
    expect(await call('backupKey', { passphrase: PASSPHRASE })).toEqual({ ok: true, value: { path: saveAnswer } });
    expect(chooseKeySaveFile).toHaveBeenLastCalledWith('key-backup', 'station-key-backup.airlock');
    expect((await stat(saveAnswer)).mode & 0o777).toBe(0o600);
    const written = await readFile(saveAnswer, 'utf8');
    expect(written).toContain('Airlock station key backup v1');

    const again = await call('backupKey', { passphrase: PASSPHRASE });
    expect(again).toMatchObject({ ok: false });
    expect(await readFile(saveAnswer, 'utf8')).toBe(written);

    const fresh = join(base, 'fresh-home');
    expect(await callAt(fresh, 'restoreKey', { file: saveAnswer, passphrase: 'wrong' })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_WRONG' } });
    expect((await callAt(fresh, 'stationStatus', {})) as unknown).toMatchObject({ ok: true, value: { hasKey: false } });
    const restored = await callAt(fresh, 'restoreKey', { file: saveAnswer, passphrase: PASSPHRASE });
    expect(restored).toMatchObject({ ok: true, value: { fingerprint: await stationFingerprint(home), userIds: ['Station 3'] } });
    expect(await stationFingerprint(fresh)).toBe(await stationFingerprint(home));
    // A home that has a key keeps it.
    expect(await callAt(fresh, 'restoreKey', { file: saveAnswer, passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'STATION_KEY_EXISTS' } });
  });
});

describe('revoke-import', () => {
  it('refuses a file that is no revocation of a trusted key, changing nothing', async () => {
    const before = await signers(home);
    expect(await call('importRevocation', { file: join(base, 'sender.asc') })).toMatchObject({ ok: false, error: { code: 'KEY_INVALID' } });
    expect(await signers(home)).toEqual(before);
  });

  it('applies a revocation certificate to a trusted key, which the list then shows', async () => {
    expect((await signers(home)).find((s) => s.fingerprint === senderFingerprint)?.revokedAt).toBeUndefined();
    const revoked = await call('importRevocation', { file: join(senderHome, 'keys', 'station-key.revocation.asc') });
    expect(revoked).toMatchObject({ ok: true, value: { fingerprint: senderFingerprint, userIds: ['Sender Station'], revokedAt: expect.any(String) } });
    expect(JSON.stringify(revoked)).not.toContain('PGP PUBLIC KEY');
    expect((await signers(home)).find((s) => s.fingerprint === senderFingerprint)?.revokedAt).toEqual(expect.any(String));
  });
});

describe('rotate', () => {
  it('changes nothing when the current passphrase is wrong', async () => {
    const before = await signers(home);
    const result = await call('rotateKey', { name: 'Station 3 (2027)', passphrase: 'wrong', newPassphrase: NEW_PASSPHRASE });
    expect(result).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_WRONG' } });
    expect(await signers(home)).toEqual(before);
  });

  it('retires the old key (still trusted) and makes the new one the station key', async () => {
    const old = await stationFingerprint(home);
    const result = await call('rotateKey', { name: ' Station 3 (2027) ', passphrase: PASSPHRASE, newPassphrase: NEW_PASSPHRASE });
    expect(result).toMatchObject({ ok: true, value: { retired: old, current: { userIds: ['Station 3 (2027)'] } } });
    const { current } = (result as { ok: true; value: { current: { fingerprint: string } } }).value;
    expect(current.fingerprint).not.toBe(old);
    expect(await stationFingerprint(home)).toBe(current.fingerprint);
    const listed = await signers(home);
    expect(listed.find((s) => s.fingerprint === old)).toMatchObject({ retiredAt: expect.any(String) });
    // The new passphrase unlocks the new key; the old one no longer does.
    expect(await call('backupKey', { passphrase: PASSPHRASE })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_WRONG' } });
    expect(await call('backupKey', { passphrase: NEW_PASSPHRASE })).toEqual({ ok: true, value: { path: null } });
  });
});
