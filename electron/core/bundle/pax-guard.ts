/**
 * node-tar applies pax and GNU long-name headers itself, but its pax reader splits records at
 * newlines and silently drops what it cannot parse, and its long-name reader cuts at the first
 * NUL only within a line. Another reader (GNU tar, a BagIt validator) would then see a different
 * path than we verified: the parser-desynchronisation class of advisories. So every meta header
 * must be unambiguous to all readers, or the archive is refused.
 */
export type MetaVerdict = { ok: true } | { ok: false; reason: string; sparse?: boolean };

/** Parse pax records strictly by their length prefixes; null if the body is not exactly a record list. */
export function parsePaxRecords(body: string): Array<{ key: string; value: string }> | null {
  const bytes = Buffer.from(body, 'utf8');
  const records: Array<{ key: string; value: string }> = [];
  let offset = 0;
  while (offset < bytes.length) {
    const space = bytes.indexOf(0x20, offset);
    if (space < 0 || space - offset > 20) return null;
    const lengthText = bytes.toString('latin1', offset, space);
    if (!/^[1-9][0-9]*$/u.test(lengthText)) return null;
    const length = Number(lengthText);
    const end = offset + length;
    if (end > bytes.length || bytes[end - 1] !== 0x0a) return null;
    const record = bytes.toString('utf8', space + 1, end - 1);
    const equals = record.indexOf('=');
    if (equals <= 0) return null;
    records.push({ key: record.slice(0, equals), value: record.slice(equals + 1) });
    offset = end;
  }
  return records;
}

const ALLOWED_PAX_KEYS = new Set(['path', 'size', 'mtime', 'atime', 'ctime', 'uid', 'gid', 'uname', 'gname', 'charset', 'comment', 'hdrcharset']);

export function checkMetaHeader(meta: string): MetaVerdict {
  // GNU long name: the name, then NUL padding only.
  if (meta.endsWith('\0')) {
    if (!/^[^\0]+\0+$/u.test(meta)) return { ok: false, reason: 'a long-name header holds a NUL inside the name' };
    return { ok: true };
  }
  const records = parsePaxRecords(meta);
  if (records === null) return { ok: false, reason: 'a pax extended header is malformed' };
  for (const { key, value } of records) {
    if (key.startsWith('GNU.sparse')) return { ok: false, reason: 'a sparse-file pax header', sparse: true };
    if (key === 'linkpath') return { ok: false, reason: 'a pax header sets a link target' };
    if (/[\n\0]/u.test(value)) return { ok: false, reason: `the pax "${key}" value holds a newline or NUL, which readers disagree on` };
    if (!ALLOWED_PAX_KEYS.has(key) && !key.startsWith('SCHILY.') && !key.startsWith('LIBARCHIVE.')) {
      return { ok: false, reason: `unsupported pax key "${key}"` };
    }
    if (key === 'size' && !/^[0-9]{1,16}$/u.test(value)) return { ok: false, reason: 'a pax size is not a plain non-negative number' };
  }
  return { ok: true };
}
