import { Header, Pax } from 'tar';
import { paddingLength } from './tar-block.js';

export const BLOCK = 512;
/** Two zero blocks end a tar archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

export interface TarFileEntry {
  /** Full path inside the archive, `/`-separated. */
  path: string;
  size: number;
  mtime: Date;
}

const FILE_MODE = 0o644;

function ustarHeader(data: { path: string; size: number; mtime: Date; type: 'File' | 'NextFileHasLongPath' }): { block: Buffer; needPax: boolean } {
  const block = Buffer.alloc(BLOCK);
  const header = new Header({
    path: data.path,
    mode: FILE_MODE,
    uid: 0,
    gid: 0,
    size: data.size,
    mtime: data.mtime,
    type: data.type,
    uname: '',
    gname: '',
  });
  const needPax = header.encode(block, 0);
  return { block, needPax };
}

/**
 * The header block(s) for one regular file. Paths that fit ustar get one block; longer or
 * non-ASCII paths (and sizes of 8 GiB and more) get a pax extended header first. Pax records
 * are length-prefixed, but node-tar's reader splits them at newlines, so a path holding CR or
 * LF that does not fit ustar travels in a GNU long-name record instead, which every reader
 * (GNU tar, bsdtar, node-tar) takes whole.
 */
export function encodeFileHeader(entry: TarFileEntry): Buffer {
  const mtime = clampMtime(entry.mtime);
  if (fitsPlainUstar(entry.path, entry.size)) return encodePlainUstar(entry.path, entry.size, mtime);
  const main = ustarHeader({ path: entry.path, size: entry.size, mtime, type: 'File' });
  if (!main.needPax) return main.block;
  if (/[\r\n]/u.test(entry.path)) {
    const name = Buffer.from(`${entry.path}\0`, 'utf8');
    const longName = ustarHeader({ path: '././@LongLink', size: name.length, mtime: new Date(0), type: 'NextFileHasLongPath' });
    const extra = entry.size > MAX_USTAR_SIZE ? new Pax({ size: entry.size }).encode() : Buffer.alloc(0);
    return Buffer.concat([extra, longName.block, name, padding(name.length), main.block]);
  }
  // Spread kept: node-tar's HeaderData has `size?: number` (not `| undefined`), a type not ours to widen.
  const pax = new Pax({ path: entry.path, ...(entry.size > MAX_USTAR_SIZE ? { size: entry.size } : {}) }).encode();
  return Buffer.concat([pax, main.block]);
}

/** Largest size an 11-digit octal ustar field holds. */
const MAX_USTAR_SIZE = 0o77777777777;

/*
 * The common case, encoded without node-tar: an ASCII path short enough for the name field and
 * a size the octal field holds. node-tar's Header builds and validates an object per entry,
 * which for 20,000 small files was the largest single cost of writing the archive. The bytes
 * are node-tar's exactly (same field layout and octal formatting; a unit test compares the two
 * over many entries); every other entry still goes through node-tar.
 */
const NAME_FIELD = { offset: 0, size: 100 };
const SIZE_FIELD = { offset: 124, size: 12 };
const MTIME_FIELD = { offset: 136, size: 12 };
const CHECKSUM_FIELD = { offset: 148, size: 8 };

/** ASCII (no NUL) and under 100 bytes: node-tar keeps such a path whole in the name field. */
function fitsPlainUstar(path: string, size: number): boolean {
  if (path.length === 0 || path.length > 99 || size > MAX_USTAR_SIZE) return false;
  for (let i = 0; i < path.length; i += 1) {
    const code = path.charCodeAt(i);
    if (code === 0 || code > 0x7f) return false;
  }
  return true;
}

/** A regular-file header with empty name, size, mtime and checksum; the rest is the same for every entry. */
const PLAIN_TEMPLATE = (() => {
  const { block } = ustarHeader({ path: 'x', size: 0, mtime: new Date(0), type: 'File' });
  for (const field of [NAME_FIELD, SIZE_FIELD, MTIME_FIELD]) block.fill(0, field.offset, field.offset + field.size);
  // The checksum is computed with its own field read as spaces.
  block.fill(0x20, CHECKSUM_FIELD.offset, CHECKSUM_FIELD.offset + CHECKSUM_FIELD.size);
  return block;
})();
const PLAIN_TEMPLATE_SUM = PLAIN_TEMPLATE.reduce((sum, byte) => sum + byte, 0);

/** node-tar's octal field: zero-padded digits, space, NUL; or all digits and NUL when they fill it. */
function writeOctal(block: Buffer, field: { offset: number; size: number }, value: number): number {
  const digits = Math.floor(value).toString(8);
  const text = digits.length === field.size - 1 ? `${digits}\0` : `${digits.padStart(field.size - 2, '0')} \0`;
  block.write(text, field.offset, field.size, 'latin1');
  let sum = 0;
  for (let i = 0; i < text.length; i += 1) sum += text.charCodeAt(i);
  return sum;
}

function encodePlainUstar(path: string, size: number, mtime: Date): Buffer {
  const block = Buffer.allocUnsafe(BLOCK);
  PLAIN_TEMPLATE.copy(block);
  block.write(path, NAME_FIELD.offset, 'latin1');
  let sum = PLAIN_TEMPLATE_SUM;
  for (let i = 0; i < path.length; i += 1) sum += path.charCodeAt(i);
  sum += writeOctal(block, SIZE_FIELD, size);
  sum += writeOctal(block, MTIME_FIELD, mtime.getTime() / 1000);
  // The template's checksum field holds spaces, which the sum counts, as tar defines it.
  writeOctal(block, CHECKSUM_FIELD, sum);
  return block;
}

// Defined beside BLOCK in tar-block.ts, which the record lane's worker loads without node-tar.
export { paddingLength };

const ZEROS = Buffer.alloc(BLOCK);
export function padding(size: number): Buffer {
  return ZEROS.subarray(0, paddingLength(size));
}

/** Bytes of encodeFileHeader(entry), without encoding the common one-block case. */
export function encodedHeaderLength(entry: TarFileEntry): number {
  return fitsPlainUstar(entry.path, entry.size) ? BLOCK : encodeFileHeader(entry).length;
}

/** Exact archive bytes one file occupies (headers, data, padding). */
export function archivedSize(entry: TarFileEntry): number {
  return encodeFileHeader(entry).length + entry.size + paddingLength(entry.size);
}

/**
 * An upper bound on archivedSize without encoding anything: ustar block, plus room for a GNU
 * long-name or pax header when the path might need one. For the free-space check and the
 * progress total; the exact size is what the writer counts.
 */
export function archivedSizeBound(path: string, size: number): number {
  const pathBytes = Buffer.byteLength(path, 'utf8');
  const mayNeedExtension = pathBytes > 99 || pathBytes !== path.length || size > MAX_USTAR_SIZE;
  const extension = mayNeedExtension ? 2 * BLOCK + Math.ceil((pathBytes + 64) / BLOCK) * BLOCK : 0;
  return BLOCK + extension + size + paddingLength(size);
}

function clampMtime(mtime: Date): Date {
  const seconds = Math.floor(mtime.getTime() / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return new Date(0);
  // ustar's 11 octal digits end in 6429; later dates would force a pax record for no benefit.
  return new Date(Math.min(seconds, 0o77777777777) * 1000);
}
