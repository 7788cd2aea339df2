/**
 * Feed import, heartbeats and channels over IPC, through the real dispatcher and handlers over a
 * station double: requests the contract refuses never reach a job; a channel name that breaks the
 * rules is the CLI's CHANNEL_NAME_INVALID (not a malformed request), checked by main before a job
 * starts or the station is opened; a heartbeat to a medium goes to the mount point of a medium
 * offered and writable now, never to a path the page names; the jobs get what the CLI passes.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs, type StationOps } from '../../../electron/main/ipc/handlers.js';
import type { IpcMethod } from '../../../shared/ipc.js';
import type { MediaVolume } from '../../../shared/media.js';

const dialogs = {} as Dialogs;
const jobHost = { start: vi.fn(() => 'job-f'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };
const FRAME = { url: 'app://airlock/index.html', parent: null };

const volume = (fields: Partial<MediaVolume>): MediaVolume => ({
  id: '/dev/sdb1',
  device: '/dev/sdb1',
  disk: '/dev/sdb',
  label: 'STICK',
  filesystem: 'vfat',
  size: 8e9,
  free: 4e9,
  mountPoint: '/media/op/STICK',
  vendor: null,
  model: null,
  serial: null,
  readOnly: false,
  removable: true,
  source: 'lsblk',
  large: false,
  ...fields,
});

let media: MediaVolume[] = [];
const station = {
  close: vi.fn(),
  listMedia: vi.fn(async () => media),
  nextChannelStamp: vi.fn(async (channel: string) => ({ channel, sequence: 4, previousTagManifestSha256: 'ab'.repeat(32), heartbeat: false })),
};
const openStation = vi.fn(async () => station as unknown as StationOps);
const call = (method: IpcMethod, payload: unknown) =>
  createDispatch(createHandlers({ openStation, jobHost, dialogs, version: '1' }), { trustedOrigins: ['app://airlock'], log: () => undefined })(
    method,
    FRAME,
    payload,
  );

beforeEach(() => {
  vi.clearAllMocks();
  media = [volume({})];
});

describe('feed import over IPC', () => {
  it('starts the feed-import job with the chosen bundle; --allow-downgrade only when the page sends true', async () => {
    expect(await call('startFeedImport', { bundlePath: '/in/clamav-feed.airlock.tar' })).toEqual({ ok: true, value: { jobId: 'job-f' } });
    expect(jobHost.start).toHaveBeenLastCalledWith('feed-import', { bundlePath: '/in/clamav-feed.airlock.tar', allowDowngrade: undefined });
    await call('startFeedImport', { bundlePath: '/in/f.airlock.tar', allowDowngrade: false });
    expect(jobHost.start).toHaveBeenLastCalledWith('feed-import', { bundlePath: '/in/f.airlock.tar', allowDowngrade: undefined });
    await call('startFeedImport', { bundlePath: '/in/f.airlock.tar', allowDowngrade: true });
    expect(jobHost.start).toHaveBeenLastCalledWith('feed-import', { bundlePath: '/in/f.airlock.tar', allowDowngrade: true });
  });

  it('refuses malformed requests as USAGE before any job starts', async () => {
    for (const payload of [
      {},
      { bundlePath: '' },
      { bundlePath: 'x'.repeat(4097) },
      { bundlePath: '/f', allowDowngrade: 'yes' },
      { bundlePath: '/f', force: true },
    ]) {
      const answer = await call('startFeedImport', payload);
      expect(answer.ok ? null : answer.error.code).toBe('USAGE');
    }
    expect(jobHost.start).not.toHaveBeenCalled();
  });
});

describe('heartbeats over IPC', () => {
  const request = (fields: Record<string, unknown> = {}) => ({
    channel: 'diode-a',
    destination: { kind: 'folder', path: '/out' },
    passphrase: 'station passphrase',
    ...fields,
  });

  it('starts the heartbeat job for a folder with the channel, name and passphrase as the CLI passes them', async () => {
    expect(await call('startHeartbeat', request({ name: 'hb-1' }))).toEqual({ ok: true, value: { jobId: 'job-f' } });
    expect(jobHost.start).toHaveBeenLastCalledWith('heartbeat', { channel: 'diode-a', outDir: '/out', name: 'hb-1', passphrase: 'station passphrase' });
  });

  it('writes to a medium at the mount point of the medium offered now, and refuses one that is gone or read-only', async () => {
    await call('startHeartbeat', request({ destination: { kind: 'medium', mediumId: '/dev/sdb1' } }));
    expect(jobHost.start).toHaveBeenLastCalledWith('heartbeat', expect.objectContaining({ outDir: '/media/op/STICK' }));
    jobHost.start.mockClear();
    const gone = await call('startHeartbeat', request({ destination: { kind: 'medium', mediumId: '/dev/sdc1' } }));
    expect(gone.ok ? null : gone.error.code).toBe('MEDIA_NOT_LISTED');
    media = [volume({ readOnly: true })];
    const readOnly = await call('startHeartbeat', request({ destination: { kind: 'medium', mediumId: '/dev/sdb1' } }));
    expect(readOnly.ok ? null : readOnly.error.code).toBe('MEDIA_READONLY');
    media = [volume({ mountPoint: null })];
    const unmounted = await call('startHeartbeat', request({ destination: { kind: 'medium', mediumId: '/dev/sdb1' } }));
    expect(unmounted.ok ? null : unmounted.error.code).toBe('MEDIA_NOT_MOUNTED');
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it('refuses a channel name that breaks the rules with CHANNEL_NAME_INVALID before a job starts', async () => {
    for (const channel of ['Diode-A', '-lead', 'a b', 'x'.repeat(65), 'kanal-ä']) {
      const answer = await call('startHeartbeat', request({ channel }));
      expect(answer.ok ? null : answer.error.code).toBe('CHANNEL_NAME_INVALID');
    }
    expect(jobHost.start).not.toHaveBeenCalled();
  });

  it('refuses malformed requests as USAGE: no passphrase, a runaway channel, an unknown key', async () => {
    for (const payload of [request({ passphrase: '' }), request({ channel: 'c'.repeat(257) }), request({ outDir: '/elsewhere' }), request({ name: '' })]) {
      const answer = await call('startHeartbeat', payload);
      expect(answer.ok ? null : answer.error.code).toBe('USAGE');
    }
    expect(jobHost.start).not.toHaveBeenCalled();
  });
});

describe('channels over IPC', () => {
  it('answers the next stamp on a channel from the station', async () => {
    expect(await call('nextChannelStamp', { channel: 'diode-a' })).toEqual({
      ok: true,
      value: { channel: 'diode-a', sequence: 4, previousTagManifestSha256: 'ab'.repeat(32), heartbeat: false },
    });
    expect(station.nextChannelStamp).toHaveBeenCalledWith('diode-a');
  });

  it('refuses a bad name with CHANNEL_NAME_INVALID without opening the station', async () => {
    const answer = await call('nextChannelStamp', { channel: 'UPPER' });
    expect(answer.ok ? null : answer.error.code).toBe('CHANNEL_NAME_INVALID');
    expect(openStation).not.toHaveBeenCalled();
  });

  it('passes an export’s channel to the export job, and refuses a bad one before the job starts', async () => {
    const exportRequest = { selection: ['/src/a.txt'], destination: { kind: 'folder', path: '/out' }, passphrase: 'pw' };
    expect((await call('startExport', { ...exportRequest, channel: 'diode-a' })).ok).toBe(true);
    expect(jobHost.start).toHaveBeenLastCalledWith('export', expect.objectContaining({ channel: 'diode-a' }));
    jobHost.start.mockClear();
    const bad = await call('startExport', { ...exportRequest, channel: 'Diode A' });
    expect(bad.ok ? null : bad.error.code).toBe('CHANNEL_NAME_INVALID');
    expect(jobHost.start).not.toHaveBeenCalled();
  });
});
