/**
 * The app's export straight to a medium carries images (#15.6): the renderer's request goes through
 * the real IPC dispatcher and handlers, the real job host and the job worker thread, into core's
 * media export, on a folder declared as a medium (mediaRoots). The images (an oci: reference and
 * a list file) land in the bundle's layout with their digests, the medium is read back, the bundle
 * verifies, and the export event names the images. A reference that cannot be read fails the job
 * before the medium is written.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../shared/ipc.js';
import { Station } from '../../../electron/core/index.js';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';
import { JobHost } from '../../../electron/main/jobs/job-host.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { imagesFile, sha256sumPasses, unpack } from './images-helpers.js';

const WORKER = new URL('../../helpers/job-worker-tsx.mjs', import.meta.url);
const PASSPHRASE = 'app media images passphrase';
const FRAME = { url: 'app://airlock/index.html', parent: null };
const tempDir = useTempDirs();
const noDialogs = new Proxy({} as Dialogs, {
  get: () => () => Promise.reject(new Error('no dialog in this test')),
});

let home: string;
let stick: string;
let notes: string;
let listFile: string;
let built: BuiltLayout;
let host: JobHost;
const events: JobEvent[] = [];

const call = (method: Parameters<ReturnType<typeof createDispatch>>[0], payload: unknown) =>
  createDispatch(createHandlers({ openStation: () => Station.open({ home }), jobHost: host, dialogs: noDialogs, version: '1' }), {
    trustedOrigins: ['app://airlock'],
    log: () => undefined,
  })(method, FRAME, payload);

async function startExport(request: Record<string, unknown>): Promise<string> {
  const answer = await call('startExport', { destination: { kind: 'medium', mediumId: stick }, passphrase: PASSPHRASE, ...request });
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  return (answer.value as { jobId: string }).jobId;
}

beforeAll(async () => {
  const base = await tempDir('airlock-app-media-img-');
  home = join(base, 'home');
  stick = join(base, 'stick');
  await mkdir(stick);
  notes = join(base, 'notes.txt');
  await writeFile(notes, 'release notes\n');
  built = await buildTestLayout(join(base, 'layout'), defaultTestImages(32 * 1024));
  listFile = join(base, 'images.txt');
  await writeFile(listFile, `# the release set\noci:${built.dir}:tool-1.0\n`);
  const station = await Station.open({ home });
  await station.generateKey({ name: 'App Media Station', passphrase: PASSPHRASE });
  station.close();
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'app-media-images', mediaRoots: [stick] }));
  host = new JobHost({ workerScript: WORKER, station: { home }, onEvent: (e) => events.push(e) });
});

afterAll(async () => {
  await host?.shutdown();
});

describe('the app exports images straight to a medium', () => {
  it('writes, reads back and verifies a bundle whose layout holds the images; the export event names them', async () => {
    const id = await startExport({ selection: [notes], name: 'app-images', images: [`oci:${built.dir}:app-1.0`], imagesFrom: listFile });
    const job = await host.whenFinished(id);
    expect(job.error).toBeNull();
    if (job.kind !== 'export' || !job.result) throw new Error('no export result');
    const bundle = join(stick, 'app-images.airlock.tar');
    expect(job.result.bundlePath).toBe(bundle);
    expect(job.result.media?.readBackOk).toBe(true);
    const digests = ['app-1.0', 'tool-1.0'].map((ref) => built.images.find((i) => i.refName === ref)!.descriptor.digest);
    expect(job.result.images?.images.map((i) => i.digest)).toEqual(digests);
    const phases = events.flatMap((e) => (e.type === 'progress' && e.jobId === id ? [e.progress.phase] : []));
    expect(phases).toContain('reading-back');

    const station = await Station.open({ home });
    try {
      const verified = await station.verifyBundle({ bundlePath: bundle });
      expect(verified.problems).toEqual([]);
      expect(verified.images?.map((i) => i.digest)).toEqual(digests);
      const exported = station.listAudit({ limit: 20, type: 'export' }).find((e) => e.bundleName === 'app-images');
      expect((exported?.details as { images?: Array<{ digest: string }> }).images?.map((i) => i.digest)).toEqual(digests);
      // Verifying the whole medium records, per bundle, the images it carried.
      const medium = await station.verifyMedia({ target: stick });
      expect(medium.ok).toBe(true);
      const readBack = station.listAudit({ limit: 20, type: 'media-readback' })[0];
      const items = (readBack?.details as { items?: Array<{ name: string; images?: Array<{ digest: string }> }> }).items ?? [];
      expect(items.find((i) => i.name === 'app-images')?.images?.map((i) => i.digest)).toEqual(digests);
    } finally {
      station.close();
    }
    const bag = unpack(bundle, await tempDir('airlock-app-media-img-x-'), 'app-images');
    sha256sumPasses(bag);
    expect((await imagesFile(bag)).images.map((i) => i.digest)).toEqual(digests);
    expect(await readdir(join(bag, 'data'))).toEqual(['notes.txt', 'oci']);
  });

  it('a reference that cannot be read fails the job before the medium is written', async () => {
    const before = await readdir(stick);
    const job = await host.whenFinished(await startExport({ selection: [], name: 'app-bad', images: [`oci:${built.dir}:no-such-tag`] }));
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('IMAGE_NOT_FOUND');
    expect(await readdir(stick)).toEqual(before);
  });
});
