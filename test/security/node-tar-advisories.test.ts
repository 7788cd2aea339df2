/**
 * One test per published node-tar advisory (docs/security-notes.md), named by its id and the
 * hazard, built as the advisory's proof of concept does but inside a validly signed bag: verify
 * and import must refuse it with the same code, and import must leave its destination empty.
 * Airlock never extracts with node-tar (it reads entries through TarGuard and node-tar's Parser
 * and writes files itself), so most of these are refused before node-tar's own fix would matter:
 * the tests pin that down, whatever node-tar version is installed.
 *
 * Ids checked against the advisories themselves (GitHub advisory database, CVE records). Where
 * only a CVE id was found, the test carries that.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type BundleLimits } from '../../electron/core/policy/limits.js';
import { resignedBag } from '../helpers/hostile-bag.js';
import { paxEntry, paxRecord, tarOf, type BagPayloadFile, type RawEntry } from '../helpers/hostile-tar.js';
import { base256, header, longName, paxHeader, withData } from '../helpers/tar-grammar.js';
import { airlockReading, gnuTarReading, pythonReadings, sameReading } from '../helpers/tar-readers.js';
import { openJudge, type Judge } from '../helpers/verify-and-import.js';

let judge: Judge;

beforeAll(async () => {
  judge = await openJudge('airlock-advisories-');
});
afterAll(async () => {
  await judge.close();
});

const files: BagPayloadFile[] = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.txt', content: 'bravo\n' },
];

/** The signed bag with `extra` entries after its payload (or its payload replaced). */
async function bagWith(extra: Array<RawEntry | Buffer>, payload: BagPayloadFile[] = files): Promise<Buffer> {
  const built = await resignedBag(judge.signer, payload);
  return tarOf([...built.tagEntries, ...built.payloadEntries, ...extra]);
}

/** Verify and import both refuse with exactly `code`; import's destination stays empty. */
async function refusedAs(bytes: Buffer, code: string | string[], limits: BundleLimits = DEFAULT_LIMITS): Promise<void> {
  const bundlePath = await judge.write(bytes);
  const right = typeof code === 'string' ? [code] : [...code].sort();
  const verified = await judge.verifyCodes(bundlePath, limits);
  const imported = await judge.importCodes(bundlePath, limits);
  expect({ verify: verified, import: imported }).toEqual({ verify: right, import: right });
}

describe('GHSA-3jfq-g458-7qm9 (CVE-2021-32804): absolute paths with repeated roots', () => {
  it.each(['////etc/evil', '//bag/data/evil.txt', '/bag/data/evil.txt'])('%s is refused, not stripped of one root', async (path) => {
    await refusedAs(await bagWith([{ path, body: 'x' }]), 'UNSAFE_PATH');
  });
});

describe('GHSA-r628-mhmh-qjhw (CVE-2021-32803): a directory, then a symlink of the same name, then a file through it', () => {
  it('is refused at the symlink', async () => {
    const entries: RawEntry[] = [
      { path: 'bag/data/d/', type: 'Directory' },
      { path: 'bag/data/d', type: 'SymbolicLink', linkpath: '/tmp' },
      { path: 'bag/data/d/evil.txt', body: 'x' },
    ];
    await refusedAs(await bagWith(entries), 'UNSAFE_ENTRY_TYPE');
  });
});

describe('GHSA-9r2w-394v-53qc (CVE-2021-37701): backslash separators and case-folded twins around a symlink', () => {
  it('a name with backslash separators is refused (a file name on POSIX, a path on Windows)', async () => {
    await refusedAs(await bagWith([{ path: 'bag\\data\\d\\evil.txt', body: 'x' }]), 'UNSAFE_PATH');
  });
  it('a directory FOO, a symlink foo, then a file in FOO is refused', async () => {
    const entries: RawEntry[] = [
      { path: 'bag/data/FOO/', type: 'Directory' },
      { path: 'bag/data/foo', type: 'SymbolicLink', linkpath: '/etc' },
      { path: 'bag/data/FOO/evil.txt', body: 'x' },
    ];
    await refusedAs(await bagWith(entries), 'UNSAFE_ENTRY_TYPE');
  });
  it('the same without the symlink: directory entries FOO and foo (one folder on the destination) are refused', async () => {
    await refusedAs(
      await bagWith([
        { path: 'bag/data/FOO/', type: 'Directory' },
        { path: 'bag/data/foo/', type: 'Directory' },
      ]),
      'DUPLICATE_ENTRY',
    );
  });
});

