/**
 * One SHA-256 per file of a known count, held as 32 raw bytes each in one buffer rather than as a
 * 64-character string (plus the object around it) per file on the V8 heap. The one-pass export
 * kept a `{ sha256, size }` object per file until the bundle was signed: for 200,000 files that
 * was ~33 MB of live heap (issue #18). A digest read back (`hexAt`) is a new, short-lived string.
 */
const DIGEST_BYTES = 32;
const HEX_DIGEST = /^[0-9a-f]{64}$/u;

export class DigestTable {
  private readonly bytes: Buffer;
  /** 1 where a digest was set: a file never hashed must not read back as 32 zero bytes. */
  private readonly present: Uint8Array;

  constructor(readonly length: number) {
    this.bytes = Buffer.alloc(length * DIGEST_BYTES);
    this.present = new Uint8Array(length);
  }

  /** Set file `index`'s digest (lowercase hex, as sha256Hex gives it). */
  set(index: number, sha256Hex: string): void {
    this.check(index);
    // Buffer.write('hex') stops silently at the first bad pair: a malformed digest must not half-land.
    if (!HEX_DIGEST.test(sha256Hex)) throw new RangeError(`not a lowercase SHA-256 digest: ${JSON.stringify(sha256Hex)}`);
    this.bytes.write(sha256Hex, index * DIGEST_BYTES, DIGEST_BYTES, 'hex');
    this.present[index] = 1;
  }

  has(index: number): boolean {
    this.check(index);
    return this.present[index] === 1;
  }

  /** File `index`'s digest as lowercase hex; throws if it was never set. */
  hexAt(index: number): string {
    if (!this.has(index)) throw new RangeError(`no digest for file #${index}`);
    return this.bytes.toString('hex', index * DIGEST_BYTES, (index + 1) * DIGEST_BYTES);
  }

  /** The index of the first file without a digest, or -1 when every file has one. */
  firstMissing(): number {
    return this.present.indexOf(0);
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) throw new RangeError(`no file #${index} (of ${this.length})`);
  }
}
