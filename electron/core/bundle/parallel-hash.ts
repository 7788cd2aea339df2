import { Worker } from 'node:worker_threads';
import { toAirlockError } from '../errors.js';
import { SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import { SPOOL_CHUNK_BYTES, type PayloadSpool } from '../export/payload-spool.js';
import { feedWorker } from './worker-run.js';
import type { SourceFile } from '../export/source-scan.js';

/**
 * A second lane for the export's hashing pass, on the other core. Plain JavaScript evaluated in
 * a worker thread (no module loader needed, so it runs the same under the CLI, tests and the
 * app's job worker): it hashes whole batches of files with synchronous reads and reports bytes
 * as it goes. Hashing is CPU-bound once files are in the page cache; two lanes roughly halve it.
 * Small files bound for the export spool (payload-spool.ts) are copied into it as they are hashed.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync, writeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(1 << 20);
const REPORT_EVERY = 16 << 20;
const SPOOL_CHUNK = ${SPOOL_CHUNK_BYTES};
// Small files bound for the spool gather here in runs and are written to it in one call.
const run = Buffer.allocUnsafe(SPOOL_CHUNK + ${SMALL_FILE_BYTES} + 1);
let runStart = 0;
let runUsed = 0;
function flushRun(spoolFd) {
  let done = 0;
  while (done < runUsed) done += writeSync(spoolFd, run, done, runUsed - done, runStart + done);
  runUsed = 0;
}
parentPort.on('message', ({ files, spoolFd }) => {
  const results = [];
  let unreported = 0;
  for (const file of files) {
    let fd;
    try {
      fd = openSync(file.path, 'r');
      if (file.spool >= 0) {
        if (runUsed > 0 && (runStart + runUsed !== file.spool || runUsed >= SPOOL_CHUNK)) flushRun(spoolFd);
        if (runUsed === 0) runStart = file.spool;
        // One byte more than expected: a file that grew fills it.
        const want = file.size + 1;
        let got = 0;
        for (;;) {
          const n = readSync(fd, run, runUsed + got, want - got, null);
          if (n === 0) break;
          got += n;
          if (got === want) break;
        }
        if (got !== file.size) {
          results.push({ index: file.index, sha256: '', size: got });
        } else {
          results.push({ index: file.index, sha256: createHash('sha256').update(run.subarray(runUsed, runUsed + got)).digest('hex'), size: got });
          runUsed += got;
          unreported += got;
        }
      } else {
        const hash = createHash('sha256');
        let size = 0;
        for (;;) {
          const n = readSync(fd, buffer, 0, buffer.length, null);
          if (n === 0) break;
          hash.update(buffer.subarray(0, n));
          size += n;
          unreported += n;
          if (unreported >= REPORT_EVERY) { parentPort.postMessage({ progress: unreported }); unreported = 0; }
        }
        results.push({ index: file.index, sha256: hash.digest('hex'), size });
      }
    } catch (error) {
      results.push({ index: file.index, error: { code: error.code, message: error.message } });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  try {
    if (runUsed > 0) flushRun(spoolFd);
  } catch (error) {
    results.push({ index: files[files.length - 1].index, error: { code: error.code, message: 'writing the export spool failed: ' + error.message } });
  }
  parentPort.postMessage({ progress: unreported, results });
});
`;

interface WorkerResult {
  index: number;
  sha256?: string;
  size?: number;
  error?: { code?: string; message: string };
}

export interface LaneResult {
  sha256: string;
  size: number;
}

/** Batches small enough to balance the two lanes, large enough that messages cost nothing. */
const BATCH_FILES = 256;
const BATCH_BYTES = 32 << 20;
/** While the scan still adds files, a batch waits for at least this many (or BATCH_BYTES). */
const OPEN_BATCH_FILES = 64;

/** Anything with a size that the lanes report progress to. */
export interface LaneProgress {
  addBytes(bytes: number): void;
  addFiles(files: number): void;
}

/**
 * The files to hash, in payload order. It grows while the scan runs (the worker lane hashes what
 * the scan has found so far) and is closed when the scan is done.
 */
export class FileQueue {
  readonly files: SourceFile[] = [];
  private next = 0;
  private queuedBytes = 0;
  private closed = false;
  private waiters: Array<() => void> = [];

  push(file: SourceFile): void {
    this.files.push(file);
    this.queuedBytes += file.size;
    if (this.waiters.length > 0 && this.batchReady()) this.wake();
  }

  /** No more files will come. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Up to BATCH_FILES files or BATCH_BYTES bytes, at least one file. Empty when there is nothing
   * to take: for good once closed, else until more arrive (see whenReady).
   */
  take(): number[] {
    if (!this.batchReady()) return [];
    const batch: number[] = [];
    let bytes = 0;
    while (this.next < this.files.length && batch.length < BATCH_FILES && (batch.length === 0 || bytes < BATCH_BYTES)) {
      const size = this.files[this.next]?.size ?? 0;
      bytes += size;
      this.queuedBytes -= size;
      batch.push(this.next);
      this.next += 1;
    }
    return batch;
  }

  /** Call `wake` once a batch can be taken or the queue is closed. */
  whenReady(wake: () => void): void {
    if (this.closed || this.batchReady()) wake();
    else this.waiters.push(wake);
  }

  private batchReady(): boolean {
    const waiting = this.files.length - this.next;
    if (waiting === 0) return false;
    return this.closed || waiting >= OPEN_BATCH_FILES || this.queuedBytes >= BATCH_BYTES;
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** A worker lane started on a queue: `done` settles when the queue is closed and drained, or on the first error. */
export interface WorkerLane {
  done: Promise<void>;
  /**
   * Stop now (the scan failed, another lane failed, or the export was cancelled); `done`
   * rejects. Resolves once the worker thread has exited: only then may the spool it writes
   * through be closed (its descriptor number could otherwise be reused under the worker).
   */
  stop(): Promise<void>;
}

/**
 * Run the worker lane over `queue` until it is closed and empty, storing digests into `out`.
 * `done` resolves when the worker has finished its last batch; rejects with the first file error.
 */
export function startWorkerLane(queue: FileQueue, out: Array<LaneResult | undefined>, progress: LaneProgress, signal: AbortSignal | undefined, spool: PayloadSpool | null): WorkerLane {
  const run = feedWorker<WorkerResult>(new Worker(WORKER_SOURCE, { eval: true }), signal, {
    source: queue,
    // Two batches in flight: the main lane answers messages only between its own files.
    inFlight: 2,
    message: (batch) => ({
      files: batch.map((index) => {
        const file = queue.files[index] as SourceFile;
        return { index, path: file.absPath, size: file.size, spool: spool?.offsetOf(index) ?? -1 };
      }),
      spoolFd: spool?.fd,
    }),
    accept: (result) => {
      const file = queue.files[result.index];
      if (result.error || result.sha256 === undefined || result.size === undefined || !file) {
        const error = Object.assign(new Error(result.error?.message ?? 'hashing failed'), { code: result.error?.code });
        return toAirlockError(error, file?.absPath);
      }
      out[result.index] = { sha256: result.sha256, size: result.size };
      return null;
    },
    progress,
    stoppedUnexpectedly: 'The hashing worker stopped unexpectedly.',
  });
  return { done: run.done, stop: () => run.stop() };
}
