/**
 * A corpus of file kinds built in the test (no binary fixtures from outside): the first bytes of
 * each format as its specification puts them, a hand-written zip writer (stored or deflated, with
 * bytes before and after for polyglots) and an OLE compound file writer (MS-CFB version 3) whose
 * directory can hold a VBA storage, a class id, and chosen damage.
 */
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

export const pdf = (): Buffer => ascii('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
export const png = (): Buffer =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex')]);
export const jpeg = (): Buffer =>
  Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 0x11), Buffer.from('ffd9', 'hex')]);
export const gif = (): Buffer => Buffer.concat([ascii('GIF89a'), Buffer.from('0100010000000021f90401000000002c00000000010001000002024401003b', 'hex')]);
export const sevenZip = (): Buffer => Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), Buffer.alloc(56)]);
export const gzip = (data = 'hello\n'): Buffer => gzipSync(Buffer.from(data));
export const elf = (): Buffer => Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120)]);
export const machO64 = (): Buffer => Buffer.concat([Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x07, 0x00, 0x00, 0x01]), Buffer.alloc(56)]);
export const machOFat = (): Buffer => Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x02]), Buffer.alloc(56)]);
export const javaClass = (): Buffer => Buffer.concat([Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34]), Buffer.alloc(56)]);

/** A Windows program: DOS stub with e_lfanew pointing at "PE\0\0" and a COFF header. */
export function pe(): Buffer {
  const b = Buffer.alloc(0x200);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x8664, 0x84);
  return b;
}

/** One ustar member. */
export function tar(name = 'a.txt', data: Buffer = Buffer.from('hello\n')): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write('0', 156, 'latin1');
  header.write('ustar\0' + '00', 257, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded, Buffer.alloc(1024)]);
}

export interface ZipMember {
  name: string;
  data: Buffer | string;
  deflate?: boolean;
  /** General-purpose flag bit 0 (encrypted), for damaged or encrypted cases. */
  flags?: number;
}

