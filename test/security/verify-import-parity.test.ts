/**
 * Verify and import judge a bundle by the same pipeline, so they must refuse it with the same
 * problem codes (issue #12): a table of hostile bundles, each validly signed by a trusted key and
 * holding ONE hazard, goes through both, called exactly as the station calls them. For each, the
 * codes verify reports, the codes import reports and the hazard's right code are one and the
 * same: no second code that points the operator at the wrong next step (a file over a limit is
 * not also "missing"), and import leaves its destination empty.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundle } from '../../electron/core/import/import-bundle.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { sha256Hex } from '../../electron/core/crypto/sha256.js';
import { checkBundle } from '../../electron/core/verify/check-bundle.js';
import { resignedBag, UTF8_BOM, utf16, type ResignOptions } from '../helpers/hostile-bag.js';
import { paxEntry, paxRecord, tarOf, type BagPayloadFile, type RawEntry, type TestSigner } from '../helpers/hostile-tar.js';
import { openJudge, type Judge } from '../helpers/verify-and-import.js';
import { layoutPayload } from '../helpers/oci-images-file.js';
import { buildTestLayout, defaultTestImages } from '../helpers/oci-test-image.js';

let judge: Judge;
let signer: TestSigner;

beforeAll(async () => {
  judge = await openJudge('airlock-parity-');
  signer = judge.signer;
});
afterAll(async () => {
  await judge.close();
});

const A = { path: 'data/a.txt', content: 'alpha\n' };
const B = { path: 'data/dir/b.txt', content: 'bravo\n' };
const files: BagPayloadFile[] = [A, B];
const ZERO = '0'.repeat(64);

/** A signed bag (tags edited and re-signed as asked), with entries added before or after the payload, or the payload replaced. */
async function bag(
  options: ResignOptions & {
    payload?: BagPayloadFile[];
    before?: Array<RawEntry | Buffer>;
    after?: Array<RawEntry | Buffer>;
    entries?: (payload: RawEntry[]) => RawEntry[];
  } = {},
): Promise<Buffer> {
  const built = await resignedBag(signer, options.payload ?? files, options);
  const payload = options.entries ? options.entries(built.payloadEntries) : built.payloadEntries;
  return tarOf([...built.tagEntries, ...(options.before ?? []), ...payload, ...(options.after ?? [])]);
}

/** The manifest lines of `payload`, plus or minus some: what a bag listing other paths than it holds signs. */
function listed(payload: BagPayloadFile[], extra: Array<{ path: string; sha256: string }> = []): Array<{ path: string; sha256: string }> {
  return [...payload.map((f) => ({ path: f.path, sha256: sha256Hex(Buffer.from(f.content)) })), ...extra];
}

const bom = (bytes: Buffer): Buffer => Buffer.concat([UTF8_BOM, bytes]);

interface Case {
  hazard: string;
  /** The right code; several only where the bundle holds several hazards in one. */
  code: string | string[];
  build: () => Promise<Buffer>;
  limits?: Partial<BundleLimits>;
}

function table(cases: Case[]): void {
  it.each(cases.map((c) => [c.hazard, c] as const))('%s', async (_hazard, c) => {
    const bundlePath = await judge.write(await c.build());
    const limits = { ...DEFAULT_LIMITS, ...c.limits };
    const verified = await judge.verifyCodes(bundlePath, limits);
    const imported = await judge.importCodes(bundlePath, limits);
    const right = typeof c.code === 'string' ? [c.code] : [...c.code].sort();
    expect({ verify: verified, import: imported }).toEqual({ verify: right, import: right });
  });
}

describe('baseline', () => {
  it("the unmodified bag verifies and imports (so each refusal below is its hazard's doing)", async () => {
    const bundlePath = await judge.write(await bag());
    const verified = await checkBundle({ bundlePath, trusted: [signer.trusted], reportNames: DEFAULT_POLICY.names });
    expect(verified.problems).toEqual([]);
    const imported = await importBundle({
      bundlePath,
      destDir: await judge.destination(),
      trusted: [signer.trusted],
      policy: DEFAULT_POLICY,
      db: judge.db,
      operator: 'tester',
    });
    expect(imported.problems).toEqual([]);
    expect(imported.ok).toBe(true);
  });
});

