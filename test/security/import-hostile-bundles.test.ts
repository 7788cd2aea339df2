/**
 * Hostile bundles through import (docs/security-notes.md, node-tar advisories): each is validly
 * signed by a trusted key, is rejected with a problem code, creates nothing outside the
 * destination, and leaves the destination exactly as it was (no staging leftovers either).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStationDb, type StationDb } from '../../electron/core/db/station-db.js';
import { AirlockError } from '../../electron/core/errors.js';
import { importBundle, type ImportResult } from '../../electron/core/import/import-bundle.js';
import { DEFAULT_POLICY, type StationPolicy } from '../../electron/core/policy/station-policy.js';
import { makeSigner, paxEntry, paxRecord, rawEntry, signedBag, tarOf, type RawEntry, type TestSigner } from '../helpers/hostile-tar.js';
import { snapshotTree } from '../helpers/tree-snapshot.js';

let root: string;
let signer: TestSigner;
let db: StationDb;
let jail: string;
let dest: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-import-hostile-'));
  signer = await makeSigner();
  db = openStationDb(join(root, 'station.db'));
});
afterAll(async () => {
  db.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  n += 1;
  // jail/dest is the destination; jail/ itself must never gain anything either.
  jail = join(root, `jail${n}`);
  dest = join(jail, 'dest');
  await mkdir(dest, { recursive: true });
  await writeFile(join(dest, 'existing.txt'), 'was here before');
});

let before: Record<string, string>;
beforeEach(async () => {
  before = await snapshotTree(jail);
});
afterEach(async () => {
  // The heart of every test here: nothing changed anywhere under the jail.
  expect(await snapshotTree(jail)).toEqual(before);
});

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/dir/b.txt', content: 'bravo\n' },
];

async function importTar(bytes: Buffer, policy: StationPolicy = DEFAULT_POLICY): Promise<ImportResult | AirlockError> {
  const bundlePath = join(root, `b${n}.airlock.tar`);
  await writeFile(bundlePath, bytes);
  try {
    return await importBundle({ bundlePath, destDir: dest, trusted: [signer.trusted], policy, db, operator: 'tester' });
  } catch (error) {
    if (error instanceof AirlockError) return error;
    throw error;
  }
}

async function bagWith(extra: Array<RawEntry | Buffer>, where: 'before-payload' | 'after-payload' = 'after-payload', payload = files) {
  const bag = await signedBag(signer, payload);
  const entries = where === 'after-payload' ? [...bag.tagEntries, ...bag.payloadEntries, ...extra] : [...bag.tagEntries, ...extra, ...bag.payloadEntries];
  return tarOf(entries);
}

function rejectedWith(result: ImportResult | AirlockError, code: string): void {
  expect(result).not.toBeInstanceOf(AirlockError);
  const r = result as ImportResult;
  expect(r.ok).toBe(false);
  expect(r.destination).toBeNull();
  expect(r.problems.map((p) => p.code)).toContain(code);
}

describe('import refuses, and DIR stays exactly as it was', () => {
  it('baseline: the same bag without the hostile part imports (then is removed for the snapshot)', async () => {
    const result = await importTar(await bagWith([]));
    expect(result).toMatchObject({ ok: true, destination: join(dest, 'bag') });
    await rm(join(dest, 'bag'), { recursive: true });
  });

  it('path traversal with ../ in the entry name', async () => {
    rejectedWith(await importTar(await bagWith([{ path: 'bag/data/../../evil.txt', body: 'x' }])), 'UNSAFE_PATH');
  });
  it('absolute path', async () => {
    rejectedWith(await importTar(await bagWith([{ path: `${jail}/evil.txt`, body: 'x' }])), 'UNSAFE_PATH');
  });
  it('traversal in a pax path record', async () => {
    rejectedWith(await importTar(await bagWith([paxEntry(paxRecord('path', 'bag/data/../../evil.txt')), { path: 'bag/data/x', body: 'x' }])), 'UNSAFE_PATH');
  });
  it('traversal in a GNU long-name record', async () => {
    rejectedWith(
      await importTar(
        await bagWith([
          rawEntry({ path: '././@LongLink', type: 'NextFileHasLongPath', body: `bag/data/${'../'.repeat(30)}evil\0` }),
          { path: 'bag/data/x', body: 'x' },
        ]),
      ),
      'UNSAFE_PATH',
    );
  });
  it('manifest path traversal (data/../../evil) is refused before any payload is written', async () => {
    const bag = await signedBag(signer, files, { manifestExtra: [{ path: 'data/../../evil.txt', sha256: '0'.repeat(64) }] });
    rejectedWith(await importTar(tarOf([...bag.tagEntries, ...bag.payloadEntries])), 'UNSAFE_PATH');
  });
  it('symlink entry followed by a file written through it (link-then-write)', async () => {
    const result = await importTar(
      await bagWith([
        { path: 'bag/data/escape', type: 'SymbolicLink', linkpath: jail },
        { path: 'bag/data/escape/evil.txt', body: 'x' },
      ]),
    );
    rejectedWith(result, 'UNSAFE_ENTRY_TYPE');
  });
  it('hard link to a file outside', async () => {
    rejectedWith(await importTar(await bagWith([{ path: 'bag/data/hl', type: 'Link', linkpath: '/etc/passwd' }])), 'UNSAFE_ENTRY_TYPE');
  });
  it('device and FIFO entries', async () => {
    rejectedWith(await importTar(await bagWith([{ path: 'bag/data/dev', type: 'CharacterDevice' }])), 'UNSAFE_ENTRY_TYPE');
    rejectedWith(await importTar(await bagWith([{ path: 'bag/data/fifo', type: 'FIFO' }])), 'UNSAFE_ENTRY_TYPE');
  });
  it('duplicate entry that would overwrite an already verified file', async () => {
    rejectedWith(await importTar(await bagWith([{ path: 'bag/data/a.txt', body: 'evil' }])), 'DUPLICATE_ENTRY');
  });
  it('names equal after case folding (one overwrites the other on Windows/macOS/FAT)', async () => {
    rejectedWith(await importTar(await bagWith([{ path: 'bag/data/A.TXT', body: 'evil' }])), 'DUPLICATE_ENTRY');
  });
  it('names equal after NFC normalisation', async () => {
    const bag = await signedBag(signer, [{ path: 'data/caf\u00e9', content: 'a' }]);
    rejectedWith(await importTar(tarOf([...bag.tagEntries, ...bag.payloadEntries, { path: 'bag/data/cafe\u0301', body: 'b' }])), 'DUPLICATE_ENTRY');
  });
  it('a checksum mismatch in the last file after earlier files were staged', async () => {
    const bag = await signedBag(signer, files);
    const payload = bag.payloadEntries.map((e, i) => (i === bag.payloadEntries.length - 1 ? { ...e, body: 'BRAVO\n' } : e));
    rejectedWith(await importTar(tarOf([...bag.tagEntries, ...payload])), 'CHECKSUM_MISMATCH');
  });
  it('truncated in the middle of a large file', async () => {
    const big = { path: 'data/big.bin', content: Buffer.alloc(300_000, 3) };
    const bag = await signedBag(signer, [...files, big]);
    const full = tarOf([...bag.tagEntries, ...bag.payloadEntries]);
    rejectedWith(await importTar(full.subarray(0, full.length - 200_000)), 'ARCHIVE_CORRUPT');
  });
  it('garbage instead of a tar', async () => {
    rejectedWith(await importTar(Buffer.alloc(4096, 0x41)), 'ARCHIVE_CORRUPT');
  });
  it('a file larger than the station file-size limit, caught from its header', async () => {
    const policy: StationPolicy = { ...DEFAULT_POLICY, limits: { ...DEFAULT_POLICY.limits, maxFileBytes: 3 } };
    rejectedWith(await importTar(await bagWith([]), policy), 'LIMIT_EXCEEDED');
  });
  it('too many entries for the station policy', async () => {
    const policy: StationPolicy = { ...DEFAULT_POLICY, limits: { ...DEFAULT_POLICY.limits, maxEntries: 6 } };
    rejectedWith(await importTar(await bagWith([]), policy), 'LIMIT_EXCEEDED');
  });
  it('a payload larger than the station total-bytes limit', async () => {
    const policy: StationPolicy = { ...DEFAULT_POLICY, limits: { ...DEFAULT_POLICY.limits, maxTotalBytes: 8 } };
    rejectedWith(await importTar(await bagWith([]), policy), 'LIMIT_EXCEEDED');
  });
  it('fetch.txt (payload from elsewhere)', async () => {
    rejectedWith(await importTar(await bagWith([{ path: 'bag/fetch.txt', body: 'http://x 1 data/y\n' }], 'before-payload')), 'MANIFEST_INVALID');
  });
  it('a tag file that is a symlink', async () => {
    const bag = await signedBag(signer, files);
    const tags = bag.tagEntries.map((e) => (e.path === 'bag/bag-info.txt' ? { path: e.path, type: 'SymbolicLink' as const, linkpath: '/etc/shadow' } : e));
    const result = await importTar(tarOf([...tags, ...bag.payloadEntries]));
    expect((result as ImportResult).ok).toBe(false);
  });

  it.each([
    ['a control character', 'bag\u001b[2J'],
    ['a bidi override', 'bag\u202Eexe'],
    ['a reserved Windows device name', 'CON'],
    ['a leading dot (hidden; reserved for staging)', '.airlock-staging-evil'],
  ])('a top directory name with %s (it would become DIR/<name>)', async (_label, name) => {
    const bag = await signedBag(signer, files, { name });
    rejectedWith(await importTar(tarOf([...bag.tagEntries, ...bag.payloadEntries])), 'UNSAFE_PATH');
  });

  describe('names the station refuses by default policy (payloads are often opened on Windows)', () => {
    it.each([
      ['a newline', 'data/a\nb.txt'],
      ['an escape sequence', 'data/\u001b[31mred.txt'],
      ['a bidi override (txt.exe shown as exe.txt)', 'data/invoice\u202Egnp.exe'],
      ['a reserved Windows device name', 'data/CON.txt'],
      ['a Windows-forbidden character', 'data/a:b.txt'],
      ['a trailing dot', 'data/name.'],
    ])('%s', async (_label, path) => {
      const bag = await signedBag(signer, [{ path, content: 'x' }]);
      rejectedWith(await importTar(tarOf([...bag.tagEntries, ...bag.payloadEntries])), 'UNSAFE_PATH');
    });
    it('but a station whose policy allows them imports them', async () => {
      const bag = await signedBag(signer, [{ path: 'data/a\nb:c.', content: 'x' }]);
      const policy: StationPolicy = {
        ...DEFAULT_POLICY,
        names: { allowControlCharacters: true, allowBidiCharacters: false, allowWindowsIncompatibleNames: true },
      };
      const result = await importTar(tarOf([...bag.tagEntries, ...bag.payloadEntries]), policy);
      expect(result).toMatchObject({ ok: true });
      await rm(join(dest, 'bag'), { recursive: true });
    });
  });
});