/** A zip (PKWARE APPNOTE 4.3) with the members in order; `before`/`after` wrap it (offsets stay relative to the zip's start, as appended-zip polyglots do). */
export function zip(members: ZipMember[], options: { before?: Buffer; after?: Buffer; comment?: string } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const raw = Buffer.isBuffer(member.data) ? member.data : Buffer.from(member.data);
    const body = member.deflate === false ? raw : deflateRawSync(raw);
    const method = member.deflate === false ? 0 : 8;
    const name = Buffer.from(member.name);
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(member.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(member.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([options.before ?? Buffer.alloc(0), ...locals, directory, end, comment, options.after ?? Buffer.alloc(0)]);
}

/** A package's part list; `extra` adds Default/Override elements (a VBA project's content type, as Word writes it in a .docm). */
export const contentTypes = (main: string, extra = ''): string =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  `<Default Extension="xml" ContentType="application/xml"/>${extra}<Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;
const VBA_DEFAULT = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>';
export const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
export const DOCM_MAIN = 'application/vnd.ms-word.document.macroEnabled.main+xml';

/** A Word package: [Content_Types].xml, the document part, and a VBA project when asked (as Word writes a .docm). */
export function ooxml(options: { macros?: boolean; main?: string; contentTypesLast?: boolean; padding?: number; parts?: ZipMember[] } = {}): Buffer {
  const main = options.main ?? (options.macros === true ? DOCM_MAIN : DOCX_MAIN);
  const types: ZipMember = { name: '[Content_Types].xml', data: contentTypes(main, options.macros === true ? VBA_DEFAULT : '') };
  const parts: ZipMember[] = [
    { name: '_rels/.rels', data: '<Relationships/>' },
    // Incompressible padding pushes later parts out of the head (TYPE_SNIFF_BYTES), as a real document's media does.
    { name: 'word/document.xml', data: Buffer.concat([Buffer.from('<w:document/>'), noise(options.padding ?? 0)]), deflate: false },
    ...(options.parts ?? []),
  ];
  if (options.macros === true)
    parts.push({
      name: 'word/vbaProject.bin',
      data: ole({
        entries: [
          { name: 'VBA', type: 1 },
          { name: 'PROJECT', type: 2 },
        ],
      }),
    });
  return zip(options.contentTypesLast === true ? [...parts, types] : [types, ...parts]);
}

/** Bytes that do not compress (a linear congruential sequence). */
export function noise(length: number, seed = 7): Buffer {
  const b = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

export const WORD_CLSID = '00020906-0000-0000-C000-000000000046';
export const EXCEL_CLSID = '00020820-0000-0000-C000-000000000046';
export const MSI_CLSID = '000C1084-0000-0000-C000-000000000046';

export interface OleOptions {
  clsid?: string;
  /** Storages (1) and streams (2); a stream's data goes to regular sectors from 4,096 bytes, to the mini stream below. */
  entries?: Array<{ name: string; type: 1 | 2; data?: Buffer }>;
  /** Damage: the directory chain points back at itself, or to a sector past the end. */
  damage?: 'loop' | 'out-of-range' | 'bad-entry-type' | 'truncated';
  /** Sectors of filler before the directory (pushes it out of the head). */
  fillerSectors?: number;
}

/** An OLE compound file, version 3 (512-byte sectors): header, FAT sectors, filler, directory, streams, mini stream, mini FAT. */
export function ole(options: OleOptions = {}): Buffer {
  const SECTOR = 512;
  const END = 0xfffffffe;
  const names = [
    { name: 'Root Entry', type: 5 as const, data: undefined as Buffer | undefined },
    ...(options.entries ?? [{ name: 'WordDocument', type: 2 as const }]),
  ];
  const dirSectors = Math.ceil(names.length / 4);
  const filler = options.fillerSectors ?? 0;
  // Small streams, packed into the mini stream in 64-byte mini sectors.
  const mini: Buffer[] = [];
  const miniFat: number[] = [];
  const starts = names.map(() => END);
  const sizes = names.map((entry) => entry.data?.length ?? 0);
  names.forEach((entry, i) => {
    if (entry.data === undefined || entry.data.length === 0 || entry.data.length >= 4096) return;
    const count = Math.ceil(entry.data.length / 64);
    starts[i] = miniFat.length;
    for (let k = 0; k < count; k++) miniFat.push(k === count - 1 ? END : miniFat.length + 1);
    const padded = Buffer.alloc(count * 64);
    entry.data.copy(padded);
    mini.push(padded);
  });
  const miniStream = Buffer.concat(mini);
  const big = names.map((entry) => (entry.data !== undefined && entry.data.length >= 4096 ? entry.data : null));
  const bodySectors =
    filler +
    dirSectors +
    big.reduce((n, d) => n + (d === null ? 0 : Math.ceil(d.length / SECTOR)), 0) +
    Math.ceil(miniStream.length / SECTOR) +
    Math.ceil((miniFat.length * 4) / SECTOR);
  let fatSectors = 1;
  while (fatSectors * 128 < fatSectors + bodySectors) fatSectors++;
  const total = fatSectors + bodySectors;
  const fat: number[] = new Array<number>(fatSectors * 128).fill(0xffffffff);
  for (let i = 0; i < fatSectors; i++) fat[i] = 0xfffffffd;
  const sectors: Buffer[] = [];
  let next = fatSectors;
  /** Lays `bytes` out in consecutive sectors, chained in the FAT; returns the first sector. */
  const place = (bytes: Buffer): number => {
    const count = Math.max(1, Math.ceil(bytes.length / SECTOR));
    const first = next;
    for (let k = 0; k < count; k++) {
      const chunk = Buffer.alloc(SECTOR);
      bytes.copy(chunk, 0, k * SECTOR, (k + 1) * SECTOR);
      sectors.push(chunk);
      fat[next] = k === count - 1 ? END : next + 1;
      next++;
    }
    return first;
  };
  for (let i = 0; i < filler; i++) place(Buffer.alloc(SECTOR, 0x20));
  const dir = Buffer.alloc(dirSectors * SECTOR);
  const firstDir = place(dir);
  big.forEach((data, i) => {
    if (data !== null) starts[i] = place(data);
  });
  const rootStart = miniStream.length > 0 ? place(miniStream) : END;
  const miniFatBytes = Buffer.alloc(miniFat.length * 4);
  miniFat.forEach((v, i) => miniFatBytes.writeUInt32LE(v, i * 4));
  const miniFatStart = miniFat.length > 0 ? place(miniFatBytes) : END;
  starts[0] = rootStart;
  sizes[0] = miniStream.length;
  const lastDir = firstDir + dirSectors - 1;
  if (options.damage === 'loop') fat[lastDir] = firstDir;
  if (options.damage === 'out-of-range') fat[lastDir] = 5000;
  names.forEach((entry, i) => {
    const at = i * 128;
    const name = Buffer.from(`${entry.name}\0`, 'utf16le');
    name.copy(dir, at);
    dir.writeUInt16LE(name.length, at + 0x40);
    dir[at + 0x42] = options.damage === 'bad-entry-type' && i === names.length - 1 ? 9 : entry.type;
    dir[at + 0x43] = 1;
    dir.writeUInt32LE(0xffffffff, at + 0x44);
    dir.writeUInt32LE(i + 1 < names.length && i > 0 ? i + 1 : 0xffffffff, at + 0x48);
    dir.writeUInt32LE(i === 0 && names.length > 1 ? 1 : 0xffffffff, at + 0x4c);
    if (i === 0 && options.clsid !== undefined) guidBytes(options.clsid).copy(dir, at + 0x50);
    dir.writeUInt32LE(starts[i] ?? END, at + 0x74);
    dir.writeUInt32LE(sizes[i] ?? 0, at + 0x78);
  });
  // The directory was placed before its bytes were written: copy them into its sectors.
  for (let k = 0; k < dirSectors; k++) dir.copy(sectors[firstDir - fatSectors + k] as Buffer, 0, k * SECTOR, (k + 1) * SECTOR);
  const header = Buffer.alloc(SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(fatSectors, 0x2c);
  header.writeUInt32LE(firstDir, 0x30);
  header.writeUInt32LE(0x1000, 0x38);
  header.writeUInt32LE(miniFatStart, 0x3c);
  header.writeUInt32LE(Math.ceil((miniFat.length * 4) / SECTOR), 0x40);
  header.writeUInt32LE(END, 0x44);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i < fatSectors ? i : 0xffffffff, 0x4c + i * 4);
  const fatBytes = Buffer.alloc(fatSectors * SECTOR);
  fat.forEach((v, i) => fatBytes.writeUInt32LE(v, i * 4));
  if (next !== total) throw new Error(`ole(): laid out ${next} sectors, planned ${total}`);
  const file = Buffer.concat([header, fatBytes, ...sectors]);
  return options.damage === 'truncated' ? file.subarray(0, file.length - 256) : file;
}

function guidBytes(guid: string): Buffer {
  const [a = '', b = '', c = '', d = '', e = ''] = guid.split('-');
  const le = (hex: string): Buffer => Buffer.from(hex, 'hex').reverse();
  return Buffer.concat([le(a), le(b), le(c), Buffer.from(d + e, 'hex')]);
}

/**
 * A version 3 compound file of `sectors` sectors laid out as: FAT sectors from sector 0, then DIFAT
 * sectors when more than 109 FAT sectors are needed, then `chain` (the directory's sectors, in
 * order) wherever the caller puts them; the first directory sector holds a root entry and `names`.
 */
export function sparseCompoundFile(
  sectors: number,
  chain: number[],
  names: string[],
  patch?: (header: Buffer, fat: (sector: number, next: number) => void) => void,
): Buffer {
  const SECTOR = 512;
  const FREE = 0xffffffff;
  const END = 0xfffffffe;
  const file = Buffer.alloc((sectors + 1) * SECTOR);
  const fatSectors = Math.ceil(sectors / 128);
  const difatSectors = Math.max(0, Math.ceil((fatSectors - 109) / 127));
  const header = file.subarray(0, SECTOR);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(0x1000, 0x38);
  header.writeUInt32LE(END, 0x3c);
  header.writeUInt32LE(fatSectors, 0x2c);
  header.writeUInt32LE(chain[0] ?? END, 0x30);
  header.writeUInt32LE(difatSectors === 0 ? END : fatSectors, 0x44);
  header.writeUInt32LE(difatSectors, 0x48);
  for (let i = 0; i < 109; i++) header.writeUInt32LE(i < fatSectors ? i : FREE, 0x4c + i * 4);
  for (let d = 0; d < difatSectors; d++) {
    const at = (fatSectors + d + 1) * SECTOR;
    for (let i = 0; i < 127; i++) {
      const index = 109 + d * 127 + i;
      file.writeUInt32LE(index < fatSectors ? index : FREE, at + i * 4);
    }
    file.writeUInt32LE(d === difatSectors - 1 ? END : fatSectors + d + 1, at + 508);
  }
  const fat = (sector: number, next: number): void => {
    file.writeUInt32LE(next, (Math.floor(sector / 128) + 1) * SECTOR + (sector % 128) * 4);
  };
  for (let s = 0; s < sectors; s++) fat(s, FREE);
  for (let s = 0; s < fatSectors; s++) fat(s, 0xfffffffd);
  for (let d = 0; d < difatSectors; d++) fat(fatSectors + d, 0xfffffffc);
  chain.forEach((sector, i) => fat(sector, chain[i + 1] ?? END));
  const first = ((chain[0] ?? 0) + 1) * SECTOR;
  ['Root Entry', ...names].forEach((name, i) => {
    const at = first + i * 128;
    const encoded = Buffer.from(`${name}\0`, 'utf16le');
    encoded.copy(file, at);
    file.writeUInt16LE(encoded.length, at + 0x40);
    file[at + 0x42] = i === 0 ? 5 : 1;
    file[at + 0x43] = 1;
    // Tree: the root's child is entry 1; the others are chained by their right-sibling pointers.
    file.writeUInt32LE(0xffffffff, at + 0x44);
    file.writeUInt32LE(i > 0 && i < names.length ? i + 1 : 0xffffffff, at + 0x48);
    file.writeUInt32LE(i === 0 && names.length > 0 ? 1 : 0xffffffff, at + 0x4c);
    file.writeUInt32LE(END, at + 0x74);
  });
  patch?.(header, fat);
  return file;
}

/** BIFF8 records of a workbook's globals (MS-XLS): BOF, optional FILEPASS and filler, one BOUNDSHEET per sheet, EOF. */
export function workbookGlobals(
  sheets: Array<{ name: string; kind: 0 | 1 | 2 | 6 }>,
  options: { filepass?: boolean; eof?: boolean; fillerBytes?: number } = {},
): Buffer {
  const record = (type: number, data: Buffer): Buffer => {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(type, 0);
    head.writeUInt16LE(data.length, 2);
    return Buffer.concat([head, data]);
  };
  const bof = Buffer.alloc(16);
  bof.writeUInt16LE(0x0600, 0);
  bof.writeUInt16LE(0x0005, 2);
  const parts = [record(0x0809, bof)];
  if (options.filepass === true) parts.push(record(0x002f, Buffer.alloc(54, 1)));
  for (let left = options.fillerBytes ?? 0; left > 0; left -= 1000) parts.push(record(0x0031, Buffer.alloc(Math.min(1000, left), 0x20)));
  for (const sheet of sheets) {
    const data = Buffer.alloc(8 + sheet.name.length);
    data[4] = 0;
    data[5] = sheet.kind;
    data[6] = sheet.name.length;
    data.write(sheet.name, 8, 'latin1');
    parts.push(record(0x0085, data));
  }
  if (options.eof !== false) parts.push(record(0x000a, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** The start of a Word 97+ document stream (FIB): wIdent 0xA5EC and the flags word, optionally encrypted. */
export function wordFib(encrypted: boolean): Buffer {
  const fib = Buffer.alloc(64);
  fib.writeUInt16LE(0xa5ec, 0);
  fib.writeUInt16LE(0x00c1, 2);
  fib.writeUInt16LE(encrypted ? 0x0100 : 0x0000, 0x0a);
  return fib;
}