describe('duplicates: in the tar and in the manifest, exact, case-folded and normalised', () => {
  table([
    { hazard: 'a payload entry twice, same bytes', code: 'DUPLICATE_ENTRY', build: () => bag({ after: [{ path: 'bag/data/a.txt', body: A.content }] }) },
    {
      hazard: 'a payload entry twice, the second one altered',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ after: [{ path: 'bag/data/a.txt', body: 'evil\n' }] }),
    },
    {
      hazard: 'a payload entry twice, the FIRST one altered (tools keeping the last copy see a valid bag)',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ entries: (p) => [{ path: 'bag/data/a.txt', body: 'evil\n' }, ...p] }),
    },
    {
      hazard: 'a payload entry twice, at the very end of the archive',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ entries: (p) => [...p, { path: 'bag/data/dir/b.txt', body: 'evil\n' }] }),
    },
    { hazard: 'a case twin after the listed file', code: 'DUPLICATE_ENTRY', build: () => bag({ after: [{ path: 'bag/data/A.TXT', body: 'evil\n' }] }) },
    {
      hazard: 'a case twin before the listed file',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ entries: (p) => [{ path: 'bag/data/A.TXT', body: 'evil\n' }, ...p] }),
    },
    {
      hazard: 'an NFD twin of an NFC name, after it',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ payload: [{ path: 'data/caf\u00e9', content: 'x' }], after: [{ path: 'bag/data/cafe\u0301', body: 'y' }] }),
    },
    {
      hazard: 'an NFD twin of an NFC name, before it',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ payload: [{ path: 'data/caf\u00e9', content: 'x' }], entries: (p) => [{ path: 'bag/data/cafe\u0301', body: 'y' }, ...p] }),
    },
    { hazard: 'the manifest lists one path twice', code: 'DUPLICATE_ENTRY', build: () => bag({ manifest: listed(files, [{ path: A.path, sha256: ZERO }]) }) },
    ...(
      [
        ['capital sharp s and ss', '\u1E9E.txt', 'ss.txt'],
        ['sharp s and SS', '\u00DF.txt', 'SS.txt'],
        ['fi ligature and FI', '\uFB01.txt', 'FI.txt'],
        ['Kelvin sign and k', '\u212A.txt', 'k.txt'],
        ['Angstrom sign and a-ring', '\u212B.txt', '\u00E5.txt'],
        ['final sigma and capital sigma', '\u03C2.txt', '\u03A3.txt'],
        ['long s and S', '\u017F.txt', 'S.txt'],
        ['NFD j-caron and precomposed j-caron', 'j\u030C.txt', '\u01F0.txt'],
        ['Hangul jamo and syllable', '\u1100\u1161.txt', '\uAC00.txt'],
      ] as const
    ).flatMap(([label, x, y]): Case[] => {
      const pair = [
        { path: `data/${x}`, content: 'one\n' },
        { path: `data/${y}`, content: 'two\n' },
      ];
      return [
        { hazard: `the manifest lists a full-case-folding pair: ${label}`, code: 'DUPLICATE_ENTRY', build: () => bag({ payload: pair }) },
        {
          hazard: `the tar holds an unlisted twin: ${label}`,
          code: 'DUPLICATE_ENTRY',
          build: () => bag({ payload: pair.slice(0, 1), after: [{ path: `bag/data/${y}`, body: 'two\n' }] }),
        },
      ];
    }),
    {
      hazard: 'a file where the payload needs a directory',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ after: [{ path: 'bag/data/a.txt/inner', body: 'x' }] }),
    },
    {
      hazard: 'a directory entry where a listed file is',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ after: [{ path: 'bag/data/a.txt/', type: 'Directory' }] }),
    },
    {
      hazard: 'an unlisted file twice (added after signing, and a duplicate)',
      code: ['DUPLICATE_ENTRY', 'FILE_UNLISTED'],
      build: () =>
        bag({
          after: [
            { path: 'bag/data/new.txt', body: 'x' },
            { path: 'bag/data/new.txt', body: 'y' },
          ],
        }),
    },
    {
      hazard: 'a case twin of a tag file before it',
      code: 'DUPLICATE_ENTRY',
      build: async () => {
        const b = await resignedBag(signer, files);
        return tarOf([{ path: 'bag/BAGIT.TXT', body: 'x' }, ...b.tagEntries, ...b.payloadEntries]);
      },
    },
    {
      hazard: 'a tag file twice before the payload',
      code: 'DUPLICATE_ENTRY',
      build: () => bag({ before: [{ path: 'bag/bagit.txt', body: 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' }] }),
    },
    { hazard: 'a tag file twice after the payload', code: 'DUPLICATE_ENTRY', build: () => bag({ after: [{ path: 'bag/bag-info.txt', body: 'x: y\n' }] }) },
  ]);
});

