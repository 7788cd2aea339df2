/**
 * The worker's side of verify's stream lane (stream-lane.ts; docs/design-notes.md, "Small-file
 * verify on both cores"). From the byte where the main thread hands the archive over, this reads
 * it front to back in chunks, each into a buffer of its own that is then transferred to the main
 * thread, where the walk (node-tar and the tar guard) parses exactly those bytes. Before a chunk
 * goes, its own TarGuard reads it, and the data of every regular file whose header it holds is
 * hashed here, from the same buffer: the digest the walk takes for an entry is the SHA-256 of the
 * bytes the walk itself read as that entry's data, never of a second read of the file.
 *
 * It decides nothing. The walk uses a digest only for an entry whose data offset and size are
 * exactly an announced entry's (stream-lane.ts); any other entry (the guard here refused a header
 * the walk reads differently, an entry whose header came before the hand-over) the walk hashes itself.
 * Every byte before the hand-over was read by the main thread; here the headers up to it are read
 * once more (data skipped, as the scout does) only to bring this guard to the same place.
 */
import { createHash, type Hash } from 'node:crypto';
import { readSync } from 'node:fs';
import { TarGuard } from '../../bundle/tar-guard.js';
import { oneCallSha256 } from '../../crypto/sha256.js';
import type { StreamChunk } from './stream-protocol.js';

/** The headers before the hand-over are read in pieces of this size. */
const HEADER_READ_BYTES = 64 << 10;
const DIGEST_BYTES = 32;

interface Hashing {
  readonly start: number;
  readonly size: number;
  got: number;
  hash: Hash | null;
}

export class StreamHasher {
  private readonly guard = new TarGuard();
  private position: number;
  /** No more entries are announced (the guard refused or ended, or the headers before `from` could not be read): the walk hashes the rest. */
  private off = false;
  /** Announced entries whose data has not all been read, in archive order. */
  private hashing: Hashing[] = [];

  constructor(
    private readonly fd: number,
    from: number,
    private readonly chunkBytes: number,
  ) {
    this.position = from;
    this.catchUp(from);
  }

  /** Bring the guard to byte `to`: the headers read, every entry's data skipped (announced: none of these). */
  private catchUp(to: number): void {
    const buffer = Buffer.allocUnsafe(HEADER_READ_BYTES);
    let at = 0;
    while (at < to) {
      if (this.guard.failure !== null || this.guard.ended) break;
      const pending = this.guard.pendingData;
      if (pending > 0) {
        const skip = Math.min(pending, to - at);
        this.guard.skipData(skip);
        at += skip;
        continue;
      }
      const bytes = readSync(this.fd, buffer, 0, Math.min(buffer.length, to - at), at);
      if (bytes === 0) break;
      // The guard keeps copies of whatever it holds across writes (partial and meta blocks), so the buffer is reused.
      this.guard.write(buffer.subarray(0, bytes));
      this.guard.entries.length = 0;
      at += bytes;
    }
    if (at !== to || this.guard.failure !== null || this.guard.ended) this.off = true;
  }

  /** The next chunk (length 0 at the end of the file), with the entries announced in it and the digests finished in it. */
  next(): StreamChunk {
    const bytes = new ArrayBuffer(this.chunkBytes);
    const chunk = Buffer.from(bytes);
    const offset = this.position;
    const length = readSync(this.fd, chunk, 0, chunk.length, offset);
    this.position += length;
    const view = chunk.subarray(0, length);
    const announced: number[] = [];
    if (!this.off && length > 0) {
      this.guard.write(view);
      if (this.guard.failure !== null || this.guard.ended) this.off = true;
      if (this.guard.failure === null)
        for (const entry of this.guard.entries) {
          // An empty file has no bytes to hash: the walk takes its digest itself (an announced one might never finish at a cut).
          if (entry.kind !== 'file' || entry.size === 0) continue;
          this.hashing.push({ start: entry.dataOffset, size: entry.size, got: 0, hash: null });
          announced.push(entry.dataOffset, entry.size);
        }
      this.guard.entries.length = 0;
    }
    const finished: number[] = [];
    const digests: Buffer[] = [];
    let done = 0;
    for (const job of this.hashing) {
      const from = job.start + job.got;
      if (from >= offset + length) break;
      // Announced at its header's end, so its data starts in this chunk or later: anything else is a bug, never a digest of other bytes.
      if (from < offset) throw new Error(`the stream lane's entry at byte ${job.start} starts before its chunk at byte ${offset}`);
      const end = Math.min(job.start + job.size, offset + length);
      const piece = view.subarray(from - offset, end - offset);
      if (job.got === 0 && end === job.start + job.size) digests.push(oneCallSha256(piece));
      else {
        job.hash ??= createHash('sha256');
        job.hash.update(piece);
        job.got += piece.length;
        if (job.got < job.size) break;
        digests.push(job.hash.digest());
      }
      finished.push(job.start);
      done += 1;
    }
    if (done > 0) this.hashing = this.hashing.slice(done);
    const packed = new Uint8Array(digests.length * DIGEST_BYTES);
    digests.forEach((digest, index) => packed.set(digest, index * DIGEST_BYTES));
    return { offset, bytes, length, announced: Float64Array.from(announced), finished: Float64Array.from(finished), digests: packed };
  }
}
