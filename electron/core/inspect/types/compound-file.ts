/**
 * OLE compound files (MS-CFB: .doc, .xls, .ppt, .msi, vbaProject.bin), read just far enough to
 * list the directory: the header, the FAT sectors the directory chain needs, and the directory
 * sectors themselves. Hostile input: every sector number is checked against the file, a chain
 * that loops or runs past the file is malformed, and the directory is capped, so the cost is
 * bounded whatever the file claims. Malformed is an answer (`CompoundFileError`), never a pass.
 */
import type { ByteSource } from '../contract.js';

export const OLE_MAGIC: readonly number[] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A document has a few dozen entries; past this many directory sectors the file is refused as unreadable. */
export const MAX_DIRECTORY_SECTORS = 4096;
const HEADER_BYTES = 512;
const ENTRY_BYTES = 128;
const HEADER_DIFAT_ENTRIES = 109;
const FAT_SECTORS_KEPT = 64;
const END_OF_CHAIN = 0xfffffffe;
const MAX_REGULAR_SECTOR = 0xfffffffa;

export class CompoundFileError extends Error {}

export interface DirectoryEntry {
  name: string;
  /** 1 storage, 2 stream, 5 root. */
  type: 1 | 2 | 5;
  /** The class id, as a GUID in upper case (`00020906-0000-0000-C000-000000000046`). */
  clsid: string;
  /** First sector of a stream (of the mini stream when it is smaller than the cutoff), and its size (capped at 2^32-1). */
  start: number;
  size: number;
}

/** An opened compound file: its directory, and the first bytes of any stream in it. */
export interface CompoundFile {
  entries: DirectoryEntry[];
  /** Up to `limit` bytes from the start of a stream, following its FAT (or mini FAT) chain; a chain cut short is an error. */
  readStream(entry: DirectoryEntry, limit: number): Promise<Buffer>;
}

export function isCompoundFile(head: Buffer): boolean {
  return head.length >= OLE_MAGIC.length && OLE_MAGIC.every((b, i) => head[i] === b);
}

interface Header {
  sectorShift: number;
  miniStreamCutoff: number;
  firstMiniFatSector: number;
  firstDirectorySector: number;
  fatSectorCount: number;
  firstDifatSector: number;
  difatSectorCount: number;
  headerDifat: number[];
}

export function parseHeader(header: Buffer): Header {
  if (header.length < HEADER_BYTES || !isCompoundFile(header)) throw new CompoundFileError('not an OLE compound file header');
  if (header.readUInt16LE(0x1c) !== 0xfffe) throw new CompoundFileError('bad byte-order mark');
  const major = header.readUInt16LE(0x1a);
  const sectorShift = header.readUInt16LE(0x1e);
  if (!((major === 3 && sectorShift === 9) || (major === 4 && sectorShift === 12))) {
    throw new CompoundFileError(`version ${major} with sector shift ${sectorShift}`);
  }
  const headerDifat: number[] = [];
  for (let i = 0; i < HEADER_DIFAT_ENTRIES; i++) headerDifat.push(header.readUInt32LE(0x4c + i * 4));
  return {
    sectorShift,
    miniStreamCutoff: header.readUInt32LE(0x38),
    firstMiniFatSector: header.readUInt32LE(0x3c),
    firstDirectorySector: header.readUInt32LE(0x30),
    fatSectorCount: header.readUInt32LE(0x2c),
    firstDifatSector: header.readUInt32LE(0x44),
    difatSectorCount: header.readUInt32LE(0x48),
    headerDifat,
  };
}

/** The class id of the root entry when the head holds the first directory sector (it tells .doc from .xls and .msi); null otherwise. */
export function rootClassIdFromHead(head: Buffer): string | null {
  try {
    const header = parseHeader(head);
    const offset = sectorOffset(header, header.firstDirectorySector);
    if (header.firstDirectorySector > MAX_REGULAR_SECTOR || offset + ENTRY_BYTES > head.length) return null;
    const entry = head.subarray(offset, offset + ENTRY_BYTES);
    return entry[0x42] === 5 ? guidOf(entry.subarray(0x50, 0x60)) : null;
  } catch (error) {
    if (error instanceof CompoundFileError) return null;
    throw error;
  }
}

/** Every allocated entry of the directory, in directory order (the tree is not needed to find names). */
export async function readDirectory(source: ByteSource, signal?: AbortSignal): Promise<DirectoryEntry[]> {
  return (await openCompoundFile(source, signal)).entries;
}

