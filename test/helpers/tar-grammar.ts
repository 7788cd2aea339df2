/**
 * A small grammar of tar archives for the differential test (test/security/tar-differential.test.ts):
 * seeded and deterministic, it builds archives block by block, honest ones and ones with the
 * header tricks tar readers disagree on (meta-header combinations, name/prefix/magic/version
 * variants, numeric field encodings, typeflags, trailing-slash and invalid UTF-8 names, lying
 * sizes, truncation, early or lone end markers, trailing data).
 */
import { encodeFileHeader, END_OF_ARCHIVE, padding } from '../../electron/core/bundle/tar-header.js';
import { paxRecord } from './hostile-tar.js';
import { seededRandom } from './seeded-random.js';

export interface HeaderFields {
  name: Buffer;
  prefix?: Buffer;
  mode?: Buffer;
  uid?: Buffer;
  gid?: Buffer;
  size: Buffer;
  mtime?: Buffer;
  typeflag: number;
  linkname?: Buffer;
  magic?: Buffer;
  uname?: Buffer;
  devmajor?: Buffer;
  devminor?: Buffer;
  /** Raw bytes for 345..500 (GNU format's atime/ctime area), instead of the prefix. */
  extra?: Buffer;
  checksum?: 'right' | 'wrong' | 'signed';
}

export const USTAR = Buffer.from('ustar\u000000', 'latin1');
export const GNU = Buffer.from('ustar  \u0000', 'latin1');

/** node-tar's octal field: zero-padded digits, space, NUL. */
export function octal(value: number, width: number): Buffer {
  return Buffer.from(`${value.toString(8).padStart(width - 2, '0')} \0`, 'latin1');
}