describe('tag files in UTF-8 without a byte-order mark only (RFC 8493 §2.1.1)', () => {
  const tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', 'tagmanifest-sha256.txt.asc'] as const;
  table([
    ...tags.map((tag): Case => ({ hazard: `a UTF-8 BOM in ${tag}`, code: 'MANIFEST_INVALID', build: () => bag({ edit: { [tag]: bom } }) })),
    ...tags.flatMap((tag): Case[] =>
      (['le', 'be'] as const).map((endian) => ({
        hazard: `${tag} in UTF-16${endian.toUpperCase()} with its BOM`,
        code: 'MANIFEST_INVALID',
        build: () => bag({ edit: { [tag]: (b: Buffer) => utf16(b, endian) } }),
      })),
    ),
    {
      hazard: 'bagit.txt in UTF-32LE with its BOM',
      code: 'MANIFEST_INVALID',
      build: () => bag({ edit: { 'bagit.txt': (b) => Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...b].map((c) => Buffer.from([c, 0, 0, 0]))]) } }),
    },
    {
      hazard: 'bagit.txt in UTF-16LE without a BOM',
      code: 'MANIFEST_INVALID',
      build: () => bag({ edit: { 'bagit.txt': (b) => Buffer.from(b.toString('utf8'), 'utf16le') } }),
    },
    {
      hazard: 'bag-info.txt in UTF-16LE without a BOM',
      code: 'MANIFEST_INVALID',
      build: () => bag({ edit: { 'bag-info.txt': (b) => Buffer.from(b.toString('utf8'), 'utf16le') } }),
    },
    {
      hazard: 'bagit.txt declaring another encoding',
      code: 'MANIFEST_INVALID',
      build: () => bag({ edit: { 'bagit.txt': (b) => Buffer.from(b.toString('utf8').replace('UTF-8', 'UTF-16')) } }),
    },
    {
      hazard: 'bag-info.txt in Latin-1',
      code: 'MANIFEST_INVALID',
      build: () => bag({ edit: { 'bag-info.txt': (b) => Buffer.concat([b, Buffer.from('Contact-Name: Jos\xe9\n', 'latin1')]) } }),
    },
    {
      hazard: 'a BOM in the middle of bagit.txt',
      code: 'MANIFEST_INVALID',
      build: () => bag({ edit: { 'bagit.txt': (b) => Buffer.from(b.toString('utf8').replace('\n', '\n\uFEFF')) } }),
    },
  ]);
});

