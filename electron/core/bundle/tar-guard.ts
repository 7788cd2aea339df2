import { ArchiveError } from './archive-error.js';
import { checkLongName, checkPaxHeader, type PaxFacts } from './pax-guard.js';
import { BLOCK, decodeHeaderBlock, isZeroBlock } from './tar-block.js';

/**
 * A strict structural reader of the raw tar byte stream, in front of node-tar. It knows for
 * every 512-byte block, by its own parse, whether it is a header, data or the end-of-archive
 * marker, and computes its own view (path, type, size) of each entry. tar-entries.ts compares
 * every entry node-tar emits with this view: any difference means two readers disagree, and
 * the archive is refused (docs/bundle-format.md §3.2: "one reading of every archive").
 *
 * It also bounds the cost of a refusal: at the end-of-archive marker it stops, allows only zero
 * padding up to the 10 240-byte tar record, and refuses anything more at once.
 */
export interface GuardEntry {
  path: string;
  kind: 'file' | 'directory';
  size: number;
  /** Where the entry's data starts in the archive stream (bytes from its first byte): the push and content inspection read a file entry again there. */
  dataOffset: number;
}

/** GNU tar and Python pad an archive to a record of 20 blocks; nothing but zeros may follow the marker within it. */
export const TAR_RECORD = 20 * BLOCK;
/** Largest pax or long-name body (node-tar's own cap). */
export const MAX_META_BYTES = 1024 * 1024;

/** A header that releases no held meta blocks (nearly every one): one shared answer, not an object and array per entry. */
const NOTHING_HELD: { release: readonly Buffer[] } = Object.freeze({ release: Object.freeze([]) });

type Meta = { kind: 'pax' | 'long-name'; size: number; padded: number; got: number; body: Buffer[]; held: Buffer[] };

/** Meta headers seen for the entry being assembled; their blocks are held back and released in the one order node-tar reads correctly. */
interface Group {
  pax?: PaxFacts;
  longName?: string;
  paxBlocks: Buffer[];
  longBlocks: Buffer[];
}

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

export class TarGuard {
  /** Entries decoded and not yet matched with node-tar's, in archive order. */
  readonly entries: GuardEntry[] = [];
  /** True once the end-of-archive marker has been read. */
  ended = false;
  private offset = 0;
  private partial: Buffer | null = null;
  private dataRemaining = 0;
  private meta: Meta | null = null;
  private group: Group | null = null;
  private zeroBlockAt: number | null = null;
  private trailerEnd = 0;
  private entryCount = 0;

  /** Why the archive is refused, once it is; set by write(), which then returns only the bytes before the refused block. */
  failure: ArchiveError | null = null;

  /**
   * Read one chunk of the archive; returns the bytes node-tar should parse, in order. On a
   * refusal, `failure` is set and only the bytes before the refused header are returned, so the
   * entries before it are still read (verify reports them) before the refusal.
   */
  write(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    if (this.failure) return out;
    try {
      this.read(chunk, out);
    } catch (error) {
      this.failure = error instanceof ArchiveError ? error : new ArchiveError(`the archive cannot be read: ${(error as Error).message}`);
    }
    return out;
  }

