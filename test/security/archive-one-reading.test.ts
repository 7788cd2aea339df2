/**
 * Issue #12, "one reading of every archive": each archive trick the issue names, and variants,
 * inside a validly signed bag, through verify and through import. Both must refuse with the same
 * code: ARCHIVE_CORRUPT where tar readers would disagree, UNSAFE_ENTRY_TYPE for a link, device,
 * FIFO or sparse entry however it is spelled. Import leaves the destination as it was.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStationDb, type StationDb } from '../../electron/core/db/station-db.js';
import { importBundle } from '../../electron/core/import/import-bundle.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { makeSigner, paxRecord, rawEntry, signedBag, tarOf, type RawEntry, type TestSigner } from '../helpers/hostile-tar.js';
import { GNU, header, longName, octal, paxHeader, withData } from '../helpers/tar-grammar.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';

let root: string;
let signer: TestSigner;
let db: StationDb;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-one-reading-'));
  signer = await makeSigner();
  db = openStationDb(join(root, 'station.db'));
});
afterAll(async () => {
  db.close();
  await rm(root, { recursive: true, force: true });
});

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.txt', content: 'bravo\n' },
];

/** Codes from verify and from import of the same bytes; import's destination must stay empty. */
async function bothWays(bytes: Buffer): Promise<{ verify: string[]; import: string[] }> {
  n += 1;
  const bundlePath = join(root, `b${n}.airlock.tar`);
  await writeFile(bundlePath, bytes);
  const verified = await verifyBothWays({ bundlePath, trusted: [signer.trusted] });
  const dest = join(root, `dest${n}`);
  await mkdir(dest);
  const imported = await importBundle({ bundlePath, destDir: dest, trusted: [signer.trusted], policy: DEFAULT_POLICY, db, operator: 'tester' });
  expect(imported.ok).toBe(false);
  expect(await readdir(dest)).toEqual([]);
  return { verify: verified.problems.map((p) => p.code), import: imported.problems.map((p) => p.code) };
}

async function bagWith(extra: Array<RawEntry | Buffer>, where: 'before-payload' | 'after-payload' = 'after-payload', payload = files): Promise<Buffer> {
  const bag = await signedBag(signer, payload);
  return tarOf(where === 'after-payload' ? [...bag.tagEntries, ...bag.payloadEntries, ...extra] : [...bag.tagEntries, ...extra, ...bag.payloadEntries]);
}

const plain = (name: string, body: string, extra: Partial<Parameters<typeof header>[0]> = {}): Buffer =>
  withData(header({ name: Buffer.from(name), size: octal(Buffer.byteLength(body), 12), typeflag: 0x30, ...extra }), Buffer.from(body));