describe('limits: LIMIT_EXCEEDED alone, whatever the limit', () => {
  const big = { path: 'data/big.bin', content: 'x'.repeat(5000) };
  table([
    { hazard: 'more archive entries than allowed', code: 'LIMIT_EXCEEDED', limits: { maxEntries: 6 }, build: () => bag() },
    {
      hazard: 'a manifest listing more files than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxEntries: 7 },
      build: () =>
        bag({
          manifest: listed(
            files,
            [1, 2, 3, 4, 5, 6].map((i) => ({ path: `data/ghost${i}`, sha256: ZERO })),
          ),
        }),
    },
    {
      hazard: 'a manifest over the file limit, refused unread (the archive is cut after the line that breaks the limit)',
      code: 'LIMIT_EXCEEDED',
      limits: { maxEntries: 7 },
      build: async () => {
        const whole = await bag({
          manifest: listed(
            files,
            Array.from({ length: 2000 }, (_, i) => ({ path: `data/ghost${i}`, sha256: ZERO })),
          ),
        });
        // Cut at the end of the tar block holding that line: the bytes of a block that never
        // completed reach no reader, however the source's reads fall (whole-blocks.ts, hostile8).
        return whole.subarray(0, Math.ceil((whole.indexOf('data/ghost5\n') + 12) / 512) * 512);
      },
    },
    { hazard: 'more payload bytes than allowed', code: 'LIMIT_EXCEEDED', limits: { maxTotalBytes: 4000 }, build: () => bag({ payload: [...files, big] }) },
    { hazard: 'a file larger than allowed (first)', code: 'LIMIT_EXCEEDED', limits: { maxFileBytes: 4000 }, build: () => bag({ payload: [big, ...files] }) },
    { hazard: 'a file larger than allowed (last)', code: 'LIMIT_EXCEEDED', limits: { maxFileBytes: 4000 }, build: () => bag({ payload: [...files, big] }) },
    {
      hazard: 'a listed path deeper than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxDepth: 3 },
      build: () => bag({ payload: [...files, { path: 'data/d/e/f/g.txt', content: 'g' }] }),
    },
    {
      hazard: 'an unlisted path deeper than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxDepth: 3 },
      build: () => bag({ after: [{ path: 'bag/data/d/e/f/g.txt', body: 'g' }] }),
    },
    {
      hazard: 'a listed path longer than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxPathBytes: 40 },
      build: () => bag({ payload: [...files, { path: `data/${'p'.repeat(40)}`, content: 'p' }] }),
    },
    {
      hazard: 'a listed name longer than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxComponentBytes: 20 },
      build: () => bag({ payload: [...files, { path: `data/${'c'.repeat(21)}`, content: 'c' }] }),
    },
    {
      hazard: 'an unlisted name longer than allowed, in a pax record',
      code: 'LIMIT_EXCEEDED',
      build: () => bag({ after: [paxEntry(paxRecord('path', `bag/data/${'n'.repeat(300)}`)), { path: 'bag/data/z.txt', body: 'x' }] }),
    },
    {
      hazard: 'a top directory name longer than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxComponentBytes: 30 },
      build: () => bag({ name: 'b'.repeat(31) }),
    },
    {
      hazard: 'a covered tag file larger than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxTagFileBytes: 4096 },
      build: () => bag({ extraTags: [{ name: 'notes.txt', bytes: Buffer.alloc(5000, 0x41) }] }),
    },
    {
      hazard: 'an uncovered tag file larger than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxTagFileBytes: 4096 },
      build: () => bag({ before: [{ path: 'bag/notes.txt', body: Buffer.alloc(5000, 0x41) }] }),
    },
    {
      hazard: 'a tag file after the payload larger than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxTagFileBytes: 4096 },
      build: () => bag({ after: [{ path: 'bag/notes.txt', body: Buffer.alloc(5000, 0x41) }] }),
    },
    {
      hazard: 'bag-info.txt larger than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxTagFileBytes: 4096 },
      build: () => bag({ edit: { 'bag-info.txt': (b) => Buffer.concat([b, Buffer.from(`Note: ${'n'.repeat(5000)}\n`)]) } }),
    },
    {
      hazard: 'a manifest larger than allowed',
      code: 'LIMIT_EXCEEDED',
      limits: { maxManifestBytes: 1024 },
      build: () =>
        bag({
          manifest: listed(
            files,
            Array.from({ length: 20 }, (_, i) => ({ path: `data/ghost${i}`, sha256: ZERO })),
          ),
        }),
    },
  ]);
});

