/**
 * The signed SHA-256 of every listed file, in manifest order: 32 bytes a file, appended as the
 * manifest is parsed and read back by ordinal as the archive delivers the files (and once more
 * for the audit rows). A million files hold 32 MB of digests, the largest part of a verify's or
 * an import's index (design-notes, rss1m and rssspill), and resident to the last page.
 *
 * Two stores behind one interface. `MemoryDigests` keeps them in one growing buffer (a small
 * manifest; split bundles, standard input and callers without a station). `SpilledDigests`
 * keeps them in a checked spill file of the station's spool (compact/spill-windows.ts) and holds
 * one 64 KiB window for appending and one for reading: Airlock's export writes the archive in
 * manifest order, so the walk and the rows each read the file once, front to back, from the page
 * cache. An archive in another order (hand-made, or hostile) would read a window per file; after
 * a few reads per window the whole column moves back into memory, so such an archive costs what
 * it did before the spill, not a read per file.
 */
import { AirlockError } from '../errors.js';
import { DIGEST_BYTES, readBudget, SpillWindows, WINDOW_BYTES, WINDOW_DIGESTS } from './spill-windows.js';

export { DIGEST_BYTES, WINDOW_DIGESTS } from './spill-windows.js';
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
  private readonly reading = Buffer.allocUnsafe(WINDOW_BYTES);
  private readingWindow = -1;
  private reads = 0;
  /** Set when the column moved into memory (reads out of manifest order). */
  private memory: MemoryDigests | null = null;
  private released = false;

  private constructor(private readonly file: SpillWindows) {}

  /** A spill in `dir` (made 0700 if missing); throws when it cannot be made (openDigestColumn falls back to memory). */
  static open(dir: string): SpilledDigests {
    return new SpilledDigests(SpillWindows.open(dir, 'payload-digests'));
  }

  get length(): number {
    return this.memory?.length ?? this.count;
  }

  get spilled(): boolean {
    return this.file.open;
  }

  appendHex(hex: string): void {
    this.live();
    if (this.memory) {
      this.memory.appendHex(hex);
      return;
    }
    this.filling.write(hex, (this.count % WINDOW_DIGESTS) * DIGEST_BYTES, DIGEST_BYTES, 'hex');
    this.count += 1;
    if (this.count % WINDOW_DIGESTS !== 0) return;
    const window = this.count / WINDOW_DIGESTS - 1;
    this.file.write(window, this.filling);
    // The window just written may be the one held for reading: it is read again from the file.
    if (this.readingWindow === window) this.readingWindow = -1;
  }

  at(ordinal: number): Buffer {
    this.live();
    if (this.memory) return this.memory.at(ordinal);
    checkOrdinal(ordinal, this.count);
    const window = Math.floor(ordinal / WINDOW_DIGESTS);
    const at = (ordinal % WINDOW_DIGESTS) * DIGEST_BYTES;
    if (window === this.windowsWritten()) return this.filling.subarray(at, at + DIGEST_BYTES);
    if (window !== this.readingWindow) {
      this.reads += 1;
      if (this.reads > readBudget(this.windowsWritten())) return this.intoMemory().at(ordinal);
      this.file.read(window, this.reading);
      this.readingWindow = window;
    }
    return this.reading.subarray(at, at + DIGEST_BYTES);
  }

  release(): void {
    this.released = true;
    this.memory = null;
    this.file.close();
  }

  private live(): void {
    if (this.released) throw new AirlockError('INTERNAL', 'The manifest digests were read after they were released.');
  }

  private windowsWritten(): number {
    return Math.floor(this.count / WINDOW_DIGESTS);
  }

  /** The archive is not in manifest order: every window read (and checked) once into memory, the file closed. */
  private intoMemory(): MemoryDigests {
    const memory = new MemoryDigests(this.count);
    const window = Buffer.allocUnsafe(WINDOW_BYTES);
    for (let each = 0; each < this.windowsWritten(); each += 1) {
      this.file.read(each, window);
      memory.appendRaw(window);
    }
    memory.appendRaw(this.filling.subarray(0, (this.count % WINDOW_DIGESTS) * DIGEST_BYTES));
    this.file.close();
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
