/**
 * Seeded hostile bundles that a trusted key signed correctly (the tag manifest is recomputed over
 * the edited tag files and signed again), so each case reaches the layers behind authentication:
 * names in the manifest and in the tar (odd bytes, spellings, lengths, depths), tar shapes that
 * disagree with the manifest (extra, missing, duplicate entries; end-marker tricks; base-256,
 * space-padded and pax-overridden sizes; GNU long names; links, devices, sparse files) and tag
 * file oddities. Each case says whether an honest reading must refuse it (`hostile`), so a test
 * checks more than that verify and import agree: a hostile case accepted is a finding too.
 * Used by test/security/resigned-hostile-bundles.test.ts.
 */
import { sha256Hex } from '../../electron/core/crypto/sha256.js';
import { resignedBag, type ResignOptions } from './hostile-bag.js';
import { paxRecord, rawEntry, type BagPayloadFile, type RawEntry, type TestSigner } from './hostile-tar.js';
import { base256, header, longName, octal, paxHeader, withData } from './tar-grammar.js';
import { seededRandom } from './seeded-random.js';

export interface HostileCase {
  /** What the case holds, for the failure message (and to build it again from the seed). */
  what: string;
  /** Whether an honest reading must refuse the bundle (false: it may be accepted, e.g. an odd but honest encoding). */
  hostile: boolean;
  bytes: Buffer;
}

/** The honest payload every case starts from. */
export const BASE_FILES: BagPayloadFile[] = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.txt', content: 'bravo\n' },
];

/** A name (one path component, as bytes) and whether a station must refuse it in a bundle. */
interface NameAtom {
  label: string;
  bytes: Buffer;
  hostile: boolean;
}

const u = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Names after `data/`; the benign ones keep the generator honest (an odd but fine name imports). */
const NAMES: NameAtom[] = [
  { label: 'dot-dot', bytes: u('..'), hostile: true },
  { label: 'dot', bytes: u('.'), hostile: true },
  { label: 'dot-dot climbing', bytes: u('../../escape.txt'), hostile: true },
  { label: 'empty component', bytes: u('x//y.txt'), hostile: true },
  { label: 'backslash traversal', bytes: u('..\\..\\evil.txt'), hostile: true },
  { label: 'backslash', bytes: u('a\\b.txt'), hostile: true },
  { label: 'NUL', bytes: u('nul\u0000.txt'), hostile: true },
  { label: 'newline', bytes: u('new\nline.txt'), hostile: true },
  { label: 'carriage return', bytes: u('cr\r.txt'), hostile: true },
  { label: 'escape', bytes: u('esc\u001b[31m.txt'), hostile: true },
  { label: 'DEL', bytes: u('del\u007f.txt'), hostile: true },
  { label: 'C1 control (NEL)', bytes: u('nel\u0085.txt'), hostile: true },
  { label: 'tab', bytes: u('tab\t.txt'), hostile: true },
  { label: 'right-to-left override', bytes: u('gpj.\u202eexe'), hostile: true },
  { label: 'line separator U+2028', bytes: u('ls\u2028.txt'), hostile: true },
  { label: 'invalid UTF-8 (lone 0xff)', bytes: Buffer.from([0x62, 0xff, 0x2e, 0x74]), hostile: true },
  { label: 'invalid UTF-8 (overlong slash)', bytes: Buffer.from([0x61, 0xc0, 0xaf, 0x62]), hostile: true },
  { label: 'invalid UTF-8 (lone surrogate)', bytes: Buffer.from([0x73, 0xed, 0xa0, 0x80]), hostile: true },
  { label: 'invalid UTF-8 (cut sequence)', bytes: Buffer.from([0x63, 0xc3]), hostile: true },
  { label: 'Windows reserved name', bytes: u('con.txt'), hostile: true },
  { label: 'trailing dot', bytes: u('dot.'), hostile: true },
  { label: 'trailing space', bytes: u('space '), hostile: true },
  { label: 'Windows-forbidden character', bytes: u('a<b>.txt'), hostile: true },
  { label: 'drive-relative', bytes: u('C:evil.txt'), hostile: true },
  { label: '256-byte component', bytes: u('n'.repeat(256)), hostile: true },
  { label: '1000 levels', bytes: u(Array.from({ length: 1000 }, () => 'd').join('/')), hostile: true },
  { label: '70 levels', bytes: u(Array.from({ length: 70 }, () => 'd').join('/')), hostile: true },
  { label: 'path over 4096 bytes', bytes: u(Array.from({ length: 20 }, () => 'p'.repeat(250)).join('/')), hostile: true },
  // Benign: a station must accept these (otherwise it refuses honest bundles).
  { label: 'plain', bytes: u('plain.txt'), hostile: false },
  { label: 'NFC accent', bytes: u('caf\u00e9.txt'), hostile: false },
  { label: 'NFD accent', bytes: u('cafe\u0301.txt'), hostile: false },
  { label: 'space inside', bytes: u('two words.txt'), hostile: false },
  { label: 'percent sign', bytes: u('100%25.txt'), hostile: false },
  { label: 'literal %2F', bytes: u('a%2Fb.txt'), hostile: false },
  { label: 'literal %2e%2e', bytes: u('%2e%2e'), hostile: false },
  { label: 'leading dash', bytes: u('-rf'), hostile: false },
  { label: 'leading dot', bytes: u('.hidden'), hostile: false },
  { label: '255-byte component', bytes: u('m'.repeat(255)), hostile: false },
  { label: '60 levels', bytes: u(Array.from({ length: 60 }, () => 'e').join('/')), hostile: false },
  { label: 'emoji', bytes: u('\u{1f600}.txt'), hostile: false },
  { label: 'CJK', bytes: u('\u6587\u4ef6.txt'), hostile: false },
];

