import type { FileHandle } from 'node:fs/promises';

/** How much is written before the kernel is asked to start putting it on disk. */
export const EARLY_WRITEBACK_BYTES = 64 << 20;

/**
 * Starts writeback in the background every 64 MiB written (datasync, one at a time), so the
 * disk works while we read and hash the next bytes; the final fsync then only has the tail
 * left. Left alone, Linux holds gigabytes dirty until that final fsync. A failed flush is a
 * failed write: settle() throws it, and nothing retries it into success.
 */
export class EarlyWriteback {
  private inFlight: Promise<void> | null = null;
  private since = 0;
  private failure: unknown = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly every = EARLY_WRITEBACK_BYTES,
  ) {}

  wrote(bytes: number): void {
    this.since += bytes;
    if (this.since < this.every || this.inFlight) return;
    this.since = 0;
    this.inFlight = this.handle
      .datasync()
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.inFlight = null;
      });
  }

  /** Wait for a flush in flight; throw if any flush failed. */
  async settle(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
  }
}