export async function openCompoundFile(source: ByteSource, signal?: AbortSignal): Promise<CompoundFile> {
  const header = parseHeader(await source.read(0, HEADER_BYTES, signal));
  const sectorSize = 1 << header.sectorShift;
  const sectorCount = Math.floor((source.size - HEADER_BYTES) / sectorSize) + (source.size % sectorSize === 0 ? 0 : 1);
  // Counts past the sectors the file has are lies (a valid file has at most that many FAT and DIFAT sectors).
  if (header.fatSectorCount === 0 || header.fatSectorCount > sectorCount)
    throw new CompoundFileError(`${header.fatSectorCount} FAT sectors in a file of ${sectorCount}`);
  if (header.difatSectorCount > sectorCount) throw new CompoundFileError(`${header.difatSectorCount} DIFAT sectors in a file of ${sectorCount}`);
  const fat = new FatReader(source, header, sectorCount, signal);
  const entries: DirectoryEntry[] = [];
  const seen = new Set<number>();
  let steps = 0;
  for (let sector = header.firstDirectorySector; sector !== END_OF_CHAIN; sector = await fat.next(sector)) {
    signal?.throwIfAborted();
    if (sector > MAX_REGULAR_SECTOR || sector >= sectorCount) throw new CompoundFileError(`directory sector ${sector} lies outside the file`);
    if (seen.has(sector)) throw new CompoundFileError('the directory chain loops');
    // Counted by steps, not by distinct sectors: the cap ends the walk even if a loop went unseen.
    if (++steps > MAX_DIRECTORY_SECTORS) throw new CompoundFileError(`the directory is longer than ${MAX_DIRECTORY_SECTORS} sectors`);
    seen.add(sector);
    const bytes = await source.read(sectorOffset(header, sector), sectorSize, signal);
    if (bytes.length < sectorSize) throw new CompoundFileError('a directory sector is cut short');
    for (let at = 0; at < sectorSize; at += ENTRY_BYTES) {
      const entry = parseEntry(bytes.subarray(at, at + ENTRY_BYTES));
      if (entry !== null) entries.push(entry);
    }
  }
  const root = entries[0];
  if (root?.type !== 5) throw new CompoundFileError('the first directory entry is not the root');
  const streams = new StreamReader(source, header, sectorCount, fat, root, signal);
  return { entries, readStream: (entry, limit) => streams.read(entry, limit) };
}

function parseEntry(raw: Buffer): DirectoryEntry | null {
  const type = raw[0x42];
  if (type === 0) return null;
  if (type !== 1 && type !== 2 && type !== 5) throw new CompoundFileError(`directory entry of unknown type ${String(type)}`);
  const nameBytes = raw.readUInt16LE(0x40);
  if (nameBytes > 64 || nameBytes % 2 !== 0) throw new CompoundFileError('directory entry name length out of range');
  const name = raw.subarray(0, Math.max(0, nameBytes - 2)).toString('utf16le');
  const size = raw.readUInt32LE(0x7c) === 0 ? raw.readUInt32LE(0x78) : 0xffffffff;
  return { name, type, clsid: guidOf(raw.subarray(0x50, 0x60)), start: raw.readUInt32LE(0x74), size };
}

const sectorOffset = (header: Header, sector: number): number => (sector + 1) * (1 << header.sectorShift);

function guidOf(b: Buffer): string {
  const hex = (buf: Buffer): string => buf.toString('hex').toUpperCase();
  const le = (start: number, length: number): string => hex(Buffer.from(b.subarray(start, start + length)).reverse());
  return `${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${hex(b.subarray(8, 10))}-${hex(b.subarray(10, 16))}`;
}

const MINI_SECTOR = 64;

/** Reads the head of a stream: regular sectors through the FAT, small streams through the mini FAT inside the root's mini stream. */
class StreamReader {
  private readonly sectorSize: number;
  private miniFat: number[] | null = null;

  constructor(
    private readonly source: ByteSource,
    private readonly header: Header,
    private readonly sectorCount: number,
    private readonly fat: FatReader,
    private readonly root: DirectoryEntry,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.sectorSize = 1 << header.sectorShift;
  }

  async read(entry: DirectoryEntry, limit: number): Promise<Buffer> {
    const want = Math.min(entry.size, limit);
    if (want === 0) return Buffer.alloc(0);
    if (entry.type === 5 || entry.size >= this.header.miniStreamCutoff) {
      const sectors = await this.chain(entry.start, Math.ceil(want / this.sectorSize));
      const parts: Buffer[] = [];
      for (const s of sectors) parts.push(await this.sector(s));
      return Buffer.concat(parts).subarray(0, want);
    }
    // A small stream: mini sectors of 64 bytes, chained by the mini FAT, stored in the root's stream.
    const miniSectors: number[] = [];
    const seen = new Set<number>();
    for (let n = entry.start; miniSectors.length < Math.ceil(want / MINI_SECTOR); n = await this.nextMini(n)) {
      if (n === END_OF_CHAIN) throw new CompoundFileError('a small stream is cut short');
      if (seen.has(n)) throw new CompoundFileError('a mini stream chain loops');
      seen.add(n);
      miniSectors.push(n);
    }
    const rootSectors = await this.chain(this.root.start, Math.floor((Math.max(...miniSectors) * MINI_SECTOR) / this.sectorSize) + 1);
    const parts: Buffer[] = [];
    for (const n of miniSectors) {
      const at = n * MINI_SECTOR;
      const holder = rootSectors[Math.floor(at / this.sectorSize)];
      if (holder === undefined) throw new CompoundFileError('a mini sector lies outside the mini stream');
      parts.push((await this.sector(holder)).subarray(at % this.sectorSize, (at % this.sectorSize) + MINI_SECTOR));
    }
    return Buffer.concat(parts).subarray(0, want);
  }