/** A manifest line, raw: the name's own bytes, with only %, CR and LF encoded (RFC 8493 §2.1.3). */
function manifestLine(sha256: string, path: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of path) {
    if (byte === 0x25) out.push(...u('%25'));
    else if (byte === 0x0a) out.push(...u('%0A'));
    else if (byte === 0x0d) out.push(...u('%0D'));
    else out.push(byte);
  }
  return Buffer.concat([u(`${sha256}  `), Buffer.from(out), u('\n')]);
}

const encodeManifest = (files: Array<{ path: Buffer; content: Buffer }>): Buffer => Buffer.concat(files.map((f) => manifestLine(sha256Hex(f.content), f.path)));

/** How a tar entry spells its name. */
type NameCarrier = 'header' | 'prefix' | 'pax' | 'gnu-long';

/** A regular file entry whose name is `name` (raw bytes), spelt by `carrier`. */
function fileEntry(name: Buffer, body: Buffer, carrier: NameCarrier, size: Buffer = octal(body.length, 12)): Buffer {
  const fits = name.length <= 100;
  if (carrier === 'header' && fits) return withData(header({ name, size, typeflag: 0x30 }), body);
  if (carrier === 'prefix') {
    const slash = name.lastIndexOf(0x2f, 155);
    if (slash > 0 && name.length - slash - 1 <= 100 && name.length - slash - 1 > 0) {
      return withData(header({ name: name.subarray(slash + 1), prefix: name.subarray(0, slash), size, typeflag: 0x30 }), body);
    }
  }
  if (carrier === 'gnu-long') return Buffer.concat([longName(name), withData(header({ name: name.subarray(0, 99), size, typeflag: 0x30 }), body)]);
  // pax: a record's value is UTF-8 text by the standard; invalid bytes go in as they are.
  const record = Buffer.concat([u(' path='), name, u('\n')]);
  let length = record.length + 1;
  while (String(length).length + record.length !== length) length = String(length).length + record.length;
  return Buffer.concat([paxHeader(Buffer.concat([u(String(length)), record])), withData(header({ name: u('placeholder'), size, typeflag: 0x30 }), body)]);
}

