/**
 * The one-pass export's record lanes (record-lanes.ts): this thread's lane and the worker
 * module (workers/record-lane-worker.ts, run here from source through the tsx shim) write the
 * same records through the same steps (record-lane.ts). Checked byte for byte against records
 * built independently here, and against each other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HASH_CHUNK_BYTES } from '../../../../electron/core/crypto/sha256.js';
import {
  RECORD_OPEN_FLAGS,
  recordSteps,
  RunWriter,
  type RecordBatch,
  type RecordLaneMessage,
  type RecordOutcome,
} from '../../../../electron/core/bundle/record-lane.js';
import { RecordLanes, type RecordPlan } from '../../../../electron/core/bundle/record-lanes.js';
import type { SourceFile } from '../../../../electron/core/export/source-scan.js';
import { encodeFileHeader, paddingLength } from '../../../../electron/core/bundle/tar-header.js';
import { startWorker } from '../../../../electron/core/workers/worker-script.js';

let dir = '';
let out = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-record-lanes-'));
  out = join(dir, 'out.tar');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Sizes around every boundary the lanes treat apart: empty, a block, the small-file limit, the read chunk. */
const EDGE_SIZES = [0, 1, 511, 512, 513, 4096, 256 * 1024, 256 * 1024 + 1, HASH_CHUNK_BYTES + 3, 3 * HASH_CHUNK_BYTES];

function sourceFile(name: string, content: Buffer): SourceFile {
  const absPath = join(dir, name);
  writeFileSync(absPath, content);
  const stats = statSync(absPath);
  return { absPath, bagPath: `data/${name}`, size: content.length, mtime: stats.mtime, mtimeMs: stats.mtimeMs };
}

/** `count` files: the edge sizes first, then small ones of random sizes. */
function makeFiles(count: number): { files: SourceFile[]; contents: Buffer[] } {
  const contents = Array.from({ length: count }, (_, i) => randomBytes(EDGE_SIZES[i] ?? Math.floor(Math.random() * 9000)));
  return { files: contents.map((content, i) => sourceFile(`f${String(i).padStart(4, '0')}`, content)), contents };
}

/** The plan, and the archive body it must produce, built without the lanes' code. */
function planFor(files: SourceFile[], contents: Buffer[]): { plan: RecordPlan; expected: Buffer } {
  const headers = files.map((f) => encodeFileHeader({ path: f.bagPath, size: f.size, mtime: f.mtime }));
  const offsets: number[] = [];
  const parts: Buffer[] = [];
  let at = 0;
  files.forEach((file, i) => {
    offsets.push(at);
    const header = headers[i] as Buffer;
    const padding = Buffer.alloc(paddingLength(file.size));
    parts.push(header, contents[i] as Buffer, padding);
    at += header.length + file.size + padding.length;
  });
  return { plan: { files, offsets, headerOf: (i) => headers[i] as Buffer }, expected: Buffer.concat(parts) };
}

const noProgress = { addBytes: () => undefined, addFiles: () => undefined };
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function writeWithLanes(plan: RecordPlan, signal?: AbortSignal): Promise<Awaited<ReturnType<RecordLanes['write']>>> {
  const lanes = new RecordLanes();
  const fd = openSync(out, 'w+');
  try {
    return await lanes.write(plan, fd, noProgress, signal);
  } finally {
    closeSync(fd);
    await lanes.close();
  }
}

/** Post one batch to a fresh record-lane worker and collect its outcomes. */
async function runWorkerBatch(plan: RecordPlan, indices: number[], fd: number): Promise<{ outcomes: RecordOutcome[]; progress: number }> {
  const worker = startWorker('record-lane-worker');
  try {
    const headers = indices.map((i) => plan.headerOf(i));
    const batch: RecordBatch = {
      fd,
      headers: Buffer.concat(headers),
      files: indices.map((index, i) => {
        const file = plan.files.at(index) as SourceFile;
        return {
          index,
          path: file.absPath,
          size: file.size,
          mtimeMs: file.mtimeMs,
          at: plan.offsets[index] as number,
          headerLength: (headers[i] as Buffer).length,
        };
      }),
    };
    worker.postMessage(batch);
    let progress = 0;
    for (;;) {
      const [message] = (await once(worker, 'message')) as [RecordLaneMessage];
      progress += message.progress;
      if (message.results) return { outcomes: message.results, progress };
    }
  } finally {
    await worker.terminate();
  }
}

