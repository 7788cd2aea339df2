/**
 * The job host under plain Node with real worker_threads and the real core: jobs run off the
 * calling thread, report throttled progress, end with a parsed result, and a cancel mid-way
 * leaves neither a bundle nor a temp file (core's guarantee, carried through the worker).
 */
import { open, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../shared/ipc.js';
import { Station } from '../../../electron/core/index.js';
import { JobHost } from '../../../electron/main/jobs/job-host.js';

const WORKER = new URL('../../helpers/job-worker-tsx.mjs', import.meta.url);
const PASSPHRASE = 'correct horse battery staple';

let base: string;
let home: string;
let small: string;
let big: string;

async function writeFilledFile(path: string, bytes: number): Promise<void> {
  // Real bytes (not a sparse hole) so hashing and writing take measurable time.
  const chunk = Buffer.alloc(8 << 20, 0x61);
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < bytes; written += chunk.length) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-jobhost-'));
  home = join(base, 'home');
  small = join(base, 'small');
  big = join(base, 'big');
  await mkdir(join(small, 'docs'), { recursive: true });
  await writeFile(join(small, 'docs', 'a.txt'), 'alpha\n');
  await writeFile(join(small, 'b.bin'), Buffer.alloc(300_000, 7));
  await mkdir(big);
  await writeFilledFile(join(big, 'large.bin'), 400 << 20);
  const station = await Station.open({ home });
  await station.generateKey({ name: 'Job Host Test', passphrase: PASSPHRASE });
  station.close();
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function newHost(events: JobEvent[] = []): JobHost {
  return new JobHost({ workerScript: WORKER, station: { home }, onEvent: (e) => events.push(e) });
}

describe('JobHost', () => {
  it('exports, verifies and imports a real bundle in worker threads', async () => {
    const events: JobEvent[] = [];
    const host = newHost(events);
    const out = await mkdtemp(join(base, 'out-'));
    const exportId = host.start('export', { selection: [small], destination: { kind: 'folder', path: out }, passphrase: PASSPHRASE });
    expect(host.get(exportId)?.state).toBe('running');
    const exported = await host.whenFinished(exportId);
    expect(exported.state).toBe('succeeded');
    if (exported.kind !== 'export' || !exported.result) throw new Error('no export result');
    expect(exported.result.files).toBe(2);
    const written = await readdir(out);
    expect(written).toContain(`${exported.result.name}.airlock.tar`);
    expect(written.filter((f) => f.endsWith('.partial'))).toEqual([]);

    const progress = events.filter((e) => e.type === 'progress' && e.jobId === exportId);
    expect(progress.length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ type: 'finished', job: exported });

    const verified = await host.whenFinished(host.start('verify', { bundlePath: exported.result.bundlePath }));
    expect(verified.kind === 'verify' && verified.result?.ok).toBe(true);

    const dest = await mkdtemp(join(base, 'dest-'));
    const imported = await host.whenFinished(host.start('import', { bundlePath: exported.result.bundlePath, destDir: dest }));
    if (imported.kind !== 'import' || !imported.result) throw new Error('no import result');
    expect(imported.result.ok).toBe(true);
    expect(imported.result.destination).toBe(join(dest, exported.result.name));

    expect(host.list().map((j) => j.kind)).toEqual(['import', 'verify', 'export']);
  });

  it('reports an operational error with its code (wrong passphrase)', async () => {
    const host = newHost();
    const out = await mkdtemp(join(base, 'out-'));
    const job = await host.whenFinished(host.start('export', { selection: [small], destination: { kind: 'folder', path: out }, passphrase: 'wrong' }));
    expect(job.state).toBe('failed');
    expect(job.error).toEqual({ code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' });
    expect(await readdir(out)).toEqual([]);
  });

  it('cancels an export mid-way and leaves no bundle and no .partial file', async () => {
    const events: JobEvent[] = [];
    const out = await mkdtemp(join(base, 'out-'));
    let id = '';
    let cancelledIn: string | null = null;
    const host = new JobHost({
      workerScript: WORKER,
      station: { home },
      onEvent: (event) => {
        events.push(event);
        // Cancel once the signed manifest is being written in front of the records: the last moment to stop.
        if (cancelledIn === null && event.type === 'progress' && event.progress.phase === 'writing-tag-files') {
          cancelledIn = event.progress.phase;
          expect(host.cancel(id)).toBe(true);
        }
      },
    });
    id = host.start('export', { selection: [big], destination: { kind: 'folder', path: out }, passphrase: PASSPHRASE });
    const job = await host.whenFinished(id);
    expect(cancelledIn).toBe('writing-tag-files');
    expect(job.state).toBe('cancelled');
    expect(job.error?.code).toBe('CANCELLED');
    expect(await readdir(out)).toEqual([]);
    expect(host.cancel(id)).toBe(false);
  });

  it('a cancel in the writing-receipts phase changes nothing: the job succeeds with its bundle and receipts', async () => {
    const out = await mkdtemp(join(base, 'out-'));
    let id = '';
    let cancelled = false;
    const host = new JobHost({
      workerScript: WORKER,
      station: { home },
      onEvent: (event) => {
        if (!cancelled && event.type === 'progress' && event.progress.phase === 'writing-receipts') {
          cancelled = true;
          host.cancel(id);
        }
      },
    });
    id = host.start('export', { selection: [small], destination: { kind: 'folder', path: out }, passphrase: PASSPHRASE, name: 'kept' });
    const job = await host.whenFinished(id);
    expect(cancelled).toBe(true);
    expect(job.state).toBe('succeeded');
    const files = await readdir(out);
    expect(files).toContain('kept.airlock.tar');
    expect(files).toContain('kept.export-receipt.json');
    expect(files.filter((f) => f.includes('.partial') || f.includes('.tmp'))).toEqual([]);
    await rm(out, { recursive: true, force: true });
  });

  it('relays progress about four times a second, not per chunk', async () => {
    const events: JobEvent[] = [];
    const host = newHost(events);
    const out = await mkdtemp(join(base, 'out-'));
    const started = Date.now();
    const job = await host.whenFinished(host.start('export', { selection: [big], destination: { kind: 'folder', path: out }, passphrase: PASSPHRASE }));
    const seconds = (Date.now() - started) / 1000;
    expect(job.state).toBe('succeeded');
    const progress = events.filter((e) => e.type === 'progress');
    // Each phase reports its start and end; in between at most one report per 250 ms.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 14);
    // The write ends flushing; after publish only the receipts are written (their own phase, redrawn while the PDF renders).
    const phases = progress.map((e) => (e.type === 'progress' ? e.progress.phase : null));
    const distinct = phases.filter((phase, i) => phase !== phases[i - 1]);
    expect(distinct.at(-1)).toBe('writing-receipts');
    expect(distinct.at(-2)).toBe('syncing');
    await rm(out, { recursive: true, force: true });
  });

  it('shutdown() cancels what is running and waits for it', async () => {
    let running: () => void = () => undefined;
    const firstProgress = new Promise<void>((resolve) => {
      running = resolve;
    });
    const host = new JobHost({ workerScript: WORKER, station: { home }, onEvent: (e) => (e.type === 'progress' ? running() : undefined) });
    const out = await mkdtemp(join(base, 'out-'));
    const id = host.start('export', { selection: [big], destination: { kind: 'folder', path: out }, passphrase: PASSPHRASE });
    // Shut down once the export is under way (its first progress), however long the worker takes to start.
    await firstProgress;
    await host.shutdown();
    expect(host.get(id)?.state).toBe('cancelled');
    expect(await readdir(out)).toEqual([]);
  });
});
