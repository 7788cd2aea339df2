import type { SourceFile } from './source-scan.js';
import { ByteBlocks, grown } from '../compact/byte-blocks.js';

/**
 * The export's files in payload order, read by index or in order: an array of SourceFile, or a
 * SourceList, which makes each file's object when it is asked for.
 */
export interface SourceFiles extends Iterable<SourceFile> {
  readonly length: number;
  at(index: number): SourceFile | undefined;
}

const FIRST_CAPACITY = 1024;
/** A lone UTF-16 surrogate cannot survive UTF-8: such a name is kept as a string (see add). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The scanned files, held compactly: issue #18 measured ~400 bytes of V8 heap per file for a
 * SourceFile object (two path strings, a Date, a boxed double), which made the export's memory
 * grow with the file count (1.4 GB for a million files). Here a file costs its name's UTF-8 bytes
 * and 44 bytes of typed arrays; the folder part of both paths is kept once per folder. Each
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
  private folderOf: Uint32Array;
  private blockOf: Uint32Array;
  private startOf: Uint32Array;
  private nameBytes: Uint32Array;
  private sizeOf: Float64Array;
  private mtimeMsOf: Float64Array;
  /** The Date's own value: Node rounds mtimeMs to make it, and a file from elsewhere may differ. */
  private mtimeOf: Float64Array;
  private count = 0;

  constructor(capacity = FIRST_CAPACITY) {
    const room = Math.max(1, capacity);
    this.folderOf = new Uint32Array(room);
    this.blockOf = new Uint32Array(room);
    this.startOf = new Uint32Array(room);
    this.nameBytes = new Uint32Array(room);
    this.sizeOf = new Float64Array(room);
    this.mtimeMsOf = new Float64Array(room);
    this.mtimeOf = new Float64Array(room);
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
    if (index === this.folderOf.length) this.grow();
    const length = Buffer.byteLength(name, 'utf8');
    const block = this.bytes.reserve(length);
    block.write(name, this.bytes.start, length, 'utf8');
    this.folderOf[index] = folder;
    this.blockOf[index] = this.bytes.blockIndex;
    this.startOf[index] = this.bytes.start;
    this.nameBytes[index] = length;
    this.sizeOf[index] = file.size;
    this.mtimeMsOf[index] = file.mtimeMs;
    this.mtimeOf[index] = file.mtime.getTime();
    this.count += 1;
  }

  at(index: number): SourceFile | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    const folder = this.folders[this.folderOf[index] as number] as { abs: string; bag: string };
    const start = this.startOf[index] as number;
    const name = this.bytes.block(this.blockOf[index] as number).toString('utf8', start, start + (this.nameBytes[index] as number));
    return {
      absPath: folder.abs + name,
      bagPath: folder.bag + name,
      size: this.sizeOf[index] as number,
      mtime: new Date(this.mtimeOf[index] as number),
      mtimeMs: this.mtimeMsOf[index] as number,
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

  private grow(): void {
    const room = this.folderOf.length * 2;
    this.folderOf = grown(this.folderOf, new Uint32Array(room));
    this.blockOf = grown(this.blockOf, new Uint32Array(room));
    this.startOf = grown(this.startOf, new Uint32Array(room));
    this.nameBytes = grown(this.nameBytes, new Uint32Array(room));
    this.sizeOf = grown(this.sizeOf, new Float64Array(room));
    this.mtimeMsOf = grown(this.mtimeMsOf, new Float64Array(room));
    this.mtimeOf = grown(this.mtimeOf, new Float64Array(room));
  }
}
