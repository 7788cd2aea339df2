import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, unlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freeBytes } from '../fs/publish.js';
import { SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import { SPOOL_CHUNK_BYTES } from '../bundle/hash-lane.js';

/**
 * The small files' bytes as the hashing pass read them, kept for the write pass.
 *
 * Reading a source costs an open, a read and a close whatever its size; for thousands of small
 * files those calls, twice over (hash, then write), are most of an export. The hashing pass
 * therefore copies each small file's bytes into this spool as it hashes them, and the write
 * pass takes them from here in large sequential reads instead of opening every source again.
 * What is written is then exactly what was hashed and signed: there is no window in which a
 * source can change between the passes (large files are still re-read and re-hashed).
 *
 * The spool lives in the station's own folder, on the system disk, never on the output medium.
 * It is unlinked as soon as it is open (POSIX): no other process can open it by name, and it
 * disappears with the process whatever happens. Where unlinking an open file is refused
 * (Windows), it is created 0600 and removed on close.
 */

/** Free space left on the spool's disk beyond the spool: an export never fills the system disk. */
const SPOOL_MARGIN_BYTES = 256 << 20;

export class PayloadSpool {
  private closed = false;
  /** Where each payload file's bytes sit in the spool; -1 (or absent) when it is not spooled. */
  private readonly offsets: number[] = [];
  private used = 0;

  private constructor(
    /** A plain descriptor: worker threads of this process write through it too. */
    readonly fd: number,
    /** Bytes the spool may hold: the disk's free space less the margin, measured when it was opened. */
    private readonly budget: number,
    /** Set when the spool could not be unlinked while open and must be removed on close. */
    private readonly namedPath: string | null,
  ) {}

  /**
   * A spool in `dir`; null when `dir` lacks the room for any of it (the export then re-reads its
   * sources, as it would without a spool).
   */
  static async open(dir: string): Promise<PayloadSpool | null> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const budget = (await freeBytes(dir)) - SPOOL_MARGIN_BYTES;
    if (budget < SMALL_FILE_BYTES) return null;
    const path = join(dir, `.payload-spool-${randomBytes(8).toString('hex')}`);
    const fd = openSync(path, 'wx+', 0o600);
    let named: string | null = null;
    try {
      unlinkSync(path);
    } catch {
      named = path;
    }
    return new PayloadSpool(fd, budget, named);
  }

  /**
   * Give payload file `index` its place, in payload order as the scan finds files: small files
   * while the budget lasts (beyond it they are read again when written, as without a spool).
   */
  assign(index: number, size: number): void {
    if (size > SMALL_FILE_BYTES || this.used + size > this.budget) {
      this.offsets[index] = -1;
      return;
    }
    this.offsets[index] = this.used;
    this.used += size;
  }

  /** Bytes assigned so far. */
  get bytes(): number {
    return this.used;
  }

  /** Whether payload file `index` is in the spool. */
  has(index: number): boolean {
    return (this.offsets[index] ?? -1) >= 0;
  }

  offsetOf(index: number): number {
    return this.offsets[index] ?? -1;
  }

  /** The write pass's view: spooled files, asked for in payload order. */
  reader(): SpoolReader {
    return new SpoolReader(this);
  }

  readInto(buffer: Buffer, length: number, position: number): void {
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, position + done);
      if (n === 0) throw Object.assign(new Error('The export spool ended early.'), { code: 'EIO' });
      done += n;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    if (this.namedPath) {
      try {
        unlinkSync(this.namedPath);
      } catch {
        // Best effort: the name is hidden and marked; nothing in it is secret beyond the sources.
      }
    }
  }
}

export class SpoolReader {
  /** Allocated at the first spooled file: an export of large files only never needs its 4 MiB. */
  private chunk: Buffer | null = null;
  private start = 0;
  private length = 0;

  constructor(private readonly spool: PayloadSpool) {}

  /** The spooled bytes of payload file `index`: a view valid until the next call. */
  bytesOf(index: number, size: number): Buffer {
    const offset = this.spool.offsetOf(index);
    if (offset < 0) throw new Error(`Payload file ${index} is not in the spool.`);
    this.chunk ??= Buffer.allocUnsafe(SPOOL_CHUNK_BYTES);
    if (offset < this.start || offset + size > this.start + this.length) {
      this.start = offset;
      this.length = Math.min(this.chunk.length, this.spool.bytes - offset);
      this.spool.readInto(this.chunk, this.length, offset);
    }
    return this.chunk.subarray(offset - this.start, offset - this.start + size);
  }
}
