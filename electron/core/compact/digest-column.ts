/**
 * The signed SHA-256 of every listed file, in manifest order: 32 bytes a file, appended as the
 * manifest is parsed and read back by ordinal as the archive delivers the files (and once more
 * for the audit rows). A million files hold 32 MB of digests, the largest part of a verify's or
 * an import's index (design-notes, rss1m and rssspill), and resident to the last page.
 *
 * Two stores behind one interface. `MemoryDigests` keeps them in one growing buffer (a small
 * manifest; split bundles, standard input and callers without a station). `SpilledDigests`
 * keeps them in a file of the station's spool folder and holds one 64 KiB window in memory:
 * Airlock's export writes the archive in manifest order, so the walk and the rows each read the
 * file once, front to back, from the page cache. The spill is unlinked as soon as it is open
 * (POSIX: nothing is left on any path, kill -9 included; where unlinking an open file is
 * refused it carries an owner-stamped temp name, removed on close and, after a kill, by the
 * station home's sweep: design-notes §14), and every window read back is checked against the
 * SHA-256 of what was written, kept in memory (32 bytes a window): a spill changed on disk is
 * never taken for the signed digests. An archive in another order (hand-made, or hostile) would
 * read a window per file; after a few reads per window the whole column moves back into memory,
 * so such an archive costs what it did before the spill, not a read per file.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockError } from '../errors.js';
import { ownedTempPath, releaseTemp } from '../fs/owned-temp.js';

export const DIGEST_BYTES = 32;
/** Digests per window: 64 KiB, read and checked as one. */
export const WINDOW_DIGESTS = 2048;
const WINDOW_BYTES = WINDOW_DIGESTS * DIGEST_BYTES;
/** Window reads allowed per window (plus a constant) before the column moves into memory: an in-order verify reads each twice. */
const READS_PER_WINDOW = 4;
const READS_SLACK = 64;
/** A manifest listing fewer files keeps its digests in memory (2 MiB at most): the small-file commands never touch the spill. */
export const SPILL_MIN_FILES = 65_536;

export interface DigestColumn {
  /** Digests held. */
  readonly length: number;
  /** Append the next digest, given as 64 lowercase hex characters (checked by the caller). */
  appendHex(hex: string): void;
  /** Digest `ordinal`: 32 bytes, a view valid until the next call on this column. */
  at(ordinal: number): Buffer;
  /** Frees the column (a spill's file); idempotent. Nothing is read after. */
  release(): void;
  /** Whether the digests are in a file rather than in memory (for tests and the design notes' measurements). */
  readonly spilled: boolean;
}

export class MemoryDigests implements DigestColumn {
  private bytes: Buffer;
  private count = 0;
  readonly spilled = false;

  /** @param capacity digests expected (it grows beyond, by doubling). */
  constructor(capacity = 1024) {
    this.bytes = Buffer.alloc(Math.max(1, capacity) * DIGEST_BYTES);
  }

  get length(): number {
    return this.count;
  }

  appendHex(hex: string): void {
    this.room();
    this.bytes.write(hex, this.count * DIGEST_BYTES, DIGEST_BYTES, 'hex');
    this.count += 1;
  }

  /** Append raw digests (whole multiples of 32 bytes). */
  appendRaw(digests: Uint8Array): void {
    for (let at = 0; at < digests.length; at += DIGEST_BYTES) {
      this.room();
      this.bytes.set(digests.subarray(at, at + DIGEST_BYTES), this.count * DIGEST_BYTES);
      this.count += 1;
    }
  }

  at(ordinal: number): Buffer {
    checkOrdinal(ordinal, this.count);
    return this.bytes.subarray(ordinal * DIGEST_BYTES, (ordinal + 1) * DIGEST_BYTES);
  }

  release(): void {
    // Memory only: the garbage collector takes it with the index.
  }

  private room(): void {
    if ((this.count + 1) * DIGEST_BYTES <= this.bytes.length) return;
    const bytes = Buffer.alloc(this.bytes.length * 2);
    this.bytes.copy(bytes);
    this.bytes = bytes;
  }
}

export class SpilledDigests implements DigestColumn {
  private count = 0;
  /** The window being appended to (window `count / WINDOW_DIGESTS`, rounded down): written out when full. */
  private readonly filling = Buffer.allocUnsafe(WINDOW_BYTES);
  /** SHA-256 of each window written out, in window order. */
  private hashes = Buffer.allocUnsafe(64 * DIGEST_BYTES);
  private readonly reading = Buffer.allocUnsafe(WINDOW_BYTES);
  private readingWindow = -1;
  private reads = 0;
  /** Set when the column moved into memory (reads out of manifest order). */
  private memory: MemoryDigests | null = null;
  /** The spill's descriptor; null once it is closed (moved into memory, or released). */
  private fd: number | null;
  private released = false;

  private constructor(
    fd: number,
    /** The spill's name while it could not be unlinked (removed when closed), else null. */
    private readonly named: string | null,
  ) {
    this.fd = fd;
  }

  /** A spill in `dir` (made 0700 if missing); throws when it cannot be made (openDigestColumn falls back to memory). */
  static open(dir: string): SpilledDigests {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = ownedTempPath(join(dir, 'payload-digests'));
    const fd = openSync(path, 'wx+', 0o600);
    let named: string | null = null;
    try {
      unlinkSync(path);
      releaseTemp(path);
    } catch {
      named = path;
    }
    return new SpilledDigests(fd, named);
  }

