import type { FileHandle } from 'node:fs/promises';
import { EarlyWriteback } from './early-writeback.js';

/** Small pieces are gathered into buffers of this size before they are written (by default). */
const BATCH_BYTES = 8 << 20;
/** A piece shorter than this is copied before write() resolves: its buffer may then be reused. */
export const COPIED_BELOW_BYTES = 2 << 20;

/**
 * Writes an append-only stream of buffers to a file with exactly one write in flight: the
 * caller prepares (reads, hashes) the next piece while the previous one is being written, and
 * small pieces are batched so 20,000 small files cost a few hundred writes, not 80,000.
 */
export class SequentialWriter {
  private pending: Promise<void> = Promise.resolve();
  private position = 0;
  private batch: Buffer;
  private spare: Buffer;
  private used = 0;

  private readonly writeback: EarlyWriteback;

  /** `batchBytes`: at least COPIED_BELOW_BYTES; two buffers of it are held while writing. */
  constructor(
    private readonly handle: FileHandle,
    private readonly batchBytes = BATCH_BYTES,
  ) {
    if (batchBytes < COPIED_BELOW_BYTES) throw new RangeError(`A batch of ${batchBytes} bytes cannot hold a piece it must copy.`);
    this.batch = Buffer.allocUnsafe(batchBytes);
    this.spare = Buffer.allocUnsafe(batchBytes);
    this.writeback = new EarlyWriteback(handle);
  }

  get bytesWritten(): number {
    return this.position + this.used;
  }

  /**
   * Queue `data`. Resolves when the caller may go on: a small piece has been copied (the caller
   * may reuse its buffer); a large one is being written (the caller must not touch it again).
   */
  async write(data: Buffer): Promise<void> {
    if (data.length >= COPIED_BELOW_BYTES) {
      // Large pieces skip the copy: flush what is batched, then write this one as it is.
      await this.flushBatch();
      await this.enqueue(data);
      return;
    }
    if (this.used + data.length > this.batchBytes) await this.flushBatch();
    data.copy(this.batch, this.used);
    this.used += data.length;
  }

  /** Everything queued is written (not yet fsynced). */
  async finish(): Promise<void> {
    await this.flushBatch();
    await this.pending;
    await this.writeback.settle();
  }

  private async flushBatch(): Promise<void> {
    if (this.used === 0) return;
    const full = this.batch.subarray(0, this.used);
    // The spare buffer was last handed to a write that enqueue() awaits before starting this one.
    await this.enqueue(full);
    [this.batch, this.spare] = [this.spare, this.batch];
    this.used = 0;
  }

  private async enqueue(data: Buffer): Promise<void> {
    await this.pending;
    const at = this.position;
    this.position += data.length;
    this.pending = writeFully(this.handle, data, at).then(() => this.writeback.wrote(data.length));
    // Surface a failure of this write at the next call rather than as an unhandled rejection.
    this.pending.catch(() => undefined);
  }
}

async function writeFully(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position + offset);
    offset += bytesWritten;
  }
}
