/**
 * Tampering: every change to a signed bundle makes `airlock verify` exit 1 with the problem
 * code that names it. Tampered bundles are built the way an attacker with standard tools
 * would: unpack with GNU tar, edit, re-pack with GNU tar in the format's order; or by editing
 * bytes in place where that is the point.
 */
import { copyFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editFile, extractBundle, packBag, uniqueOffset, type PackOptions } from '../../helpers/bag-tools.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { describeResult } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { createStation, type TestStation, type VerifyJson } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { writeTree } from '../../helpers/tree-digest.js';

const makeTemp = useTempDirs();
const NAME = 'signed';
const MARKER = 'PAYLOAD-ONE-UNIQUE-MARKER';
let station: TestStation;
let bundle: string;
let olderBundle: string;
let gnupg: GnupgHome | undefined;

beforeAll(async () => {
  const root = await makeTemp('airlock-tamper-');
  station = await createStation(root, 'Tamper Station');
  const src = join(root, 'p');
  await writeTree(src, {
    'one.txt': `${MARKER} first payload file\n`,
    'two.txt': 'second payload file\n',
    'sub/three.txt': 'third payload file\n',
  });
  const older = join(root, 'older');
  await writeTree(older, { 'p/one.txt': 'an older export by the same key\n' });
  olderBundle = (await station.exportBundle(await makeTemp('airlock-tamper-out-'), NAME, [join(older, 'p')])).bundle.bundlePath;
  bundle = (await station.exportBundle(await makeTemp('airlock-tamper-out-'), NAME, [src])).bundle.bundlePath;
});

afterAll(async () => {
  await gnupg?.close();
});

/** Unpack the good bundle, let `edit` change the bag directory, re-pack in the format's order. */
async function tampered(edit: (bag: string) => Promise<void>, options: PackOptions = {}): Promise<string> {
  const work = await makeTemp('airlock-tamper-work-');
  await extractBundle(bundle, join(work, 'x'));
  await edit(join(work, 'x', NAME));
  return packBag(join(work, 'x'), NAME, join(work, `${NAME}.airlock.tar`), options);
}

/** Verify must reject with exactly these problems (code and path), and exit 1. */
async function expectRejected(path: string, expected: Array<{ code: string; path?: string }>): Promise<VerifyJson> {
  const { code, report, result } = await station.verify(path);
  expect(code, describeResult(result)).toBe(1);
  expect(report.ok).toBe(false);
  expect(report.problems.map((p) => (p.path === undefined ? { code: p.code } : { code: p.code, path: p.path }))).toEqual(expected);
  return report;
}