  get length(): number {
    return this.memory?.length ?? this.count;
  }

  get spilled(): boolean {
    return this.fd !== null;
  }

  appendHex(hex: string): void {
    this.live();
    if (this.memory) {
      this.memory.appendHex(hex);
      return;
    }
    const fd = this.descriptor();
    this.filling.write(hex, (this.count % WINDOW_DIGESTS) * DIGEST_BYTES, DIGEST_BYTES, 'hex');
    this.count += 1;
    if (this.count % WINDOW_DIGESTS !== 0) return;
    const window = this.count / WINDOW_DIGESTS - 1;
    writeFully(fd, this.filling, window * WINDOW_BYTES);
    if ((window + 1) * DIGEST_BYTES > this.hashes.length) {
      const hashes = Buffer.allocUnsafe(this.hashes.length * 2);
      this.hashes.copy(hashes);
      this.hashes = hashes;
    }
    createHash('sha256')
      .update(this.filling)
      .digest()
      .copy(this.hashes, window * DIGEST_BYTES);
    // The window just written may be the one held for reading: it is read again from the file.
    if (this.readingWindow === window) this.readingWindow = -1;
  }

  at(ordinal: number): Buffer {
    this.live();
    if (this.memory) return this.memory.at(ordinal);
    checkOrdinal(ordinal, this.count);
    const window = Math.floor(ordinal / WINDOW_DIGESTS);
    const at = (ordinal % WINDOW_DIGESTS) * DIGEST_BYTES;
    if (window === Math.floor(this.count / WINDOW_DIGESTS)) return this.filling.subarray(at, at + DIGEST_BYTES);
    if (window !== this.readingWindow) {
      this.reads += 1;
      if (this.reads > READS_PER_WINDOW * this.windowsWritten() + READS_SLACK) return this.intoMemory().at(ordinal);
      this.readWindow(window, this.reading);
      this.readingWindow = window;
    }
    return this.reading.subarray(at, at + DIGEST_BYTES);
  }

  release(): void {
    this.released = true;
    this.memory = null;
    this.closeFile();
  }

  private closeFile(): void {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    closeSync(fd);
    if (this.named !== null) {
      try {
        unlinkSync(this.named);
        releaseTemp(this.named);
      } catch {
        // Left for the station home's sweep of dead temp files (its name proves whose it was).
      }
    }
  }

  private live(): void {
    if (this.released) throw new AirlockError('INTERNAL', 'The manifest digests were read after they were released.');
  }

  private windowsWritten(): number {
    return Math.floor(this.count / WINDOW_DIGESTS);
  }

  private descriptor(): number {
    if (this.fd === null) throw new AirlockError('INTERNAL', 'The digest spill was used after it was closed.');
    return this.fd;
  }

  /** Window `window` read into `into` and checked against the hash of what was written. */
  private readWindow(window: number, into: Buffer): void {
    readFully(this.descriptor(), into, window * WINDOW_BYTES);
    const hash = createHash('sha256').update(into).digest();
    if (!hash.equals(this.hashes.subarray(window * DIGEST_BYTES, (window + 1) * DIGEST_BYTES))) {
      throw new AirlockError('INTERNAL', 'The spilled manifest digests changed on disk since they were written; nothing was accepted from them.');
    }
  }

  /** The archive is not in manifest order: every window read (and checked) once into memory, the file closed. */
  private intoMemory(): MemoryDigests {
    const memory = new MemoryDigests(this.count);
    const window = Buffer.allocUnsafe(WINDOW_BYTES);
    for (let each = 0; each < this.windowsWritten(); each += 1) {
      this.readWindow(each, window);
      memory.appendRaw(window);
    }
    memory.appendRaw(this.filling.subarray(0, (this.count % WINDOW_DIGESTS) * DIGEST_BYTES));
    this.closeFile();
    this.memory = memory;
    return memory;
  }
}

/** Where a large manifest's digests may go: a folder of the station's own, and from how many files (SPILL_MIN_FILES; tests give less). */
export interface DigestSpill {
  dir: string;
  minFiles?: number | undefined;
}

/**
 * The column for a manifest of `lines` lines: spilled when a spill is offered and the manifest is
 * large, else in memory. A spill that cannot be made (no room, no permission) is not a reason to
 * refuse a bundle: the digests are then kept in memory, as before spills existed.
 */
export function openDigestColumn(lines: number, spill: DigestSpill | undefined): DigestColumn {
  if (spill !== undefined && lines >= (spill.minFiles ?? SPILL_MIN_FILES)) {
    try {
      return SpilledDigests.open(spill.dir);
    } catch {
      // Fall through: memory.
    }
  }
  return new MemoryDigests(lines + 1);
}

function checkOrdinal(ordinal: number, count: number): void {
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= count) throw new RangeError(`no listed file #${ordinal}`);
}

function writeFully(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

function readFully(fd: number, into: Buffer, position: number): void {
  for (let done = 0; done < into.length;) {
    const read = readSync(fd, into, done, into.length - done, position + done);
    if (read === 0) throw new AirlockError('INTERNAL', 'The spilled manifest digests are shorter than written; nothing was accepted from them.');
    done += read;
  }
}
