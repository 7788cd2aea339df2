/**
 * The export's hashing pass on two lanes: the worker module (workers/hash-lane-worker.ts, run
 * here from source through the tsx shim) and this thread's lane (hash-sources.ts) hash through
 * the same steps (hash-lane.ts); small files bound for the spool are copied into it as hashed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashLane, type LaneResult } from '../../../../electron/core/bundle/hash-lane.js';
import { FileQueue, startWorkerLane } from '../../../../electron/core/bundle/parallel-hash.js';
import { PayloadSpool } from '../../../../electron/core/export/payload-spool.js';
import type { SourceFile } from '../../../../electron/core/export/source-scan.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-parallel-hash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SIZES = [0, 1, 4095, 256 * 1024, 256 * 1024 + 1, (1 << 20) * 3 + 5];
const noProgress = { addBytes: () => undefined, addFiles: () => undefined };
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function makeFiles(count: number): { files: SourceFile[]; contents: Buffer[] } {
  const contents = Array.from({ length: count }, (_, i) => randomBytes(SIZES[i] ?? 1 + Math.floor(Math.random() * 20000)));
  const files = contents.map((content, i) => {
    const absPath = join(dir, `f${i}`);
    writeFileSync(absPath, content);
    const stats = statSync(absPath);
    return { absPath, bagPath: `data/f${i}`, size: content.length, mtime: stats.mtime, mtimeMs: stats.mtimeMs };
  });
  return { files, contents };
}

function queueOf(files: SourceFile[]): FileQueue {
  const queue = new FileQueue();
  for (const file of files) queue.push(file);
  queue.close();
  return queue;
}

describe('parallel hash worker lane', () => {
  it('hashes every file as createHash does and copies the spooled ones into the spool byte for byte', async () => {
    const { files, contents } = makeFiles(300);
    const spool = await PayloadSpool.open(join(dir, 'spool'));
    if (!spool) throw new Error('no room for a spool in the temp dir');
    try {
      files.forEach((file, i) => spool.assign(i, file.size));
      const out: Array<LaneResult | undefined> = [];
      const lane = startWorkerLane(queueOf(files), out, noProgress, undefined, spool);
      await lane.done;
      await lane.stop();
      expect(out).toEqual(contents.map((c) => ({ sha256: sha(c), size: c.length })));
      const reader = spool.reader();
      files.forEach((file, i) => {
        if (spool.has(i)) expect(reader.bytesOf(i, file.size).equals(contents[i] as Buffer)).toBe(true);
      });
    } finally {
      spool.close();
    }
  });

  it('gives the same digests from the worker module as this thread computes through the same steps', async () => {
    const { files } = makeFiles(80);
    const out: Array<LaneResult | undefined> = [];
    const lane = startWorkerLane(queueOf(files), out, noProgress, undefined, null);
    await lane.done;
    await lane.stop();
    const local = new HashLane(null);
    const inThread: Array<LaneResult | { size: number }> = [];
    for (const [index, file] of files.entries()) inThread.push(await local.hash({ index, path: file.absPath, size: file.size, spool: -1 }, () => undefined));
    expect(out).toEqual(inThread);
  });

  it.each([
    ['grew', (file: SourceFile) => writeFileSync(file.absPath, randomBytes(file.size + 1)), 'SOURCE_CHANGED'],
    ['shrank', (file: SourceFile) => writeFileSync(file.absPath, randomBytes(file.size - 1)), 'SOURCE_CHANGED'],
  ])('refuses, with its code, a small file that %s after the scan', async (_what, change, code) => {
    const { files } = makeFiles(70);
    change(files[40] as SourceFile);
    const lane = startWorkerLane(queueOf(files), [], noProgress, undefined, null);
    await expect(lane.done).rejects.toMatchObject({ code, path: (files[40] as SourceFile).absPath });
    await lane.stop();
  });

  it('surfaces an I/O error of the worker with its code and the file', async () => {
    const { files } = makeFiles(70);
    await rm((files[30] as SourceFile).absPath);
    const lane = startWorkerLane(queueOf(files), [], noProgress, undefined, null);
    await expect(lane.done).rejects.toMatchObject({ code: 'NOT_FOUND', path: (files[30] as SourceFile).absPath });
    await lane.stop();
  });

  it('stops at a cancel, and has exited once stop() resolves', async () => {
    const { files } = makeFiles(200);
    const controller = new AbortController();
    const queue = new FileQueue();
    for (const file of files) queue.push(file);
    const lane = startWorkerLane(queue, [], noProgress, controller.signal, null);
    controller.abort();
    await expect(lane.done).rejects.toMatchObject({ code: 'CANCELLED' });
    await lane.stop();
  });
});