const END = Buffer.alloc(1024);

export interface CaseContext {
  signer: TestSigner;
  /** The bag's top directory name. */
  top: string;
}

/**
 * A re-signed bag whose manifest lists `listed` (raw paths under the top directory) and whose tar
 * holds the tag files, then `payload` (raw blocks), then `tail` (end marker and whatever follows).
 */
async function bundleOf(ctx: CaseContext, listed: Array<{ path: Buffer; content: Buffer }>, payload: Buffer[], tail: Buffer = END): Promise<Buffer> {
  // Payload-Oxum from the listed files (their count and bytes), so it is not what refuses a case.
  const oxumFiles = listed.map((f, i) => ({ path: `data/f${i}`, content: f.content }));
  const built = await resignedBag(ctx.signer, oxumFiles, {
    name: ctx.top,
    edit: { 'manifest-sha256.txt': () => encodeManifest(listed) },
  });
  return Buffer.concat([...built.tagEntries.map(rawEntry), ...payload, tail]);
}

const baseListed = (): Array<{ path: Buffer; content: Buffer }> => BASE_FILES.map((f) => ({ path: u(f.path), content: Buffer.from(f.content) }));
const baseEntries = (ctx: CaseContext): Buffer[] => BASE_FILES.map((f) => rawEntry({ path: `${ctx.top}/${f.path}`, body: Buffer.from(f.content) }));
const under = (ctx: CaseContext, rel: Buffer): Buffer => Buffer.concat([u(`${ctx.top}/`), rel]);

type Pick = <T>(items: readonly T[]) => T;

/** Class 1a: one odd name, listed and present, listed only, present only, or listed in one spelling and present in another. */
export async function nameCase(ctx: CaseContext, seed: number): Promise<HostileCase> {
  const random = seededRandom(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)] as (typeof items)[number];
  const atom = pick(NAMES);
  const where = pick(['listed and present', 'listed and present', 'listed only', 'present only', 'listed NFC, present NFD'] as const);
  const carrier = pick(['header', 'prefix', 'pax', 'gnu-long'] as const);
  const content = u(`content of ${atom.label}\n`);
  const rel = Buffer.concat([u('data/'), atom.bytes]);
  const listed = baseListed();
  const payload = baseEntries(ctx);
  const at = Math.floor(random() * (payload.length + 1));
  let hostile = atom.hostile;
  if (where === 'listed and present') {
    listed.push({ path: rel, content });
    payload.splice(at, 0, fileEntry(under(ctx, rel), content, carrier));
  } else if (where === 'listed only') {
    listed.push({ path: rel, content });
    hostile = true; // FILE_MISSING at least
  } else if (where === 'present only') {
    payload.splice(at, 0, fileEntry(under(ctx, rel), content, carrier));
    hostile = true; // FILE_UNLISTED at least
  } else {
    const text = atom.bytes.toString('utf8');
    const nfd = u(text.normalize('NFD'));
    listed.push({ path: u(`data/${text.normalize('NFC')}`), content });
    payload.splice(at, 0, fileEntry(under(ctx, Buffer.concat([u('data/'), nfd])), content, carrier));
    // Names in another normal form are another name: unless both spellings are one, the listed file is missing.
    // Invalid UTF-8 went through toString as U+FFFD, an honest character: only the spelling decides then.
    hostile = (u(text).equals(atom.bytes) && atom.hostile) || !nfd.equals(u(text.normalize('NFC')));
  }
  return { what: `${atom.label} (${where}, name in ${carrier})`, hostile, bytes: await bundleOf(ctx, listed, payload) };
}

interface TarShape {
  label: string;
  hostile: boolean;
  build: (ctx: CaseContext, pick: Pick) => { listed: Array<{ path: Buffer; content: Buffer }>; payload: Buffer[]; tail?: Buffer };
}

const A = (ctx: CaseContext): string => `${ctx.top}/data/a.txt`;