describe('GHSA-qq89-hq3f-393p (CVE-2021-37712): two directory names equal after Unicode normalisation', () => {
  const nfc = 'bag/data/caf\u00e9';
  const nfd = 'bag/data/cafe\u0301';
  it('directory entries in NFC and NFD spelling are refused', async () => {
    await refusedAs(
      await bagWith([
        { path: `${nfc}/`, type: 'Directory' },
        { path: `${nfd}/`, type: 'Directory' },
      ]),
      'DUPLICATE_ENTRY',
    );
  });
  it("the advisory's chain (both folders, a symlink in the first spelling, a file in the second) is refused", async () => {
    const entries: RawEntry[] = [
      { path: `${nfc}/`, type: 'Directory' },
      { path: `${nfd}/`, type: 'Directory' },
      { path: nfc, type: 'SymbolicLink', linkpath: '/tmp' },
      { path: `${nfd}/evil.txt`, body: 'x' },
    ];
    await refusedAs(await bagWith(entries), ['DUPLICATE_ENTRY', 'UNSAFE_ENTRY_TYPE']);
  });
});

describe('GHSA-5955-9wpr-37jh (CVE-2021-37713): drive-relative paths (C:some\\path, C:../foo)', () => {
  it.each(['C:../evil.txt', 'C:evil.txt', 'c:bag/data/evil.txt', 'C:\\evil.txt'])('%s is refused', async (path) => {
    await refusedAs(await bagWith([{ path, body: 'x' }]), 'UNSAFE_PATH');
  });
});

describe('GHSA-f5x3-32g6-xq36 (CVE-2024-28863): denial of service by folder depth', () => {
  it('a path thousands of folders deep is refused from its header, before any folder is made', async () => {
    await refusedAs(
      await bagWith([paxEntry(paxRecord('path', `bag/data/${'d/'.repeat(2000)}f.txt`)), { path: 'bag/data/f.txt', body: 'x' }]),
      'LIMIT_EXCEEDED',
    );
  });
  it('a listed path deeper than the station limit is refused', async () => {
    await refusedAs(await bagWith([], [...files, { path: `data/${'d/'.repeat(70)}f.txt`, content: 'x' }]), 'LIMIT_EXCEEDED');
  });
});

describe('GHSA-8qq5-rm4j-mr97 (CVE-2026-23745): link targets not sanitised (absolute hardlink and symlink linkpaths)', () => {
  it.each([
    ['hard link to /etc/passwd', { path: 'bag/data/hard', type: 'Link', linkpath: '/etc/passwd' }],
    ['symlink to /etc/passwd', { path: 'bag/data/soft', type: 'SymbolicLink', linkpath: '/etc/passwd' }],
  ] as Array<[string, RawEntry]>)('a %s is refused', async (_label, entry) => {
    await refusedAs(await bagWith([entry]), 'UNSAFE_ENTRY_TYPE');
  });
});

