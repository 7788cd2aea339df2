/**
 * Images over IPC (#15.6), through the real dispatcher and handlers: hostile export and import
 * payloads refused as USAGE before a job starts (oversized, control characters, unknown keys,
 * wrong transports, half credentials); the push target becomes core's RegistryEndpoint in main,
 * plain HTTP only for a loopback registry; the password reaches the job request and nothing
 * else (no answer, no log line); a media export takes images like a folder export.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';
import { IMAGE_REFERENCE_MAX } from '../../../shared/image-input.js';
import type { IpcMethod } from '../../../shared/ipc.js';

const PASSWORD = 'pa55word-never-echoed';
const dialogs: Dialogs = {
  chooseExportSources: vi.fn(),
  chooseFolder: vi.fn(),
  chooseBundle: vi.fn(),
  chooseFile: vi.fn(async (purpose) => (purpose === 'chart' ? ['/srv/a.tgz', '/srv/b.tgz'] : ['/srv/one'])),
  chooseKeyFile: vi.fn(),
  chooseKeySaveFile: vi.fn(),
  chooseAuditExportFile: vi.fn(),
};
const jobHost = { start: vi.fn(() => 'job-i'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };
const log = vi.fn();
const FRAME = { url: 'app://airlock/index.html', parent: null };
const openStation = vi.fn(() => Promise.reject(new Error('no station needed here')));
const call = (method: IpcMethod, payload: unknown) =>
  createDispatch(createHandlers({ openStation, jobHost, dialogs, version: '1' }), { trustedOrigins: ['app://airlock'], log })(method, FRAME, payload);

const folder = { kind: 'folder', path: '/srv/outbox' } as const;
const exportOf = (fields: Record<string, unknown>) => ({ selection: [], destination: folder, passphrase: 'pw', ...fields });
const importOf = (pushTo: unknown) => ({ bundlePath: '/media/b.airlock.tar', destDir: '/srv/inbox', pushTo });

beforeEach(() => {
  jobHost.start.mockClear();
  log.mockClear();
});

describe('export requests with images', () => {
  it('passes references, list file, platforms, charts and the receipt to the export job as given', async () => {
    const request = exportOf({
      selection: ['/data/a'],
      images: ['oci:/srv/layout:tool-1.0', 'oci-archive:/srv/app.tar', 'docker-archive:/srv/d.tar', 'docker://127.0.0.1:5000/team/app:1.0'],
      imagesFrom: '/srv/list.txt',
      platforms: ['linux/amd64', 'linux/arm64/v8'],
      charts: ['/srv/chart.tgz'],
      skipBlobsIn: '/srv/receipt.json',
    });
    expect(await call('startExport', request)).toEqual({ ok: true, value: { jobId: 'job-i' } });
    expect(jobHost.start).toHaveBeenCalledWith('export', request);
  });

  it('accepts images alone, but not an export of nothing', async () => {
    expect(await call('startExport', exportOf({ images: ['oci:/srv/layout'] }))).toMatchObject({ ok: true });
    expect(await call('startExport', exportOf({ charts: ['/srv/c.tgz'] }))).toMatchObject({ ok: true });
    expect(await call('startExport', exportOf({ imagesFrom: '/srv/list.txt' }))).toMatchObject({ ok: true });
    jobHost.start.mockClear();
    for (const fields of [{}, { images: [] }, { charts: [] }, { skipBlobsIn: '/srv/receipt.json' }, { platforms: ['linux/amd64'] }]) {
      expect(await call('startExport', exportOf(fields)), JSON.stringify(fields)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    }
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it.each([
    ['no transport', { images: ['registry.example/app:1.0'] }],
    ['an unknown transport', { images: ['containers-storage:app'] }],
    ['a transport with nothing after it', { images: ['oci:'] }],
    ['docker:// without a tag or digest', { images: ['docker://registry.example/app'] }],
    ['a control character', { images: ['oci:/srv/lay\u0000out'] }],
    ['a bidi override', { images: ['oci:/srv/\u202Etuoyal'] }],
    ['an escape sequence', { images: ['oci:/srv/\u001b[2Jlayout'] }],
    ['a reference over the limit', { images: [`oci:/${'a'.repeat(IMAGE_REFERENCE_MAX)}`] }],
    ['too many references', { images: Array.from({ length: 1001 }, (_, i) => `oci:/srv/l${i}`) }],
    ['a reference that is not a string', { images: [42] }],
    ['references not in an array', { images: 'oci:/srv/layout' }],
    ['an empty list file path', { images: ['oci:/l'], imagesFrom: '' }],
    ['a list file path over the limit', { images: ['oci:/l'], imagesFrom: `/${'p'.repeat(4096)}` }],
    ['an upper-case platform', { images: ['oci:/l'], platforms: ['Linux/AMD64'] }],
    ['a platform without an architecture', { images: ['oci:/l'], platforms: ['linux'] }],
    ['a platform with four parts', { images: ['oci:/l'], platforms: ['linux/arm/v7/x'] }],
    ['an empty platform choice', { images: ['oci:/l'], platforms: [] }],
    ['too many platforms', { images: ['oci:/l'], platforms: Array.from({ length: 33 }, (_, i) => `linux/a${i}`) }],
    ['an empty chart path', { charts: [''] }],
    ['a receipt that is not a path', { images: ['oci:/l'], skipBlobsIn: { path: '/r' } }],
    ['an unknown key', { images: ['oci:/l'], pullFrom: 'docker://x' }],
  ])('refuses %s as USAGE before any job starts', async (_name, fields) => {
    const answer = await call('startExport', exportOf(fields));
    expect(answer).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('malformed') } });
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it('passes images to an export straight to a medium, as given, once the medium is one offered now', async () => {
    const medium = { id: '/dev/sdb1', mountPoint: '/media/stick', readOnly: false, label: 'STICK', device: '/dev/sdb1' };
    openStation.mockImplementation(() => Promise.resolve({ listMedia: async () => [medium], close: () => undefined } as never));
    try {
      for (const fields of [
        { images: ['oci:/l'] },
        { imagesFrom: '/l.txt' },
        { charts: ['/c.tgz'] },
        { selection: ['/a'], images: ['oci:/l'], skipBlobsIn: '/r.json' },
      ]) {
        jobHost.start.mockClear();
        const request = { ...exportOf(fields), destination: { kind: 'medium', mediumId: '/dev/sdb1' } };
        expect(await call('startExport', request), JSON.stringify(fields)).toEqual({ ok: true, value: { jobId: 'job-i' } });
        expect(jobHost.start).toHaveBeenCalledWith('export', request);
      }
      jobHost.start.mockClear();
      const elsewhere = await call('startExport', { ...exportOf({ images: ['oci:/l'] }), destination: { kind: 'medium', mediumId: '/dev/sdz9' } });
      expect(elsewhere).toMatchObject({ ok: false, error: { code: 'MEDIA_NOT_LISTED' } });
      expect(jobHost.start).not.toHaveBeenCalled();
    } finally {
      openStation.mockImplementation(() => Promise.reject(new Error('no station needed here')));
    }
  });
});

describe('import requests with a push target', () => {
  it('builds the registry endpoint in main: host with port, prefix, CA file, credentials', async () => {
    const pushTo = { registry: 'registry.internal:5000/mirror/team', insecure: false, caFile: '/etc/ca.pem', username: 'robot', password: PASSWORD };
    const answer = await call('startImport', importOf(pushTo));
    expect(answer).toEqual({ ok: true, value: { jobId: 'job-i' } });
    expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    expect(jobHost.start).toHaveBeenCalledWith('import', {
      bundlePath: '/media/b.airlock.tar',
      destDir: '/srv/inbox',
      pushTo: {
        host: 'registry.internal:5000',
        prefix: 'mirror/team',
        insecure: false,
        caFile: '/etc/ca.pem',
        credentials: { username: 'robot', password: PASSWORD },
      },
    });
  });

  it('maps each loopback form with plain HTTP, a registry without prefix, and an import without push', async () => {
    for (const [registry, host] of [
      ['127.0.0.1:5000', '127.0.0.1:5000'],
      ['localhost:5000/m', 'localhost:5000'],
      ['[::1]:5000', '[::1]:5000'],
      ['127.1.2.3', '127.1.2.3'],
    ] as const) {
      expect(await call('startImport', importOf({ registry, insecure: true })), registry).toMatchObject({ ok: true });
      expect(jobHost.start).toHaveBeenLastCalledWith('import', expect.objectContaining({ pushTo: expect.objectContaining({ host, insecure: true }) }));
    }
    await call('startImport', { bundlePath: '/b.airlock.tar', destDir: '/d' });
    expect(jobHost.start).toHaveBeenLastCalledWith('import', { bundlePath: '/b.airlock.tar', destDir: '/d', pushTo: undefined });
  });

  it('takes no destination folder only together with a push target', async () => {
    expect(await call('startImport', { bundlePath: '/b.airlock.tar', pushTo: { registry: '127.0.0.1:5000', insecure: true } })).toMatchObject({ ok: true });
    expect(jobHost.start).toHaveBeenLastCalledWith('import', expect.not.objectContaining({ destDir: expect.anything() }));
    jobHost.start.mockClear();
    expect(await call('startImport', { bundlePath: '/b.airlock.tar' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await call('startImport', { bundlePath: '/b.airlock.tar', destDir: '' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it.each(['registry.internal:5000', '10.0.0.5:5000', '127.0.0.1.evil.example', 'localhost.evil.example:5000', '[::2]:5000', '0.0.0.0:5000'])(
    'refuses plain HTTP to %s (not loopback) before any job starts',
    async (registry) => {
      const answer = await call('startImport', importOf({ registry, insecure: true, username: 'u', password: PASSWORD }));
      expect(answer).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('Plain HTTP is allowed only') } });
      expect(JSON.stringify(answer)).not.toContain(PASSWORD);
      expect(jobHost.start).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['a scheme', { registry: 'https://registry.internal', insecure: false }],
    ['an upper-case prefix', { registry: 'registry.internal/Mirror', insecure: false }],
    ['an empty prefix component', { registry: 'registry.internal//m', insecure: false }],
    ['a port out of range', { registry: 'registry.internal:65536', insecure: false }],
    ['a control character', { registry: 'registry.internal\u0000:5000', insecure: false }],
    ['an escape sequence', { registry: 'registry\u001b[2J.internal', insecure: false }],
    ['a registry over the limit', { registry: `r.${'a'.repeat(600)}`, insecure: false }],
    ['user name without password', { registry: 'r.internal', insecure: false, username: 'u' }],
    ['password without user name', { registry: 'r.internal', insecure: false, password: PASSWORD }],
    ['an empty password', { registry: 'r.internal', insecure: false, username: 'u', password: '' }],
    ['a password over the limit', { registry: 'r.internal', insecure: false, username: 'u', password: `${PASSWORD}${'x'.repeat(4096)}` }],
    ['insecure as a string', { registry: '127.0.0.1:5000', insecure: 'yes' }],
    ['insecure missing', { registry: '127.0.0.1:5000' }],
    ['an unknown key', { registry: 'r.internal', insecure: false, password: PASSWORD, username: 'u', token: 'x' }],
    ['a CA path that is empty', { registry: 'r.internal', insecure: false, caFile: '' }],
    ['a push target that is a string', 'registry.internal:5000'],
  ])('refuses a push target with %s as USAGE, never echoing the password', async (_name, pushTo) => {
    const answer = await call('startImport', importOf(pushTo));
    expect(answer).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('malformed') } });
    expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    expect(JSON.stringify(log.mock.calls)).not.toContain(PASSWORD);
    expect(jobHost.start).not.toHaveBeenCalled();
  });
});

describe('the file dialog for images', () => {
  it('answers the paths picked for each purpose, and refuses any other purpose', async () => {
    expect(await call('chooseFile', { purpose: 'chart' })).toEqual({ ok: true, value: { paths: ['/srv/a.tgz', '/srv/b.tgz'] } });
    for (const purpose of ['image-list', 'registry-ca', 'blobs-receipt'] as const) {
      expect(await call('chooseFile', { purpose })).toEqual({ ok: true, value: { paths: ['/srv/one'] } });
    }
    for (const payload of [{ purpose: 'key' }, { purpose: 'chart', multiple: true }, {}, null]) {
      expect(await call('chooseFile', payload), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    }
    expect(dialogs.chooseFile).toHaveBeenCalledTimes(4);
  });
});
