/**
 * Interop in (docs/design.md §2): a bag made by hand with GNU tar, sha256sum and gpg, in the
 * format's layout, must verify in Airlock once the signer's key is trusted. GNU tar adds
 * directory entries (NAME/data/, ...) and, depending on --format, GNU long-name or pax records.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listTar } from '../../helpers/bag-tools.js';
import { describeResult, parseJson, runAirlock } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { stationAt, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';
import { writeTree } from '../../helpers/tree-digest.js';

const makeTemp = useTempDirs();
let gnupg: GnupgHome;
let fpr: string;
let pubFile: string;

const LONG_DIR = `a-directory-name-long-enough-that-the-whole-path-needs-more-than-one-hundred-bytes-${'z'.repeat(20)}`;
const PAYLOAD: Record<string, string | Buffer> = {
  'readme.txt': 'made by hand\n',
  'docs/with space.txt': 'a name with a space\n',
  'docs/\u00fcbersicht-\u65e5\u672c.txt': 'unicode name\n',
  'docs/empty.txt': '',
  [`${LONG_DIR}/file.txt`]: 'a long path\n',
  'bin/blob.bin': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 13) & 0xff)),
};
const PAYLOAD_BYTES = Object.values(PAYLOAD).reduce((n, c) => n + Buffer.byteLength(c), 0);
const PAYLOAD_FILES = Object.keys(PAYLOAD).length;

beforeAll(async () => {
  gnupg = await GnupgHome.create();
  fpr = gnupg.generateKey('Hand Bagger <hand@example.org>');
  pubFile = await gnupg.writePublic(fpr, join(await makeTemp('airlock-gin-key-'), 'pub.asc'));
});

afterAll(async () => {
  await gnupg?.close();
});

interface HandBagOptions {
  name: string;
  tarFormat?: 'posix' | 'gnu';
  bagInfo?: boolean;
  /** sha256sum --binary writes "<hash> *path". */
  binaryMarker?: boolean;
}

