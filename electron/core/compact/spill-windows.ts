/**
 * A scratch file of fixed-size windows in a folder of the station's own (its spool), each window
 * checked on every read against the SHA-256 of what was written, kept in memory (32 bytes a
 * window): what compact/digest-column.ts and bundle/digest-table.ts keep out of memory at large
 * file counts. The file is unlinked as soon as it is open (POSIX: nothing is left on any path,
 * kill -9 included). Where an open file cannot be unlinked it keeps an owner-stamped temp name
 * (fs/owned-temp.ts), removed on close and, after a kill, by the station home's sweep of dead temp
 * files (design-notes §14). A window read back that differs from what was written is an INTERNAL
 * error, never data: a spill changed on disk is not taken for what was spilled.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockError } from '../errors.js';
import { ownedTempPath, releaseTemp } from '../fs/owned-temp.js';

export const DIGEST_BYTES = 32;
/** Digests per window: 64 KiB, written, read and checked as one. */
export const WINDOW_DIGESTS = 2048;
export const WINDOW_BYTES = WINDOW_DIGESTS * DIGEST_BYTES;

export class SpillWindows {
  /** SHA-256 of each window written, by window number (a window never written holds zeros here and is never read). */
  private hashes = Buffer.alloc(64 * DIGEST_BYTES);
  private fd: number | null;

  private constructor(
    fd: number,
    /** The file's name while it could not be unlinked (removed on close), else null. */
    private readonly named: string | null,
  ) {
    this.fd = fd;
  }

  /** A spill file in `dir` (made 0700 if missing) named after `what`; throws when it cannot be made. */
  static open(dir: string, what: string): SpillWindows {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = ownedTempPath(join(dir, what));
    const fd = openSync(path, 'wx+', 0o600);
    let named: string | null = null;
    try {
      unlinkSync(path);
      releaseTemp(path);
    } catch {
      named = path;
    }
    return new SpillWindows(fd, named);
  }

  get open(): boolean {
    return this.fd !== null;
  }

  /** Write `bytes` (a whole window, or the last one's part) as window `window`, and keep its hash. */
  write(window: number, bytes: Uint8Array): void {
    const fd = this.descriptor();
    const position = window * WINDOW_BYTES;
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    if ((window + 1) * DIGEST_BYTES > this.hashes.length) {
      const hashes = Buffer.alloc(Math.max(this.hashes.length * 2, (window + 1) * DIGEST_BYTES));
      this.hashes.copy(hashes);
      this.hashes = hashes;
    }
    createHash('sha256')
      .update(bytes)
      .digest()
      .copy(this.hashes, window * DIGEST_BYTES);
  }

  /** Window `window`'s first `into.length` bytes (as many as were written), checked against the hash of what was written. */
  read(window: number, into: Uint8Array): void {
    const fd = this.descriptor();
    const position = window * WINDOW_BYTES;
    for (let done = 0; done < into.length;) {
      const read = readSync(fd, into, done, into.length - done, position + done);
      if (read === 0) throw new AirlockError('INTERNAL', 'A spill file of the station is shorter than written; nothing was taken from it.');
      done += read;
    }
    const hash = createHash('sha256').update(into).digest();
    if ((window + 1) * DIGEST_BYTES > this.hashes.length || !hash.equals(this.hashes.subarray(window * DIGEST_BYTES, (window + 1) * DIGEST_BYTES))) {
      throw new AirlockError('INTERNAL', 'A spill file of the station changed on disk since it was written; nothing was taken from it.');
    }
  }

  /** Idempotent. */
  close(): void {
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

  private descriptor(): number {
    if (this.fd === null) throw new AirlockError('INTERNAL', 'A spill file was used after it was closed.');
    return this.fd;
  }
}

/** Window reads allowed per window (plus a constant) before a spill's reader moves what it holds into memory: in order, each is read once or twice. */
export function readBudget(windows: number): number {
  return 4 * windows + 64;
}