  /** The first `count` sectors of a chain (fewer is an error), each inside the file, without loops. */
  private async chain(start: number, count: number): Promise<number[]> {
    const sectors: number[] = [];
    const seen = new Set<number>();
    for (let s = start; sectors.length < count; s = await this.fat.next(s)) {
      this.signal?.throwIfAborted();
      if (s === END_OF_CHAIN) throw new CompoundFileError('a stream is shorter than its size');
      if (s > MAX_REGULAR_SECTOR || s >= this.sectorCount) throw new CompoundFileError(`stream sector ${s} lies outside the file`);
      if (seen.has(s)) throw new CompoundFileError('a stream chain loops');
      seen.add(s);
      sectors.push(s);
    }
    return sectors;
  }

  private async nextMini(n: number): Promise<number> {
    // The mini FAT is small (4 bytes per 64-byte mini sector); it is read whole, within the file's bounds, once.
    this.miniFat ??= await this.readMiniFat();
    const next = this.miniFat[n];
    if (next === undefined) throw new CompoundFileError(`mini sector ${n} has no mini FAT entry`);
    return next;
  }

  private async readMiniFat(): Promise<number[]> {
    const entries: number[] = [];
    const seen = new Set<number>();
    for (let s = this.header.firstMiniFatSector; s !== END_OF_CHAIN; s = await this.fat.next(s)) {
      if (s > MAX_REGULAR_SECTOR || s >= this.sectorCount || seen.has(s) || seen.size >= MAX_DIRECTORY_SECTORS)
        throw new CompoundFileError('the mini FAT chain is broken');
      seen.add(s);
      const bytes = await this.sector(s);
      for (let i = 0; i < bytes.length; i += 4) entries.push(bytes.readUInt32LE(i));
    }
    return entries;
  }

  private async sector(s: number): Promise<Buffer> {
    const bytes = await this.source.read(sectorOffset(this.header, s), this.sectorSize, this.signal);
    if (bytes.length < this.sectorSize) throw new CompoundFileError(`sector ${s} is cut short`);
    return bytes;
  }
}

/** Looks up FAT entries, reading (and keeping) only the FAT sectors asked for; bounded by the directory cap. */
class FatReader {
  private readonly perSector: number;
  private readonly fatSectors = new Map<number, Buffer>();
  private readonly difat: number[] = [];
  private readonly difatSeen = new Set<number>();
  private nextDifatSector: number;

  constructor(
    private readonly source: ByteSource,
    private readonly header: Header,
    private readonly sectorCount: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.perSector = (1 << header.sectorShift) / 4;
    this.nextDifatSector = header.firstDifatSector;
  }

  async next(sector: number): Promise<number> {
    const index = Math.floor(sector / this.perSector);
    if (index >= this.header.fatSectorCount) throw new CompoundFileError(`sector ${sector} has no FAT entry`);
    let fatSector = this.fatSectors.get(index);
    if (fatSector === undefined) {
      const location = await this.fatSectorLocation(index);
      if (location > MAX_REGULAR_SECTOR || location >= this.sectorCount) throw new CompoundFileError(`FAT sector ${location} lies outside the file`);
      fatSector = await this.readSector(location);
      // A directory chain mostly walks forwards: a few FAT sectors at a time are enough to keep.
      if (this.fatSectors.size >= FAT_SECTORS_KEPT) this.fatSectors.clear();
      this.fatSectors.set(index, fatSector);
    }
    return fatSector.readUInt32LE((sector % this.perSector) * 4);
  }

  private async fatSectorLocation(index: number): Promise<number> {
    if (index < HEADER_DIFAT_ENTRIES) return this.header.headerDifat[index] ?? END_OF_CHAIN;
    // DIFAT sectors (files past ~7 MB) are read as far as this index needs, no further.
    while (this.difat.length <= index - HEADER_DIFAT_ENTRIES) {
      const sector = this.nextDifatSector;
      if (
        sector > MAX_REGULAR_SECTOR ||
        sector >= this.sectorCount ||
        this.difatSeen.has(sector) ||
        this.difatSeen.size >= this.header.difatSectorCount ||
        this.difatSeen.size >= this.sectorCount
      ) {
        throw new CompoundFileError('the DIFAT chain is broken');
      }
      this.difatSeen.add(sector);
      const bytes = await this.readSector(sector);
      for (let i = 0; i < this.perSector - 1; i++) this.difat.push(bytes.readUInt32LE(i * 4));
      this.nextDifatSector = bytes.readUInt32LE((this.perSector - 1) * 4);
    }
    return this.difat[index - HEADER_DIFAT_ENTRIES] ?? END_OF_CHAIN;
  }

  private async readSector(sector: number): Promise<Buffer> {
    const size = 1 << this.header.sectorShift;
    const bytes = await this.source.read(sectorOffset(this.header, sector), size, this.signal);
    if (bytes.length < size) throw new CompoundFileError(`sector ${sector} is cut short`);
    return bytes;
  }
}
