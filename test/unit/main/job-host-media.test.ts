/**
 * Media jobs through the real job host and worker threads, on a folder declared as a medium in
 * config.json: an export to the medium reports its write and then its read-back phase and ends
 * with what reading back proved; verify-medium reports per bundle (and signs its receipts with the
 * job's passphrase, unsigned without one); a byte changed on the medium
 * behind Airlock's back is caught, and a full medium is refused before anything is written.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../shared/ipc.js';
import { Station } from '../../../electron/core/index.js';
import { JobHost } from '../../../electron/main/jobs/job-host.js';

const WORKER = new URL('../../helpers/job-worker-tsx.mjs', import.meta.url);
const PASSPHRASE = 'media job passphrase';
const TEXT = 'quarterly figures, final\n';

let base: string;
let home: string;
let medium: string;
let src: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-jobhost-media-'));
  home = join(base, 'home');
  medium = join(base, 'stick');
  src = join(base, 'src');
  await mkdir(medium);
  await mkdir(join(src, 'q3'), { recursive: true });
  await writeFile(join(src, 'q3', 'figures.txt'), TEXT);
  await writeFile(join(src, 'scan.bin'), Buffer.alloc(3 << 20, 0x42));
  const station = await Station.open({ home });
  await station.generateKey({ name: 'Media Job Station', passphrase: PASSPHRASE });
  station.close();
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'media-jobs', mediaRoots: [medium] }));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('media jobs in worker threads', () => {
  it('exports to a medium: writing, then reading back, then a result that says how it was read', async () => {
    const events: JobEvent[] = [];
    const host = new JobHost({ workerScript: WORKER, station: { home }, onEvent: (e) => events.push(e) });
    const id = host.start('export', { selection: [src], destination: { kind: 'medium', mediumId: medium }, name: 'q3-figures', passphrase: PASSPHRASE });
    expect(host.get(id)?.subject).toBe(medium);
    const job = await host.whenFinished(id);
    expect(job.error).toBeNull();
    if (job.kind !== 'export' || !job.result) throw new Error('no export result');
    expect(job.result.bundlePath).toBe(join(medium, 'q3-figures.airlock.tar'));
    const media = job.result.media;
    if (!media) throw new Error('no media report');
    expect(media.readBackOk).toBe(true);
    expect(media.volumes[0]?.readBack).toMatchObject({
      ok: true,
      method: expect.stringMatching(/^(o-direct|flushbufs\+o-direct|fadvise-dontneed|remount|buffered)$/u),
    });
    expect(media.volumes[0]?.readBack?.files.map((f) => f.file)).toEqual([join(medium, 'q3-figures.airlock.tar')]);

    const phases = events.flatMap((e) => (e.type === 'progress' && e.jobId === id ? [e.progress.phase] : []));
    // One pass where the folder standing in for the medium takes writes by position (ext4 and the like), else two.
    const writing = phases.includes('hashing-and-writing') ? 'hashing-and-writing' : 'writing';
    expect(phases).toContain(writing);
    expect(phases).toContain('reading-back');
    expect(phases).not.toContain('verifying-payload');
    expect(phases.lastIndexOf(writing)).toBeLessThan(phases.indexOf('reading-back'));
    expect(media.volumes[0]?.readBack?.checkedBy).toBe(writing === 'writing' ? 'sha256' : 'records');
    // After the read-back the bundle is published and its receipts are written: the last phase.
    expect(phases.lastIndexOf('reading-back')).toBeLessThan(phases.indexOf('writing-receipts'));
    expect(phases.at(-1)).toBe('writing-receipts');
    // The job's snapshot carries core's own phase: nothing in the worker or main renames it.
    expect(job.progress?.phase).toBe('writing-receipts');
    expect(host.get(id)?.progress?.phase).toBe('writing-receipts');
    expect((await readdir(medium)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('verifies the medium per bundle, then catches a byte changed on it', async () => {
    const host = new JobHost({ workerScript: WORKER, station: { home } });
    const listed = (await readdir(medium)).sort();
    const good = await host.whenFinished(host.start('verify-medium', { mediumId: medium, passphrase: PASSPHRASE }));
    if (good.kind !== 'verify-medium' || !good.result) throw new Error(`no verify-medium result: ${JSON.stringify(good.error)}`);
    expect(good.subject).toBe(medium);
    expect(good.result).toMatchObject({ ok: true, dir: medium, problems: [] });
    expect(good.result.readBack?.method).toEqual(expect.any(String));
    expect(good.result.items).toEqual([expect.objectContaining({ kind: 'bundle', file: join(medium, 'q3-figures.airlock.tar'), ok: true })]);
    expect(good.result.items[0]?.result.signers[0]?.userIds).toEqual(['Media Job Station']);
    // The receipt (issue #19.2): signed with the passphrase the job was given, in the station home, nothing added to the medium.
    expect(good.result.receipt).toMatchObject({ dir: join(home, 'receipts'), signed: true, problem: null });
    expect(good.result.receipt?.sets[0]).toMatchObject({
      json: join(home, 'receipts', 'q3-figures.media-verify-receipt.json'),
      signature: join(home, 'receipts', 'q3-figures.media-verify-receipt.json.asc'),
    });
    expect((await readdir(medium)).sort()).toEqual(listed);

    const path = join(medium, 'q3-figures.airlock.tar');
    const bytes = await readFile(path);
    const at = bytes.indexOf(TEXT);
    bytes[at] = 'Q'.charCodeAt(0);
    await writeFile(path, bytes);
    const bad = await host.whenFinished(host.start('verify-medium', { mediumId: medium }));
    if (bad.kind !== 'verify-medium' || !bad.result) throw new Error('no verify-medium result');
    expect(bad.state).toBe('succeeded');
    expect(bad.result.ok).toBe(false);
    expect(bad.result.items[0]?.ok).toBe(false);
    expect(bad.result.receipt).toMatchObject({ signed: false, problem: null });
    expect(JSON.parse(await readFile(bad.result.receipt?.sets[0]?.json as string, 'utf8'))).toMatchObject({ kind: 'media-verify', outcome: 'refused' });
    expect(bad.result.problems).toEqual([expect.objectContaining({ code: 'CHECKSUM_MISMATCH', path: `${path}:data/src/q3/figures.txt` })]);
  });

  it('a medium pulled after it was chosen fails the job with MEDIA_NOT_FOUND', async () => {
    const tiny = join(base, 'tiny-home');
    const station = await Station.open({ home: tiny });
    await station.generateKey({ name: 'Tiny', passphrase: PASSPHRASE });
    station.close();
    // Declared, but the folder is gone by the time the worker looks (a pulled stick).
    const gone = join(base, 'pulled');
    await writeFile(join(tiny, 'config.json'), JSON.stringify({ stationName: 'tiny', mediaRoots: [gone] }));
    const host = new JobHost({ workerScript: WORKER, station: { home: tiny } });
    const job = await host.whenFinished(host.start('export', { selection: [src], destination: { kind: 'medium', mediumId: gone }, passphrase: PASSPHRASE }));
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('MEDIA_NOT_FOUND');
  });
});
