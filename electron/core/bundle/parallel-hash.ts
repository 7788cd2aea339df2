import { AirlockError, toAirlockError } from '../errors.js';
import { revivedError } from '../workers/posted-error.js';
import { startWorker } from '../workers/worker-script.js';
import type { HashBatch, HashOutcome, LaneResult } from './hash-lane.js';
import type { PayloadSpool } from '../export/payload-spool.js';
import { feedWorker } from './worker-run.js';
import type { SourceFile } from '../export/source-scan.js';
import type { SourceFiles } from '../export/source-list.js';

export type { LaneResult } from './hash-lane.js';

/**
 * A second lane for the export's hashing pass, on the other core: a worker thread
 * (workers/hash-lane-worker.ts) that hashes whole batches of files with synchronous reads,
 * through the same steps as this thread's lane (hash-lane.ts), and reports bytes as it goes.
 * Hashing is CPU-bound once files are in the page cache; two lanes roughly halve it. Small files
 * bound for the export spool (payload-spool.ts) are copied into it as they are hashed.
 */

/** A file whose size moved since the scan is changing under the export, which stops. */
export function sizeChanged(file: SourceFile, actual: number): AirlockError {
  return new AirlockError('SOURCE_CHANGED', `${file.absPath} was ${file.size} bytes when scanned and ${actual} when hashed.`, { path: file.absPath });
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
  /** Where batches are taken from: `files`, or a finished list given to `over`. */
  private list: SourceFiles = this.files;
  private next = 0;
  private queuedBytes = 0;
  private closed = false;
  private waiters: Array<() => void> = [];

  /** A closed queue over a finished list, read in place (a SourceList is never copied into objects). */
  static over(list: SourceFiles): FileQueue {
    const queue = new FileQueue();
    queue.list = list;
    for (const file of list) queue.queuedBytes += file.size;
    queue.closed = true;
    return queue;
  }

  /** Bytes of the files not yet taken (all of them, before the first take). */
  get totalBytes(): number {
    return this.queuedBytes;
  }

  push(file: SourceFile): void {
    if (this.list !== this.files) throw new AirlockError('INTERNAL', 'A queue over a finished list takes no more files.');
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
    while (this.next < this.list.length && batch.length < BATCH_FILES && (batch.length === 0 || bytes < BATCH_BYTES)) {
      const size = this.list.at(this.next)?.size ?? 0;
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
    const waiting = this.list.length - this.next;
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
export function startWorkerLane(
  queue: FileQueue,
  out: Array<LaneResult | undefined>,
  progress: LaneProgress,
  signal: AbortSignal | undefined,
  spool: PayloadSpool | null,
): WorkerLane {
  const run = feedWorker<HashOutcome>(startWorker('hash-lane-worker'), signal, {
    source: queue,
    // Two batches in flight: the main lane answers messages only between its own files.
    inFlight: 2,
    message: (batch): HashBatch => ({
      files: batch.map((index) => {
        const file = queue.files[index] as SourceFile;
        return { index, path: file.absPath, size: file.size, spool: spool?.offsetOf(index) ?? -1 };
      }),
      spoolFd: spool?.fd ?? null,
    }),
    accept: (result) => {
      const file = queue.files[result.index];
      if (!file) return new AirlockError('INTERNAL', `The hashing worker answered for file ${result.index}.`);
      if (result.error) return toAirlockError(revivedError(result.error), file.absPath);
      if (result.size === undefined) return new AirlockError('INTERNAL', `The hashing worker gave no size for ${file.absPath}.`);
      if (result.sha256 === undefined) return sizeChanged(file, result.size);
      out[result.index] = { sha256: result.sha256, size: result.size };
      return null;
    },
    progress,
    stoppedUnexpectedly: 'The hashing worker stopped unexpectedly.',
  });
  return { done: run.done, stop: () => run.stop() };
}