  private read(chunk: Buffer, out: Buffer[]): void {
    let pos = 0;
    let runStart = 0;
    const flush = (): void => {
      if (pos > runStart) out.push(chunk.subarray(runStart, pos));
      runStart = pos;
    };
    if (this.partial) {
      const take = Math.min(BLOCK - this.partial.length, chunk.length);
      this.partial = Buffer.concat([this.partial, chunk.subarray(0, take)]);
      pos = take;
      runStart = take;
      if (this.partial.length < BLOCK) return;
      const block = this.partial;
      this.partial = null;
      const verdict = this.header(block, 0);
      if ('hold' in verdict) verdict.hold.push(block);
      else out.push(...verdict.release, block);
    }
    // On a refusal the bytes before the refused block still go to node-tar.
    try {
      while (pos < chunk.length) {
        if (this.ended) {
          this.trailer(chunk, pos);
          break;
        }
        if (this.dataRemaining > 0) {
          const n = Math.min(this.dataRemaining, chunk.length - pos);
          pos += n;
          this.offset += n;
          this.dataRemaining -= n;
          continue;
        }
        if (this.meta) {
          flush();
          const n = Math.min(this.meta.padded - this.meta.got, chunk.length - pos);
          this.metaBytes(this.meta, Buffer.from(chunk.subarray(pos, pos + n)));
          pos += n;
          runStart = pos;
          continue;
        }
        if (chunk.length - pos < BLOCK) {
          flush();
          this.partial = Buffer.from(chunk.subarray(pos));
          pos = chunk.length;
          runStart = pos;
          break;
        }
        const at = pos;
        const verdict = this.header(chunk, at);
        if ('hold' in verdict) {
          flush();
          verdict.hold.push(Buffer.from(chunk.subarray(at, at + BLOCK)));
          pos = at + BLOCK;
          runStart = pos;
        } else {
          if (verdict.release.length > 0) {
            flush();
            out.push(...verdict.release);
          }
          pos = at + BLOCK;
        }
      }
    } finally {
      flush();
    }
  }

  /**
   * Bytes still to come before the next header block when nothing is held back (no part of a
   * block, no extended header, not ended or refused), else null: where a reader may stop feeding
   * node-tar and take entries from this reading alone (guard-entries.ts).
   */
  get bytesToNextHeader(): number | null {
    if (this.failure !== null || this.ended || this.partial !== null || this.meta !== null || this.group !== null) return null;
    return this.dataRemaining;
  }

  /** Bytes of the current entry's data (and its padding) still to come: a reader that knows where it is may skip them. */
  get pendingData(): number {
    return this.failure ? 0 : this.dataRemaining;
  }

  /**
   * Skip `bytes` of the current entry's data without reading them (verify/parallel/payload-scout.ts).
   * The guard never looks inside an entry's data, so what it decides about every later block is the
   * same whether those bytes were read or skipped.
   */
  skipData(bytes: number): void {
    if (bytes < 0 || bytes > this.pendingData) throw new RangeError(`cannot skip ${bytes} bytes: ${this.dataRemaining} of data are pending`);
    this.offset += bytes;
    this.dataRemaining -= bytes;
  }

  /** The source ended: throws unless the archive ended with its marker (and only padding after it). */
  end(): void {
    if (this.failure) throw this.failure;
    if (this.ended) return;
    if (this.offset === 0 && !this.partial) throw new ArchiveError('the archive is empty');
    throw new ArchiveError(`the archive ends at byte ${this.offset + (this.partial?.length ?? 0)} without its end-of-archive marker: it is truncated`);
  }

