import { PAYLOAD_DIR } from '../../bundle/format.js';
import { TarGuard, type GuardEntry } from '../../bundle/tar-guard.js';

/**
 * A bundle file's tar headers, read ahead of verify's walk with positional reads: by the scout
 * (payload-scout.ts) and by the warm lane's peek at the first payload file (warm-lane-worker.ts).
 * A TarGuard of its own sees the header bytes (the guard never looks inside an entry's data, so it
 * finds the walk's entries), an entry's data beyond what was read is skipped unread, and the bag's
 * top folder is taken from the first entry, so a caller can tell the payload files. How and how far
 * it reads (synchronously or not, with what buffer) is the caller's.
 */
export class TarHeaderWalk {
  private readonly guard = new TarGuard();
  private top: string | null = null;
  /** Where the next read starts: past the bytes read and the data skipped. */
  offset = 0;

  /** The archive's end marker was read. */
  get ended(): boolean {
    return this.guard.ended;
  }

  /** The guard refused a header: the walk stops here and verify's own pass reports it. */
  get failed(): boolean {
    return this.guard.failure !== null;
  }

  /** Bytes of the last entry's data (and padding) beyond what was read. */
  get pendingData(): number {
    return this.guard.pendingData;
  }

  /** The entries whose headers `bytes`, read at `offset`, completed (none once the walk failed). */
  read(bytes: Buffer): GuardEntry[] {
    // A copy: the guard keeps pieces of meta headers across reads, and the caller reads into its buffer again.
    this.guard.write(Buffer.from(bytes));
    if (this.failed) return [];
    this.offset += bytes.length;
    const entries = this.guard.entries.splice(0);
    this.top ??= entries[0]?.path.split('/')[0] ?? null;
    return entries;
  }

  /** A regular file under `TOP/data/`. */
  isPayloadFile(entry: GuardEntry): boolean {
    return entry.kind === 'file' && entry.path.startsWith(`${this.top}/${PAYLOAD_DIR}/`);
  }

  /** Skip the pending data unread: the next read starts past it. */
  skipPendingData(): void {
    const pending = this.guard.pendingData;
    if (pending === 0) return;
    this.guard.skipData(pending);
    this.offset += pending;
  }
}
