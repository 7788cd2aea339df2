/**
 * One SHA-256 per file of a known count, held as 32 raw bytes each rather than as a 64-character
 * string (plus the object around it) per file on the V8 heap. The one-pass export kept a
 * `{ sha256, size }` object per file until the bundle was signed: for 200,000 files that was
 * ~33 MB of live heap (issue #18). A digest read back (`hexAt`) is a new, short-lived string.
 *
 * Two stores. `MemoryDigestTable`: one buffer (a small export, or no spool). `SpilledDigestTable`
 * (a large export with the station's spool): the record lanes set digests nearly in file order
 * (two lanes take batches of a few hundred files from one queue), so a 64 KiB window of 2,048
 * digests is held only until all of its digests are set, then written to a checked spill file
 * (compact/spill-windows.ts); the manifest writer and the audit rows read them back in order, a
 * window at a time. A lane held up by one large file keeps its window (and those after it that
 * the other lane filled) open: memory then grows towards what one buffer costs, never beyond.
 */
import { AirlockError } from '../errors.js';
import { DIGEST_BYTES, readBudget, SpillWindows, WINDOW_BYTES, WINDOW_DIGESTS } from '../compact/spill-windows.js';

const HEX_DIGEST = /^[0-9a-f]{64}$/u;
/** An export of fewer files keeps its digests in memory (2 MiB at most): the small-file rows never touch the spill. */
export const TABLE_SPILL_MIN_FILES = 65_536;

export interface DigestTable {
  readonly length: number;
  /** Set file `index`'s digest (lowercase hex, as sha256Hex gives it). */
  set(index: number, sha256Hex: string): void;
  has(index: number): boolean;
  /** File `index`'s digest as lowercase hex; throws if it was never set. */
  hexAt(index: number): string;
  /** The index of the first file without a digest, or -1 when every file has one. */
  firstMissing(): number;
  /** The digests are not read again: a spill's file is closed. Idempotent. */
  release(): void;
  /** Whether the digests are in a spill file (tests, measurements). */
  readonly spilled: boolean;
}

/** Where a large export's digests may go: the station's spool, and from how many files (TABLE_SPILL_MIN_FILES; tests give less). */
export interface TableSpill {
  dir: string;
  minFiles?: number | undefined;
}

/** A table for `length` files: spilled when a spill is offered and the export is large; in memory when the spill cannot be made. */
export function openDigestTable(length: number, spill?: TableSpill): DigestTable {
  if (spill !== undefined && length >= (spill.minFiles ?? TABLE_SPILL_MIN_FILES)) {
    try {
      return new SpilledDigestTable(length, SpillWindows.open(spill.dir, 'export-digests'));
    } catch {
      // No room or no permission in the spool: the digests stay in memory, as before spills.
    }
  }
  return new MemoryDigestTable(length);
}

abstract class CheckedTable {
  /** 1 where a digest was set: a file never hashed must not read back as 32 zero bytes. */
  protected readonly present: Uint8Array;

  constructor(readonly length: number) {
    this.present = new Uint8Array(length);
  }

  has(index: number): boolean {
    this.check(index);
    return this.present[index] === 1;
  }

  firstMissing(): number {
    return this.present.indexOf(0);
  }

  protected checkSet(index: number, sha256Hex: string): void {
    this.check(index);
    // Buffer.write('hex') stops silently at the first bad pair: a malformed digest must not half-land.
    if (!HEX_DIGEST.test(sha256Hex)) throw new RangeError(`not a lowercase SHA-256 digest: ${JSON.stringify(sha256Hex)}`);
  }

  protected checkGet(index: number): void {
    if (!this.has(index)) throw new RangeError(`no digest for file #${index}`);
  }

  protected check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new RangeError(`no file #${index} (of ${this.length})`);
  }
}

export class MemoryDigestTable extends CheckedTable implements DigestTable {
  private readonly bytes: Buffer;
  readonly spilled = false;

  constructor(length: number) {
    super(length);
    this.bytes = Buffer.alloc(length * DIGEST_BYTES);
  }

  set(index: number, sha256Hex: string): void {
    this.checkSet(index, sha256Hex);
    this.bytes.write(sha256Hex, index * DIGEST_BYTES, DIGEST_BYTES, 'hex');
    this.present[index] = 1;
  }

  hexAt(index: number): string {
    this.checkGet(index);
    return this.bytes.toString('hex', index * DIGEST_BYTES, (index + 1) * DIGEST_BYTES);
  }

  release(): void {
    // Memory only: the garbage collector takes it with the table.
  }
}

