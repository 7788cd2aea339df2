/**
 * The read-back of a bundle written in one pass (export/one-pass-write.ts): its records were written
 * by position, so no SHA-256 of the whole file in order exists to compare with. Instead every byte
 * read back is checked against what it must be, region by region, in file order: the tag section's
 * bytes as written, each record's header as encoded, each payload against its digest in the signed
 * manifest, padding and the end-of-archive blocks as zeros. The regions cover the file without a
 * gap, so one flipped byte anywhere fails the check, and the file must end where the last region does.
 */
import { createHash, type Hash } from 'node:crypto';
import { describeReadBackRegion, type ReadBackRegion } from '../../../../shared/read-back-region.js';

export type ExpectedRegion =
  /** Exactly these bytes (tag files, record headers). */
  | { kind: 'bytes'; bytes: Buffer; region: ReadBackRegion }
  /** `length` zero bytes (padding, end-of-archive). */
  | { kind: 'zeros'; length: number; region: ReadBackRegion }
  /** `length` bytes whose SHA-256 is `sha256` (a payload file, the manifest). */
  | { kind: 'sha256'; length: number; sha256: string; region: ReadBackRegion };

/** The first region that read back otherwise: where it is and what it holds. */
export interface RegionMismatch {
  offset: number;
  length: number;
  /** The region, for the app to word in the operator's language. */
  region: ReadBackRegion;
  /** The region in English (the CLI, the error message, the audit row). */
  what: string;
}

function mismatchAt(offset: number, length: number, region: ReadBackRegion): RegionMismatch {
  return { offset, length, region, what: describeReadBackRegion(region) };
}

function lengthOf(region: ExpectedRegion): number {
  return region.kind === 'bytes' ? region.bytes.length : region.length;
}

/**
 * Feed the bytes read back in order (`update`), then `finish()`: null when every region held what
 * it must and the file ended with the last one, else the first region that did not. Memory stays
 * flat: regions are taken from the iterator as the bytes reach them.
 */
export class RegionCheck {
  private readonly regions: Iterator<ExpectedRegion>;
  private current: ExpectedRegion | null = null;
  /** Where the current region starts in the file, and how much of it has been seen. */
  private start = 0;
  private seen = 0;
  private hash: Hash | null = null;
  private mismatch: RegionMismatch | null = null;
  /** Bytes past the last region (the file is longer than what was written). */
  private extra = 0;

  constructor(regions: Iterable<ExpectedRegion>) {
    this.regions = regions[Symbol.iterator]();
    this.advance();
  }

  /** Check `chunk`, the next bytes of the file (not kept: the caller may reuse its buffer). */
  update(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const region = this.current;
      if (!region) {
        this.extra += chunk.length - at;
        return;
      }
      const take = Math.min(chunk.length - at, lengthOf(region) - this.seen);
      if (this.mismatch === null) this.check(region, chunk.subarray(at, at + take));
      at += take;
      this.seen += take;
      if (this.seen === lengthOf(region)) this.close(region);
    }
  }

  /** The verdict once the whole file has been fed. */
  finish(): RegionMismatch | null {
    if (this.mismatch) return this.mismatch;
    if (this.current) {
      // The file ended inside (or before) a region: it is shorter than what was written.
      return mismatchAt(this.start + this.seen, lengthOf(this.current) - this.seen, { ...this.current.region, endsEarly: true });
    }
    if (this.extra > 0) return mismatchAt(this.start, this.extra, { part: 'past-end', path: null });
    return null;
  }

  private check(region: ExpectedRegion, piece: Buffer): void {
    if (region.kind === 'sha256') {
      this.hash ??= createHash('sha256');
      this.hash.update(piece);
      return;
    }
    const ok = region.kind === 'bytes' ? piece.equals(region.bytes.subarray(this.seen, this.seen + piece.length)) : isZero(piece);
    if (!ok) this.fail(region);
  }

  private close(region: ExpectedRegion): void {
    if (region.kind === 'sha256' && this.mismatch === null) {
      const digest = (this.hash ?? createHash('sha256')).digest('hex');
      if (digest !== region.sha256) this.fail(region);
    }
    this.hash = null;
    this.start += lengthOf(region);
    this.seen = 0;
    this.advance();
  }

  private fail(region: ExpectedRegion): void {
    this.mismatch ??= mismatchAt(this.start, lengthOf(region), region.region);
  }

  private advance(): void {
    // Empty regions (an empty file's payload, no padding) hold nothing to check.
    for (;;) {
      const next = this.regions.next();
      if (next.done) {
        this.current = null;
        return;
      }
      if (lengthOf(next.value) > 0) {
        this.current = next.value;
        return;
      }
    }
  }
}

const ZEROS = Buffer.alloc(64 * 1024);

function isZero(piece: Buffer): boolean {
  for (let at = 0; at < piece.length; at += ZEROS.length) {
    const part = piece.subarray(at, Math.min(piece.length, at + ZEROS.length));
    if (!part.equals(ZEROS.subarray(0, part.length))) return false;
  }
  return true;
}