  /**
   * One header block at block[at]. A meta header's block is held back (`hold`: the caller keeps
   * a copy there); an entry header is forwarded after `release`, the meta blocks held for it.
   */
  private header(block: Buffer, at: number): { hold: Buffer[] } | { release: readonly Buffer[] } {
    const blockOffset = this.offset;
    this.offset += BLOCK;
    if (isZeroBlock(block, at)) {
      if (this.group) throw new ArchiveError(`an extended header before byte ${blockOffset} is followed by the end of the archive, not by its entry`);
      if (this.zeroBlockAt === null) {
        this.zeroBlockAt = blockOffset;
        return NOTHING_HELD;
      }
      if (this.entryCount === 0) throw new ArchiveError('the archive ends before its first entry (it starts with an end-of-archive marker)');
      this.ended = true;
      this.trailerEnd = roundUp(this.offset, TAR_RECORD);
      return NOTHING_HELD;
    }
    // Python's tarfile stops at a single zero block; node-tar reads on. One reading only.
    if (this.zeroBlockAt !== null)
      throw new ArchiveError(`a lone zero block at byte ${this.zeroBlockAt} is followed by more headers (some readers stop there, others read on)`);
    let decoded;
    try {
      decoded = decodeHeaderBlock(block, at);
    } catch (error) {
      // A link or device named by a long name or pax path is reported under that name.
      const named = this.group?.longName ?? this.group?.pax?.path;
      if (error instanceof ArchiveError && error.kind === 'unsafe-type' && named !== undefined && error.entryType !== undefined)
        throw new ArchiveError(`${JSON.stringify(named)} is ${error.entryType}`, 'unsafe-type', named, error.entryType);
      throw error;
    }
    if (decoded.kind === 'pax' || decoded.kind === 'long-name') {
      const group = (this.group ??= { paxBlocks: [], longBlocks: [] });
      const held = decoded.kind === 'pax' ? group.paxBlocks : group.longBlocks;
      if (held.length > 0) throw new ArchiveError(`two ${decoded.kind === 'pax' ? 'pax' : 'long-name'} headers for one entry (at byte ${blockOffset})`);
      if (decoded.size > MAX_META_BYTES) throw new ArchiveError(`an extended header of ${decoded.size} bytes is larger than allowed`);
      this.meta = { kind: decoded.kind, size: decoded.size, padded: roundUp(decoded.size, BLOCK), got: 0, body: [], held };
      if (this.meta.padded === 0) this.finishMeta(this.meta);
      return { hold: held };
    }
    const group = this.group;
    const path = group?.longName ?? group?.pax?.path ?? decoded.path;
    if (path === null) throw new ArchiveError(`the name in the tar header at byte ${blockOffset} is not valid UTF-8`);
    if (path.length === 0) throw new ArchiveError(`the tar header at byte ${blockOffset} has an empty name`);
    const size = group?.pax?.size ?? decoded.size;
    if (decoded.kind === 'file' && path.endsWith('/'))
      throw new ArchiveError(`"${path}" is a regular-file entry whose name ends in "/" (readers disagree on whether it is a directory)`);
    if (decoded.kind === 'directory' && size !== 0) throw new ArchiveError(`the directory entry "${path}" declares ${size} bytes of data`);
    this.group = null;
    this.entries.push({ path, kind: decoded.kind, size, dataOffset: this.offset });
    this.entryCount += 1;
    this.dataRemaining = roundUp(size, BLOCK);
    // node-tar applies a pending pax header to a long-name header's own size; a long name first is read alike by all.
    return group ? { release: [...group.longBlocks, ...group.paxBlocks] } : NOTHING_HELD;
  }

  private metaBytes(meta: Meta, bytes: Buffer): void {
    meta.held.push(bytes);
    const bodyPart = Math.max(0, Math.min(bytes.length, meta.size - meta.got));
    if (bodyPart > 0) meta.body.push(bytes.subarray(0, bodyPart));
    meta.got += bytes.length;
    this.offset += bytes.length;
    if (meta.got === meta.padded) this.finishMeta(meta);
  }

  private finishMeta(meta: Meta): void {
    this.meta = null;
    const group = this.group as Group;
    const body = Buffer.concat(meta.body);
    if (meta.kind === 'pax') group.pax = checkPaxHeader(body);
    else group.longName = checkLongName(body);
    // GNU tar lets the pax path win, Python whichever header came first, node-tar the last one.
    if (group.pax?.path !== undefined && group.longName !== undefined) throw new ArchiveError('an entry has both a pax path and a GNU long name');
  }

  /** After the marker: zero padding up to the record end, then nothing. */
  private trailer(chunk: Buffer, pos: number): void {
    const allowed = Math.max(0, this.trailerEnd - this.offset);
    const end = Math.min(chunk.length, pos + allowed);
    for (let i = pos; i < end; i += 1) if (chunk[i] !== 0) throw new ArchiveError(`data follows the end-of-archive marker (byte ${this.offset + (i - pos)})`);
    if (chunk.length - pos > allowed) throw new ArchiveError(`data follows the end-of-archive marker and its padding (byte ${this.trailerEnd})`);
    this.offset += chunk.length - pos;
  }
}
