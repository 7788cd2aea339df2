/**
 * One test per archive hazard (docs/security-notes.md, node-tar advisories): each builds its
 * hostile bundle in the test, and verify must reject it with the right problem code.
 * The bundles are validly signed by a trusted key, so the rejection is the archive check's
 * doing, not the signature's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../electron/core/policy/limits.js';
import { makeSigner, paxEntry, paxRecord, rawEntry, signedBag, tarOf, type RawEntry, type TestSigner } from '../helpers/hostile-tar.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';

let dir: string;
let signer: TestSigner;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-hostile-'));
  signer = await makeSigner();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verifyTar(bytes: Buffer, limits = DEFAULT_LIMITS) {
  counter += 1;
  const path = join(dir, `b${counter}.airlock.tar`);
  await writeFile(path, bytes);
  return verifyBothWays({ bundlePath: path, trusted: [signer.trusted], limits });
}

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.txt', content: 'bravo\n' },
];

async function bagWith(extra: Array<RawEntry | Buffer>, where: 'before-payload' | 'after-payload' = 'after-payload') {
  const bag = await signedBag(signer, files);
  const entries = where === 'after-payload' ? [...bag.tagEntries, ...bag.payloadEntries, ...extra] : [...bag.tagEntries, ...extra, ...bag.payloadEntries];
  return tarOf(entries);
}

function codes(result: { problems: Array<{ code: string }> }): string[] {
  return result.problems.map((p) => p.code);
}

describe('baseline', () => {
  it('accepts the unmodified hostile-test bag (so every rejection below is caused by its one change)', async () => {
    const result = await verifyTar(await bagWith([]));
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('path traversal', () => {
  it('dot-dot entry path (../ escapes the bag)', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/data/../../evil.txt', body: 'x' }]));
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('UNSAFE_PATH');
  });
  it('absolute entry path (GHSA-3jfq-g458-7qm9)', async () => {
    const result = await verifyTar(await bagWith([{ path: '/etc/evil', body: 'x' }]));
    expect(codes(result)).toContain('UNSAFE_PATH');
  });
  it('drive-letter entry path (GHSA-5955-9wpr-37jh)', async () => {
    const result = await verifyTar(await bagWith([{ path: 'C:/evil.txt', body: 'x' }]));
    expect(codes(result)).toContain('UNSAFE_PATH');
  });
  it('backslash traversal (..\\ on Windows; GHSA-9r2w-394v-53qc)', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/data/..\\..\\evil.txt', body: 'x' }]));
    expect(codes(result)).toContain('UNSAFE_PATH');
  });
  it('traversal hidden in a pax path record', async () => {
    const result = await verifyTar(await bagWith([paxEntry(paxRecord('path', 'bag/data/../../../evil.txt')), { path: 'bag/data/harmless.txt', body: 'x' }]));
    expect(codes(result)).toContain('UNSAFE_PATH');
  });
  it('traversal hidden in a GNU long-name record', async () => {
    const name = `bag/data/${'../'.repeat(40)}evil.txt\0`;
    const result = await verifyTar(
      await bagWith([rawEntry({ path: '././@LongLink', type: 'NextFileHasLongPath', body: name }), { path: 'bag/data/harmless.txt', body: 'x' }]),
    );
    expect(codes(result)).toContain('UNSAFE_PATH');
  });
  it('manifest path leaving data/ (data/../x)', async () => {
    const bag = await signedBag(signer, files, { manifestExtra: [{ path: 'data/../bagit.txt', sha256: 'a'.repeat(64) }] });
    const result = await verifyTar(tarOf([...bag.tagEntries, ...bag.payloadEntries]));
    expect(codes(result)).toEqual(['UNSAFE_PATH']);
  });
  it('entry outside the bag top directory', async () => {
    const result = await verifyTar(await bagWith([{ path: 'other/data/x.txt', body: 'x' }]));
    expect(codes(result)).toContain('UNSAFE_PATH');
  });
});

describe('entry types (links, devices, FIFOs, sparse files)', () => {
  it.each([
    ['symlink', { path: 'bag/data/link', type: 'SymbolicLink', linkpath: '/etc/passwd' }],
    ['hard link', { path: 'bag/data/hard', type: 'Link', linkpath: 'bag/data/a.txt' }],
    ['character device', { path: 'bag/data/dev', type: 'CharacterDevice' }],
    ['block device', { path: 'bag/data/blk', type: 'BlockDevice' }],
    ['FIFO', { path: 'bag/data/fifo', type: 'FIFO' }],
    ['old GNU sparse file', { path: 'bag/data/sparse', type: 'SparseFile', body: 'x' }],
  ] as Array<[string, RawEntry]>)('%s entry is rejected with UNSAFE_ENTRY_TYPE', async (_label, entry) => {
    const result = await verifyTar(await bagWith([entry]));
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('UNSAFE_ENTRY_TYPE');
  });
  it('pax GNU.sparse records (PAX sparse format)', async () => {
    const result = await verifyTar(
      await bagWith([paxEntry(paxRecord('GNU.sparse.major', '1') + paxRecord('GNU.sparse.minor', '0')), { path: 'bag/data/s.txt', body: 'x' }]),
    );
    expect(codes(result)).toContain('UNSAFE_ENTRY_TYPE');
  });
  it('symlink as a tag file', async () => {
    const bag = await signedBag(signer, files);
    const tags = bag.tagEntries.map((e) =>
      e.path === 'bag/bagit.txt' ? { path: 'bag/bagit.txt', type: 'SymbolicLink' as const, linkpath: '/etc/passwd' } : e,
    );
    const result = await verifyTar(tarOf([...tags, ...bag.payloadEntries]));
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('UNSAFE_ENTRY_TYPE');
  });
});

describe('duplicates and collisions', () => {
  it('the same payload path twice', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/data/a.txt', body: 'alpha\n' }]));
    expect(codes(result)).toContain('DUPLICATE_ENTRY');
  });
  it('names equal after Unicode NFC normalisation (GHSA-qq89-hq3f-393p)', async () => {
    const nfc = 'data/caf\u00e9.txt';
    const nfd = 'data/cafe\u0301.txt';
    const bag = await signedBag(signer, [{ path: nfc, content: 'one' }]);
    const result = await verifyTar(tarOf([...bag.tagEntries, ...bag.payloadEntries, { path: `bag/${nfd}`, body: 'two' }]));
    expect(codes(result)).toContain('DUPLICATE_ENTRY');
  });
  it('names equal after case folding (GHSA-9r2w-394v-53qc)', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/data/A.TXT', body: 'x' }]));
    expect(codes(result)).toContain('DUPLICATE_ENTRY');
  });
  it('a file where the payload needs a directory', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/data/a.txt/inner', body: 'x' }]));
    expect(codes(result)).toContain('DUPLICATE_ENTRY');
  });
  it('manifest listing one path twice under different case', async () => {
    const bag = await signedBag(signer, files, { manifestExtra: [{ path: 'data/A.txt', sha256: 'b'.repeat(64) }] });
    const result = await verifyTar(tarOf([...bag.tagEntries, ...bag.payloadEntries]));
    expect(codes(result)).toEqual(['DUPLICATE_ENTRY']);
  });
  it('a second copy of a tag file after the payload', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/bagit.txt', body: 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' }]));
    expect(codes(result)).toContain('DUPLICATE_ENTRY');
  });
});

describe('parser desynchronisation (pax and long-name headers read differently by different tools)', () => {
  it('pax path value holding a newline (node-tar drops it, GNU tar honours it)', async () => {
    const result = await verifyTar(await bagWith([paxEntry(paxRecord('path', 'bag/data/x\n../../evil')), { path: 'bag/data/a2.txt', body: 'x' }]));
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('pax path value holding a NUL (CVE-2026-59875)', async () => {
    const result = await verifyTar(await bagWith([paxEntry(paxRecord('path', 'bag/data/x\0/../../evil')), { path: 'bag/data/a2.txt', body: 'x' }]));
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('malformed pax record length', async () => {
    const result = await verifyTar(await bagWith([paxEntry('99 path=bag/data/x.txt\n'), { path: 'bag/data/a2.txt', body: 'x' }]));
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('global pax header (renames every later entry)', async () => {
    const result = await verifyTar(await bagWith([paxEntry(paxRecord('comment', 'hi'), 'GlobalExtendedHeader')], 'before-payload'));
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('GNU long name with a NUL inside the name', async () => {
    const result = await verifyTar(
      await bagWith([
        rawEntry({ path: '././@LongLink', type: 'NextFileHasLongPath', body: 'bag/data/ok\0\n../../evil\0' }),
        { path: 'bag/data/a2.txt', body: 'x' },
      ]),
    );
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('pax linkpath record', async () => {
    const result = await verifyTar(await bagWith([paxEntry(paxRecord('linkpath', '/etc/passwd')), { path: 'bag/data/a2.txt', body: 'x' }]));
    expect(result.ok).toBe(false);
  });
  it('pax size that is negative', async () => {
    const result = await verifyTar(await bagWith([paxEntry(paxRecord('size', '-1')), { path: 'bag/data/a2.txt', body: 'x' }]));
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
});

describe('truncation, garbage and lying sizes', () => {
  it('truncated in the middle of a payload file', async () => {
    const big = { path: 'data/big.bin', content: Buffer.alloc(100_000, 7) };
    const bag = await signedBag(signer, [...files, big]);
    const full = tarOf([...bag.tagEntries, ...bag.payloadEntries]);
    const result = await verifyTar(full.subarray(0, full.length - 60_000));
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('random garbage', async () => {
    const result = await verifyTar(Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)));
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('empty file', async () => {
    const result = await verifyTar(Buffer.alloc(0));
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
  });
  it('header declares more data than the archive holds', async () => {
    const bag = await signedBag(signer, files);
    const lying = rawEntry({ path: 'bag/data/a.txt', body: 'alpha\n', declaredSize: 10_000_000 });
    const result = await verifyTar(Buffer.concat([tarOf([...bag.tagEntries], { end: false }), lying, Buffer.alloc(1024)]));
    expect(result.ok).toBe(false);
  });
});

describe('limits, checked from headers before data is read', () => {
  it('oversized tag file', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/custom-tag.txt', body: Buffer.alloc(2 * 1024 * 1024, 0x41) }], 'before-payload'));
    expect(codes(result)).toEqual(['LIMIT_EXCEEDED']);
  });
  it('too many entries', async () => {
    // Five tag files and two payload files: seven entries against a limit of six.
    const result = await verifyTar(await bagWith([]), { ...DEFAULT_LIMITS, maxEntries: 6 });
    expect(codes(result)).toContain('LIMIT_EXCEEDED');
  });
  it('file larger than the per-file limit', async () => {
    const result = await verifyTar(await bagWith([]), { ...DEFAULT_LIMITS, maxFileBytes: 3 });
    expect(codes(result)).toContain('LIMIT_EXCEEDED');
  });
  it('path deeper than the depth limit (GHSA-f5x3-32g6-xq36)', async () => {
    const deep = `bag/data/${'d/'.repeat(80)}f.txt`;
    const result = await verifyTar(await bagWith([{ path: deep, body: 'x' }]));
    expect(codes(result)).toContain('LIMIT_EXCEEDED');
  });
  it('path component longer than 255 bytes', async () => {
    const result = await verifyTar(await bagWith([paxEntry(paxRecord('path', `bag/data/${'n'.repeat(300)}`)), { path: 'bag/data/z.txt', body: 'x' }]));
    expect(codes(result)).toContain('LIMIT_EXCEEDED');
  });
});

describe('bag rules (RFC 8493 and format v1)', () => {
  it('fetch.txt makes a bag incomplete', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/fetch.txt', body: 'http://x 1 data/y\n' }], 'before-payload'));
    expect(codes(result)).toEqual(['MANIFEST_INVALID']);
  });
  it('a tag file the signed tag manifest does not cover', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/unsigned-tag.txt', body: 'x' }], 'before-payload'));
    expect(codes(result)).toEqual(['FILE_UNLISTED']);
  });
  it('payload before the tag files', async () => {
    const bag = await signedBag(signer, files);
    const result = await verifyTar(tarOf([...bag.payloadEntries, ...bag.tagEntries]));
    expect(result.ok).toBe(false);
    expect(codes(result)[0]).toBe('MANIFEST_INVALID');
  });
  it('a manifest for another algorithm', async () => {
    const result = await verifyTar(await bagWith([{ path: 'bag/manifest-md5.txt', body: '' }], 'before-payload'));
    expect(codes(result)).toEqual(['MANIFEST_INVALID']);
  });
  it('Payload-Oxum that disagrees with the manifest fails before the payload is read', async () => {
    const bag = await signedBag(signer, files);
    // Re-sign a bag-info whose Oxum claims three files: the signature is valid, the claim is not.
    const { buildBagTags } = await import('../../electron/core/bundle/bag-tag-files.js');
    const { signDetached } = await import('../../electron/core/crypto/detached-signature.js');
    const tags = buildBagTags(
      [...files, { path: 'data/phantom', content: '' }].map((f) => ({
        absPath: '',
        bagPath: f.path,
        size: f.content.length,
        mtime: new Date(0),
        sha256: 'c'.repeat(64),
      })),
      { identity: { station: 's', operator: 'o', organization: null }, sequence: 1, now: new Date() },
    );
    const bagInfo = tags.files.find((t) => t.name === 'bag-info.txt');
    expect(bagInfo).toBeDefined();
    const manifestEntry = bag.tagEntries.find((e) => e.path === 'bag/manifest-sha256.txt');
    const { sha256Hex } = await import('../../electron/core/crypto/sha256.js');
    const { formatManifest } = await import('../../electron/core/bundle/manifest.js');
    const bagit = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
    const tagmanifest = Buffer.from(
      formatManifest([
        { path: 'bagit.txt', sha256: sha256Hex(bagit) },
        { path: 'bag-info.txt', sha256: sha256Hex(bagInfo?.bytes ?? '') },
        { path: 'manifest-sha256.txt', sha256: sha256Hex(Buffer.from(manifestEntry?.body ?? '')) },
      ]),
    );
    const asc = await signDetached(tagmanifest, [signer.privateKey]);
    const result = await verifyTar(
      tarOf([
        { path: 'bag/bagit.txt', body: bagit },
        { path: 'bag/bag-info.txt', body: bagInfo?.bytes ?? '' },
        manifestEntry as RawEntry,
        { path: 'bag/tagmanifest-sha256.txt', body: tagmanifest },
        { path: 'bag/tagmanifest-sha256.txt.asc', body: asc },
        ...bag.payloadEntries,
      ]),
    );
    expect(codes(result)).toEqual(['PAYLOAD_OXUM_MISMATCH']);
    expect(result.bundle.files).toBe(0);
  });
  it('bagit.txt with another version', async () => {
    const bag = await signedBag(signer, files);
    const entries = bag.tagEntries.map((e) => (e.path === 'bag/bagit.txt' ? { ...e, body: 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n' } : e));
    const result = await verifyTar(tarOf([...entries, ...bag.payloadEntries]));
    // The tag manifest covers bagit.txt, so any edit is first a checksum mismatch against what was signed.
    expect(codes(result)).toEqual(['CHECKSUM_MISMATCH']);
  });
});

describe('signature file shapes (openpgp.js usage rules)', () => {
  async function withAsc(asc: string) {
    const bag = await signedBag(signer, files);
    const entries = bag.tagEntries.map((e) => (e.path.endsWith('.asc') ? { ...e, body: asc } : e));
    return verifyTar(tarOf([...entries, ...bag.payloadEntries]));
  }
  it('an armored PGP MESSAGE instead of a detached signature (GHSA-8qff-qr5q-5pr8)', async () => {
    const result = await withAsc('-----BEGIN PGP MESSAGE-----\n\nabc\n-----END PGP MESSAGE-----\n');
    expect(codes(result)).toEqual(['SIGNATURE_INVALID']);
  });
  it('a cleartext-signed message instead of a detached signature', async () => {
    const result = await withAsc(
      '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhello\n-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n',
    );
    expect(codes(result)).toEqual(['SIGNATURE_INVALID']);
  });
  it('an empty signature file', async () => {
    const result = await withAsc('');
    expect(result.ok).toBe(false);
    expect(codes(result)[0]).toMatch(/^SIGNATURE_/u);
  });
  it('two armored blocks in one file', async () => {
    const bag = await signedBag(signer, files);
    const asc = String(bag.tagEntries.find((e) => e.path.endsWith('.asc'))?.body);
    const result = await withAsc(`${asc}\n${asc}`);
    expect(codes(result)).toEqual(['SIGNATURE_INVALID']);
  });
});

describe('container shape (format v1 is a plain tar ending in its end marker)', () => {
  it('a gzip-compressed bundle is refused, not silently decompressed (GHSA-23hp-3jrh-7fpw)', async () => {
    const { gzipSync } = await import('node:zlib');
    const result = await verifyTar(gzipSync(await bagWith([])));
    expect(codes(result)).toEqual(['ARCHIVE_CORRUPT']);
    expect(result.problems[0]?.message).toContain('gzip');
  });
  it('a zstd-magic bundle is refused', async () => {
    const result = await verifyTar(Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(2048)]));
    expect(codes(result)).toEqual(['ARCHIVE_CORRUPT']);
  });
  it('an archive cut exactly between two entries (no end-of-archive marker)', async () => {
    const bag = await signedBag(signer, files);
    const cut = tarOf([...bag.tagEntries, ...bag.payloadEntries], { end: false });
    const result = await verifyTar(cut);
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('ARCHIVE_CORRUPT');
  });
  it('a manifest for another algorithm placed after the payload (and covered by the tag manifest)', async () => {
    const bag = await signedBag(signer, files);
    const result = await verifyTar(tarOf([...bag.tagEntries, ...bag.payloadEntries, { path: 'bag/manifest-md5.txt', body: '' }]));
    expect(codes(result)).toContain('MANIFEST_INVALID');
  });
  it('a bag declaring a future Airlock-Format-Version', async () => {
    const { buildBagTags } = await import('../../electron/core/bundle/bag-tag-files.js');
    const { signDetached } = await import('../../electron/core/crypto/detached-signature.js');
    const { sha256Hex } = await import('../../electron/core/crypto/sha256.js');
    const { formatManifest } = await import('../../electron/core/bundle/manifest.js');
    const hashed = files.map((f) => ({ absPath: '', bagPath: f.path, size: f.content.length, mtime: new Date(0), sha256: sha256Hex(f.content) }));
    const tags = buildBagTags(hashed, { identity: { station: 's', operator: 'o', organization: null }, sequence: 1, now: new Date() });
    const bagit = tags.files.find((t) => t.name === 'bagit.txt')?.bytes ?? Buffer.alloc(0);
    const manifest = tags.files.find((t) => t.name === 'manifest-sha256.txt')?.bytes ?? Buffer.alloc(0);
    const bagInfo = Buffer.from(
      (tags.files.find((t) => t.name === 'bag-info.txt')?.bytes ?? Buffer.alloc(0))
        .toString()
        .replace('Airlock-Format-Version: 1', 'Airlock-Format-Version: 2'),
    );
    const tagmanifest = Buffer.from(
      formatManifest([
        { path: 'bagit.txt', sha256: sha256Hex(bagit) },
        { path: 'bag-info.txt', sha256: sha256Hex(bagInfo) },
        { path: 'manifest-sha256.txt', sha256: sha256Hex(manifest) },
      ]),
    );
    const asc = await signDetached(tagmanifest, [signer.privateKey]);
    const result = await verifyTar(
      tarOf([
        { path: 'bag/bagit.txt', body: bagit },
        { path: 'bag/bag-info.txt', body: bagInfo },
        { path: 'bag/manifest-sha256.txt', body: manifest },
        { path: 'bag/tagmanifest-sha256.txt', body: tagmanifest },
        { path: 'bag/tagmanifest-sha256.txt.asc', body: asc },
        ...files.map((f) => ({ path: `bag/${f.path}`, body: f.content })),
      ]),
    );
    expect(codes(result)).toEqual(['MANIFEST_INVALID']);
    expect(result.problems[0]?.message).toContain('Airlock-Format-Version 2');
  });
});