/** Class 1b: the tar disagrees with the manifest, or spells an honest entry in an unusual way. */
const SHAPES: TarShape[] = [
  {
    label: 'an extra, unlisted entry',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: [...baseEntries(ctx), rawEntry({ path: `${ctx.top}/data/extra.txt`, body: 'extra\n' })] }),
  },
  { label: 'a listed entry missing', hostile: true, build: (ctx) => ({ listed: baseListed(), payload: baseEntries(ctx).slice(1) }) },
  {
    label: 'a duplicate entry with other bytes',
    hostile: true,
    build: (ctx, pick) => {
      const payload = baseEntries(ctx);
      payload.splice(pick([0, 1, 2]), 0, rawEntry({ path: A(ctx), body: 'evil!\n' }));
      return { listed: baseListed(), payload };
    },
  },
  {
    label: 'an entry after the end blocks',
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: baseEntries(ctx),
      tail: Buffer.concat([END, rawEntry({ path: `${ctx.top}/data/hidden.txt`, body: 'hidden\n' }), END]),
    }),
  },
  {
    label: 'a listed entry only after the end blocks',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: baseEntries(ctx).slice(1), tail: Buffer.concat([END, baseEntries(ctx)[0] as Buffer, END]) }),
  },
  {
    label: 'trailing garbage after the end blocks',
    hostile: true,
    build: (ctx, pick) => ({
      listed: baseListed(),
      payload: baseEntries(ctx),
      tail: Buffer.concat([END, pick([u('garbage'), Buffer.alloc(512, 0x41), Buffer.alloc(7, 0xff)])]),
    }),
  },
  {
    label: 'one end block only, then garbage',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: baseEntries(ctx), tail: Buffer.concat([Buffer.alloc(512), Buffer.alloc(512, 0x42)]) }),
  },
  {
    label: 'a size field in base-256 holding a larger size',
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [withData(header({ name: u(A(ctx)), size: base256(1024, 12), typeflag: 0x30 }), Buffer.alloc(1024, 0x61)), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'a size field in base-256 holding a negative size',
    hostile: true,
    build: (ctx) => {
      const size = Buffer.alloc(12, 0xff);
      return { listed: baseListed(), payload: [withData(header({ name: u(A(ctx)), size, typeflag: 0x30 }), u('alpha\n')), ...baseEntries(ctx).slice(1)] };
    },
  },
  {
    label: 'a size field padded with spaces',
    hostile: false,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [withData(header({ name: u(A(ctx)), size: u('          6 '), typeflag: 0x30 }), u('alpha\n')), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'a size field with a space inside the digits',
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [withData(header({ name: u(A(ctx)), size: u('0000000 1000'), typeflag: 0x30 }), Buffer.alloc(512, 0x61)), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'a pax size overriding the header size',
    hostile: true,
    build: (ctx, pick) => {
      const size = pick([0, 3, 512, 700]);
      const body = Buffer.alloc(Math.max(size, 6), 0x61);
      return {
        listed: baseListed(),
        payload: [
          paxHeader(paxRecord('size', String(size))),
          withData(header({ name: u(A(ctx)), size: octal(6, 12), typeflag: 0x30 }), body.subarray(0, size)),
          ...baseEntries(ctx).slice(1),
        ],
      };
    },
  },
  {
    label: 'a pax path overriding an unlisted header name to a listed one',
    hostile: false,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [paxHeader(paxRecord('path', A(ctx))), rawEntry({ path: `${ctx.top}/data/other.txt`, body: 'alpha\n' }), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'a pax path overriding a listed name to an unlisted one',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: [paxHeader(paxRecord('path', `${ctx.top}/data/other.txt`)), ...baseEntries(ctx)] }),
  },
  {
    label: 'a pax linkpath on a regular file',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: [paxHeader(paxRecord('linkpath', '/etc/passwd')), ...baseEntries(ctx)] }),
  },
  {
    label: 'a pax header with no entry after it',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: [...baseEntries(ctx), paxHeader(paxRecord('path', `${ctx.top}/data/ghost.txt`))] }),
  },
  {
    label: 'two pax headers in a row with different paths',
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [paxHeader(paxRecord('path', `${ctx.top}/data/x.txt`)), paxHeader(paxRecord('path', A(ctx))), ...baseEntries(ctx)],
    }),
  },
  {
    label: 'a GNU long name spelling a listed name',
    hostile: false,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [longName(A(ctx)), withData(header({ name: u('short'), size: octal(6, 12), typeflag: 0x30 }), u('alpha\n')), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'a GNU long name and a pax path disagreeing',
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [
        longName(`${ctx.top}/data/x.txt`),
        paxHeader(paxRecord('path', A(ctx))),
        rawEntry({ path: 'short', body: 'alpha\n' }),
        ...baseEntries(ctx).slice(1),
      ],
    }),
  },
  {
    label: 'a GNU long link name on a file',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: [longName('/etc/passwd', 'K'), ...baseEntries(ctx)] }),
  },
  ...(
    [
      ['a hard link at a listed path', 'Link'],
      ['a symlink at a listed path', 'SymbolicLink'],
      ['a character device at a listed path', 'CharacterDevice'],
      ['a block device at a listed path', 'BlockDevice'],
      ['a FIFO at a listed path', 'FIFO'],
      ['a directory at a listed path', 'Directory'],
    ] as const
  ).map(([label, type]): TarShape => ({
    label,
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [
        rawEntry({ path: type === 'Directory' ? `${A(ctx)}/` : A(ctx), type, linkpath: type === 'Link' ? `${ctx.top}/data/dir/b.txt` : '/etc/passwd' }),
        ...baseEntries(ctx).slice(1),
      ],
    }),
  })),
  ...(
    [
      ['a GNU sparse entry', 0x53],
      ['a GNU volume header', 0x56],
      ['a GNU multi-volume continuation', 0x4d],
      ['an old GNU long-name entry (N)', 0x4e],
      ['an unknown entry type', 0x5a],
      ['a Solaris extended header', 0x58],
    ] as const
  ).map(([label, typeflag]): TarShape => ({
    label,
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [withData(header({ name: u(`${ctx.top}/data/odd`), size: octal(6, 12), typeflag }), u('alpha\n')), ...baseEntries(ctx)],
    }),
  })),
  {
    label: 'a pax GNU.sparse.map on a regular file',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: [paxHeader(paxRecord('GNU.sparse.map', '0,6')), ...baseEntries(ctx)] }),
  },
  {
    label: 'a contiguous file (type 7) at a listed path',
    hostile: false,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [withData(header({ name: u(A(ctx)), size: octal(6, 12), typeflag: 0x37 }), u('alpha\n')), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'an old-style file (type NUL) at a listed path',
    hostile: false,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [withData(header({ name: u(A(ctx)), size: octal(6, 12), typeflag: 0x00 }), u('alpha\n')), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'a global pax header renaming what follows',
    hostile: true,
    build: (ctx) => ({ listed: baseListed(), payload: [paxHeader(paxRecord('path', A(ctx))).fill(0x67, 156, 157), ...baseEntries(ctx)] }),
  },
  {
    label: 'a header with a wrong checksum',
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [withData(header({ name: u(A(ctx)), size: octal(6, 12), typeflag: 0x30, checksum: 'wrong' }), u('alpha\n')), ...baseEntries(ctx).slice(1)],
    }),
  },
  {
    label: 'an entry whose data runs past the end of the archive',
    hostile: true,
    build: (ctx) => ({
      listed: baseListed(),
      payload: [...baseEntries(ctx), header({ name: u(`${ctx.top}/data/long.bin`), size: octal(1 << 20, 12), typeflag: 0x30 })],
      tail: Buffer.alloc(0),
    }),
  },
];