export class SpilledDigestTable extends CheckedTable implements DigestTable {
  /** Windows not yet complete, by number, with how many of their digests are set. */
  private readonly pending = new Map<number, { bytes: Buffer; set: number }>();
  private readonly reading = Buffer.allocUnsafe(WINDOW_BYTES);
  private readingWindow = -1;
  private reads = 0;
  /** Set when the table moved into memory (read far out of order). */
  private memory: Buffer | null = null;
  private released = false;

  constructor(
    length: number,
    private readonly file: SpillWindows,
  ) {
    super(length);
  }

  get spilled(): boolean {
    return this.file.open;
  }

  /** Windows held in memory until their last digest is set (tests: set in file order, at most one or two). */
  get pendingWindows(): number {
    return this.pending.size;
  }

  set(index: number, sha256Hex: string): void {
    this.checkSet(index, sha256Hex);
    this.live();
    if (this.memory) {
      this.memory.write(sha256Hex, index * DIGEST_BYTES, DIGEST_BYTES, 'hex');
      this.present[index] = 1;
      return;
    }
    const window = Math.floor(index / WINDOW_DIGESTS);
    const at = (index % WINDOW_DIGESTS) * DIGEST_BYTES;
    let open = this.pending.get(window);
    if (open === undefined && this.present[index] === 1) {
      // Set again after its window was written (the lanes never do; kept exact all the same): rewrite the window.
      const bytes = Buffer.allocUnsafe(this.windowBytes(window));
      this.file.read(window, bytes);
      bytes.write(sha256Hex, at, DIGEST_BYTES, 'hex');
      this.file.write(window, bytes);
      if (this.readingWindow === window) this.readingWindow = -1;
      return;
    }
    if (open === undefined) {
      open = { bytes: Buffer.allocUnsafe(this.windowBytes(window)), set: 0 };
      this.pending.set(window, open);
    }
    open.bytes.write(sha256Hex, at, DIGEST_BYTES, 'hex');
    if (this.present[index] !== 1) open.set += 1;
    this.present[index] = 1;
    if (open.set * DIGEST_BYTES === open.bytes.length) {
      this.file.write(window, open.bytes);
      this.pending.delete(window);
      if (this.readingWindow === window) this.readingWindow = -1;
    }
  }

  hexAt(index: number): string {
    this.checkGet(index);
    this.live();
    if (this.memory) return this.memory.toString('hex', index * DIGEST_BYTES, (index + 1) * DIGEST_BYTES);
    const window = Math.floor(index / WINDOW_DIGESTS);
    const at = (index % WINDOW_DIGESTS) * DIGEST_BYTES;
    const open = this.pending.get(window);
    if (open) return open.bytes.toString('hex', at, at + DIGEST_BYTES);
    if (window !== this.readingWindow) {
      this.reads += 1;
      if (this.reads > readBudget(Math.ceil(this.length / WINDOW_DIGESTS)))
        return this.intoMemory().toString('hex', index * DIGEST_BYTES, (index + 1) * DIGEST_BYTES);
      this.readingWindow = -1;
      this.file.read(window, this.reading.subarray(0, this.windowBytes(window)));
      this.readingWindow = window;
    }
    return this.reading.toString('hex', at, at + DIGEST_BYTES);
  }

  release(): void {
    this.released = true;
    this.memory = null;
    this.pending.clear();
    this.file.close();
  }

  private live(): void {
    if (this.released) throw new AirlockError('INTERNAL', 'The export digests were used after they were released.');
  }

  /** Bytes of window `window`: a whole window, or what is left of the table in the last. */
  private windowBytes(window: number): number {
    return Math.min(WINDOW_DIGESTS, this.length - window * WINDOW_DIGESTS) * DIGEST_BYTES;
  }

  /** Read far out of order: every written window read (and checked) once into one buffer, the file closed. */
  private intoMemory(): Buffer {
    const memory = Buffer.alloc(this.length * DIGEST_BYTES);
    for (let window = 0; window * WINDOW_DIGESTS < this.length; window += 1) {
      const into = memory.subarray(window * WINDOW_BYTES, window * WINDOW_BYTES + this.windowBytes(window));
      const open = this.pending.get(window);
      if (open) open.bytes.copy(into);
      else if (this.windowHasAny(window)) this.file.read(window, into);
    }
    this.pending.clear();
    this.file.close();
    this.memory = memory;
    return memory;
  }

  /** Whether any digest of a window not pending was set, so the window was written. */
  private windowHasAny(window: number): boolean {
    const first = window * WINDOW_DIGESTS;
    return this.present.subarray(first, first + WINDOW_DIGESTS).includes(1);
  }
}
