/**
 * The signed payload manifest and what the archive delivered against it, in compact form: a
 * bundle may list a million files (policy/limits.ts), and a Map of path to hex string, a Set of
 * the paths seen and an array of `{ path, sha256, size }` objects cost several hundred bytes per
 * file, about half a gigabyte at the limit. Here the paths are UTF-8 bytes in a hash table
 * (path-table.ts: no string per file on the heap), a checksum is 32 bytes in a digest column
 * (compact/digest-column.ts: in memory, or for a large manifest in a spill file of the station's),
 * "seen" is one bit, and the verified files are an ordinal and a size each in typed arrays.
 */

import type { FileStore } from '../bundle/entry-registry.js';
import { collisionKey } from '../bundle/path-rules.js';
import { DIGEST_BYTES, MemoryDigests, type DigestColumn } from '../compact/digest-column.js';
import { PathTable } from './path-table.js';

/** A verified-file list starts with room for this many and doubles when full. */
const FIRST_BLOCK = 1024;

/** /^[0-9a-f]{64}$/ without the expression: every listed file passes here once. */
function isLowerHexDigest(hex: string): boolean {
  if (hex.length !== DIGEST_BYTES * 2) return false;
  for (let at = 0; at < hex.length; at += 1) {
    const code = hex.charCodeAt(at);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

export class PayloadIndex {
  private readonly table: PathTable;
  private readonly digests: DigestColumn;
  private seenBits: Uint8Array;
  private seenTotal = 0;

  /**
   * @param capacity files expected (it grows beyond).
   * @param digests where the checksums go (a spill for a large manifest: openDigestColumn); the index owns it (`release`).
   */
  constructor(capacity = FIRST_BLOCK, digests: DigestColumn = new MemoryDigests(capacity)) {
    this.table = new PathTable(capacity);
    this.digests = digests;
    this.seenBits = new Uint8Array(Math.ceil(Math.max(1, capacity) / 8));
  }

  /** List a file (as a manifest parser reads it: each path once, its checksum lowercase hex). */
  add(path: string, hex: string): void {
    if (!isLowerHexDigest(hex)) throw new Error(`not a lowercase SHA-256 hex digest: ${hex}`);
    if (this.table.add(path, collisionKey(path)) < 0) throw new Error(`listed twice: ${path}`);
    this.digests.appendHex(hex);
    if (this.table.size > this.seenBits.length * 8) {
      const seenBits = new Uint8Array(this.seenBits.length * 2);
      seenBits.set(this.seenBits);
      this.seenBits = seenBits;
    }
  }

  /** Whether the checksums are in a spill file (compact/digest-column.ts) rather than in memory. */
  get digestsSpilled(): boolean {
    return this.digests.spilled;
  }

  /** The checksums are not read again: a spill's file is closed (and removed where it still has a name). Idempotent. */
  release(): void {
    this.digests.release();
  }

  /** Files listed. */
  get size(): number {
    return this.table.size;
  }

  /** Listed files marked seen so far. */
  get seenCount(): number {
    return this.seenTotal;
  }

  /**
   * Listed paths in manifest order, as a new array: for tests and small manifests. Code that may
   * meet a large manifest reads them one at a time (`pathAt`, ordinals 0 to `size` - 1).
   */
  paths(): string[] {
    const paths: string[] = [];
    for (let ordinal = 0; ordinal < this.table.size; ordinal += 1) paths.push(this.table.pathAt(ordinal));
    return paths;
  }

  /** A listed path as the index reads it back (value-equal to `path`), else `path` itself. */
  held(path: string): string {
    const ordinal = this.ordinalOf(path);
    return ordinal < 0 ? path : this.pathAt(ordinal);
  }

  /** Whether the manifest lists `path` (exactly). */
  has(path: string): boolean {
    return this.ordinalOf(path) >= 0;
  }

  /** The ordinal of a listed path (exactly), or -1. */
  ordinalOf(path: string): number {
    return this.table.ordinalOf(path);
  }

  /** The ordinal of the listed path with this collision key (listed paths never share one), or -1. */
  ordinalOfKey(key: string): number {
    return this.table.ordinalOfKey(key);
  }

  pathAt(ordinal: number): string {
    return this.table.pathAt(ordinal);
  }

  /** The signed checksum, as lowercase hex. */
  expectedHex(ordinal: number): string {
    return this.expected(ordinal).toString('hex');
  }

  /** Whether a computed SHA-256 (32 bytes) is the signed one. */
  matches(ordinal: number, digest: Uint8Array): boolean {
    return digest.length === DIGEST_BYTES && this.expected(ordinal).equals(digest);
  }

  /** Mark a listed file as delivered; false when it already was. */
  markSeen(ordinal: number): boolean {
    this.checkOrdinal(ordinal);
    const bit = 1 << (ordinal & 7);
    const at = ordinal >>> 3;
    if (((this.seenBits[at] as number) & bit) !== 0) return false;
    this.seenBits[at] = (this.seenBits[at] as number) | bit;
    this.seenTotal += 1;
    return true;
  }

  seen(ordinal: number): boolean {
    return ((this.seenBits[ordinal >>> 3] as number) & (1 << (ordinal & 7))) !== 0;
  }

  /** Listed paths never marked seen, in manifest order. */
  *unseen(): Generator<string> {
    for (let ordinal = 0; ordinal < this.table.size; ordinal += 1) if (!this.seen(ordinal)) yield this.table.pathAt(ordinal);
  }

  private checkOrdinal(ordinal: number): void {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.table.size) throw new RangeError(`no listed file #${ordinal}`);
  }

  private expected(ordinal: number): Buffer {
    this.checkOrdinal(ordinal);
    return this.digests.at(ordinal);
  }
}

// Made here once: a path cut from the manifest's text is copied where it is kept (bundle/entry-registry.ts).
export { ownCopy } from '../bundle/entry-registry.js';

export interface PayloadRow {
  path: string;
  size: number;
  sha256: string;
}

/** What the audit log records per file: a list that can be read more than once, and its length. */
export interface PayloadRows extends Iterable<PayloadRow> {
  readonly length: number;
  /**
   * The rows are not read again: what they are read from is freed (a verify's digest spill,
   * compact/digest-column.ts). The holder of a verify's rows calls it once done with them.
   */
  release?(): void;
}

/** A size at least this stands for one kept apart (VerifiedPayload.bigSizes). */
const BIG_SIZE = 0xffff_ffff;

/**
 * The verified payload files in archive order: an ordinal into the index and a size each, in
 * typed arrays. Rows are made one at a time when read, for the audit log. Sized from the manifest
 * up front (grown by doubling, the old and new columns lay side by side at a million files), a
 * size as 4 bytes (the rare file of 4 GiB or more kept apart), and no ordinals at all while the
 * archive holds the files in manifest order, as Airlock's export writes them: 4 bytes a file then,
 * 8 when the archive has its own order (it was 12 either way).
 */
export class VerifiedPayload implements PayloadRows {
  /** Ordinals in archive order; null while the i-th file verified is the i-th listed. */
  private order: Uint32Array | null = null;
  private sizes: Uint32Array;
  private readonly bigSizes = new Map<number, number>();
  private count = 0;

  /** @param capacity files expected (the manifest's count; it grows beyond). */
  constructor(
    private readonly index: PayloadIndex,
    capacity = FIRST_BLOCK,
  ) {
    this.sizes = new Uint32Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.count;
  }

  release(): void {
    this.index.release();
  }

  add(ordinal: number, size: number): void {
    if (this.count === this.sizes.length) {
      this.sizes = grownTo(this.sizes, this.sizes.length * 2);
      if (this.order) this.order = grownTo(this.order, this.sizes.length);
    }
    if (this.order === null && ordinal !== this.count) {
      this.order = new Uint32Array(this.sizes.length);
      for (let i = 0; i < this.count; i += 1) this.order[i] = i;
    }
    if (this.order) this.order[this.count] = ordinal;
    if (size >= BIG_SIZE) this.bigSizes.set(this.count, size);
    this.sizes[this.count] = Math.min(size, BIG_SIZE);
    this.count += 1;
  }

  *[Symbol.iterator](): Generator<PayloadRow> {
    for (let i = 0; i < this.count; i += 1) {
      const ordinal = this.order === null ? i : (this.order[i] as number);
      const size = this.sizes[i] as number;
      yield { path: this.index.pathAt(ordinal), size: size === BIG_SIZE ? (this.bigSizes.get(i) as number) : size, sha256: this.index.expectedHex(ordinal) };
    }
  }
}

function grownTo(from: Uint32Array, length: number): Uint32Array {
  const to = new Uint32Array(length);
  to.set(from);
  return to;
}

/**
 * The entries of the archive counted as delivered or refused (so not missing), by path: listed
 * paths as bits in the index; paths the index does not list are not kept (only listed paths are
 * asked about). Paths added before the manifest is authenticated wait in a set until it is.
 */
export class SeenPaths {
  private index: PayloadIndex | null = null;
  private early: Set<string> | null = new Set();

  /** The authenticated manifest: paths added so far are looked up in it. */
  attach(index: PayloadIndex): void {
    this.index = index;
    for (const path of this.early ?? []) this.add(path);
    this.early = null;
  }

  add(path: string): void {
    if (this.index === null) {
      this.early?.add(path);
      return;
    }
    const ordinal = this.index.ordinalOf(path);
    if (ordinal >= 0) this.index.markSeen(ordinal);
  }

  has(path: string): boolean {
    if (this.index === null) return this.early?.has(path) ?? false;
    const ordinal = this.index.ordinalOf(path);
    return ordinal >= 0 && this.index.seen(ordinal);
  }

  /** Listed paths seen (before the manifest is authenticated: paths added). */
  get size(): number {
    return this.index === null ? (this.early?.size ?? 0) : this.index.seenCount;
  }
}

/**
 * A name registry's store while the manifest is parsed (tag-checks.ts): every listed file counts
 * as registered, so the registry keeps no second entry per file. `take` accepts every file; the
 * parser lists each file it accepts right after.
 */
export class ListedFiles implements FileStore {
  constructor(private readonly index: PayloadIndex) {}

  fileAt(key: string): string | undefined {
    const ordinal = this.index.ordinalOfKey(key);
    return ordinal < 0 ? undefined : this.index.pathAt(ordinal);
  }

  take(): boolean {
    return true;
  }
}

/**
 * A name registry's store while the archive is read: the listed files that arrived, one bit each.
 * A file the manifest does not list under that exact name stays in the registry's own map.
 */
export class ArrivedFiles implements FileStore {
  private readonly bits: Uint8Array;

  constructor(private readonly index: PayloadIndex) {
    this.bits = new Uint8Array(Math.ceil(index.size / 8) + 1);
  }

  fileAt(key: string): string | undefined {
    const ordinal = this.index.ordinalOfKey(key);
    return ordinal >= 0 && this.arrived(ordinal) ? this.index.pathAt(ordinal) : undefined;
  }

  take(key: string, path: string): boolean {
    const ordinal = this.index.ordinalOfKey(key);
    if (ordinal < 0 || this.index.ordinalOf(path) !== ordinal) return false;
    this.bits[ordinal >>> 3] = (this.bits[ordinal >>> 3] ?? 0) | (1 << (ordinal & 7));
    return true;
  }

  private arrived(ordinal: number): boolean {
    return ((this.bits[ordinal >>> 3] ?? 0) & (1 << (ordinal & 7))) !== 0;
  }
}

/** No files: what a rejected bundle hands on. */
export const NO_PAYLOAD_ROWS: PayloadRows = Object.freeze([]);