describe('GHSA-r6q2-hw4h-h46w (CVE-2026-23950): names that collide on macOS APFS only under Unicode folding (ligatures, sharp s)', () => {
  // node-tar's path reservations folded names less than APFS does, so two entries the file system
  // takes for one ran in parallel. Airlock's collision key folds ligatures and ß (collisionKey).
  const pairs = [
    ['fi ligature and fi', '\uFB01le.txt', 'file.txt'],
    ['ffl ligature and FFL', 'wa\uFB04e.txt', 'WAFFLE.txt'],
    ['st ligature and st', '\uFB06op.txt', 'stop.txt'],
    ['sharp s and ss', 'stra\u00DFe.txt', 'strasse.txt'],
    ['capital sharp s and SS', 'STRA\u1E9EE.txt', 'STRASSE.txt'],
  ] as const;
  it.each(pairs)('%s: an unlisted twin of a listed file is refused', async (_label, listed, twin) => {
    await refusedAs(await bagWith([{ path: `bag/data/${twin}`, body: 'evil\n' }], [...files, { path: `data/${listed}`, content: 'one\n' }]), 'DUPLICATE_ENTRY');
  });
  it.each(pairs)('%s: a manifest listing both is refused', async (_label, listed, twin) => {
    const payload = [...files, { path: `data/${listed}`, content: 'one\n' }, { path: `data/${twin}`, content: 'two\n' }];
    await refusedAs(await bagWith([], payload), 'DUPLICATE_ENTRY');
  });
  it('directory entries colliding only under ligature folding are refused', async () => {
    await refusedAs(
      await bagWith([
        { path: 'bag/data/\uFB01les/', type: 'Directory' },
        { path: 'bag/data/files/', type: 'Directory' },
      ]),
      'DUPLICATE_ENTRY',
    );
  });
});

describe('GHSA-34x7-hfp2-rc4v (CVE-2026-24842): hardlink path traversal (linkpath checked against the entry folder, created against the root)', () => {
  it('a deep hard link whose target climbs out is refused', async () => {
    await refusedAs(await bagWith([{ path: 'bag/data/a/b/c/d/x', type: 'Link', linkpath: '../../../../etc/passwd' }]), 'UNSAFE_ENTRY_TYPE');
  });
});

describe('GHSA-qffp-2rhf-9h96 (CVE-2026-29786): hardlink through a drive-relative linkpath', () => {
  it('a hard link to C:../target.txt is refused', async () => {
    await refusedAs(await bagWith([{ path: 'bag/data/hard', type: 'Link', linkpath: 'C:../target.txt' }]), 'UNSAFE_ENTRY_TYPE');
  });
});

describe('CVE-2026-26960: hardlink outside the root through a chain of two symlinks', () => {
  it('symlink up -> ../.., symlink escape -> c/up/../.., hard link through escape: refused at the first link', async () => {
    const entries: RawEntry[] = [
      { path: 'bag/data/a/b/c/up', type: 'SymbolicLink', linkpath: '../..' },
      { path: 'bag/data/a/b/escape', type: 'SymbolicLink', linkpath: 'c/up/../..' },
      { path: 'bag/data/exfil', type: 'Link', linkpath: 'bag/data/a/b/escape/etc/passwd' },
    ];
    await refusedAs(await bagWith(entries), 'UNSAFE_ENTRY_TYPE');
  });
});

describe('GHSA-6wwr-g865-f46r (CVE-2026-140248): a nested symlink target escapes the root (node-tar 7.5.22 to 8.0.0)', () => {
  it('a symlink, then a second symlink whose target traverses it and climbs, is refused', async () => {
    const entries: RawEntry[] = [
      { path: 'bag/data/s', type: 'SymbolicLink', linkpath: 'dir' },
      { path: 'bag/data/t', type: 'SymbolicLink', linkpath: 's/../../..' },
    ];
    await refusedAs(await bagWith(entries), 'UNSAFE_ENTRY_TYPE');
  });
});

describe('GHSA-w8wr-v893-vjvp (CVE-2026-59871): an all-digit pax path (read as a number) crashed the process', () => {
  it.each(['File', 'Directory'] as const)('a %s entry named 12345 by a pax record gets a verdict, not a crash', async (type) => {
    await refusedAs(
      await bagWith([paxEntry(paxRecord('path', '12345')), { path: 'bag/data/x', type, body: type === 'File' ? 'x' : undefined }]),
      'UNSAFE_PATH',
    );
  });
});

