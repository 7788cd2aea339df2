import { ArchiveError } from './archive-error.js';
import { strictUtf8 } from './tar-block.js';

/**
 * The bodies of per-entry meta headers (pax `x`, GNU long name `L`), checked by the header's
 * typeflag, never guessed from the body. node-tar's pax reader splits records at newlines and
 * silently drops what it cannot parse; its long-name reader cuts at the first NUL only within
 * a line. Another reader (GNU tar, Python's tarfile, a BagIt validator) would then see another
 * path or size than we verified: the parser-desynchronisation class of advisories. So every
 * meta header must be unambiguous to all readers, or the archive is refused.
 */

/** Parse pax records strictly by their length prefixes; null if the body is not exactly a record list. */
export function parsePaxRecords(body: Buffer | string): Array<{ key: string; value: string }> | null {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const records: Array<{ key: string; value: string }> = [];
  let offset = 0;
  while (offset < bytes.length) {
    const space = bytes.indexOf(0x20, offset);
    if (space < 0 || space - offset > 20) return null;
    const lengthText = bytes.toString('latin1', offset, space);
    if (!/^[1-9][0-9]*$/u.test(lengthText)) return null;
    const length = Number(lengthText);
    const end = offset + length;
    if (end > bytes.length || end <= space + 1 || bytes[end - 1] !== 0x0a) return null;
    const record = strictUtf8(bytes.subarray(space + 1, end - 1));
    if (record === null) return null;
    const equals = record.indexOf('=');
    if (equals <= 0) return null;
    records.push({ key: record.slice(0, equals), value: record.slice(equals + 1) });
    offset = end;
  }
  return records;
}

const ALLOWED_PAX_KEYS = new Set(['path', 'size', 'mtime', 'atime', 'ctime', 'uid', 'gid', 'uname', 'gname', 'charset', 'comment', 'hdrcharset']);
/** Vendor keys GNU tar, bsdtar and star write for plain files; none changes an entry's path, type or size. */
const VENDOR_KEY = /^(SCHILY\.(dev|ino|nlink|fflags|xattr\..+|acl\..+)|LIBARCHIVE\.(creationtime|xattr\..+))$/u;
const TIME_VALUE = /^-?[0-9]{1,20}(\.[0-9]{1,9})?$/u;

/** What a pax header says about its entry. */
export interface PaxFacts {
  path?: string;
  size?: number;
}

export function checkPaxHeader(body: Buffer): PaxFacts {
  const records = parsePaxRecords(body);
  if (records === null) throw new ArchiveError('a pax extended header is malformed (not exactly a list of length-prefixed UTF-8 records)');
  const facts: PaxFacts = {};
  const seen = new Set<string>();
  for (const { key, value } of records) {
    if (key.startsWith('GNU.sparse')) throw new ArchiveError('a sparse-file pax header', 'unsafe-type');
    if (key === 'linkpath') throw new ArchiveError('a pax header sets a link target', 'unsafe-type');
    if (seen.has(key)) throw new ArchiveError(`a pax header sets "${key}" twice`);
    seen.add(key);
    if (/[\n\0]/u.test(value)) throw new ArchiveError(`the pax "${key}" value holds a newline or NUL, which readers disagree on`);
    if (!ALLOWED_PAX_KEYS.has(key) && !VENDOR_KEY.test(key)) throw new ArchiveError(`unsupported pax key "${key}"`);
    if (key === 'size') {
      if (!/^[0-9]{1,16}$/u.test(value) || !Number.isSafeInteger(Number(value))) throw new ArchiveError('a pax size is not a plain non-negative number');
      facts.size = Number(value);
    } else if (key === 'path') {
      if (value.length === 0) throw new ArchiveError('a pax path is empty');
      facts.path = value;
    } else if ((key === 'mtime' || key === 'atime' || key === 'ctime') && !TIME_VALUE.test(value)) {
      throw new ArchiveError(`the pax "${key}" value is not a time`);
    } else if ((key === 'uid' || key === 'gid') && !/^[0-9]{1,16}$/u.test(value)) {
      throw new ArchiveError(`the pax "${key}" value is not a number`);
    }
  }
  return facts;
}

/** A GNU long name: the UTF-8 name, then NUL padding only. */
export function checkLongName(body: Buffer): string {
  let nul = body.indexOf(0);
  if (nul < 0) nul = body.length;
  for (let i = nul; i < body.length; i += 1) if (body[i] !== 0) throw new ArchiveError('a long-name header holds a NUL inside the name');
  if (nul === 0) throw new ArchiveError('a long-name header holds an empty name');
  const name = strictUtf8(body.subarray(0, nul));
  if (name === null) throw new ArchiveError('a long-name header holds a name that is not valid UTF-8');
  return name;
}
