import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { HASH_CHUNK_BYTES, sha256 } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { readExpected, SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import { FileQueue, type LaneProgress } from './parallel-hash.js';
import type { SourceFile } from '../export/source-scan.js';
import { feedWorker, type WorkerRun } from './worker-run.js';
import { paddingLength } from './tar-header.js';

/**
 * The pass of a one-pass export (write-bundle.ts, direct-layout.ts): each source file is read
 * once, hashed, and written as its whole tar record (header, data, padding) at the place the layout gave it in
 * the output file. Two lanes share the work, this thread and a worker thread on the other core;
 * both write through the same descriptor with positional writes, to regions that never overlap.
 *
 * What lands in the bundle is exactly the bytes that were hashed. A file that changes under the
 * pass is refused: a size other than the scan's (one byte more is always asked for, to notice
 * growth); for files too large to read in one call, also a modification time other than the
 * scan's or a change time that moved while the file was read.
 */

/** One file's record: where it starts in the output and its header bytes. */
export interface RecordPlan {
  files: readonly SourceFile[];
  /** Output offset of file i's record (header first). */
  offsets: readonly number[];
  /** Header block(s) of file i, encoded when a lane takes it. */
  headerOf(index: number): Buffer;
}

export interface RecordDigest {
  sha256: string;
  size: number;
}

/** What a lane found wrong with a file that it read without an I/O error. */
type Mismatch = { size: number } | { modified: true };

/** Open flags: never follow a link swapped in after the scan; never block on a FIFO swapped in. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Records gather into runs of about this size before one positional write. */
const RUN_BYTES = 4 << 20;
/** Room past the run for one more small record: its headers, data, the growth byte, padding. */
const RUN_SLACK = SMALL_FILE_BYTES + 64 * 1024;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync, writeSync, fstatSync } = require('node:fs');
const { createHash } = require('node:crypto');
const SMALL = ${SMALL_FILE_BYTES};
const RUN = ${RUN_BYTES};
const FLAGS = ${OPEN_FLAGS};
const REPORT_EVERY = 16 << 20;
const buffer = Buffer.allocUnsafe(${HASH_CHUNK_BYTES});
const run = Buffer.allocUnsafe(RUN + ${RUN_SLACK});
let runStart = 0;
let runUsed = 0;
let outFd = -1;
function writeAll(data, at) {
  let done = 0;
  while (done < data.length) done += writeSync(outFd, data, done, data.length - done, at + done);
}
function flushRun() {
  if (runUsed > 0) writeAll(run.subarray(0, runUsed), runStart);
  runUsed = 0;
}
function pad(size) { const rest = size % 512; return rest === 0 ? 0 : 512 - rest; }
parentPort.on('message', ({ files, fd, headers }) => {
  outFd = fd;
  const allHeaders = Buffer.from(headers.buffer, headers.byteOffset, headers.byteLength);
  let headerAt = 0;
  const results = [];
  let unreported = 0;
  for (const file of files) {
    let handle;
    const header = allHeaders.subarray(headerAt, headerAt + file.headerLength);
    headerAt += file.headerLength;
    try {
      handle = openSync(file.path, FLAGS);
      if (file.size <= SMALL) {
        const need = header.length + file.size + 1 + 512;
        if (runUsed > 0 && (runStart + runUsed !== file.at || runUsed >= RUN || runUsed + need > run.length)) flushRun();
        if (runUsed === 0) runStart = file.at;
        header.copy(run, runUsed);
        const dataAt = runUsed + header.length;
        const want = file.size + 1;
        let got = 0;
        for (;;) {
          const n = readSync(handle, run, dataAt + got, want - got, null);
          if (n === 0) break;
          got += n;
          if (got === want) break;
        }
        if (got !== file.size) { results.push({ index: file.index, size: got }); continue; }
        const digest = createHash('sha256').update(run.subarray(dataAt, dataAt + got)).digest('hex');
        const padding = pad(got);
        run.fill(0, dataAt + got, dataAt + got + padding);
        runUsed = dataAt + got + padding;
        unreported += got;
        results.push({ index: file.index, sha256: digest, size: got });
      } else {
        flushRun();
        const before = fstatSync(handle);
        writeAll(header, file.at);
        let at = file.at + header.length;
        const hash = createHash('sha256');
        let size = 0;
        let grew = false;
        for (;;) {
          const n = readSync(handle, buffer, 0, buffer.length, null);
          if (n === 0) break;
          if (size + n > file.size) { grew = true; size += n; break; }
          const chunk = buffer.subarray(0, n);
          hash.update(chunk);
          writeAll(chunk, at);
          at += n;
          size += n;
          unreported += n;
          if (unreported >= REPORT_EVERY) { parentPort.postMessage({ progress: unreported }); unreported = 0; }
        }
        if (grew || size !== file.size) { results.push({ index: file.index, size }); continue; }
        const after = fstatSync(handle);
        if (after.mtimeMs !== file.mtimeMs || after.ctimeMs !== before.ctimeMs || after.size !== file.size) { results.push({ index: file.index, modified: true }); continue; }
        const padding = pad(size);
        if (padding > 0) writeAll(Buffer.alloc(padding), at);
        results.push({ index: file.index, sha256: hash.digest('hex'), size });
      }
    } catch (error) {
      results.push({ index: file.index, error: { code: error.code, message: error.message } });
    } finally {
      if (handle !== undefined) closeSync(handle);
    }
  }
  try {
    flushRun();
  } catch (error) {
    results.push({ index: files[files.length - 1].index, error: { code: error.code, message: error.message } });
  }
  parentPort.postMessage({ progress: unreported, results });
});
`;

interface WorkerResult {
  index: number;
  sha256?: string;
  size?: number;
  modified?: true;
  error?: { code?: string; message: string };
}

function mismatchError(file: SourceFile, mismatch: Mismatch): AirlockError {
  const detail = 'size' in mismatch ? `was ${file.size} bytes when scanned and ${mismatch.size > file.size ? 'grew' : `${mismatch.size} bytes`} when read` : 'was modified while the bundle was being written';
  return new AirlockError('SOURCE_CHANGED', `${file.absPath} ${detail}.`, { path: file.absPath });
}

/** O_NOFOLLOW's refusal says "too many symbolic links"; the operator should read what happened. */
function laneError(error: unknown, file: SourceFile): AirlockError {
  if ((error as { code?: unknown } | null)?.code === 'ELOOP') {
    return new AirlockError('SOURCE_UNSUPPORTED_TYPE', `${file.absPath} was replaced by a symbolic link after the scan; links are not followed.`, { path: file.absPath });
  }
  return toAirlockError(error, file.absPath);
}

function isDigest(result: RecordDigest | Mismatch): result is RecordDigest {
  return 'sha256' in result;
}

/** Below this much work the worker costs more to start than it saves. */
const PARALLEL_MIN_FILES = 64;
const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * The two lanes. The worker thread is started at once, so that it boots (tens of milliseconds)
 * while the scan and layout still run here; `close()` ends it whether or not it was used.
 */
export class RecordLanes {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private used = false;

  /**
   * Read, hash and write every file of `plan` into `fd` at its offset. Resolves with one digest per
   * file once every record is written (not yet synced); rejects with the first error, after the
   * worker has stopped writing (the caller may then remove the file). Once per instance.
   */
  async write(plan: RecordPlan, fd: number, progress: LaneProgress, signal?: AbortSignal): Promise<RecordDigest[]> {
    if (this.used) throw new AirlockError('INTERNAL', 'The record lanes were used twice.');
    this.used = true;
    const queue = new FileQueue();
    let bytes = 0;
    for (const file of plan.files) {
      queue.push(file);
      bytes += file.size;
    }
    queue.close();
    const digests: Array<RecordDigest | undefined> = [];
    const parallel = plan.files.length >= PARALLEL_MIN_FILES || (bytes >= PARALLEL_MIN_BYTES && plan.files.length > 1);
    const worker = parallel ? runRecordWorker(this.worker, queue, plan, fd, digests, progress, signal) : null;
    const lanes = [recordLane(queue, plan, fd, digests, progress, signal)];
    if (worker) lanes.push(worker.done);
    const settled = await Promise.allSettled(lanes);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      await worker?.stop();
      throw toAirlockError(failure.reason);
    }
    return plan.files.map((file, index) => {
      const digest = digests[index];
      if (!digest) throw new AirlockError('INTERNAL', `${file.absPath} was not written.`);
      return digest;
    });
  }

  /** End the worker thread; resolves once it has exited. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** This thread's lane: the same work as the worker's, in TypeScript. */
async function recordLane(queue: FileQueue, plan: RecordPlan, fd: number, out: Array<RecordDigest | undefined>, progress: LaneProgress, signal?: AbortSignal): Promise<void> {
  const runs = new RunWriter(fd);
  const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  const pause = new CooperativeYield();
  for (let batch = queue.take(); batch.length > 0; batch = queue.take()) {
    for (const index of batch) {
      throwIfAborted(signal);
      const file = plan.files[index] as SourceFile;
      let result: RecordDigest | Mismatch;
      let handle: number | undefined;
      try {
        handle = openSync(file.absPath, OPEN_FLAGS);
        const header = plan.headerOf(index);
        const at = plan.offsets[index] as number;
        result = file.size <= SMALL_FILE_BYTES ? runs.appendSmall(handle, header, file.size, at) : await streamLarge(handle, header, file, at, buffer, runs, progress, pause, signal);
      } catch (error) {
        throw laneError(error, file);
      } finally {
        if (handle !== undefined) closeSync(handle);
      }
      if (!isDigest(result)) throw mismatchError(file, result);
      out[index] = result;
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

/** Consecutive small records gathered in one buffer and written with one positional write. */
class RunWriter {
  private readonly run = Buffer.allocUnsafe(RUN_BYTES + RUN_SLACK);
  private start = 0;
  private used = 0;

  constructor(readonly fd: number) {}

  appendSmall(handle: number, header: Buffer, size: number, at: number): RecordDigest | Mismatch {
    const need = header.length + size + 1 + 512;
    if (this.used > 0 && (this.start + this.used !== at || this.used >= RUN_BYTES || this.used + need > this.run.length)) this.flush();
    if (this.used === 0) this.start = at;
    header.copy(this.run, this.used);
    const dataAt = this.used + header.length;
    const got = readExpected(handle, this.run, dataAt, size);
    if (got !== size) return { size: got };
    const digest = sha256().update(this.run.subarray(dataAt, dataAt + size)).digest('hex');
    const pad = paddingLength(size);
    this.run.fill(0, dataAt + size, dataAt + size + pad);
    this.used = dataAt + size + pad;
    return { sha256: digest, size };
  }

  flush(): void {
    if (this.used === 0) return;
    writeAllAt(this.fd, this.run.subarray(0, this.used), this.start);
    this.used = 0;
  }
}

/**
 * A large file in 1 MiB chunks, yielding to the event loop every few milliseconds: a cancel from
 * outside (Ctrl-C, the app's Cancel) must not wait for a many-gigabyte file to end.
 */
async function streamLarge(
  handle: number,
  header: Buffer,
  file: SourceFile,
  at: number,
  buffer: Buffer,
  runs: RunWriter,
  progress: LaneProgress,
  pause: CooperativeYield,
  signal?: AbortSignal,
): Promise<RecordDigest | Mismatch> {
  runs.flush();
  const before = fstatSync(handle);
  writeAllAt(runs.fd, header, at);
  let position = at + header.length;
  const hash = sha256();
  let size = 0;
  for (;;) {
    throwIfAborted(signal);
    const n = readSync(handle, buffer, 0, buffer.length, null);
    if (n === 0) break;
    if (size + n > file.size) return { size: size + n };
    const chunk = buffer.subarray(0, n);
    hash.update(chunk);
    writeAllAt(runs.fd, chunk, position);
    position += n;
    size += n;
    progress.addBytes(n);
    await pause.maybeYield();
  }
  if (size !== file.size) return { size };
  const after = fstatSync(handle);
  if (after.mtimeMs !== file.mtimeMs || after.ctimeMs !== before.ctimeMs || after.size !== file.size) return { modified: true };
  const pad = paddingLength(size);
  if (pad > 0) writeAllAt(runs.fd, Buffer.alloc(pad), position);
  return { sha256: hash.digest('hex'), size };
}

function writeAllAt(fd: number, data: Buffer, at: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, at + done);
}

function runRecordWorker(worker: Worker, queue: FileQueue, plan: RecordPlan, fd: number, out: Array<RecordDigest | undefined>, progress: LaneProgress, signal?: AbortSignal): WorkerRun {
  return feedWorker<WorkerResult>(worker, signal, {
    source: queue,
    // This thread answers only when its own lane yields (every few milliseconds), and the worker
    // clears a batch of small files in about as long: with two in flight it idled a quarter of the pass.
    inFlight: 4,
    message: (batch) => {
      // One buffer for the batch's headers: a header is a view into a shared 8 KiB pool slab, and
      // posting a view copies its whole slab, which for 20,000 files was 160 MB of copying.
      const headers = batch.map((index) => plan.headerOf(index));
      const files = batch.map((index, i) => {
        const file = plan.files[index] as SourceFile;
        return { index, path: file.absPath, size: file.size, mtimeMs: file.mtimeMs, at: plan.offsets[index], headerLength: (headers[i] as Buffer).length };
      });
      return { files, fd, headers: Buffer.concat(headers) };
    },
    accept: (result) => {
      const file = plan.files[result.index];
      if (!file) return new AirlockError('INTERNAL', `The writing worker answered for file ${result.index}.`);
      if (result.error) return laneError(Object.assign(new Error(result.error.message), { code: result.error.code }), file);
      if (result.modified) return mismatchError(file, { modified: true });
      if (result.sha256 === undefined) return mismatchError(file, { size: result.size ?? 0 });
      out[result.index] = { sha256: result.sha256, size: result.size ?? 0 };
      return null;
    },
    progress,
    stoppedUnexpectedly: 'The writing worker stopped unexpectedly.',
  });
}
