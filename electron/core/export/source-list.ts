import type { SourceFile } from './source-scan.js';
import { ByteBlocks } from '../compact/byte-blocks.js';

/**
 * The export's files in payload order, read by index or in order: an array of SourceFile, or a
 * SourceList, which makes each file's object when it is asked for.
 */
export interface SourceFiles extends Iterable<SourceFile> {
  readonly length: number;
  at(index: number): SourceFile | undefined;
}

/**
 * Rows per chunk of the per-file columns. The columns grow a chunk at a time and are never copied:
 * doubling arrays held the old and the new columns side by side at each growth (23 + 46 MB at the
 * last doubling for a million files) and up to half of the final capacity unused (rss3).
 */
const CHUNK_ROWS = 1 << 14;
/** A lone UTF-16 surrogate cannot survive UTF-8: such a name is kept as a string (see add). */
const LONE_SURROGATE = /\p{Cs}/u;

/** One chunk of the columns: the u32 columns, then the f64 ones, in one buffer. */
class Chunk {
  readonly folderOf: Uint32Array;
  readonly blockOf: Uint32Array;
  readonly startOf: Uint32Array;
  readonly nameBytes: Uint32Array;
  readonly sizeOf: Float64Array;
  readonly mtimeMsOf: Float64Array;

  constructor(rows: number) {
    const buffer = new ArrayBuffer(rows * (4 * 4 + 2 * 8));
    this.sizeOf = new Float64Array(buffer, 0, rows);
    this.mtimeMsOf = new Float64Array(buffer, rows * 8, rows);
    this.folderOf = new Uint32Array(buffer, rows * 16, rows);
    this.blockOf = new Uint32Array(buffer, rows * 20, rows);
    this.startOf = new Uint32Array(buffer, rows * 24, rows);
    this.nameBytes = new Uint32Array(buffer, rows * 28, rows);
  }
}

/** The Date Node makes from mtimeMs (rounded to whole milliseconds); a file whose mtime is another is kept apart. */
const usualMtime = (mtimeMs: number): number => Math.round(mtimeMs);

/**
 * The scanned files, held compactly: issue #18 measured ~400 bytes of V8 heap per file for a
 * SourceFile object (two path strings, a Date, a boxed double), which made the export's memory
 * grow with the file count (1.4 GB for a million files). Here a file costs its name's UTF-8 bytes
 * and 32 bytes of typed arrays; the folder part of both paths is kept once per folder. Each
 * `at(index)` makes a new, short-lived SourceFile equal to the one added.
 *
 * A file is split as `absPrefix + name` and `bagPrefix + name`, where `name` is the bag path's last
 * component when the source path ends in it too (the walk's case). Otherwise (an image layout
 * file whose source is named differently) the name is empty and the prefixes are the whole paths:
 * still exact, only not shared.
 */
export class SourceList implements SourceFiles {
  private readonly folders: Array<{ abs: string; bag: string }> = [];
  private readonly folderIds = new Map<string, number>();
  /** The folder last added to: files of one folder arrive together, so most lookups stop here. */
  private lastFolder = { abs: '', bag: '', id: -1 };
  private readonly bytes = new ByteBlocks();
  private readonly chunks: Chunk[] = [];
  private readonly shift: number;
  private readonly mask: number;
  /** The Date's own value where it is not usualMtime(mtimeMs) (Node's rounding; a file from elsewhere may differ). */
  private readonly otherMtime = new Map<number, number>();
  private count = 0;

  /** `chunkRows` (a power of two) is for tests, which cross chunks with a few files. */
  constructor(chunkRows = CHUNK_ROWS) {
    if (!Number.isInteger(Math.log2(chunkRows)) || chunkRows < 1) throw new RangeError(`chunk rows must be a power of two, not ${chunkRows}`);
    this.shift = Math.log2(chunkRows);
    this.mask = chunkRows - 1;
  }

  get length(): number {
    return this.count;
  }

  add(file: SourceFile): void {
    const slash = file.bagPath.lastIndexOf('/');
    let name = file.bagPath.slice(slash + 1);
    const before = file.absPath.length - name.length - 1;
    const sharesName = name !== '' && before >= 0 && file.absPath.endsWith(name) && (file.absPath[before] === '/' || file.absPath[before] === '\\');
    if (!sharesName || LONE_SURROGATE.test(name)) name = '';
    const folder = this.folderId(file.absPath.slice(0, file.absPath.length - name.length), file.bagPath.slice(0, file.bagPath.length - name.length));
    const index = this.count;
    const row = index & this.mask;
    if (row === 0) this.chunks.push(new Chunk(this.mask + 1));
    const chunk = this.chunks[index >>> this.shift] as Chunk;
    const length = Buffer.byteLength(name, 'utf8');
    const block = this.bytes.reserve(length);
    block.write(name, this.bytes.start, length, 'utf8');
    chunk.folderOf[row] = folder;
    chunk.blockOf[row] = this.bytes.blockIndex;
    chunk.startOf[row] = this.bytes.start;
    chunk.nameBytes[row] = length;
    chunk.sizeOf[row] = file.size;
    chunk.mtimeMsOf[row] = file.mtimeMs;
    const mtime = file.mtime.getTime();
    // Object.is: a Date of NaN (invalid) or -0 is kept apart too, never read back as another value.
    if (!Object.is(mtime, usualMtime(file.mtimeMs))) this.otherMtime.set(index, mtime);
    this.count += 1;
  }

  at(index: number): SourceFile | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const chunk = this.chunks[index >>> this.shift] as Chunk;
    const row = index & this.mask;
    const folder = this.folders[chunk.folderOf[row] as number] as { abs: string; bag: string };
    const start = chunk.startOf[row] as number;
    const name = this.bytes.block(chunk.blockOf[row] as number).toString('utf8', start, start + (chunk.nameBytes[row] as number));
    const mtimeMs = chunk.mtimeMsOf[row] as number;
    return {
      absPath: folder.abs + name,
      bagPath: folder.bag + name,
      size: chunk.sizeOf[row] as number,
      mtime: new Date(this.otherMtime.get(index) ?? usualMtime(mtimeMs)),
      mtimeMs,
    };
  }

  *[Symbol.iterator](): Iterator<SourceFile> {
    for (let index = 0; index < this.count; index += 1) yield this.at(index) as SourceFile;
  }

  private folderId(abs: string, bag: string): number {
    const last = this.lastFolder;
    if (last.id >= 0 && last.abs === abs && last.bag === bag) return last.id;
    const key = `${abs}\0${bag}`;
    let id = this.folderIds.get(key);
    if (id === undefined) {
      id = this.folders.length;
      this.folders.push({ abs, bag });
      this.folderIds.set(key, id);
    }
    this.lastFolder = { abs, bag, id };
    return id;
  }
}
