/**
 * The IPC handlers against a real Station in a temp home (no Electron): keys with fingerprint
 * confirmation, the export review summary, and jobs by id.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Station } from '../../../electron/core/index.js';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';

let base: string;
let home: string;
let otherKeyFile: string;
let otherFingerprint: string;

const dialogs: Dialogs = {
  chooseExportSources: vi.fn(async () => ['/picked/a', '/picked/b']),
  chooseFolder: vi.fn(async () => '/picked/folder'),
  chooseBundle: vi.fn(async () => null),
  chooseFile: vi.fn(async () => []),
  chooseKeyFile: vi.fn(async () => '/picked/key.asc'),
  chooseKeySaveFile: vi.fn(async (): Promise<string | null> => null),
  chooseAuditExportFile: vi.fn(async (): Promise<string | null> => null),
};
const jobHost = { start: vi.fn(() => 'job-9'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };

function handlers() {
  return createHandlers({ openStation: () => Station.open({ home }), jobHost, dialogs, version: '1.2.3' });
}
const FRAME = { url: 'app://airlock/index.html', parent: null };
const call = (method: Parameters<ReturnType<typeof createDispatch>>[0], payload: unknown) =>
  createDispatch(handlers(), { trustedOrigins: ['app://airlock'], log: () => undefined })(method, FRAME, payload);

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-handlers-'));
  home = join(base, 'home');
  // Another station whose public key this one will trust.
  const other = await Station.open({ home: join(base, 'other') });
  otherFingerprint = (await other.generateKey({ name: 'Sender Station <sender@example.org>', passphrase: 'x' })).fingerprint;
  otherKeyFile = join(base, 'sender.asc');
  await writeFile(otherKeyFile, await other.exportPublicKey());
  other.close();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('station and keys', () => {
  it('reports a station without a key, then generates one', async () => {
    expect(await call('stationStatus', {})).toMatchObject({ ok: true, value: { version: '1.2.3', home, hasKey: false, stationKey: null } });
    // keys generate --algorithm: only the three the CLI names.
    expect(await call('generateKey', { name: 'Station 3', passphrase: 'pw', algorithm: 'dsa' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    const generated = await call('generateKey', { name: '  Station 3 ', passphrase: 'pw', algorithm: 'p384' });
    expect(generated).toMatchObject({ ok: true, value: { userIds: ['Station 3'], algorithm: expect.stringContaining('P384') } });
    const status = await call('stationStatus', {});
    expect(status).toMatchObject({ ok: true, value: { hasKey: true, stationKey: { role: 'station', label: 'this station' } } });
    expect(JSON.stringify(status)).not.toContain('PGP PUBLIC KEY');
    expect(await call('generateKey', { name: 'again', passphrase: 'pw' })).toMatchObject({ ok: false, error: { code: 'STATION_KEY_EXISTS' } });
  });

  it('inspects a key file without trusting it', async () => {
    const inspected = await call('inspectKeyFile', { file: otherKeyFile });
    expect(inspected).toEqual({
      ok: true,
      value: {
        fingerprint: otherFingerprint,
        userIds: ['Sender Station <sender@example.org>'],
        algorithm: expect.any(String),
        created: expect.any(String),
        expires: null,
      },
    });
    const listed = (await call('listTrusted', {})) as { ok: true; value: { signers: Array<{ fingerprint: string }> } };
    expect(listed.value.signers.map((s) => s.fingerprint)).not.toContain(otherFingerprint);
  });

  it('refuses to trust a file whose fingerprint is not the one confirmed', async () => {
    const wrong = 'ABCD'.repeat(10);
    expect(await call('trustKeyFile', { file: otherKeyFile, expectedFingerprint: wrong })).toMatchObject({
      ok: false,
      error: { code: 'FINGERPRINT_MISMATCH' },
    });
  });

  it('trusts with the confirmed fingerprint (spaces allowed), then untrusts', async () => {
    const grouped = otherFingerprint.match(/.{4}/g)?.join(' ') ?? '';
    const trusted = await call('trustKeyFile', { file: otherKeyFile, label: 'Sender', expectedFingerprint: grouped.toLowerCase() });
    expect(trusted).toMatchObject({ ok: true, value: { alreadyTrusted: false, signer: { fingerprint: otherFingerprint, label: 'Sender' } } });
    expect(JSON.stringify(trusted)).not.toContain('PGP PUBLIC KEY');
    expect(await call('untrustKey', { fingerprint: otherFingerprint })).toMatchObject({ ok: true, value: { fingerprint: otherFingerprint } });
    expect(await call('untrustKey', { fingerprint: otherFingerprint })).toMatchObject({ ok: false, error: { code: 'KEY_NOT_FOUND' } });
  });

  it('trusts with a role (keys trust --role), and refuses a role of another form with core’s words', async () => {
    expect(await call('trustKeyFile', { file: otherKeyFile, role: 'Reviewer!', expectedFingerprint: otherFingerprint })).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringContaining('lower-case letters, digits or dashes') },
    });
    expect(await call('trustKeyFile', { file: otherKeyFile, role: 'reviewer', expectedFingerprint: otherFingerprint })).toMatchObject({
      ok: true,
      value: { signer: { fingerprint: otherFingerprint, role: 'reviewer' } },
    });
    expect(await call('untrustKey', { fingerprint: otherFingerprint })).toMatchObject({ ok: true });
  });

  it('reports a file that is not a key as KEY_INVALID', async () => {
    const notKey = join(base, 'not-a-key.asc');
    await writeFile(notKey, 'hello');
    expect(await call('inspectKeyFile', { file: notKey })).toMatchObject({ ok: false, error: { code: 'KEY_INVALID' } });
  });
});

describe('dialogs and selection', () => {
  it('passes dialog answers through', async () => {
    expect(await call('chooseExportSources', { kind: 'folders' })).toEqual({ ok: true, value: { paths: ['/picked/a', '/picked/b'] } });
    expect(dialogs.chooseExportSources).toHaveBeenCalledWith('folders');
    expect(await call('chooseBundle', {})).toEqual({ ok: true, value: { path: null } });
  });

  it('summarizes a selection with totals and warnings', async () => {
    const dir = join(base, 'sel');
    await mkdir(join(dir, 'empty'), { recursive: true });
    await writeFile(join(dir, 'one.txt'), '12345');
    await writeFile(join(dir, 'two.txt'), '123');
    await symlink('/etc/passwd', join(dir, 'link'));
    const answer = await call('summarizeSelection', { paths: [dir, join(base, 'missing')] });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
    expect(answer.value).toMatchObject({ totalFiles: 2, totalBytes: 8, truncated: false });
    const warnings = (answer.value as { warnings: Array<{ path: string; blocking: boolean }> }).warnings;
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: join(dir, 'empty'), blocking: false }),
        expect.objectContaining({ path: join(dir, 'link'), blocking: true }),
        expect.objectContaining({ path: join(base, 'missing'), blocking: true }),
      ]),
    );
  });
});

describe('jobs', () => {
  it('starts jobs through the host and answers unknown ids with a code', async () => {
    expect(await call('startVerify', { bundlePath: '/b.airlock.tar' })).toEqual({ ok: true, value: { jobId: 'job-9' } });
    expect(jobHost.start).toHaveBeenCalledWith('verify', { bundlePath: '/b.airlock.tar' });
    // An unknown id has its own code (message + next step), and the hostile id is shown escaped.
    expect(await call('getJob', { jobId: 'nope\u202E' })).toEqual({
      ok: false,
      error: { code: 'JOB_NOT_FOUND', message: expect.stringContaining('"nope\\u202e"'), detail: expect.stringContaining('"nope\\u202e"') },
    });
    expect(await call('cancelJob', { jobId: 'nope' })).toMatchObject({ ok: false, error: { code: 'JOB_NOT_FOUND' } });
    expect(jobHost.cancel).not.toHaveBeenCalled();
  });

  it('cancelling a job that already ended answers cancelling: false, not an error', async () => {
    const ended = { id: 'job-1', kind: 'verify', state: 'succeeded' };
    jobHost.get.mockImplementationOnce((() => ended) as unknown as () => undefined);
    expect(await call('cancelJob', { jobId: 'job-1' })).toEqual({ ok: true, value: { cancelling: false } });
    expect(jobHost.cancel).toHaveBeenCalledWith('job-1');
  });
});
