import { ArchiveError } from './archive-error.js';

/**
 * One 512-byte tar header block, decoded strictly: only what GNU tar, Python's tarfile and
 * node-tar all read the same way is accepted (docs/bundle-format.md §3.2). Where they differ
 * (lenient octal parsing, a prefix node-tar ignores, text after a NUL, bytes that are not
 * UTF-8, an unsigned-or-signed checksum) the block is refused rather than guessed at.
 */
export const BLOCK = 512;

/** Zero bytes after a file's data up to the next block boundary. */
export function paddingLength(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

export type BlockKind = 'file' | 'directory' | 'pax' | 'long-name';

export interface HeaderBlock {
  kind: BlockKind;
  /** ustar `prefix/name` (or `name`); null when the fields are not valid UTF-8 (usable only if a meta header replaces the path). */
  path: string | null;
  size: number;
}

const USTAR_MAGIC = Buffer.from('ustar\u000000', 'latin1');
const GNU_MAGIC = Buffer.from('ustar  \u0000', 'latin1');

/** Typeflags that name a link, a device, a FIFO or a sparse file: never a plain file. */
const UNSAFE_TYPES: Record<string, string> = {
  '1': 'hard link',
  '2': 'symbolic link',
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
  K: 'long link name (a link)',
  S: 'old GNU sparse file',
};

const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text, or null when the bytes are not valid UTF-8 (node-tar would turn them into U+FFFD, other readers would not). */
export function strictUtf8(bytes: Uint8Array): string | null {
  let ascii = true;
  for (let i = 0; i < bytes.length; i += 1) {
    if ((bytes[i] as number) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

export function isZeroBlock(block: Buffer, offset: number): boolean {
  for (let i = offset; i < offset + BLOCK; i += 1) if (block[i] !== 0) return false;
  return true;
}

/** Where a NUL-terminated string field's text ends: bytes after the first NUL must all be NUL (readers cut it differently). */
function stringFieldEnd(block: Buffer, offset: number, length: number, what: string): number {
  const end = offset + length;
  let nul = block.indexOf(0, offset);
  if (nul < 0 || nul > end) nul = end;
  for (let i = nul; i < end; i += 1) if (block[i] !== 0) throw new ArchiveError(`the ${what} field of a tar header holds bytes after its terminating NUL`);
  return nul;
}

function stringField(block: Buffer, offset: number, length: number, what: string): Buffer {
  return block.subarray(offset, stringFieldEnd(block, offset, length, what));
}

/** Whether block[at, at + bytes.length) holds `bytes` (no view made: every header is checked). */
function holdsAt(block: Buffer, at: number, bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i += 1) if (block[at + i] !== bytes[i]) return false;
  return true;
}

/**
 * A numeric field: optional leading spaces, octal digits, then only spaces or NULs. node-tar
 * stops at the first stray character, Python's int() accepts `0o`, `_` and signs, GNU tar
 * refuses both; so only the form all three read alike passes. Base-256 (0x80 first byte) only
 * where Airlock's writer uses it (sizes of 8 GiB and more); empty (all NUL) only where allowed.
 */
function numericField(block: Buffer, offset: number, length: number, what: string, options: { allowEmpty?: boolean; base256?: boolean } = {}): number {
  const end = offset + length;
  if (block[offset] === 0x80 && options.base256) {
    let value = 0;
    for (let i = offset + 1; i < end; i += 1) value = value * 256 + (block[i] as number);
    if (!Number.isSafeInteger(value)) throw new ArchiveError(`the ${what} field of a tar header is too large`);
    return value;
  }
  let i = offset;
  while (i < end && block[i] === 0x20) i += 1;
  let value = 0;
  let digits = 0;
  for (; i < end; i += 1) {
    const byte = block[i] as number;
    if (byte < 0x30 || byte > 0x37) break;
    value = value * 8 + (byte - 0x30);
    digits += 1;
  }
  for (; i < end; i += 1) {
    if (block[i] !== 0x20 && block[i] !== 0) throw new ArchiveError(`the ${what} field of a tar header is not an octal number`);
  }
  if (digits === 0) {
    let allNul = true;
    for (let j = offset; j < end; j += 1) if (block[j] !== 0) allNul = false;
    if (!(allNul && options.allowEmpty)) throw new ArchiveError(`the ${what} field of a tar header is empty`);
  }
  return value;
}

function checksumOk(block: Buffer, offset: number): boolean {
  const stored = numericField(block, offset + 148, 8, 'checksum');
  let sum = 8 * 0x20;
  for (let i = offset; i < offset + 148; i += 1) sum += block[i] as number;
  for (let i = offset + 156; i < offset + BLOCK; i += 1) sum += block[i] as number;
  return sum === stored;
}

/** Decode the header at `offset`; throws ArchiveError (kind 'unsafe-type' for links, devices, FIFOs, sparse and unknown types). */
export function decodeHeaderBlock(block: Buffer, offset: number): HeaderBlock {
  if (!checksumOk(block, offset)) throw new ArchiveError('a tar header has a wrong checksum');
  const gnu = holdsAt(block, offset + 257, GNU_MAGIC);
  if (!gnu && !holdsAt(block, offset + 257, USTAR_MAGIC))
    throw new ArchiveError('a tar header is neither POSIX ustar (magic "ustar", version "00") nor GNU tar format');
  // In GNU format this area holds atime, ctime and sparse data; Python's tarfile would still read it as a name prefix.
  if (gnu && !isZeroRange(block, offset + 345, offset + 500))
    throw new ArchiveError('a GNU-format tar header uses its extended fields (incremental or sparse archive)');

  const flag = block[offset + 156] === 0 ? '' : String.fromCharCode(block[offset + 156] as number);
  let kind: BlockKind;
  if (flag === '0' || flag === '' || flag === '7') kind = 'file';
  else if (flag === '5') kind = 'directory';
  else if (flag === 'x') kind = 'pax';
  else if (flag === 'L') kind = 'long-name';
  else if (flag === 'g') throw new ArchiveError('a global pax header (it applies to every later entry)');
  else {
    const name = strictUtf8(joinedName(block, offset, gnu, true));
    const entryType = `of type ${UNSAFE_TYPES[flag] ?? `"${flag}" (unsupported)`}`;
    throw new ArchiveError(`${name === null ? 'an entry' : JSON.stringify(name)} is ${entryType}`, 'unsafe-type', name ?? undefined, entryType);
  }

  const meta = kind === 'pax' || kind === 'long-name';
  numericField(block, offset + 100, 8, 'mode', { allowEmpty: meta });
  numericField(block, offset + 108, 8, 'uid', { allowEmpty: meta });
  numericField(block, offset + 116, 8, 'gid', { allowEmpty: meta });
  const size = numericField(block, offset + 124, 12, 'size', { base256: !meta });
  numericField(block, offset + 136, 12, 'mtime', { allowEmpty: meta });
  numericField(block, offset + 329, 8, 'devmajor', { allowEmpty: true });
  numericField(block, offset + 337, 8, 'devminor', { allowEmpty: true });
  if (stringFieldEnd(block, offset + 157, 100, 'linkname') > offset + 157)
    throw new ArchiveError('a tar header for a file, directory or extended header names a link target');
  stringFieldEnd(block, offset + 265, 32, 'uname');
  stringFieldEnd(block, offset + 297, 32, 'gname');

  return { kind, path: headerPath(block, offset, gnu), size };
}

/**
 * joinedName's text, strictly: read in place when there is no prefix and the name is ASCII (nearly
 * every header), so no view or joined copy is made per entry.
 */
function headerPath(block: Buffer, offset: number, gnu: boolean): string | null {
  const nameEnd = stringFieldEnd(block, offset, 100, 'name');
  const prefixEmpty = gnu || stringFieldEnd(block, offset + 345, 155, 'prefix') === offset + 345;
  if (prefixEmpty && isAscii(block, offset, nameEnd)) return block.toString('latin1', offset, nameEnd);
  return strictUtf8(joinedName(block, offset, gnu));
}

function isAscii(block: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if ((block[i] as number) > 0x7f) return false;
  return true;
}

/** ustar's `prefix/name` (no prefix in GNU format); `lenient` cuts at the first NUL instead of refusing bytes after it. */
function joinedName(block: Buffer, offset: number, gnu: boolean, lenient = false): Buffer {
  const field = lenient
    ? (at: number, length: number): Buffer => cString(block, at, length)
    : (at: number, length: number, what: string): Buffer => stringField(block, at, length, what);
  const name = field(offset, 100, 'name');
  const prefix = gnu ? Buffer.alloc(0) : field(offset + 345, 155, 'prefix');
  return prefix.length > 0 ? Buffer.concat([prefix, Buffer.from('/'), name]) : name;
}

function cString(block: Buffer, offset: number, length: number): Buffer {
  const nul = block.indexOf(0, offset);
  return block.subarray(offset, nul < 0 || nul > offset + length ? offset + length : nul);
}

function isZeroRange(block: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (block[i] !== 0) return false;
  return true;
}