describe('readers would disagree: ARCHIVE_CORRUPT on verify and import alike', () => {
  it('a regular-file entry whose name ends in "/" hiding a listed file in its data', async () => {
    // node-tar took "bag/data/dir/" for an empty directory and parsed its data as the next header:
    // data/smuggled.txt, listed in the manifest, was imported though tar's listing never shows it.
    const hidden = rawEntry({ path: 'bag/data/smuggled.txt', body: 'smuggled\n' });
    const bag = await signedBag(signer, [...files, { path: 'data/smuggled.txt', content: 'smuggled\n' }]);
    const carrier = withData(header({ name: Buffer.from('bag/data/dir/'), size: octal(hidden.length, 12), typeflag: 0x30 }), hidden);
    const result = await bothWays(tarOf([...bag.tagEntries, ...bag.payloadEntries.slice(0, 2), carrier]));
    expect(result.verify).toContain('ARCHIVE_CORRUPT');
    expect(result.import).toEqual(result.verify);
  });

  it.each([
    ['the same with typeflag NUL (old regular file)', 0],
    ['the same with typeflag 7 (contiguous file)', 0x37],
  ])('%s', async (_label, typeflag) => {
    const result = await bothWays(await bagWith([withData(header({ name: Buffer.from('bag/data/d2/'), size: octal(512, 12), typeflag }), Buffer.alloc(512))]));
    expect(result.verify).toEqual(['ARCHIVE_CORRUPT']);
    expect(result.import).toEqual(result.verify);
  });

  it.each([
    ['a pax header whose body ends in NUL (once taken for a GNU long name)', () => paxHeader(`${paxRecord('path', 'bag/data/p.txt')}\0`)],
    ['a size record hidden after a NUL in a pax value', () => paxHeader(`${paxRecord('comment', `x\0${paxRecord('size', '2048')}`)}`)],
    [
      'a pax header followed by a GNU long name for the same entry',
      () => Buffer.concat([paxHeader(paxRecord('path', 'bag/data/one.txt')), longName('bag/data/two.txt')]),
    ],
    [
      'a GNU long name followed by a pax path for the same entry',
      () => Buffer.concat([longName('bag/data/two.txt'), paxHeader(paxRecord('path', 'bag/data/one.txt'))]),
    ],
    [
      'two pax headers before one entry',
      () => Buffer.concat([paxHeader(paxRecord('path', 'bag/data/one.txt')), paxHeader(paxRecord('path', 'bag/data/two.txt'))]),
    ],
    ['two GNU long names before one entry', () => Buffer.concat([longName('bag/data/one.txt'), longName('bag/data/two.txt')])],
    ['a GNU long name that is not valid UTF-8', () => longName(Buffer.from([0x62, 0x61, 0x67, 0x2f, 0xff]))],
  ])('%s', async (_label, meta) => {
    const result = await bothWays(await bagWith([meta(), plain('bag/data/z.txt', 'x')]));
    expect(result.verify).toEqual(['ARCHIVE_CORRUPT']);
    expect(result.import).toEqual(result.verify);
  });

  it.each([
    [
      'a ustar magic with version "  " and a prefix node-tar ignores',
      () => plain('z.txt', 'x', { prefix: Buffer.from('bag/data'), magic: Buffer.from('ustar\0  ', 'latin1') }),
    ],
    ['a ustar magic with version "01"', () => plain('bag/data/z.txt', 'x', { magic: Buffer.from('ustar\u000001', 'latin1') })],
    ['a GNU magic with a prefix Python would read and GNU tar ignore', () => plain('z.txt', 'x', { extra: Buffer.from('bag/data'), magic: GNU })],
    ['no magic at all (v7)', () => plain('bag/data/z.txt', 'x', { magic: Buffer.alloc(8) })],
    [
      'non-octal garbage after the size',
      () => withData(header({ name: Buffer.from('bag/data/z.txt'), size: Buffer.from('1x \0'), typeflag: 0x30 }), Buffer.from('x')),
    ],
    [
      'a 0o-prefixed size (Python reads it, node-tar reads 0)',
      () => withData(header({ name: Buffer.from('bag/data/z.txt'), size: Buffer.from('0o1\0'), typeflag: 0x30 }), Buffer.from('x')),
    ],
    [
      'a negative base-256 size',
      () => withData(header({ name: Buffer.from('bag/data/z.txt'), size: Buffer.alloc(12, 0xff), typeflag: 0x30 }), Buffer.from('x')),
    ],
    ['garbage in the mtime field', () => plain('bag/data/z.txt', 'x', { mtime: Buffer.from('1234zz\0') })],
    [
      'a name that is not valid UTF-8 (silently U+FFFD before)',
      () => plain('bag/data/\xff.txt', 'x', { name: Buffer.from([...Buffer.from('bag/data/'), 0xff, 0x2e, 0x74]) }),
    ],
    ['text after the NUL of a name', () => plain('bag/data/z.txt', 'x', { name: Buffer.from('bag/data/z.txt\0\n../evil') })],
    [
      'a directory entry with data',
      () => withData(header({ name: Buffer.from('bag/data/d/'), size: octal(512, 12), typeflag: 0x35 }), Buffer.alloc(512, 0x41)),
    ],
    ['a checksum that only matches as signed bytes', () => plain('bag/data/z.txt', 'x', { uname: Buffer.from([0xe9]), checksum: 'signed' })],
  ])('%s', async (_label, entry) => {
    const result = await bothWays(await bagWith([entry()]));
    expect(result.verify).toEqual(['ARCHIVE_CORRUPT']);
    expect(result.import).toEqual(result.verify);
  });

  it('a lone zero block followed by more entries (Python stops there, node-tar reads on)', async () => {
    const result = await bothWays(await bagWith([Buffer.alloc(512), plain('bag/data/z.txt', 'x')]));
    expect(result.verify).toEqual(['ARCHIVE_CORRUPT']);
    expect(result.import).toEqual(result.verify);
  });

  it('an entry after the end-of-archive marker', async () => {
    const bag = await signedBag(signer, files);
    const bytes = Buffer.concat([tarOf([...bag.tagEntries, ...bag.payloadEntries]), plain('bag/data/late.txt', 'x'), Buffer.alloc(1024)]);
    const result = await bothWays(bytes);
    expect(result.verify).toEqual(['ARCHIVE_CORRUPT']);
    expect(result.import).toEqual(result.verify);
  });
});