export const SHAPE_COUNT = SHAPES.length;

/** Class 1b: one tar shape (or two at once), in a random order of the payload. */
export async function shapeCase(ctx: CaseContext, seed: number): Promise<HostileCase> {
  const random = seededRandom(seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)] as (typeof items)[number];
  const shape = SHAPES[seed % SHAPES.length] as TarShape;
  const built = shape.build(ctx, pick);
  return { what: shape.label, hostile: shape.hostile, bytes: await bundleOf(ctx, built.listed, built.payload, built.tail ?? END) };
}

interface TagOddity {
  label: string;
  hostile: boolean;
  edit: NonNullable<ResignOptions['edit']>;
  extraTags?: Array<{ name: string; bytes: Buffer }>;
}

/** Class 1c: tag files (bag-info.txt, the tag manifest) that no honest exporter writes. */
const TAG_ODDITIES: TagOddity[] = [
  {
    label: 'bag-info.txt with Payload-Oxum twice, the second wrong',
    hostile: true,
    edit: { 'bag-info.txt': (b) => Buffer.concat([b, u('Payload-Oxum: 1.1\n')]) },
  },
  {
    label: 'bag-info.txt Payload-Oxum beyond 2^53',
    hostile: true,
    edit: { 'bag-info.txt': (b) => u(b.toString().replace(/Payload-Oxum: .*/u, 'Payload-Oxum: 99999999999999999999.2')) },
  },
  {
    label: 'bag-info.txt Payload-Oxum negative',
    hostile: true,
    edit: { 'bag-info.txt': (b) => u(b.toString().replace(/Payload-Oxum: .*/u, 'Payload-Oxum: -12.2')) },
  },
  {
    label: 'bag-info.txt holding a NUL (shown escaped, never acted on)',
    hostile: false,
    edit: { 'bag-info.txt': (b) => Buffer.concat([b, u('Note: a\u0000b\n')]) },
  },
  { label: 'bag-info.txt in invalid UTF-8', hostile: true, edit: { 'bag-info.txt': (b) => Buffer.concat([b, Buffer.from([0x4e, 0x3a, 0x20, 0xff, 0x0a])]) } },
  { label: 'bag-info.txt with a line that is no label', hostile: true, edit: { 'bag-info.txt': (b) => Buffer.concat([b, u('no colon here\n')]) } },
  { label: 'bag-info.txt with a folded continuation line', hostile: false, edit: { 'bag-info.txt': (b) => Buffer.concat([b, u('Note: first\n  second\n')]) } },
  { label: 'bag-info.txt with CRLF line ends', hostile: false, edit: { 'bag-info.txt': (b) => u(b.toString().replace(/\n/gu, '\r\n')) } },
  { label: 'bag-info.txt empty', hostile: false, edit: { 'bag-info.txt': () => Buffer.alloc(0) } },
  { label: 'the manifest with CRLF line ends', hostile: false, edit: { 'manifest-sha256.txt': (b) => u(b.toString().replace(/\n/gu, '\r\n')) } },
  { label: 'the manifest with a blank line', hostile: true, edit: { 'manifest-sha256.txt': (b) => Buffer.concat([u('\n'), b]) } },
  {
    label: 'the manifest with a sha256sum binary marker',
    hostile: false,
    edit: { 'manifest-sha256.txt': (b) => u(b.toString().replace(/ {2}data/gu, ' *data')) },
  },
  {
    label: 'the manifest in upper-case hex',
    hostile: false,
    edit: { 'manifest-sha256.txt': (b) => u(b.toString().replace(/^[0-9a-f]{64}/gmu, (h) => h.toUpperCase())) },
  },
  { label: 'the manifest with a tab separator', hostile: false, edit: { 'manifest-sha256.txt': (b) => u(b.toString().replace(/ {2}data/gu, '\tdata')) } },
  {
    label: 'the manifest with a short checksum',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => u(b.toString().replace(/^([0-9a-f]{63})[0-9a-f]/mu, '$1')) },
  },
  { label: 'the manifest without its last line end', hostile: false, edit: { 'manifest-sha256.txt': (b) => b.subarray(0, b.length - 1) } },
  {
    label: 'the manifest listing an absent path spelt with %2F',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => Buffer.concat([b, u(`${sha256Hex(Buffer.alloc(0))}  data/..%2F..%2Fx\n`)]) },
  },
  {
    label: 'the manifest listing a directory',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => Buffer.concat([b, u(`${sha256Hex(Buffer.alloc(0))}  data/dir\n`)]) },
  },
  {
    label: 'the manifest listing data/ itself',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => Buffer.concat([b, u(`${sha256Hex(Buffer.alloc(0))}  data/\n`)]) },
  },
  {
    label: 'the manifest listing a tag file',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => Buffer.concat([b, u(`${sha256Hex(Buffer.alloc(0))}  bagit.txt\n`)]) },
  },
  {
    label: 'the manifest listing an absolute path',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => Buffer.concat([b, u(`${sha256Hex(Buffer.alloc(0))}  /etc/passwd\n`)]) },
  },
  { label: 'the manifest with a U+2028 inside a path', hostile: true, edit: { 'manifest-sha256.txt': (b) => u(b.toString().replace('a.txt', 'a\u2028.txt')) } },
  {
    label: 'the manifest with a NEL (U+0085) line end',
    hostile: true,
    edit: { 'manifest-sha256.txt': (b) => u(b.toString().replace('a.txt\n', 'a.txt\u0085')) },
  },
  { label: 'the manifest empty (no payload listed)', hostile: true, edit: { 'manifest-sha256.txt': () => Buffer.alloc(0) } },
  { label: 'the tag manifest with CRLF line ends', hostile: false, edit: { 'tagmanifest-sha256.txt': (b) => u(b.toString().replace(/\n/gu, '\r\n')) } },
  {
    label: 'the tag manifest listing an absent tag file',
    hostile: true,
    edit: { 'tagmanifest-sha256.txt': (b) => Buffer.concat([b, u(`${sha256Hex(Buffer.alloc(0))}  absent.txt\n`)]) },
  },
  {
    label: 'the tag manifest listing a traversal',
    hostile: true,
    edit: { 'tagmanifest-sha256.txt': (b) => Buffer.concat([b, u(`${sha256Hex(Buffer.alloc(0))}  ../x\n`)]) },
  },
  { label: 'the tag manifest listing a file in a tag folder', hostile: false, edit: {}, extraTags: [{ name: 'tags/notes.txt', bytes: u('notes\n') }] },
  {
    label: 'the tag manifest listing a tag file with a control character (tag files are not written)',
    hostile: false,
    edit: {},
    extraTags: [{ name: 'no\u001bte.txt', bytes: u('notes\n') }],
  },
  { label: 'the tag manifest listing a tag file twice in case', hostile: true, edit: {}, extraTags: [{ name: 'BAGIT.TXT', bytes: u('x\n') }] },
  { label: 'the tag manifest with a BOM', hostile: true, edit: { 'tagmanifest-sha256.txt': (b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) } },
  { label: 'the tag manifest in invalid UTF-8', hostile: true, edit: { 'tagmanifest-sha256.txt': (b) => Buffer.concat([b, Buffer.from([0xff, 0x0a])]) } },
];

export const TAG_ODDITY_COUNT = TAG_ODDITIES.length;

export async function tagCase(ctx: CaseContext, index: number): Promise<HostileCase> {
  const oddity = TAG_ODDITIES[index % TAG_ODDITIES.length] as TagOddity;
  const built = await resignedBag(ctx.signer, BASE_FILES, { name: ctx.top, edit: oddity.edit, ...(oddity.extraTags ? { extraTags: oddity.extraTags } : {}) });
  const entries: RawEntry[] = [...built.tagEntries, ...built.payloadEntries];
  return { what: oddity.label, hostile: oddity.hostile, bytes: Buffer.concat([...entries.map(rawEntry), END]) };
}
