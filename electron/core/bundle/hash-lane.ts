import { closeSync, openSync } from 'node:fs';
import { HASH_CHUNK_BYTES, hashFile, sha256 } from '../crypto/sha256.js';
import { readExpected, SMALL_FILE_BYTES, smallFileScratch } from '../fs/read-small-file.js';
import type { PostedError } from '../workers/posted-error.js';
import { writeAllAt } from './record-lane.js';
import { RECORD_OPEN_FLAGS } from './record-lane.js';

/**
 * One lane of the export's hashing pass (parallel-hash.ts), as plain synchronous steps: this
 * thread's lane (hash-sources.ts) and the worker thread's (workers/hash-lane-worker.ts) both run
 * exactly these, so a digest cannot depend on which lane computed it. Kept free of node-tar and
 * of the spool's bookkeeping: the worker loads this module and little else.
 */

/** Writes into and reads out of the export spool (payload-spool.ts) in pieces of about this size. */
export const SPOOL_CHUNK_BYTES = 4 << 20;

export interface LaneResult {
  sha256: string;
  size: number;
}

/** One file to hash: its path, the scan's size, and its place in the spool (-1: not spooled). */
export interface HashJob {
  index: number;
  path: string;
  size: number;
  spool: number;
}

/**
 * Collects small files into contiguous runs and writes each run to the spool in one call: a
 * batch of consecutive small files sits back to back in the spool.
 */
export class SpoolAppender {
  /** Allocated at the first small file: a lane that hashes only large files never needs its 4 MiB. */
  private chunk: Buffer | null = null;
  private start = 0;
  private used = 0;

  /** `fd`: the spool, a plain descriptor that the worker thread writes through too. */
  constructor(private readonly fd: number) {}

  /** Room for a file going to spool offset `offset` (`size` bytes plus one to notice growth), at its place in the run. */
  slot(offset: number, size: number): Buffer {
    if (this.used > 0 && (this.start + this.used !== offset || this.used >= SPOOL_CHUNK_BYTES)) this.flush();
    if (this.used === 0) this.start = offset;
    this.chunk ??= Buffer.allocUnsafe(SPOOL_CHUNK_BYTES + SMALL_FILE_BYTES + 1);
    return this.chunk.subarray(this.used, this.used + size + 1);
  }

  /** The slot's first `size` bytes are the file, hashed: keep them. */
  commit(size: number): void {
    this.used += size;
  }

  flush(): void {
    if (this.used === 0 || !this.chunk) return;
    writeAllAt(this.fd, this.chunk.subarray(0, this.used), this.start);
    this.used = 0;
  }
}

/** A lane's buffers and its spool run; one per thread. */
export class HashLane {
  private readonly buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  private readonly scratch = smallFileScratch();
  private readonly appender: SpoolAppender | null;

  /** `spoolFd`: the export spool's descriptor, or null when the export has none. */
  constructor(spoolFd: number | null) {
    this.appender = spoolFd === null ? null : new SpoolAppender(spoolFd);
  }

  /**
   * Hash one file. A small one is read whole with synchronous calls (for a page-cached small
   * file a thread-pool round trip costs more than the work), into the spool's run when it has a
   * place there; a size other than the scan's returns `{ size }` (the size found) and no digest.
   * A large one streams through hashFile(), whose reads on the thread pool overlap the hashing on
   * this thread; `onBytes` hears of each chunk, and its caller compares the size found with the scan's.
   */
  async hash(job: HashJob, onBytes: (bytes: number) => void, signal?: AbortSignal): Promise<LaneResult | { size: number }> {
    if (job.size > SMALL_FILE_BYTES) return hashFile(job.path, { buffer: this.buffer, onBytes, signal });
    return this.hashSmall(job);
  }

  /** Write what is left of the spool's run. */
  flush(): void {
    this.appender?.flush();
  }

  private hashSmall(job: HashJob): LaneResult | { size: number } {
    const fd = openSync(job.path, RECORD_OPEN_FLAGS);
    try {
      const spooled = this.appender !== null && job.spool >= 0;
      const into = spooled ? this.appender.slot(job.spool, job.size) : this.scratch;
      const got = readExpected(fd, into, 0, job.size);
      if (got !== job.size) return { size: got };
      const digest = sha256().update(into.subarray(0, got)).digest('hex');
      if (spooled) this.appender.commit(got);
      return { sha256: digest, size: got };
    } finally {
      closeSync(fd);
    }
  }
}

/** A batch for the worker lane: its files, and the spool's descriptor when there is a spool. */
export interface HashBatch {
  files: HashJob[];
  spoolFd: number | null;
}

/** The worker's answer for one file: a digest, the size found (a small file that changed), or the I/O error it met. */
export interface HashOutcome {
  index: number;
  sha256?: string;
  size?: number;
  error?: PostedError;
}

/** What the worker lane posts: bytes hashed since its last report, and once per batch the batch's outcomes. */
export interface HashLaneMessage {
  progress: number;
  results?: HashOutcome[];
}