describe('CVE-2026-59875: NUL bytes in pax path and linkpath records', () => {
  it('a NUL in a pax path record is refused', async () => {
    await refusedAs(await bagWith([paxEntry(paxRecord('path', 'bag/data/x\0/../../evil')), { path: 'bag/data/n.txt', body: 'x' }]), 'ARCHIVE_CORRUPT');
  });
  it('a pax linkpath record (here holding a NUL) is refused whatever it holds: no entry may carry a link target', async () => {
    await refusedAs(await bagWith([paxEntry(paxRecord('linkpath', 'bag/data/x\0/../../evil')), { path: 'bag/data/n.txt', body: 'x' }]), 'UNSAFE_ENTRY_TYPE');
  });
});

describe('CVE-2026-59874: a negative base-256 entry size (the reader made no progress)', () => {
  it('is refused with a verdict', async () => {
    const size = base256(0, 12);
    size.fill(0xff); // two's complement -1
    const entry = withData(header({ name: Buffer.from('bag/data/neg.txt'), size, typeflag: 0x30 }), Buffer.alloc(0));
    await refusedAs(await bagWith([entry]), 'ARCHIVE_CORRUPT');
  });
});

describe('GHSA-23hp-3jrh-7fpw (CVE-2026-59873): decompression and parse denial of service through unlimited input', () => {
  it('a compressed bundle is refused at its first bytes, never decompressed', async () => {
    const { gzipSync } = await import('node:zlib');
    // Ten megabytes of zeros compress to a few kilobytes: a reader that decompressed would run on.
    await refusedAs(gzipSync(Buffer.alloc(10 << 20)), 'ARCHIVE_CORRUPT');
  });
});

describe('GHSA-vmf3-w455-68vh (CVE-2026-53655): a pax size applied to an intermediate GNU long-name header (file smuggling)', () => {
  it('Airlock refuses the archive or reads exactly what GNU tar and Python read', async () => {
    // What node-tar before 7.5.16 took for the long name's body (1536 bytes) swallows the file's
    // header and a hidden one; GNU tar and Python give the pax size to the file.
    const hidden = withData(
      header({ name: Buffer.from('bag/data/smuggled.txt'), size: Buffer.from('00000000004 \0', 'latin1'), typeflag: 0x30 }),
      Buffer.from('evil'),
    );
    const fileBody = Buffer.concat([hidden, Buffer.alloc(1536 - hidden.length)]);
    const archive = Buffer.concat([
      paxHeader(paxRecord('size', String(fileBody.length))),
      longName(`bag/data/${'l'.repeat(120)}.txt`),
      withData(header({ name: Buffer.from('bag/data/short.txt'), size: Buffer.from('00000000000 \0', 'latin1'), typeflag: 0x30 }), fileBody),
      Buffer.alloc(1024),
    ]);
    const path = join(judge.root, 'smuggle.tar');
    await writeFile(path, archive);
    const [airlock, gnu, python] = await Promise.all([
      airlockReading(path),
      gnuTarReading(path),
      pythonReadings([path]).then((m) => m.get(path) ?? { error: 'no Python reading' }),
    ]);
    expect('error' in gnu || 'error' in python).toBe(false);
    if (!('error' in airlock)) {
      expect(sameReading(airlock, gnu)).toBe(true);
      expect(sameReading(airlock, python)).toBe(true);
    }
    // Inside a signed bag the same bytes are refused outright (the long name is unlisted or the reading disagrees).
    const built = await resignedBag(judge.signer, files);
    const bundlePath = await judge.write(Buffer.concat([tarOf([...built.tagEntries, ...built.payloadEntries], { end: false }), archive]));
    const verified = await judge.verifyCodes(bundlePath);
    expect(verified).toEqual(await judge.importCodes(bundlePath));
  });
});