export function base256(value: number, width: number): Buffer {
  const field = Buffer.alloc(width);
  field[0] = 0x80;
  let rest = value;
  for (let i = width - 1; i > 0; i -= 1) {
    field[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return field;
}

export function header(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(512);
  fields.name.copy(block, 0, 0, 100);
  (fields.mode ?? octal(0o644, 8)).copy(block, 100, 0, 8);
  (fields.uid ?? octal(0, 8)).copy(block, 108, 0, 8);
  (fields.gid ?? octal(0, 8)).copy(block, 116, 0, 8);
  fields.size.copy(block, 124, 0, 12);
  (fields.mtime ?? octal(1_700_000_000, 12)).copy(block, 136, 0, 12);
  block[156] = fields.typeflag;
  fields.linkname?.copy(block, 157, 0, 100);
  (fields.magic ?? USTAR).copy(block, 257, 0, 8);
  fields.uname?.copy(block, 265, 0, 32);
  (fields.devmajor ?? Buffer.alloc(0)).copy(block, 329, 0, 8);
  (fields.devminor ?? Buffer.alloc(0)).copy(block, 337, 0, 8);
  if (fields.extra) fields.extra.copy(block, 345, 0, 155);
  else fields.prefix?.copy(block, 345, 0, 155);
  block.fill(0x20, 148, 156);
  let sum = 0;
  let signed = 0;
  for (const byte of block) {
    sum += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  const stored = fields.checksum === 'wrong' ? sum + 1 : fields.checksum === 'signed' ? signed : sum;
  Buffer.from(`${(stored >>> 0).toString(8).slice(-6).padStart(6, '0')}\0 `, 'latin1').copy(block, 148);
  return block;
}

export function withData(head: Buffer, data: Buffer): Buffer {
  return Buffer.concat([head, data, padding(data.length)]);
}

function meta(typeflag: string, body: Buffer, name = '././@LongLink'): Buffer {
  return withData(
    header({
      name: Buffer.from(name),
      size: octal(body.length, 12),
      typeflag: typeflag.charCodeAt(0),
      mtime: Buffer.alloc(12),
      uid: Buffer.alloc(8),
      gid: Buffer.alloc(8),
    }),
    body,
  );
}
export const paxHeader = (body: string | Buffer): Buffer => meta('x', Buffer.from(body), 'PaxHeader/x');
export const longName = (name: string | Buffer, typeflag = 'L'): Buffer => meta(typeflag, Buffer.concat([Buffer.from(name), Buffer.from([0])]));

export const prng = seededRandom;

export interface GeneratedArchive {
  label: string;
  bytes: Buffer;
  /** Honest archives every reader must read alike; Airlock must accept them. */
  honest: boolean;
}

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

function dataFor(rand: Rand, size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) data[i] = Math.floor(rand() * 256);
  return data;
}

/** One honest regular file, written by Airlock's own header encoder. */
function airlockEntry(path: string, data: Buffer): Buffer {
  return Buffer.concat([encodeFileHeader({ path, size: data.length, mtime: new Date(1_700_000_000_000) }), data, padding(data.length)]);
}

const NAMES = ['b/a.txt', 'b/data/x', 'b/data/sub/y.bin', 'b/data/ünï.txt', 'b/data/a b', 'b/tag.txt'];

/** Mutations of one entry: each returns the entry's blocks (meta headers, header, data). */
const ENTRY_MUTATIONS: Record<string, (rand: Rand, path: string, data: Buffer) => Buffer> = {
  plain: (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
  'airlock-writer': (_r, path, data) => airlockEntry(path, data),
  'airlock-writer-long': (rand, path, data) => airlockEntry(`${path}/${'l'.repeat(100 + Math.floor(rand() * 120))}`, data),
  'airlock-writer-crlf-long': (rand, path, data) => airlockEntry(`${path}/${'c'.repeat(100 + Math.floor(rand() * 50))}\r\nz`, data),
  'nul-typeflag': (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0 }), data),
  contiguous: (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x37 }), data),
  directory: (_r, path) => header({ name: Buffer.from(`${path}/`), size: octal(0, 12), typeflag: 0x35, mode: octal(0o755, 8) }),
  'directory-with-size': (_r, path, data) => withData(header({ name: Buffer.from(`${path}/`), size: octal(data.length, 12), typeflag: 0x35 }), data),
  'file-trailing-slash': (_r, path, data) => withData(header({ name: Buffer.from(`${path}/`), size: octal(data.length, 12), typeflag: 0x30 }), data),
  'oldfile-trailing-slash': (_r, path, data) => withData(header({ name: Buffer.from(`${path}/`), size: octal(data.length, 12), typeflag: 0 }), data),
  'prefix-split': (rand, path, data) => {
    const dir = `${path.replace(/[^ -~]/gu, 'u')}/${'p'.repeat(Math.floor(rand() * 150))}`.slice(0, 155);
    return withData(header({ name: Buffer.from('leaf.txt'), prefix: Buffer.from(dir), size: octal(data.length, 12), typeflag: 0x30 }), data);
  },
  'prefix-with-gnu-magic': (_r, path, data) =>
    withData(header({ name: Buffer.from('leaf'), prefix: Buffer.from(path), magic: GNU, size: octal(data.length, 12), typeflag: 0x30 }), data),
  'prefix-with-version-blank': (_r, path, data) =>
    withData(
      header({ name: Buffer.from('leaf'), prefix: Buffer.from(path), magic: Buffer.from('ustar\0  ', 'latin1'), size: octal(data.length, 12), typeflag: 0x30 }),
      data,
    ),
  'gnu-magic': (_r, path, data) => withData(header({ name: Buffer.from(path), magic: GNU, size: octal(data.length, 12), typeflag: 0x30 }), data),
  'gnu-magic-atime': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), magic: GNU, extra: Buffer.from(octal(1_700_000_000, 12)), size: octal(data.length, 12), typeflag: 0x30 }), data),
  'v7-no-magic': (_r, path, data) => withData(header({ name: Buffer.from(path), magic: Buffer.alloc(8), size: octal(data.length, 12), typeflag: 0x30 }), data),
  'invalid-utf8-name': (_r, path, data) =>
    withData(header({ name: Buffer.concat([Buffer.from(path), Buffer.from([0xff, 0xfe])]), size: octal(data.length, 12), typeflag: 0x30 }), data),
  'nul-then-text-in-name': (_r, path, data) =>
    withData(header({ name: Buffer.from(`${path}\0\n../evil`), size: octal(data.length, 12), typeflag: 0x30 }), data),
  'newline-in-name': (_r, path, data) => withData(header({ name: Buffer.from(`${path}\nx`), size: octal(data.length, 12), typeflag: 0x30 }), data),
  'size-garbage-suffix': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), size: Buffer.from(`${data.length.toString(8)}x \0`), typeflag: 0x30 }), data),
  'size-0o-prefix': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), size: Buffer.from(`0o${data.length.toString(8)}\0`), typeflag: 0x30 }), data),
  'size-underscore': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), size: Buffer.from(`0_${data.length.toString(8)}\0`), typeflag: 0x30 }), data),
  'size-plus-sign': (_r, path, data) => withData(header({ name: Buffer.from(path), size: Buffer.from(`+${data.length.toString(8)}\0`), typeflag: 0x30 }), data),
  'size-leading-spaces': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), size: Buffer.from(`   ${data.length.toString(8)} \0`), typeflag: 0x30 }), data),
  'size-no-terminator': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), size: Buffer.from(data.length.toString(8).padStart(12, '0')), typeflag: 0x30 }), data),
  'size-base256': (_r, path, data) => withData(header({ name: Buffer.from(path), size: base256(data.length, 12), typeflag: 0x30 }), data),
  'size-negative-base256': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), size: Buffer.from([0xff, ...Array<number>(11).fill(0xff)]), typeflag: 0x30 }), data),
  'size-empty': (_r, path) => header({ name: Buffer.from(path), size: Buffer.alloc(12), typeflag: 0x30 }),
  'mtime-garbage': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), size: octal(data.length, 12), mtime: Buffer.from('12345678zz\0\0'), typeflag: 0x30 }), data),
  'mode-empty': (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(data.length, 12), mode: Buffer.alloc(8), typeflag: 0x30 }), data),
  'checksum-wrong': (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30, checksum: 'wrong' }), data),
  'checksum-signed': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), uname: Buffer.from([0xe9, 0xe9]), size: octal(data.length, 12), typeflag: 0x30, checksum: 'signed' }), data),
  'size-understated': (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(Math.max(0, data.length - 600), 12), typeflag: 0x30 }), data),
  'size-overstated': (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(data.length + 700, 12), typeflag: 0x30 }), data),
  'linkname-on-file': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), linkname: Buffer.from('other'), size: octal(data.length, 12), typeflag: 0x30 }), data),
  symlink: (_r, path) => header({ name: Buffer.from(path), linkname: Buffer.from('../../../etc/passwd'), size: octal(0, 12), typeflag: 0x32 }),
  'symlink-with-size': (_r, path, data) =>
    withData(header({ name: Buffer.from(path), linkname: Buffer.from('x'), size: octal(data.length, 12), typeflag: 0x32 }), data),
  hardlink: (_r, path) => header({ name: Buffer.from(path), linkname: Buffer.from('b/a.txt'), size: octal(0, 12), typeflag: 0x31 }),
  fifo: (_r, path) => header({ name: Buffer.from(path), size: octal(0, 12), typeflag: 0x36 }),
  'unknown-type': (_r, path, data) => withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x51 }), data),
  'pax-path': (_r, path, data) =>
    Buffer.concat([
      paxHeader(paxRecord('path', `${path}-pax`)),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'pax-size': (_r, path, data) =>
    Buffer.concat([paxHeader(paxRecord('size', String(data.length))), withData(header({ name: Buffer.from(path), size: octal(0, 12), typeflag: 0x30 }), data)]),
  'pax-mtime-gnu-style': (_r, path, data) =>
    Buffer.concat([
      paxHeader(paxRecord('mtime', '1700000000.123456789') + paxRecord('atime', '1700000001') + paxRecord('ctime', '1700000002')),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'pax-size-then-longname': (_r, path, data) =>
    Buffer.concat([
      paxHeader(paxRecord('size', String(data.length))),
      longName(`${path}/${'n'.repeat(120)}\r\n`),
      withData(header({ name: Buffer.from(path), size: octal(0, 12), typeflag: 0x30 }), data),
    ]),
  'longname-then-pax-size': (_r, path, data) =>
    Buffer.concat([
      longName(`${path}/${'m'.repeat(120)}`),
      paxHeader(paxRecord('size', String(data.length))),
      withData(header({ name: Buffer.from(path), size: octal(0, 12), typeflag: 0x30 }), data),
    ]),
  'pax-path-then-longname': (_r, path, data) =>
    Buffer.concat([
      paxHeader(paxRecord('path', `${path}-pax`)),
      longName(`${path}-long`),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'longname-then-pax-path': (_r, path, data) =>
    Buffer.concat([
      longName(`${path}-long`),
      paxHeader(paxRecord('path', `${path}-pax`)),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'two-pax': (_r, path, data) =>
    Buffer.concat([
      paxHeader(paxRecord('path', `${path}-one`)),
      paxHeader(paxRecord('path', `${path}-two`)),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'two-longnames': (_r, path, data) =>
    Buffer.concat([
      longName(`${path}-one`),
      longName(`${path}-two`),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'pax-body-nul-ended': (_r, path, data) =>
    Buffer.concat([
      paxHeader(`${paxRecord('path', `${path}-pax`)}\0`),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'pax-hidden-size': (_r, path, data) =>
    Buffer.concat([
      paxHeader(`${paxRecord('comment', `x\0${paxRecord('size', '1024')}`)}\0`),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'pax-newline-value': (_r, path, data) =>
    Buffer.concat([
      paxHeader(paxRecord('path', `${path}\n../../evil`)),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'pax-linkpath': (_r, path, data) =>
    Buffer.concat([
      paxHeader(paxRecord('linkpath', '/etc/passwd')),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'pax-invalid-utf8-path': (_r, path, data) =>
    Buffer.concat([
      paxHeader(Buffer.concat([Buffer.from(`${path.length + 9 + 2} path=${path}`), Buffer.from([0xff]), Buffer.from('\n')])),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'longname-invalid-utf8': (_r, path, data) =>
    Buffer.concat([
      longName(Buffer.concat([Buffer.from(path), Buffer.from([0xc3, 0x28])])),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'longlink-symlink': (_r, path) =>
    Buffer.concat([
      longName(`../${'x/'.repeat(60)}`, 'K'),
      header({ name: Buffer.from(path), linkname: Buffer.from('short'), size: octal(0, 12), typeflag: 0x32 }),
    ]),
  'global-pax': (_r, path, data) =>
    Buffer.concat([
      meta('g', Buffer.from(paxRecord('path', 'other'))),
      withData(header({ name: Buffer.from(path), size: octal(data.length, 12), typeflag: 0x30 }), data),
    ]),
  'dangling-pax': (_r, path) => paxHeader(paxRecord('path', `${path}-lost`)),
};

/** Recompute a header block's checksum in place (after a mutation), as an honest writer would. */
export function fixChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `, 'latin1').copy(block, 148);
}

const FLIP_BYTES = [0, 0x20, 0x2f, 0x30, 0x35, 0x37, 0x38, 0x80, 0xff, 0x78, 0x0a, 0x4c, 0x67, 0x31, 0x32];

/** An honest entry (plain, pax or long name) with one to three header bytes changed, checksum fixed mostly. */
function byteFlip(rand: Rand, path: string, data: Buffer): Buffer {
  const base = pick(rand, ['plain', 'pax-path', 'pax-size', 'airlock-writer-crlf-long', 'prefix-split', 'gnu-magic']);
  const entry = Buffer.from((ENTRY_MUTATIONS[base] as (r: Rand, p: string, d: Buffer) => Buffer)(rand, path, data));
  // The header blocks: the first block, and for meta headers the entry header after their data.
  const blocks = [0];
  const size = Number.parseInt(entry.subarray(124, 136).toString('latin1').replace(/\0.*$/su, '').trim() || '0', 8);
  if (entry[156] === 0x78 || entry[156] === 0x4c) blocks.push(512 + Math.ceil(size / 512) * 512);
  const at = pick(rand, blocks);
  for (let flips = 1 + Math.floor(rand() * 3); flips > 0; flips -= 1) {
    const field = pick(rand, [
      [0, 100],
      [100, 8],
      [124, 12],
      [136, 12],
      [156, 1],
      [257, 8],
      [345, 155],
      [157, 100],
    ] as const);
    entry[at + field[0] + Math.floor(rand() * field[1])] = pick(rand, FLIP_BYTES);
  }
  if (rand() < 0.85) fixChecksum(entry.subarray(at, at + 512));
  return entry;
}
ENTRY_MUTATIONS['byte-flip'] = byteFlip;
ENTRY_MUTATIONS['byte-flip-2'] = byteFlip;
ENTRY_MUTATIONS['byte-flip-3'] = byteFlip;

const HONEST_ENTRY = new Set([
  'plain',
  'airlock-writer',
  'airlock-writer-long',
  'airlock-writer-crlf-long',
  'nul-typeflag',
  'contiguous',
  'directory',
  'prefix-split',
  'gnu-magic',
  'pax-path',
  'pax-size',
  'pax-mtime-gnu-style',
  'pax-size-then-longname',
  'longname-then-pax-size',
]);

/** Endings of an archive after its entries. */
const ENDINGS: Record<string, (rand: Rand, body: Buffer) => Buffer> = {
  marker: (_r, body) => Buffer.concat([body, END_OF_ARCHIVE]),
  'marker-record-padding': (_r, body) => {
    const ended = Buffer.concat([body, END_OF_ARCHIVE]);
    return Buffer.concat([ended, Buffer.alloc((10240 - (ended.length % 10240)) % 10240)]);
  },
  'no-marker': (_r, body) => body,
  'one-zero-block': (_r, body) => Buffer.concat([body, Buffer.alloc(512)]),
  'truncated-mid-block': (rand, body) => body.subarray(0, Math.max(1, body.length - 1 - Math.floor(rand() * 700))),
  'trailing-garbage': (_r, body) => Buffer.concat([body, END_OF_ARCHIVE, Buffer.from('garbage after the end')]),
  'zeros-past-record': (_r, body) => Buffer.concat([body, END_OF_ARCHIVE, Buffer.alloc(20480)]),
  'hidden-entry-after-marker': (_r, body) =>
    Buffer.concat([
      body,
      END_OF_ARCHIVE,
      withData(header({ name: Buffer.from('b/hidden'), size: octal(3, 12), typeflag: 0x30 }), Buffer.from('bad')),
      END_OF_ARCHIVE,
    ]),
  'hidden-entry-after-lone-zero-block': (_r, body) =>
    Buffer.concat([
      body,
      Buffer.alloc(512),
      withData(header({ name: Buffer.from('b/hidden'), size: octal(3, 12), typeflag: 0x30 }), Buffer.from('bad')),
      END_OF_ARCHIVE,
    ]),
};

/** `count` archives from `seed`: roughly a third honest, the rest with one or two hostile parts. */
export function generateArchives(seed: number, count: number): GeneratedArchive[] {
  const rand = prng(seed);
  const mutations = Object.keys(ENTRY_MUTATIONS);
  const honest = [...HONEST_ENTRY];
  const endings = Object.keys(ENDINGS);
  const archives: GeneratedArchive[] = [];
  for (let n = 0; n < count; n += 1) {
    const wantHonest = rand() < 0.35;
    const entries = 1 + Math.floor(rand() * 3);
    const hostileAt = wantHonest ? -1 : Math.floor(rand() * entries);
    const parts: Buffer[] = [];
    const labels: string[] = [];
    for (let i = 0; i < entries; i += 1) {
      // Every mutation comes round in turn, so each appears several times in a few hundred archives.
      const kind = i === hostileAt ? (mutations[(n + i) % mutations.length] as string) : pick(rand, honest);
      const size = pick(rand, [0, 1, 100, 511, 512, 513, 1500]);
      const path = `${pick(rand, NAMES)}${i}`;
      parts.push((ENTRY_MUTATIONS[kind] as (r: Rand, p: string, d: Buffer) => Buffer)(rand, path, dataFor(rand, size)));
      labels.push(kind);
    }
    const ending = wantHonest ? pick(rand, ['marker', 'marker-record-padding']) : rand() < 0.75 ? 'marker' : pick(rand, endings);
    const bytes = (ENDINGS[ending] as (r: Rand, b: Buffer) => Buffer)(rand, Buffer.concat(parts));
    const isHonest = labels.every((l) => HONEST_ENTRY.has(l)) && (ending === 'marker' || ending === 'marker-record-padding');
    archives.push({ label: `#${n} ${labels.join('+')} / ${ending}`, bytes, honest: isHonest });
  }
  return archives;
}