describe('tampered bundles are rejected with the right problem', () => {
  it('control: the untouched bundle, and the same bag re-packed with GNU tar, both verify', async () => {
    const direct = await station.verify(bundle);
    expect(direct.code, describeResult(direct.result)).toBe(0);
    const repacked = await tampered(async () => undefined);
    const again = await station.verify(repacked);
    expect(again.code, describeResult(again.result)).toBe(0);
    expect(again.report.signers.map((s) => s.fingerprint)).toEqual([station.fingerprint]);
    expect(again.report.bundle.files).toBe(3);
  });

  it('one flipped payload byte inside the tar: CHECKSUM_MISMATCH on that data/ path', async () => {
    const bytes = await readFile(bundle);
    const at = uniqueOffset(bytes, MARKER) + 3;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    const path = join(await makeTemp('airlock-tamper-flip-'), `${NAME}.airlock.tar`);
    await writeFile(path, bytes);
    const report = await expectRejected(path, [{ code: 'CHECKSUM_MISMATCH', path: 'data/p/one.txt' }]);
    // The signature itself was fine: the signer is known, the payload is not what was signed.
    expect(report.signers.map((s) => s.fingerprint)).toEqual([station.fingerprint]);
    // In plain text: the per-file counts and the policy line, then the problem with its next step.
    const plain = await station.spawn(['verify', path]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/^REJECTED {2}/mu);
    expect(plain.stdout).toMatch(/^ {2}Files: (\d+ intact, )?1 checksum mismatch/mu);
    expect(plain.stdout).toMatch(/^ {2}Station policy: \d+ of 9 checks pass/mu);
    expect(plain.stdout).toMatch(/^ {2}CHECKSUM_MISMATCH {2}data\/p\/one\.txt$/mu);
  });

  it('an edited manifest-sha256.txt line: CHECKSUM_MISMATCH on manifest-sha256.txt', async () => {
    const path = await tampered(async (bag) => {
      // Point the manifest at edited content: the line for two.txt gets another checksum.
      await writeFile(join(bag, 'data', 'p', 'two.txt'), 'second payload file, edited\n');
      const digest = createHash('sha256').update('second payload file, edited\n').digest('hex');
      await editFile(join(bag, 'manifest-sha256.txt'), /^[0-9a-f]{64}( {2}data\/p\/two\.txt)$/mu, `${digest}$1`);
    });
    await expectRejected(path, [{ code: 'CHECKSUM_MISMATCH', path: 'manifest-sha256.txt' }]);
  });

  it('an edited tagmanifest-sha256.txt: SIGNATURE_INVALID', async () => {
    const path = await tampered(async (bag) => {
      const manifest = await readFile(join(bag, 'manifest-sha256.txt'));
      // Make the tag manifest consistent with an edited manifest: only the signature can catch it.
      await writeFile(join(bag, 'manifest-sha256.txt'), Buffer.concat([manifest, Buffer.from(`${'0'.repeat(64)}  data/p/planted.txt\n`)]));
      const digest = createHash('sha256')
        .update(await readFile(join(bag, 'manifest-sha256.txt')))
        .digest('hex');
      await editFile(join(bag, 'tagmanifest-sha256.txt'), /^[0-9a-f]{64}( {2}manifest-sha256\.txt)$/mu, `${digest}$1`);
    });
    const report = await expectRejected(path, [{ code: 'SIGNATURE_INVALID', path: 'tagmanifest-sha256.txt.asc' }]);
    expect(report.signers).toEqual([]);
  });

  it('a stale signature (the .asc of an older bundle by the same key): SIGNATURE_INVALID', async () => {
    const olderWork = await makeTemp('airlock-tamper-old-');
    await extractBundle(olderBundle, olderWork);
    const path = await tampered(async (bag) => {
      await copyFile(join(olderWork, NAME, 'tagmanifest-sha256.txt.asc'), join(bag, 'tagmanifest-sha256.txt.asc'));
    });
    const report = await expectRejected(path, [{ code: 'SIGNATURE_INVALID', path: 'tagmanifest-sha256.txt.asc' }]);
    expect(report.signers).toEqual([]);
  });

  it('a valid signature by a key the station does not trust: SIGNER_UNTRUSTED', async () => {
    gnupg = await GnupgHome.create();
    const stranger = gnupg.generateKey('Stranger <stranger@example.org>');
    const signer = gnupg;
    const path = await tampered(async (bag) => {
      await rm(join(bag, 'tagmanifest-sha256.txt.asc'));
      signer.detachSign(stranger, join(bag, 'tagmanifest-sha256.txt'), join(bag, 'tagmanifest-sha256.txt.asc'));
    });
    const report = await expectRejected(path, [{ code: 'SIGNER_UNTRUSTED', path: 'tagmanifest-sha256.txt.asc' }]);
    expect(report.signers).toEqual([]);
    // The message names the stranger's full fingerprint (grouped to be read aloud), so the
    // operator can check it with the sender: a key ID alone cannot be compared safely.
    expect(report.problems[0]?.message.replace(/ /gu, '')).toContain(stranger.toUpperCase());
    expect(report.problems[0]?.message).toContain(groupFingerprint(stranger.toUpperCase()));
    // gpg writes no Signer's User ID unless told to (--sender): the fingerprint alone, said so.
    expect(report.problems[0]?.message).toContain('the signature names no user ID');
  });

  it('no signature file: SIGNATURE_MISSING', async () => {
    const path = await tampered(async (bag) => {
      await rm(join(bag, 'tagmanifest-sha256.txt.asc'));
    });
    await expectRejected(path, [{ code: 'SIGNATURE_MISSING', path: 'tagmanifest-sha256.txt.asc' }]);
  });

  // The intact payload files of the good bundle: no problem may blame one of them.
  const INTACT = ['data/p/one.txt', 'data/p/sub/three.txt', 'data/p/two.txt'];

  it('an extra payload file no manifest lists: FILE_UNLISTED for it, and no intact file blamed', async () => {
    const path = await tampered(async (bag) => {
      await writeFile(join(bag, 'data', 'p', 'sub', 'added.txt'), 'slipped in after signing\n');
    });
    const { code, report, result } = await station.verify(path);
    expect(code, describeResult(result)).toBe(1);
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'FILE_UNLISTED', path: 'data/p/sub/added.txt' }));
    // The added file (archived before sub/three.txt and two.txt) is the only thing wrong.
    expect(report.problems.filter((p) => p.path !== undefined && INTACT.includes(p.path))).toEqual([]);
  });

  it('an extra payload file at the end of the archive: FILE_UNLISTED for it', async () => {
    const path = await tampered(
      async (bag) => {
        await writeFile(join(bag, 'data', 'zz-added-last.txt'), 'slipped in after signing, at the end\n');
      },
      { payload: ['data/p', 'data/zz-added-last.txt'] },
    );
    const { code, report, result } = await station.verify(path);
    expect(code, describeResult(result)).toBe(1);
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'FILE_UNLISTED', path: 'data/zz-added-last.txt' }));
  });

  it('an extra empty payload file: FILE_UNLISTED alone', async () => {
    const path = await tampered(async (bag) => {
      await writeFile(join(bag, 'data', 'p', 'empty-added.txt'), '');
    });
    await expectRejected(path, [{ code: 'FILE_UNLISTED', path: 'data/p/empty-added.txt' }]);
  });

  it('a missing payload file: FILE_MISSING', async () => {
    const path = await tampered(async (bag) => {
      await rm(join(bag, 'data', 'p', 'two.txt'));
    });
    await expectRejected(path, [{ code: 'FILE_MISSING', path: 'data/p/two.txt' }]);
  });

  it('a tar truncated in the middle of a payload file: ARCHIVE_CORRUPT', async () => {
    const bytes = await readFile(bundle);
    const cut = uniqueOffset(bytes, MARKER) + 5;
    const path = join(await makeTemp('airlock-tamper-cut-'), `${NAME}.airlock.tar`);
    await writeFile(path, bytes.subarray(0, cut));
    const report = await expectRejected(path, [{ code: 'ARCHIVE_CORRUPT' }]);
    expect(report.problems[0]?.message).toMatch(/truncated/iu);
  });

  it('a tar truncated inside the tag files: ARCHIVE_CORRUPT', async () => {
    const path = join(await makeTemp('airlock-tamper-cut-'), `${NAME}.airlock.tar`);
    await copyFile(bundle, path);
    const bytes = await readFile(bundle);
    await truncate(path, uniqueOffset(bytes, '-----BEGIN PGP SIGNATURE-----') + 40);
    await expectRejected(path, [{ code: 'ARCHIVE_CORRUPT' }]);
  });

  it('random garbage: ARCHIVE_CORRUPT', async () => {
    const path = join(await makeTemp('airlock-tamper-junk-'), `${NAME}.airlock.tar`);
    await writeFile(path, randomBytes(96 * 1024));
    const report = await expectRejected(path, [{ code: 'ARCHIVE_CORRUPT' }]);
    expect(report.signers).toEqual([]);
  });

  it('a bag with fetch.txt: MANIFEST_INVALID', async () => {
    const path = await tampered(
      async (bag) => {
        await writeFile(join(bag, 'fetch.txt'), 'https://example.org/more.bin 1024 data/p/more.bin\n');
      },
      { extraTags: ['fetch.txt'] },
    );
    await expectRejected(path, [{ code: 'MANIFEST_INVALID', path: 'fetch.txt' }]);
  });

  it('as a process: `airlock verify` of a tampered bundle exits 1 and prints REJECTED with the code', async () => {
    const path = await tampered(async (bag) => {
      await rm(join(bag, 'data', 'p', 'two.txt'));
    });
    const result = await station.spawn(['verify', path]);
    expect(result.code, describeResult(result)).toBe(1);
    expect(result.stdout).toMatch(/^REJECTED {2}signed$/mu);
    expect(result.stdout).toContain('FILE_MISSING  data/p/two.txt');
  });
});

describe('trust is revocable', () => {
  it('after `keys untrust` of the station’s own key, its own bundle is SIGNER_UNTRUSTED', async () => {
    const root = await makeTemp('airlock-tamper-untrust-');
    const own = await createStation(root, 'Self Distrust Station');
    await writeTree(join(root, 'src'), { 'f.txt': 'mine\n' });
    const { bundle: mine } = await own.exportBundle(await makeTemp('airlock-tamper-out-'), 'mine', [join(root, 'src')]);
    expect((await own.verify(mine.bundlePath)).code).toBe(0);

    // The operator types the fingerprint in groups of four, as shown.
    const grouped = own.fingerprint.replace(/(.{4})(?=.)/gu, '$1 ');
    const untrust = await own.run(['keys', 'untrust', grouped]);
    expect(untrust.code, describeResult(untrust)).toBe(0);

    const { code, report, result } = await own.verify(mine.bundlePath);
    expect(code, describeResult(result)).toBe(1);
    expect(report.signers).toEqual([]);
    expect(report.problems.map((p) => p.code)).toEqual(['SIGNER_UNTRUSTED']);
  });
});
