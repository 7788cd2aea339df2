/**
 * Bytes appended into 1 MiB blocks, addressed by (block, start): the store behind the compact
 * per-file tables (verify/path-table.ts, export/source-list.ts), which keep names as UTF-8 here
 * instead of one string per file, so a million names cost their bytes and a few block headers.
 * `reserve` returns the block and leaves the place in `blockIndex` and `start`, without an object
 * per call: it runs once per file on the paths these tables exist to keep small.
 */
/** Bytes of one block; a longer run (a path may be 64 KiB) gets a block of its own. */
const BLOCK_BYTES = 1 << 20;

export class ByteBlocks {
  private readonly blocks: Buffer[] = [];
  private used = BLOCK_BYTES;
  /** Where the last `reserve` put its bytes. */
  blockIndex = -1;
  start = 0;

  /** Room for `bytes` more bytes (a new block when the last is full): the block to write into at `start`. */
  reserve(bytes: number): Buffer {
    let block = this.blocks.at(-1);
    if (block === undefined || this.used + bytes > block.length) {
      block = Buffer.allocUnsafe(Math.max(BLOCK_BYTES, bytes));
      this.blocks.push(block);
      this.used = 0;
    }
    this.blockIndex = this.blocks.length - 1;
    this.start = this.used;
    this.used += bytes;
    return block;
  }

  block(index: number): Buffer {
    const block = this.blocks[index];
    if (block === undefined) throw new RangeError(`No byte block ${String(index)}`);
    return block;
  }
}

/** `to` holding `from`'s values at the start: how the tables' typed-array columns grow. */
export function grown<T extends Uint32Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