describe('the other hazards, one each', () => {
  table([
    { hazard: 'an unlisted payload file', code: 'FILE_UNLISTED', build: () => bag({ after: [{ path: 'bag/data/extra.txt', body: 'x' }] }) },
    {
      hazard: 'a listed file missing',
      code: 'FILE_MISSING',
      build: () =>
        bag({
          manifest: listed(files, [{ path: 'data/ghost', sha256: ZERO }]),
          edit: { 'bag-info.txt': (b) => Buffer.from(b.toString('utf8').replace(/Payload-Oxum: .*\n/u, '')) },
        }),
    },
    {
      hazard: 'a file altered after signing',
      code: 'CHECKSUM_MISMATCH',
      build: () => bag({ entries: (p) => p.map((e, i) => (i === 0 ? { ...e, body: 'ALPHA\n' } : e)) }),
    },
    {
      hazard: 'an absolute symlink in the payload',
      code: 'UNSAFE_ENTRY_TYPE',
      build: () => bag({ after: [{ path: 'bag/data/link', type: 'SymbolicLink', linkpath: '/etc/passwd' }] }),
    },
    {
      hazard: 'a listed file stored as a symlink (not also missing)',
      code: 'UNSAFE_ENTRY_TYPE',
      build: () =>
        bag({ entries: (p) => p.map((e) => (e.path === 'bag/data/a.txt' ? { path: e.path, type: 'SymbolicLink' as const, linkpath: '/etc/passwd' } : e)) }),
    },
    {
      hazard: 'a listed file stored as a FIFO, first in the payload',
      code: 'UNSAFE_ENTRY_TYPE',
      build: () => bag({ entries: (p) => p.map((e) => (e.path === 'bag/data/a.txt' ? { path: e.path, type: 'FIFO' as const } : e)) }),
    },
    {
      hazard: 'a hard link in the payload',
      code: 'UNSAFE_ENTRY_TYPE',
      build: () => bag({ after: [{ path: 'bag/data/hard', type: 'Link', linkpath: 'bag/data/a.txt' }] }),
    },
    { hazard: 'a FIFO in the payload', code: 'UNSAFE_ENTRY_TYPE', build: () => bag({ after: [{ path: 'bag/data/fifo', type: 'FIFO' }] }) },
    { hazard: 'a dot-dot entry path', code: 'UNSAFE_PATH', build: () => bag({ after: [{ path: 'bag/data/../../evil.txt', body: 'x' }] }) },
    { hazard: 'an entry outside the top directory', code: 'UNSAFE_PATH', build: () => bag({ after: [{ path: 'other/data/x.txt', body: 'x' }] }) },
    {
      hazard: 'a manifest path leaving data/',
      code: 'UNSAFE_PATH',
      build: () => bag({ manifest: listed(files, [{ path: 'data/../../evil', sha256: ZERO }]) }),
    },
    { hazard: 'a manifest path outside data/', code: 'MANIFEST_INVALID', build: () => bag({ manifest: listed(files, [{ path: 'bagit.txt', sha256: ZERO }]) }) },
    { hazard: 'fetch.txt', code: 'MANIFEST_INVALID', build: () => bag({ extraTags: [{ name: 'fetch.txt', bytes: Buffer.from('http://x 1 data/y\n') }] }) },
    {
      hazard: 'a manifest for another algorithm',
      code: 'MANIFEST_INVALID',
      build: () => bag({ extraTags: [{ name: 'manifest-md5.txt', bytes: Buffer.alloc(0) }] }),
    },
    {
      hazard: 'Payload-Oxum counting one file too many',
      code: 'PAYLOAD_OXUM_MISMATCH',
      build: () => bag({ edit: { 'bag-info.txt': (b) => Buffer.from(b.toString('utf8').replace(/Payload-Oxum: (\d+)\.2/u, 'Payload-Oxum: $1.3')) } }),
    },
    {
      hazard: 'Payload-Oxum counting one byte too few',
      code: 'PAYLOAD_OXUM_MISMATCH',
      build: () => bag({ edit: { 'bag-info.txt': (b) => Buffer.from(b.toString('utf8').replace(/Payload-Oxum: 12\.2/u, 'Payload-Oxum: 11.2')) } }),
    },
    {
      hazard: 'an archive cut inside a payload file',
      code: 'ARCHIVE_CORRUPT',
      build: async () => (await bag({ payload: [...files, { path: 'data/big', content: 'z'.repeat(100_000) }] })).subarray(0, 60_000),
    },
  ]);
});

describe('a destination that folds names more than the collision key does', () => {
  it('two names it takes for one are DUPLICATE_ENTRY, as a problem, not an I/O error', async () => {
    const bundlePath = await judge.write(
      await bag({
        payload: [
          { path: 'data/cafe.txt', content: 'one' },
          { path: 'data/caf\u00e9.txt', content: 'two' },
        ],
      }),
    );
    // A sink whose exclusive open sees accents as nothing (no real file system here does, which is why a fake stands in).
    const taken = new Set<string>();
    const sink = {
      openFile: async (path: string) => {
        const folded = path.normalize('NFD').replace(/\p{M}/gu, '');
        if (taken.has(folded)) throw Object.assign(new Error(`EEXIST: ${path}`), { code: 'EEXIST' });
        taken.add(folded);
        return { write: async () => undefined, close: async () => undefined };
      },
    };
    const result = await checkBundle({ bundlePath, trusted: [signer.trusted], failFast: true, payloadSink: sink, portability: DEFAULT_POLICY.names });
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([['DUPLICATE_ENTRY', 'data/caf\u00e9.txt']]);
    expect(result.ok).toBe(false);
  });
});

