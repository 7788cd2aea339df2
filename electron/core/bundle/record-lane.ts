import { constants, fstatSync, readSync, writeSync } from 'node:fs';
import { sha256 } from '../crypto/sha256.js';
import { readExpected, SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import type { PostedError } from '../workers/posted-error.js';
import { paddingLength } from './tar-block.js';

/**
 * One lane of the one-pass export's record writing (record-lanes.ts), as plain synchronous steps:
 * this thread's lane and the worker thread's (workers/record-lane-worker.ts) both run exactly
 * these functions, so what a record holds cannot depend on which lane wrote it. Kept free of
 * node-tar: the worker loads this module and little else.
 */

export interface RecordDigest {
  sha256: string;
  size: number;
}

/** What a lane found wrong with a file that it read without an I/O error. */
export type Mismatch = { size: number } | { modified: true };

/** What a file's record must match: the scan's size and modification time. */
export interface ScannedFile {
  size: number;
  mtimeMs: number;
}

/** Open flags: never follow a link swapped in after the scan; never block on a FIFO swapped in. */
export const RECORD_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Records gather into runs of about this size before one positional write. */
const RUN_BYTES = 4 << 20;
/** Room past the run for one more small record: its headers, data, the growth byte, padding. */
const RUN_SLACK = SMALL_FILE_BYTES + 64 * 1024;

export function isDigest(result: RecordDigest | Mismatch): result is RecordDigest {
  return 'sha256' in result;
}

/** Write all of `data` at `at` in `fd` (a positional write may write less than asked). */
export function writeAllAt(fd: number, data: Buffer, at: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, at + done);
}

/** Consecutive small records gathered in one buffer and written with one positional write. */
export class RunWriter {
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
    const digest = sha256()
      .update(this.run.subarray(dataAt, dataAt + size))
      .digest('hex');
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
 * Write one file's whole record (header, data, padding) at `at`, reading the open file `handle`
 * once and hashing what is written. A small file joins the current run and returns at once; a
 * large one is streamed in `buffer`-sized chunks, yielding the bytes of each chunk written, so
 * that the caller can report progress, give its event loop a turn and stop between chunks.
 */
export function* recordSteps(
  handle: number,
  header: Buffer,
  file: ScannedFile,
  at: number,
  buffer: Buffer,
  runs: RunWriter,
): Generator<number, RecordDigest | Mismatch> {
  if (file.size <= SMALL_FILE_BYTES) return runs.appendSmall(handle, header, file.size, at);
  runs.flush();
  const before = fstatSync(handle);
  writeAllAt(runs.fd, header, at);
  let position = at + header.length;
  const hash = sha256();
  let size = 0;
  for (;;) {
    const n = readSync(handle, buffer, 0, buffer.length, null);
    if (n === 0) break;
    if (size + n > file.size) return { size: size + n };
    const chunk = buffer.subarray(0, n);
    hash.update(chunk);
    writeAllAt(runs.fd, chunk, position);
    position += n;
    size += n;
    yield n;
  }
  if (size !== file.size) return { size };
  const after = fstatSync(handle);
  if (after.mtimeMs !== file.mtimeMs || after.ctimeMs !== before.ctimeMs || after.size !== file.size) return { modified: true };
  const pad = paddingLength(size);
  if (pad > 0) writeAllAt(runs.fd, Buffer.alloc(pad), position);
  return { sha256: hash.digest('hex'), size };
}

/** One file of a batch handed to the worker lane. */
export interface RecordJob extends ScannedFile {
  index: number;
  path: string;
  /** Output offset of the record. */
  at: number;
  headerLength: number;
}

/** A batch for the worker lane: its files, the output descriptor, and their headers back to back. */
export interface RecordBatch {
  files: RecordJob[];
  fd: number;
  headers: Uint8Array;
}

/** The worker's answer for one file: a digest, a mismatch, or the I/O error it met. */
export interface RecordOutcome {
  index: number;
  sha256?: string;
  size?: number;
  modified?: true;
  error?: PostedError;
}

/** What the worker lane posts: bytes written since its last report, and once per batch the batch's outcomes. */
export interface RecordLaneMessage {
  progress: number;
  results?: RecordOutcome[];
}