/** Build NAME.airlock.tar exactly as a person with a shell would, and return its path. */
async function handMadeBag(options: HandBagOptions): Promise<string> {
  const root = await makeTemp('airlock-gin-bag-');
  const bag = join(root, options.name);
  await mkdir(bag);
  await writeTree(join(bag, 'data'), PAYLOAD);
  await writeFile(join(bag, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
  const sumFlag = options.binaryMarker ? '--binary' : '';
  mustRun('bash', ['-c', `set -euo pipefail; find data -type f -print0 | sort -z | xargs -0 sha256sum ${sumFlag} > manifest-sha256.txt`], { cwd: bag });
  const tagFiles = ['bagit.txt'];
  if (options.bagInfo !== false) {
    await writeFile(
      join(bag, 'bag-info.txt'),
      `Bagging-Date: 2026-01-15\nPayload-Oxum: ${PAYLOAD_BYTES}.${PAYLOAD_FILES}\nSource-Organization: Hand Bagging Unit\nContact-Name: Hand Bagger\n`,
    );
    tagFiles.push('bag-info.txt');
  }
  tagFiles.push('manifest-sha256.txt');
  mustRun('bash', ['-c', `set -euo pipefail; sha256sum ${tagFiles.join(' ')} > tagmanifest-sha256.txt`], { cwd: bag });
  gnupg.detachSign(fpr, join(bag, 'tagmanifest-sha256.txt'), join(bag, 'tagmanifest-sha256.txt.asc'));
  const members = [...tagFiles, 'tagmanifest-sha256.txt', 'tagmanifest-sha256.txt.asc', 'data'].map((m) => `${options.name}/${m}`);
  const format = options.tarFormat ? [`--format=${options.tarFormat}`] : [];
  const tarPath = join(root, `${options.name}.airlock.tar`);
  mustRun('tar', ['cf', tarPath, ...format, ...members], { cwd: root });
  return tarPath;
}

/** A receiving station that trusts the hand bagger's key (no station key of its own is needed to verify). */
async function receiver(): Promise<TestStation> {
  const root = await makeTemp('airlock-gin-rx-');
  return stationAt(join(root, 'home'), join(root, 'unused-passphrase'));
}

interface VerifyReport {
  ok: boolean;
  bundle: { name: string; files: number; bytes: number };
  signers: Array<{ fingerprint: string; label: string | null }>;
  problems: Array<{ code: string; path?: string }>;
}

async function trustAndVerify(bundle: string): Promise<VerifyReport> {
  const rx = await receiver();
  const before = await rx.run(['verify', '--json', bundle]);
  expect(before.code, describeResult(before)).toBe(1);
  expect(parseJson<VerifyReport>(before).problems.map((p) => p.code)).toEqual(['SIGNER_UNTRUSTED']);

  const trusted = await rx.run(['keys', 'trust', pubFile, '--fingerprint', fpr, '--label', 'hand bagger', '--json']);
  expect(trusted.code, describeResult(trusted)).toBe(0);
  expect(parseJson<{ signer: { fingerprint: string } }>(trusted).signer.fingerprint).toBe(fpr);

  const verified = await rx.run(['verify', '--json', bundle]);
  expect(verified.code, describeResult(verified)).toBe(0);
  const report = parseJson<VerifyReport>(verified);
  expect(report.ok).toBe(true);
  expect(report.problems).toEqual([]);
  expect(report.signers.map((s) => s.fingerprint)).toEqual([fpr]);
  expect(report.signers[0]?.label).toBe('hand bagger');
  expect(report.bundle.files).toBe(PAYLOAD_FILES);
  expect(report.bundle.bytes).toBe(PAYLOAD_BYTES);
  return report;
}

describe('a bag made with GNU tar, sha256sum and gpg verifies in Airlock', () => {
  it('GNU tar default format (directory entries, GNU long-name record)', async () => {
    const bundle = await handMadeBag({ name: 'hand-gnu' });
    const members = listTar(bundle);
    expect(members).toContain('hand-gnu/data/');
    expect(members).toContain('hand-gnu/data/docs/');
    expect(members.slice(0, 5)).toEqual([
      'hand-gnu/bagit.txt',
      'hand-gnu/bag-info.txt',
      'hand-gnu/manifest-sha256.txt',
      'hand-gnu/tagmanifest-sha256.txt',
      'hand-gnu/tagmanifest-sha256.txt.asc',
    ]);
    expect((await readFile(bundle)).includes('././@LongLink')).toBe(true);
    const report = await trustAndVerify(bundle);
    expect(report.bundle.name).toBe('hand-gnu');
  });

  it('tar --format=posix (pax headers for every entry)', async () => {
    const bundle = await handMadeBag({ name: 'hand-posix', tarFormat: 'posix' });
    expect(listTar(bundle)).toContain('hand-posix/data/');
    expect((await readFile(bundle)).includes('/PaxHeaders')).toBe(true);
    await trustAndVerify(bundle);
  });

  it('without bag-info.txt (it is optional in BagIt)', async () => {
    const bundle = await handMadeBag({ name: 'hand-noinfo', bagInfo: false });
    expect(listTar(bundle).some((m) => m.endsWith('bag-info.txt'))).toBe(false);
    await trustAndVerify(bundle);
  });

  it('with sha256sum --binary manifests ("<hash> *path")', async () => {
    const bundle = await handMadeBag({ name: 'hand-binary', binaryMarker: true });
    await trustAndVerify(bundle);
  });

  it('is rejected (SIGNER_UNTRUSTED) by a station that trusts only its own key', async () => {
    const bundle = await handMadeBag({ name: 'hand-untrusted' });
    const root = await makeTemp('airlock-gin-own-');
    const passFile = join(root, 'pw');
    await writeFile(passFile, 'own key passphrase\n');
    const home = join(root, 'home');
    expect((await runAirlock(['--home', home, 'keys', 'generate', '--name', 'Own', '--passphrase-file', passFile])).code).toBe(0);
    const result = await runAirlock(['--home', home, 'verify', '--json', bundle]);
    expect(result.code, describeResult(result)).toBe(1);
    const report = parseJson<VerifyReport>(result);
    expect(report.ok).toBe(false);
    expect(report.signers).toEqual([]);
    expect(report.problems.map((p) => p.code)).toEqual(['SIGNER_UNTRUSTED']);
  });
});
