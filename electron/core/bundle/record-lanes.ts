import { closeSync, openSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { HASH_CHUNK_BYTES } from '../crypto/sha256.js';
import { AirlockError, errnoOf, throwIfAborted, toAirlockError } from '../errors.js';
import { SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import { revivedError } from '../workers/posted-error.js';
import { startWorker } from '../workers/worker-script.js';
import { FileQueue, type LaneProgress } from './parallel-hash.js';
import { isDigest, RECORD_OPEN_FLAGS, recordSteps, RunWriter, type Mismatch, type RecordBatch, type RecordDigest, type RecordOutcome } from './record-lane.js';
import type { SourceFile } from '../export/source-scan.js';
import type { SourceFiles } from '../export/source-list.js';
import { feedWorker, type WorkerRun } from './worker-run.js';
import { openDigestTable, type DigestTable, type TableSpill } from './digest-table.js';

export type { RecordDigest } from './record-lane.js';

/**
 * The pass of a one-pass export (write-bundle.ts, direct-layout.ts): each source file is read
 * once, hashed, and written as its whole tar record (header, data, padding) at the place the layout gave it in
 * the output file. Two lanes share the work, this thread and a worker thread on the other core
 * (workers/record-lane-worker.ts); both run the same steps (record-lane.ts) and write through the
 * same descriptor with positional writes, to regions that never overlap.
 *
 * What lands in the bundle is exactly the bytes that were hashed. A file that changes under the
 * pass is refused: a size other than the scan's (one byte more is always asked for, to notice
 * growth); for files too large to read in one call, also a modification time other than the
 * scan's or a change time that moved while the file was read.
 */

/** One file's record: where it starts in the output and its header bytes. */
export interface RecordPlan {
  files: SourceFiles;
  /** Output offset of file i's record (header first). */
  offsets: readonly number[];
  /** Header block(s) of file i, encoded when a lane takes it. */
  headerOf(index: number): Buffer;
}

function mismatchError(file: SourceFile, mismatch: Mismatch): AirlockError {
  const detail =
    'size' in mismatch
      ? `was ${file.size} bytes when scanned and ${mismatch.size > file.size ? 'grew' : `${mismatch.size} bytes`} when read`
      : 'was modified while the bundle was being written';
  return new AirlockError('SOURCE_CHANGED', `${file.absPath} ${detail}.`, { path: file.absPath });
}

/** O_NOFOLLOW's refusal says "too many symbolic links"; the operator should read what happened. */
function laneError(error: unknown, file: SourceFile): AirlockError {
  if (errnoOf(error) === 'ELOOP') {
    return new AirlockError('SOURCE_UNSUPPORTED_TYPE', `${file.absPath} was replaced by a symbolic link after the scan; links are not followed.`, {
      path: file.absPath,
    });
  }
  return toAirlockError(error, file.absPath);
}

/** Below this much work the worker costs more to start than it saves. */
const PARALLEL_MIN_FILES = 64;
const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * The writing worker holds one batch of paths and outcomes at a time; V8's default young generation
 * (semi-spaces doubled up to 16 MiB as objects survive) is mostly empty pages that count in the
 * export's peak RSS (issue #18: 13 MB of heap in a 200,000-file export). The import's small-file
 * worker is bounded the same way (import/small-file-queue.ts).
 */
const LANE_WORKER_HEAP = { maxYoungGenerationSizeMb: 4 };

/**
 * The two lanes. The worker thread is started at once, so that it boots (tens of milliseconds)
 * while the scan and layout still run here; `close()` ends it whether or not it was used.
 */
export class RecordLanes {
  private readonly worker = startWorker('record-lane-worker', { resourceLimits: LANE_WORKER_HEAP });
  private used = false;
  /** Why the worker ended before write() handed it work (its script failed to load): reported then, never an unhandled 'error'. */
  private early: Error | null = null;

  constructor() {
    this.worker.on('error', (error) => (this.early ??= error));
    this.worker.on('exit', () => (this.early ??= new AirlockError('INTERNAL', 'The writing worker stopped unexpectedly.')));
  }

  /**
   * Read, hash and write every file of `plan` into `fd` at its offset. Resolves with one digest per
   * file (a compact table: digest-table.ts) once every record is written (not yet synced); rejects with the first error, after the
   * worker has stopped writing (the caller may then remove the file). Once per instance. With
   * `spill`, a large plan's digests go to a file there (digest-table.ts); the caller releases them.
   */
  async write(plan: RecordPlan, fd: number, progress: LaneProgress, signal?: AbortSignal, spill?: TableSpill): Promise<DigestTable> {
    if (this.used) throw new AirlockError('INTERNAL', 'The record lanes were used twice.');
    this.used = true;
    // Over the plan's list, not a copy of it (source-list.ts: the files are made when read).
    const queue = FileQueue.over(plan.files);
    const bytes = queue.totalBytes;
    const digests = openDigestTable(plan.files.length, spill);
    const parallel = plan.files.length >= PARALLEL_MIN_FILES || (bytes >= PARALLEL_MIN_BYTES && plan.files.length > 1);
    // Checked in the same turn as the run below starts listening: a worker gone by now would never answer it.
    if (parallel && this.early) throw toAirlockError(this.early);
    const worker = parallel ? runRecordWorker(this.worker, queue, plan, fd, digests, progress, signal) : null;
    const lanes = [recordLane(queue, plan, fd, digests, progress, signal)];
    if (worker) lanes.push(worker.done);
    const settled = await Promise.allSettled(lanes);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      await worker?.stop();
      digests.release();
      throw toAirlockError(failure.reason);
    }
    const missing = digests.firstMissing();
    if (missing >= 0) {
      digests.release();
      throw new AirlockError('INTERNAL', `${(plan.files.at(missing) as SourceFile).absPath} was not written.`);
    }
    return digests;
  }

  /** End the worker thread; resolves once it has exited. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** This thread's lane: the same steps as the worker's (record-lane.ts), with cancellation between chunks. */
async function recordLane(queue: FileQueue, plan: RecordPlan, fd: number, out: DigestTable, progress: LaneProgress, signal?: AbortSignal): Promise<void> {
  const runs = new RunWriter(fd);
  const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  const pause = new CooperativeYield();
  for (let batch = queue.take(); batch.length > 0; batch = queue.take()) {
    for (const index of batch) {
      throwIfAborted(signal);
      const file = plan.files.at(index) as SourceFile;
      let result: RecordDigest | Mismatch;
      let handle: number | undefined;
      try {
        handle = openSync(file.absPath, RECORD_OPEN_FLAGS);
        result = await writeRecord(recordSteps(handle, plan.headerOf(index), file, plan.offsets[index] as number, buffer, runs), progress, pause, signal);
      } catch (error) {
        throw laneError(error, file);
      } finally {
        if (handle !== undefined) closeSync(handle);
      }
      if (!isDigest(result)) throw mismatchError(file, result);
      out.set(index, result.sha256);
      if (file.size <= SMALL_FILE_BYTES) progress.addBytes(file.size);
      progress.addFiles(1);
      await pause.maybeYield();
    }
  }
  try {
    runs.flush();
  } catch (error) {
    throw toAirlockError(error);
  }
}

/**
 * Run one record's steps, yielding to the event loop every few milliseconds between a large
 * file's chunks: a cancel from outside (Ctrl-C, the app's Cancel) must not wait for a
 * many-gigabyte file to end.
 */
async function writeRecord(
  steps: Generator<number, RecordDigest | Mismatch>,
  progress: LaneProgress,
  pause: CooperativeYield,
  signal?: AbortSignal,
): Promise<RecordDigest | Mismatch> {
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    progress.addBytes(step.value);
    await pause.maybeYield();
    throwIfAborted(signal);
  }
}

function runRecordWorker(
  worker: Worker,
  queue: FileQueue,
  plan: RecordPlan,
  fd: number,
  out: DigestTable,
  progress: LaneProgress,
  signal?: AbortSignal,
): WorkerRun {
  return feedWorker<RecordOutcome>(worker, signal, {
    source: queue,
    // This thread answers only when its own lane yields (every few milliseconds), and the worker
    // clears a batch of small files in about as long: with two in flight it idled a quarter of the pass.
    inFlight: 4,
    message: (batch): RecordBatch => {
      // One buffer for the batch's headers: a header is a view into a shared 8 KiB pool slab, and
      // posting a view copies its whole slab, which for 20,000 files was 160 MB of copying.
      const headers = batch.map((index) => plan.headerOf(index));
      const files = batch.map((index, i) => {
        const file = plan.files.at(index) as SourceFile;
        return {
          index,
          path: file.absPath,
          size: file.size,
          mtimeMs: file.mtimeMs,
          at: plan.offsets[index] as number,
          headerLength: (headers[i] as Buffer).length,
        };
      });
      return { files, fd, headers: Buffer.concat(headers) };
    },
    accept: (result) => {
      const file = plan.files.at(result.index);
      if (!file) return new AirlockError('INTERNAL', `The writing worker answered for file ${result.index}.`);
      if (result.error) return laneError(revivedError(result.error), file);
      if (result.modified) return mismatchError(file, { modified: true });
      if (result.sha256 === undefined) return mismatchError(file, { size: result.size ?? 0 });
      out.set(result.index, result.sha256);
      return null;
    },
    progress,
    stoppedUnexpectedly: 'The writing worker stopped unexpectedly.',
  });
}
