import { fdatasync, read, write } from 'node:fs';
import { AirlockError } from '../errors.js';
import { HASH_CHUNK_BYTES, sha256 } from './sha256.js';

/**
 * SHA-256 of a byte range of an open file, read with positional reads (verify's payload lanes,
 * verify/parallel/hash-lanes.ts). Both lanes, this thread's and the worker thread's
 * (workers/range-hash-worker.ts), run exactly this function on the same descriptor, so a digest
 * cannot depend on which lane computed it. An import's lanes also write each chunk, the buffer
 * just hashed, to a staged file (`copyTo`): the bytes written are the bytes hashed.
 */

export interface RangeDigest {
  /** SHA-256 of the bytes read (32 bytes). */
  digest: Uint8Array;
  /** Bytes read: fewer than asked for when the file ends first. */
  read: number;
}

/** Buffers in turn: one is hashed while the next read fills another (and, when copying, the one before is written). */
export type RangeBuffers = readonly Buffer[];

/** Two buffers to hash; three to hash and copy (a read, a hash and a write at once). */
export function rangeBuffers(count = 2): RangeBuffers {
  return Array.from({ length: count }, () => Buffer.allocUnsafe(HASH_CHUNK_BYTES));
}

/** Where a range's bytes are also written: a file open for writing, from its offset 0. */
export interface RangeCopyTarget {
  fd: number;
  /** Start writeback (fdatasync, one at a time) every this many bytes written; 0: never (nothing is flushed). */
  flushEvery: number;
}

/** One positional read; resolves to the bytes read (0 at the end of the file). */
export function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead)));
  });
}

function writeAt(fd: number, buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    write(fd, buffer, offset, length, position, (error, written) => (error ? reject(error) : resolve(written)));
  });
}

/**
 * The copying side of hashRange: positional writes of the hashed chunks, and writeback started
 * every `flushEvery` bytes so the disk works while the next bytes are hashed (as fs/early-writeback.ts
 * does for the sequential pass). A failure is kept, never thrown from a promise nobody awaits yet,
 * and reported by check(); a failed flush is a failed write, never retried into success.
 */
class RangeCopy {
  private failure: unknown = null;
  private flushing: Promise<void> | null = null;
  private sinceFlush = 0;

  constructor(private readonly target: RangeCopyTarget) {}

  async write(chunk: Buffer, position: number): Promise<void> {
    try {
      for (let done = 0; done < chunk.length;) done += await writeAt(this.target.fd, chunk, done, chunk.length - done, position + done);
    } catch (error) {
      this.failure ??= error;
      return;
    }
    this.sinceFlush += chunk.length;
    if (this.target.flushEvery > 0 && this.sinceFlush >= this.target.flushEvery && this.flushing === null) {
      this.sinceFlush = 0;
      this.flushing = new Promise<void>((resolve) =>
        fdatasync(this.target.fd, (error) => {
          if (error) this.failure ??= error;
          this.flushing = null;
          resolve();
        }),
      );
    }
  }

  check(): void {
    if (this.failure !== null) throw this.failure;
  }

  /** Wait for a flush in flight, then report any failure. */
  async settle(): Promise<void> {
    await this.idle();
    this.check();
  }

  /** Resolves once no flush is in flight (the caller closes the descriptor next). */
  async idle(): Promise<void> {
    await this.flushing;
  }
}

/**
 * Hash `size` bytes of `fd` from `start` (and with `copyTo`, write them there too). `onBytes`
 * hears of every chunk hashed; the signal is checked after every chunk (cancel within one chunk).
 * The read and writes in flight are always awaited before this returns, so the buffers are free
 * again for the next range.
 */
export async function hashRange(
  fd: number,
  start: number,
  size: number,
  buffers: RangeBuffers,
  options: { onBytes?: ((bytes: number) => void) | undefined; signal?: AbortSignal | undefined; copyTo?: RangeCopyTarget | undefined } = {},
): Promise<RangeDigest> {
  const hash = sha256();
  const end = start + size;
  const copy = options.copyTo ? new RangeCopy(options.copyTo) : null;
  // The write last made from each buffer: a buffer is read into again only once it is written.
  const writes: Array<Promise<void>> = buffers.map(() => Promise.resolve());
  const next = (buffer: Buffer, at: number): Promise<number> => (at >= end ? Promise.resolve(0) : readAt(fd, buffer, Math.min(buffer.length, end - at), at));
  let position = start;
  let which = 0;
  let pending = next(buffers[0] as Buffer, position);
  try {
    for (;;) {
      const bytes = await pending;
      if (bytes === 0) break;
      const filled = (buffers[which] as Buffer).subarray(0, bytes);
      const at = position - start;
      position += bytes;
      const following = (which + 1) % buffers.length;
      await writes[following];
      copy?.check();
      pending = next(buffers[following] as Buffer, position);
      hash.update(filled);
      if (copy) writes[which] = copy.write(filled, at);
      which = following;
      options.onBytes?.(bytes);
      if (options.signal?.aborted) throw new AirlockError('CANCELLED');
    }
    await Promise.all(writes);
    await copy?.settle();
  } finally {
    // Never leave a read or a write using a buffer the next range will use.
    await pending.catch(() => 0);
    await Promise.all(writes);
    await copy?.idle();
  }
  return { digest: hash.digest(), read: position - start };
}
