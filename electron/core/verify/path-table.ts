/**
 * A set of paths, each unique by collision key (bundle/path-rules.ts), numbered in the order they
 * were added, held as UTF-8 bytes rather than as JavaScript strings. A bundle may list a million
 * files: a Map of path strings kept 200,000 strings and the Map's backing store on the V8 heap
 * (~17 MB), all of it surviving every scavenge while the manifest was read, so V8 grew its new
 * space to 32 MB and the CLI's peak RSS followed. Here a path costs its bytes (in 1 MiB blocks that
 * are never copied) and four integers in typed arrays; the lookup is an open-addressing hash table
 * (an Int32Array of ordinals) over the collision key's bytes. The key's hash is not stored (4 bytes
 * a path, 4 MB for a million: rss3): a probe compares lengths, then bytes, and a rehash (only when
 * the table grows past its expected size) hashes the stored keys again. A path read back (`pathAt`) is a
 * new, short-lived string.
 */

import { collisionKey } from '../bundle/path-rules.js';
import { ByteBlocks, grown } from '../compact/byte-blocks.js';

const FIRST_CAPACITY = 1024;
const EMPTY = -1;
/**
 * A lone UTF-16 surrogate: UTF-8 cannot hold it (Buffer writes U+FFFD instead), so two different
 * such names would share bytes. No listed path has one (the manifest is strict UTF-8); a name
 * that does is never listed, rather than taken for the listed path with U+FFFD in its place.
 */
const LONE_SURROGATE = /\p{Cs}/u;

export class PathTable {
  private readonly bytes = new ByteBlocks();
  /** Per ordinal: the block, where its path starts in it, the path's byte length, and the collision key's (0: the key is the path). */
  private blockOf: Uint32Array;
  private startOf: Uint32Array;
  private pathBytes: Uint32Array;
  private keyBytes: Uint32Array;
  /** Open addressing, linear probing: ordinal or EMPTY; never fuller than half. */
  private slots: Int32Array;
  private count = 0;
  /** Where a looked-up key or path is encoded, so a lookup allocates nothing on the heap. */
  private scratch = Buffer.allocUnsafe(4096);
  /**
   * The last key looked up and its answer (an ordinal or EMPTY), until the next add: verify asks
   * about one entry's name four or five times in a row (the registry's check and take, the
   * manifest lookup, the seen mark), and a probe encodes, hashes and compares bytes each time.
   */
  private lastKey: string | null = null;
  private lastOrdinal = EMPTY;
  /** Where lastKey's probe ended and its UTF-8 length (lookUp). */
  private lastSlot = 0;
  private lastKeyLength = 0;
  /** The text whose UTF-8 scratch holds (encode). */
  private scratchHolds: string | null = null;
  /** The last path ordinalOf was asked about and its collision key (a pure function of the path: never stale). */
  private lastPath: string | null = null;
  private lastPathKey = '';

  /** @param capacity paths expected (it grows beyond). */
  constructor(capacity = FIRST_CAPACITY) {
    const room = Math.max(1, capacity);
    this.blockOf = new Uint32Array(room);
    this.startOf = new Uint32Array(room);
    this.pathBytes = new Uint32Array(room);
    this.keyBytes = new Uint32Array(room);
    this.slots = new Int32Array(slotsFor(room)).fill(EMPTY);
  }

  get size(): number {
    return this.count;
  }

  /** Add `path` (its collision key `key`); its ordinal, or -1 when a path with that key is already here. */
  add(path: string, key: string = collisionKey(path)): number {
    if (LONE_SURROGATE.test(path) || (key !== path && LONE_SURROGATE.test(key)))
      throw new Error(`not a Unicode path (lone surrogate): ${JSON.stringify(path)}`);
    // A manifest's path is looked up (the registry's check) just before it is added: that lookup's
    // slot and encoded key still hold while nothing was added and scratch still holds the key.
    const looked = key === this.lastKey && key === this.scratchHolds;
    const keyLength = looked ? this.lastKeyLength : this.encode(key);
    const slot = looked ? this.lastSlot : this.probe(fnv1a(this.scratch, 0, keyLength), keyLength);
    // Whatever the remembered lookup said may change now (and no manifest text stays held here).
    this.lastKey = null;
    this.scratchHolds = null;
    if ((this.slots[slot] as number) !== EMPTY) return -1;
    const ordinal = this.count;
    if (ordinal === this.blockOf.length) this.growRows();
    const pathLength = key === path ? keyLength : Buffer.byteLength(path, 'utf8');
    const keyStored = key === path ? 0 : keyLength;
    const block = this.bytes.reserve(pathLength + keyStored);
    const start = this.bytes.start;
    // Scratch holds the key's bytes: the path's too when it is its own key.
    if (keyStored > 0) {
      this.scratch.copy(block, start + pathLength, 0, keyLength);
      block.write(path, start, pathLength, 'utf8');
    } else this.scratch.copy(block, start, 0, keyLength);
    this.blockOf[ordinal] = this.bytes.blockIndex;
    this.startOf[ordinal] = start;
    this.pathBytes[ordinal] = pathLength;
    this.keyBytes[ordinal] = keyStored;
    this.count += 1;
    if (this.count * 2 > this.slots.length) this.rehash();
    else this.slots[slot] = ordinal;
    return ordinal;
  }