describe('images (bundle-format.md §15): the OCI codes, the same from verify and import', () => {
  // An image layout as payload beside the plain files; each case breaks one rule of §15.3.
  // (test/security/oci-*.test.ts hold the variants of each hazard.)
  let image: BagPayloadFile[] = [];
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-parity-oci-'));
    image = await layoutPayload(await buildTestLayout(join(dir, 'layout'), defaultTestImages(2048)));
    await rm(dir, { recursive: true, force: true });
  });
  const blobs = (): BagPayloadFile[] => image.filter((f) => f.path.startsWith('data/oci/blobs/'));
  const withImage = (edit: (payload: BagPayloadFile[]) => BagPayloadFile[]): Promise<Buffer> =>
    bag({ payload: edit([...files, ...image]).sort((x, y) => Buffer.compare(Buffer.from(x.path), Buffer.from(y.path))) });
  const gzipLayer = (): BagPayloadFile => blobs().find((f) => Buffer.from(f.content)[0] === 0x1f) as BagPayloadFile;
  table([
    {
      hazard: 'a blob whose bytes were changed and re-hashed (its digest is not its name)',
      code: 'OCI_DIGEST_MISMATCH',
      build: () =>
        withImage((p) => p.map((f) => (f === gzipLayer() ? { path: f.path, content: Buffer.concat([Buffer.from(f.content), Buffer.from('!')]) } : f))),
    },
    { hazard: 'a layer left out of the bundle', code: 'OCI_BLOB_MISSING', build: () => withImage((p) => p.filter((f) => f !== gzipLayer())) },
    {
      hazard: 'a blob nothing references',
      code: 'OCI_GRAPH_INVALID',
      build: () => withImage((p) => [...p, { path: `data/oci/blobs/sha256/${sha256Hex(Buffer.from('stray'))}`, content: 'stray' }]),
    },
    { hazard: 'a stray file in the layout', code: 'OCI_GRAPH_INVALID', build: () => withImage((p) => [...p, { path: 'data/oci/notes.txt', content: 'x' }]) },
    {
      hazard: 'an upper-case blob name',
      code: 'OCI_GRAPH_INVALID',
      build: () =>
        withImage((p) =>
          p.map((f) =>
            f === gzipLayer() ? { path: f.path.toUpperCase().replace('DATA/OCI/BLOBS/SHA256/', 'data/oci/blobs/sha256/'), content: f.content } : f,
          ),
        ),
    },
    {
      hazard: 'a layer over the station limit',
      code: 'LIMIT_EXCEEDED',
      build: () => withImage((p) => p),
      limits: { maxFileBytes: 2047 },
    },
  ]);
});

describe('names the station refuses by policy: import refuses, verify reports the same code as a failed finding', () => {
  // Name rules say whether this station will write a name, not whether the bundle is authentic
  // (bundle-format.md §8): verify does not refuse, it names the code import will give.
  it.each([
    ['a control character', 'data/a\u001bb.txt'],
    ['a bidi override', 'data/invoice\u202Egnp.exe'],
    ['a reserved Windows name', 'data/CON.txt'],
    ['a trailing dot', 'data/name.'],
  ])('%s', async (_label, path) => {
    const bundlePath = await judge.write(await bag({ payload: [...files, { path, content: 'x' }] }));
    const verified = await checkBundle({ bundlePath, trusted: [signer.trusted], reportNames: DEFAULT_POLICY.names });
    expect(verified.problems).toEqual([]);
    expect(verified.policy.findings.find((f) => f.check === 'file-names')).toMatchObject({ outcome: 'fail', code: 'UNSAFE_PATH', refusedBy: 'import' });
    expect(await judge.importCodes(bundlePath, DEFAULT_LIMITS)).toEqual(['UNSAFE_PATH']);
  });
});