describe('a link, device, FIFO or sparse entry however it is spelled: UNSAFE_ENTRY_TYPE on verify and import alike', () => {
  it.each([
    [
      'a symlink with a relative target escaping the bag',
      () => header({ name: Buffer.from('bag/data/l'), linkname: Buffer.from('../../../../etc/passwd'), size: octal(0, 12), typeflag: 0x32 }),
    ],
    [
      'a symlink to an absolute path',
      () => header({ name: Buffer.from('bag/data/l'), linkname: Buffer.from('/etc/passwd'), size: octal(0, 12), typeflag: 0x32 }),
    ],
    [
      'a symlink whose target is a GNU long link name',
      () =>
        Buffer.concat([
          longName(`${'../'.repeat(50)}etc/passwd`, 'K'),
          header({ name: Buffer.from('bag/data/l'), linkname: Buffer.from('x'), size: octal(0, 12), typeflag: 0x32 }),
        ]),
    ],
    [
      'a symlink whose target is a pax linkpath',
      () =>
        Buffer.concat([
          paxHeader(paxRecord('linkpath', `${'../'.repeat(50)}etc`)),
          header({ name: Buffer.from('bag/data/l'), size: octal(0, 12), typeflag: 0x32 }),
        ]),
    ],
    ['a pax linkpath on a regular-file entry', () => Buffer.concat([paxHeader(paxRecord('linkpath', '../../x')), plain('bag/data/l', 'x')])],
    [
      'a symlink with a GNU long name',
      () =>
        Buffer.concat([
          longName(`bag/data/${'n'.repeat(120)}`),
          header({ name: Buffer.from('bag/data/l'), linkname: Buffer.from('../x'), size: octal(0, 12), typeflag: 0x32 }),
        ]),
    ],
    ['a symlink with an empty target', () => header({ name: Buffer.from('bag/data/l'), size: octal(0, 12), typeflag: 0x32 })],
    [
      'a symlink declaring data',
      () => withData(header({ name: Buffer.from('bag/data/l'), linkname: Buffer.from('a.txt'), size: octal(600, 12), typeflag: 0x32 }), Buffer.alloc(600)),
    ],
    [
      'a hard link to a file outside',
      () => header({ name: Buffer.from('bag/data/h'), linkname: Buffer.from('../../etc/shadow'), size: octal(0, 12), typeflag: 0x31 }),
    ],
    ['a character device', () => header({ name: Buffer.from('bag/data/c'), size: octal(0, 12), typeflag: 0x33, devmajor: octal(1, 8), devminor: octal(3, 8) })],
    ['a block device', () => header({ name: Buffer.from('bag/data/b'), size: octal(0, 12), typeflag: 0x34 })],
    ['a FIFO', () => header({ name: Buffer.from('bag/data/f'), size: octal(0, 12), typeflag: 0x36 })],
    ['an old GNU sparse file', () => withData(header({ name: Buffer.from('bag/data/s'), size: octal(1, 12), typeflag: 0x53, magic: GNU }), Buffer.from('x'))],
    ['a pax sparse file', () => Buffer.concat([paxHeader(paxRecord('GNU.sparse.major', '1') + paxRecord('GNU.sparse.minor', '0')), plain('bag/data/s', 'x')])],
    ['an unknown entry type', () => withData(header({ name: Buffer.from('bag/data/q'), size: octal(1, 12), typeflag: 0x51 }), Buffer.from('x'))],
  ])('%s', async (_label, entry) => {
    const result = await bothWays(await bagWith([entry()]));
    expect(result.verify).toEqual(['UNSAFE_ENTRY_TYPE']);
    expect(result.import).toEqual(result.verify);
  });

  it('a symlink among the tag files, before the payload', async () => {
    const result = await bothWays(
      await bagWith([header({ name: Buffer.from('bag/extra.txt'), linkname: Buffer.from('../../x'), size: octal(0, 12), typeflag: 0x32 })], 'before-payload'),
    );
    expect(result.verify).toEqual(['UNSAFE_ENTRY_TYPE']);
    expect(result.import).toEqual(result.verify);
  });
});
