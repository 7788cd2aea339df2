/**
 * Interop out (docs/design.md §2): anyone can check an Airlock bundle without Airlock, with
 * `tar xf`, `gpg --verify NAME/tagmanifest-sha256.txt.asc NAME/tagmanifest-sha256.txt` and
 * `sha256sum -c` inside the bag. The public key comes from `airlock keys export-public`.
 *
 * Caveat (documented in the format spec): manifest paths are percent-encoded per RFC 8493
 * (%, CR, LF), which sha256sum does not decode, so the sha256sum step uses names without them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBundle } from '../../helpers/bag-tools.js';
import { describeResult } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { tool } from '../../helpers/tools.js';
import { writeTree } from '../../helpers/tree-digest.js';

const makeTemp = useTempDirs();
let station: TestStation;
let gnupg: GnupgHome;
let bag: string;
let bundlePath: string;
const NAME = 'interop-out';

beforeAll(async () => {
  const root = await makeTemp('airlock-gout-');
  station = await createStation(root, 'Interop Out Station');
  const src = join(root, 'reports');
  await writeTree(src, {
    'summary.txt': 'quarterly summary\n',
    'with space.txt': 'spaces are fine for sha256sum\n',
    'caf\u00e9/r\u00e9sum\u00e9.txt': 'unicode is fine too\n',
    'deep/er/still/data.bin': Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff)),
    'empty.txt': '',
  });
  await writeFile(join(root, 'notes.md'), '# notes\n');
  bundlePath = (await station.exportBundle(root, NAME, [src, join(root, 'notes.md')])).bundle.bundlePath;

  // The receiving side: only the public key, in a throwaway GnuPG home.
  const exported = await station.run(['keys', 'export-public']);
  expect(exported.code, describeResult(exported)).toBe(0);
  const pub = join(root, 'station-pub.asc');
  await writeFile(pub, exported.stdout);
  gnupg = await GnupgHome.create();
  gnupg.importKeyFile(pub);

  const unpackDir = await makeTemp('airlock-gout-x-');
  const untar = tool('tar', ['xf', bundlePath], { cwd: unpackDir });
  expect(untar.status, untar.stderr).toBe(0);
  bag = join(unpackDir, NAME);
});

afterAll(async () => {
  await gnupg?.close();
});

describe('an Airlock bundle checked with standard tools only', () => {
  it('`tar xf` unpacks the bag layout', async () => {
    expect(await readFile(join(bag, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    expect(await readFile(join(bag, 'data', 'reports', 'summary.txt'), 'utf8')).toBe('quarterly summary\n');
    expect(await readFile(join(bag, 'data', 'notes.md'), 'utf8')).toBe('# notes\n');
  });

  it('imports the key from `airlock keys export-public` with the station fingerprint', () => {
    expect(gnupg.publicFingerprints()).toEqual([station.fingerprint]);
  });

  it('`gpg --verify NAME/tagmanifest-sha256.txt.asc NAME/tagmanifest-sha256.txt` reports a good signature by the station key', () => {
    const result = gnupg.verify(`${NAME}/tagmanifest-sha256.txt.asc`, `${NAME}/tagmanifest-sha256.txt`, { cwd: join(bag, '..') });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stderr).toContain('Good signature');
    expect(result.stdout).toMatch(new RegExp(`^\\[GNUPG:\\] VALIDSIG ${station.fingerprint} `, 'mu'));
  });

  it('gpg rejects the signature once the tag manifest is altered (the check above is meaningful)', async () => {
    const copy = join(await makeTemp('airlock-gout-bad-'), 'tagmanifest-sha256.txt');
    const original = await readFile(join(bag, 'tagmanifest-sha256.txt'), 'utf8');
    await writeFile(
      copy,
      original.replace(/^([0-9a-f])/u, (d) => (d === '0' ? '1' : '0')),
    );
    const result = gnupg.verify(join(bag, 'tagmanifest-sha256.txt.asc'), copy);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('BAD signature');
  });

  it('`sha256sum -c tagmanifest-sha256.txt` passes inside the bag', () => {
    const result = tool('sha256sum', ['--strict', '-c', 'tagmanifest-sha256.txt'], { cwd: bag });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.sort()).toEqual(['bag-info.txt: OK', 'bagit.txt: OK', 'manifest-sha256.txt: OK']);
  });

  it('`sha256sum -c manifest-sha256.txt` passes inside the bag, one OK per payload file', () => {
    const result = tool('sha256sum', ['--strict', '-c', 'manifest-sha256.txt'], { cwd: bag });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.sort()).toEqual(
      [
        'data/notes.md: OK',
        'data/reports/caf\u00e9/r\u00e9sum\u00e9.txt: OK',
        'data/reports/deep/er/still/data.bin: OK',
        'data/reports/empty.txt: OK',
        'data/reports/summary.txt: OK',
        'data/reports/with space.txt: OK',
      ].sort(),
    );
  });

  it('`sha256sum -c` catches a payload file changed after unpacking (the check above is meaningful)', async () => {
    // A fresh unpack, so the other tests keep their pristine copy.
    const fresh = await makeTemp('airlock-gout-fresh-');
    await extractBundle(bundlePath, fresh);
    await writeFile(join(fresh, NAME, 'data', 'reports', 'summary.txt'), 'quarterly summary, edited\n');
    const result = tool('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: join(fresh, NAME) });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('data/reports/summary.txt: FAILED');
  });
});
