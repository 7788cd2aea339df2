/**
 * Entries read by the tar guard alone, past the point where readTarEntries stops feeding node-tar
 * (its `headersByGuard` option; docs/design-notes.md, "Small-file verify: the walk takes its
 * guard's headers, not the worker's (smallver4)"). The guard (tar-guard.ts) already decides by its own parse what
 * every block is and refuses whatever tar readers would read differently; node-tar's parse was a
 * second reading that had to agree with it. Past the switch, the guard's view (path, kind, size,
 * data offset) is the entry, and its data is cut from the very whole blocks the guard read: one
 * reading decides, on this thread, over the bytes this thread holds.
 *
 * What an entry's reader sees is what node-tar's ReadEntry gave it when fed whole blocks only
 * (whole-blocks.ts): the data of every whole block, the entry ended once its last block (data and
 * padding) has arrived, and a truncation or a refusal reported after the entries before it.
 */
import type { GuardEntry } from './tar-guard.js';
import { BLOCK } from './tar-block.js';

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

/** One entry as the guard read its headers; its data arrives as whole blocks do. */
export class BlockEntry {
  readonly path: string;
  readonly size: number;
  /** node-tar's names for the two kinds the guard admits (entryKind reads them). */
  readonly type: 'File' | 'Directory';
  readonly dataOffset: number;
  /** Where its data and padding end in the archive. */
  readonly end: number;
  /** Every block up to `end` has arrived. */
  whole = false;
  private pieces: Buffer[] = [];
  private received = 0;
  /** Read to the end or dropped: later pieces are not kept. */
  private done = false;
  private error: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(
    view: GuardEntry,
    private readonly onTaken: (bytes: number) => void,
  ) {
    this.path = view.path;
    this.size = view.size;
    this.type = view.kind === 'file' ? 'File' : 'Directory';
    this.dataOffset = view.dataOffset;
    this.end = view.dataOffset + roundUp(view.size, BLOCK);
  }

  add(piece: Buffer): boolean {
    this.received += piece.length;
    if (this.done) return false;
    this.pieces.push(piece);
    this.notify();
    return true;
  }

  complete(): void {
    this.whole = true;
    this.notify();
  }

  /** Reading it fails with `error` once what arrived is read (a truncation, a cancel, a failed source). */
  fail(error: Error): void {
    this.error ??= error;
    this.notify();
  }

  /**
   * Whole and not failed: every piece dropped, and the number of data bytes it held (a reader that
   * needs only to know the entry is whole: the stream lane's worker hashed these very bytes). Else null.
   */
  takeWhole(): number | null {
    if (!this.whole || this.error !== null) return null;
    this.drop();
    return this.received;
  }

  /** readTarEntries' drain after the consumer: whatever was left unread is dropped; resolves once whole. */
  async drained(): Promise<void> {
    this.drop();
    while (!this.whole) {
      if (this.error) throw this.error;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    for (;;) {
      const piece = this.pieces.shift();
      if (piece) {
        this.onTaken(piece.length);
        yield piece;
        continue;
      }
      if (this.whole) {
        this.done = true;
        return;
      }
      if (this.error) throw this.error;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private drop(): void {
    this.done = true;
    let bytes = 0;
    for (const piece of this.pieces) bytes += piece.length;
    this.pieces = [];
    if (bytes > 0) this.onTaken(bytes);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/**
 * The guard's entries past the switch and their data: whole blocks, at their archive offsets, are
 * cut into each entry's data by the offsets the guard computed. Counts the data it holds for the
 * consumer, so the source can be paused (memory stays at a few chunks whatever the file count).
 */
export class GuardFeed {
  /** Entries not yet handed to the consumer, in archive order (next()). */
  private readonly ready: BlockEntry[] = [];
  /** Entries whose last block has not arrived, in archive order. */
  private filling: BlockEntry[] = [];
  /** Data held for the consumer, in bytes, and a header block for each entry not yet handed out (a bundle of empty files holds no data). */
  held = 0;
  private readonly taken = (bytes: number): void => {
    this.held -= bytes;
    this.onTaken();
  };

  constructor(
    /** The archive offset of the next whole block (the switch lies on a header's start). */
    private at: number,
    private readonly onTaken: () => void,
  ) {}

  /** The entries the guard decoded in one write, then the whole blocks of that write, in order. */
  take(views: readonly GuardEntry[], blocks: readonly Buffer[]): void {
    for (const view of views) {
      const entry = new BlockEntry(view, this.taken);
      this.ready.push(entry);
      this.held += BLOCK;
      this.filling.push(entry);
    }
    for (const block of blocks) {
      const from = this.at;
      this.at += block.length;
      for (const entry of this.filling) {
        const start = Math.max(entry.dataOffset, from);
        const stop = Math.min(entry.dataOffset + entry.size, this.at);
        if (start >= this.at) break;
        if (stop > start && entry.add(block.subarray(start - from, stop - from))) this.held += stop - start;
      }
      this.completeUpTo(this.at);
    }
    this.completeUpTo(this.at);
  }

  /** The next entry for the consumer, if its header has arrived. */
  next(): BlockEntry | undefined {
    const entry = this.ready.shift();
    if (entry) this.taken(BLOCK);
    return entry;
  }

  /** The source ended short or failed: every entry not whole fails when its reader gets to the missing part. */
  failOpen(error: Error): void {
    for (const entry of this.filling) entry.fail(error);
  }

  private completeUpTo(at: number): void {
    let done = 0;
    while (done < this.filling.length && (this.filling[done] as BlockEntry).end <= at) {
      (this.filling[done] as BlockEntry).complete();
      done += 1;
    }
    if (done > 0) this.filling = this.filling.slice(done);
  }
}