  /** The ordinal of the path with this collision key, or -1. */
  ordinalOfKey(key: string): number {
    if (key === this.lastKey) return this.lastOrdinal;
    if (LONE_SURROGATE.test(key)) return EMPTY;
    const ordinal = this.lookUp(key);
    this.lastKey = key;
    this.lastOrdinal = ordinal;
    return ordinal;
  }

  /** The ordinal of exactly `path`, or -1. */
  ordinalOf(path: string): number {
    if (path !== this.lastPath) {
      this.lastPathKey = collisionKey(path);
      this.lastPath = path;
    }
    const key = this.lastPathKey;
    const ordinal = this.ordinalOfKey(key);
    if (ordinal < 0) return -1;
    // Same key; the same path when the stored path is its own key and so is this one, else compare bytes.
    if (key === path && this.keyBytes[ordinal] === 0) return ordinal;
    const pathLength = this.encode(path);
    return pathLength === this.pathBytes[ordinal] && this.equalsStored(ordinal, 0, pathLength) ? ordinal : -1;
  }

  pathAt(ordinal: number): string {
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= this.count) throw new RangeError(`no listed file #${ordinal}`);
    const start = this.startOf[ordinal] as number;
    return this.bytes.block(this.blockOf[ordinal] as number).toString('utf8', start, start + (this.pathBytes[ordinal] as number));
  }

  /** The key's ordinal or EMPTY, its slot and byte length remembered for an add that follows. */
  private lookUp(key: string): number {
    this.lastKeyLength = this.encode(key);
    this.lastSlot = this.probe(fnv1a(this.scratch, 0, this.lastKeyLength), this.lastKeyLength);
    return this.slots[this.lastSlot] as number;
  }

  /** The slot holding the entry whose key is the first `keyLength` bytes of scratch, else the empty slot where it would go. */
  private probe(hash: number, keyLength: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const ordinal = this.slots[slot] as number;
      if (ordinal === EMPTY) return slot;
      if (this.keyLength(ordinal) === keyLength && this.equalsStored(ordinal, this.keyOffset(ordinal), keyLength)) return slot;
    }
  }

  private keyLength(ordinal: number): number {
    const stored = this.keyBytes[ordinal] as number;
    return stored === 0 ? (this.pathBytes[ordinal] as number) : stored;
  }

  /** Where the key starts, past the path when stored apart from it. */
  private keyOffset(ordinal: number): number {
    return (this.keyBytes[ordinal] as number) === 0 ? 0 : (this.pathBytes[ordinal] as number);
  }

  /** Whether the stored bytes of `ordinal` at `offset` equal the first `length` bytes of scratch. */
  private equalsStored(ordinal: number, offset: number, length: number): boolean {
    const start = (this.startOf[ordinal] as number) + offset;
    return this.bytes.block(this.blockOf[ordinal] as number).compare(this.scratch, 0, length, start, start + length) === 0;
  }

  /** UTF-8 of `text` into scratch; its byte length. */
  private encode(text: string): number {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (text.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(text.length * 3);
    this.scratchHolds = text;
    return this.scratch.write(text, 0, 'utf8');
  }

  private growRows(): void {
    const room = this.blockOf.length * 2;
    this.blockOf = grown(this.blockOf, new Uint32Array(room));
    this.startOf = grown(this.startOf, new Uint32Array(room));
    this.pathBytes = grown(this.pathBytes, new Uint32Array(room));
    this.keyBytes = grown(this.keyBytes, new Uint32Array(room));
  }

  /** A table twice the size, every ordinal placed again by its key's hash, from the stored bytes (keys are unique: no comparing). */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let ordinal = 0; ordinal < this.count; ordinal += 1) {
      const block = this.bytes.block(this.blockOf[ordinal] as number);
      let slot = fnv1a(block, (this.startOf[ordinal] as number) + this.keyOffset(ordinal), this.keyLength(ordinal)) & mask;
      while ((slots[slot] as number) !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = ordinal;
    }
    this.slots = slots;
  }
}

/** A power of two at least twice `capacity`, so the table starts at most half full. */
function slotsFor(capacity: number): number {
  let slots = 16;
  while (slots < capacity * 2 + 2) slots *= 2;
  return slots;
}

/** FNV-1a, 32 bits, over `length` bytes from `start`. */
function fnv1a(bytes: Uint8Array, start: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < start + length; i += 1) hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  return hash | 0;
}
