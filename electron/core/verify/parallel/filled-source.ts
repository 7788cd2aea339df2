/**
 * The byte stream verify's walk reads when the payload is hashed on both cores (claim-book.ts):
 * the bundle file, read with positional reads on the one shared descriptor, except that the data
 * of a claimed entry reads as zeros. The walk's tar readers (TarGuard and node-tar) never look
 * inside a regular file's data, so they read the same entries either way; the claimed bytes
 * themselves are hashed by the lanes, from the file.
 */
import { fstat, type Stats } from 'node:fs';
import { Readable } from 'node:stream';
import { readAt } from '../../crypto/range-hash.js';
import type { ClaimBook } from './claim-book.js';
import { ReadInFlight } from './read-in-flight.js';

/** Real bytes are read in pieces of this size (as the sequential verify's stream: steps/open-bundle.ts says why not larger). */
const READ_BYTES = 1 << 18;
/** Claimed data is handed on in views of one buffer of zeros, never written to. */
const ZEROS = Buffer.alloc(1 << 20);

/** Whether a chunk of the stream stands for claimed data (not counted as bytes read: the lanes count those as they hash them). */
export function isFiller(chunk: Buffer): boolean {
  return chunk.buffer === ZEROS.buffer;
}

export class FilledSource extends Readable {
  private position = 0;
  private readonly inFlight = new ReadInFlight(this);
  /** The file's size when last asked (asked again only when a claim seems to reach past it). */
  private knownSize = -1;
  /** Bytes handed on as zeros so far (claimed data the walk did not read from the file). */
  filledBytes = 0;

  constructor(
    private readonly fd: number,
    private readonly book: ClaimBook,
  ) {
    super({ highWaterMark: READ_BYTES });
  }

  /** Resolves once no read of this stream is in flight (the descriptor may then be closed). */
  settled(): Promise<void> {
    return this.inFlight.settled();
  }

  override _read(): void {
    if (this.inFlight.busy) return;
    this.inFlight.start(() => this.next());
  }

  private async next(): Promise<void> {
    const at = this.position;
    await this.book.decided(at);
    if (this.destroyed) return;
    const claim = this.book.claimAt(at);
    if (claim) {
      claim.filled = true;
      const wanted = Math.min(claim.end - at, ZEROS.length);
      this.book.reserve(at + wanted);
      // Past the file's end nothing is filled: the stream ends where the file does (a truncated archive stays truncated).
      if (this.knownSize < at + wanted) this.knownSize = (await fstatOf(this.fd)).size;
      const bytes = Math.max(0, Math.min(wanted, this.knownSize - at));
      if (this.destroyed) return;
      this.position = at + bytes;
      if (bytes === 0) this.push(null);
      else {
        this.filledBytes += bytes;
        this.push(ZEROS.subarray(0, bytes));
      }
      return;
    }
    const until = Math.min(at + READ_BYTES, this.book.realUntil(at));
    this.book.reserve(until);
    const buffer = Buffer.allocUnsafe(until - at);
    const bytes = await readAt(this.fd, buffer, buffer.length, at);
    if (this.destroyed) return;
    this.position = at + bytes;
    if (bytes === 0) this.push(null);
    else this.push(bytes === buffer.length ? buffer : buffer.subarray(0, bytes));
  }
}

function fstatOf(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats))));
}