describe('record lanes', () => {
  it('write every record on both lanes byte for byte as tar lays it out, with the digest of each file', async () => {
    const { files, contents } = makeFiles(150);
    const { plan, expected } = planFor(files, contents);
    const digests = await writeWithLanes(plan);
    expect(readFileSync(out).equals(expected)).toBe(true);
    expect(digests.length).toBe(contents.length);
    expect(contents.map((_, i) => digests.hexAt(i))).toEqual(contents.map((c) => sha(c)));
  });

  it('write the same bytes and digests from the worker module as from this thread', async () => {
    const { files, contents } = makeFiles(40);
    const { plan, expected } = planFor(files, contents);
    const all = files.map((_, i) => i);

    const fromWorker = openSync(out, 'w+');
    const { outcomes, progress } = await runWorkerBatch(plan, all, fromWorker);
    closeSync(fromWorker);
    const workerBytes = readFileSync(out);

    const inThread = join(dir, 'in-thread.tar');
    const fd = openSync(inThread, 'w+');
    const runs = new RunWriter(fd);
    const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    const local = all.map((index) => {
      const handle = openSync((files[index] as SourceFile).absPath, RECORD_OPEN_FLAGS);
      try {
        const steps = recordSteps(handle, plan.headerOf(index), files[index] as SourceFile, plan.offsets[index] as number, buffer, runs);
        for (;;) {
          const step = steps.next();
          if (step.done) return { index, ...step.value };
        }
      } finally {
        closeSync(handle);
      }
    });
    runs.flush();
    closeSync(fd);

    expect(workerBytes.equals(expected)).toBe(true);
    expect(readFileSync(inThread).equals(workerBytes)).toBe(true);
    expect(outcomes).toEqual(local);
    expect(progress).toBe(contents.reduce((sum, c) => sum + c.length, 0));
  });

  it('answer a file that grew or shrank, and an I/O error with its errno code, from the worker', async () => {
    const { files, contents } = makeFiles(3);
    const { plan } = planFor(files, contents);
    writeFileSync((files[0] as SourceFile).absPath, Buffer.concat([contents[0] as Buffer, Buffer.from('x')]));
    writeFileSync((files[1] as SourceFile).absPath, (contents[1] as Buffer).subarray(1));
    await rm((files[2] as SourceFile).absPath);
    const fd = openSync(out, 'w+');
    const { outcomes } = await runWorkerBatch(plan, [0, 1, 2], fd);
    closeSync(fd);
    expect(outcomes[0]).toEqual({ index: 0, size: 1 });
    expect(outcomes[1]).toEqual({ index: 1, size: 0 });
    expect(outcomes[2]).toMatchObject({ index: 2, error: { code: 'ENOENT' } });
  });

  it.each([
    ['grew', (file: SourceFile) => writeFileSync(file.absPath, randomBytes(file.size + 1)), 'SOURCE_CHANGED'],
    ['was removed', (file: SourceFile) => rmSync(file.absPath), 'NOT_FOUND'],
    ['became a symbolic link', (file: SourceFile) => (rmSync(file.absPath), symlinkSync(join(dir, 'f0000'), file.absPath)), 'SOURCE_UNSUPPORTED_TYPE'],
  ])('refuse, with its code, a file that %s after the scan, on whichever lane meets it', async (_what, change, code) => {
    const { files, contents } = makeFiles(120);
    const { plan } = planFor(files, contents);
    // One file near the start (this thread's first batch) and one near the end (the worker's).
    for (const index of [5, 110]) change(files[index] as SourceFile);
    await expect(writeWithLanes(plan)).rejects.toMatchObject({ code });
  });

  it('stop at a cancel, and nothing is written once write() has rejected', async () => {
    const { files, contents } = makeFiles(200);
    const { plan } = planFor(files, contents);
    const controller = new AbortController();
    const lanes = new RecordLanes();
    const fd = openSync(out, 'w+');
    let done = 0;
    const progress = {
      addBytes: () => undefined,
      addFiles: (n: number) => {
        done += n;
        if (done >= 20) controller.abort();
      },
    };
    try {
      await expect(lanes.write(plan, fd, progress, controller.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
      const atReject = readFileSync(out);
      await lanes.close();
      expect(readFileSync(out).equals(atReject)).toBe(true);
    } finally {
      closeSync(fd);
      await lanes.close();
    }
  });

  it('surface a write error of the worker lane with its code', async () => {
    const { files, contents } = makeFiles(100);
    const { plan } = planFor(files, contents);
    // A descriptor open for reading only: every positional write fails with EBADF.
    writeFileSync(out, '');
    const lanes = new RecordLanes();
    const fd = openSync(out, 'r');
    try {
      await expect(lanes.write(plan, fd, noProgress)).rejects.toMatchObject({ code: 'IO_ERROR' });
    } finally {
      closeSync(fd);
      await lanes.close();
    }
  });

  it('report a worker that ended before it was handed work (a script that failed to load) with a code, not hang', async () => {
    const { files, contents } = makeFiles(100);
    const { plan } = planFor(files, contents);
    const lanes = new RecordLanes();
    await (lanes as unknown as { worker: Worker }).worker.terminate();
    const fd = openSync(out, 'w+');
    try {
      await expect(lanes.write(plan, fd, noProgress)).rejects.toMatchObject({ code: 'INTERNAL' });
    } finally {
      closeSync(fd);
      await lanes.close();
    }
  });
});
