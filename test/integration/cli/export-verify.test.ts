/**
 * Round trips through the CLI: `airlock export` then `airlock verify` on what it wrote, for the
 * name shapes the format must carry (spaces, NFC and NFD Unicode, %, CR and LF, long paths that
 * need pax or a GNU long-name record), empty files and every kind of selection. Each bundle is
 * also unpacked with GNU tar and compared byte for byte with its sources.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractBundle, listTar, TAG_FILES } from '../../helpers/bag-tools.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type ExportJson, type TestStation, type VerifyJson } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { fileDigests, sha256Of, writeTree } from '../../helpers/tree-digest.js';

const makeTemp = useTempDirs();
let station: TestStation;

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-ev-station-'));
});

interface RoundTrip {
  exported: ExportJson['bundle'];
  report: VerifyJson;
  bundle: string;
  /** The bag unpacked by GNU tar: `<dir>/<name>/...`. */
  unpacked: string;
}

/** export --json, verify --json (both must succeed), then `tar xf` the bundle. */
async function roundTrip(name: string, paths: readonly string[]): Promise<RoundTrip> {
  const out = await makeTemp('airlock-ev-out-');
  const { bundle: exported } = await station.exportBundle(out, name, paths);
  expect(exported.bundlePath).toBe(join(out, `${name}.airlock.tar`));
  // The bundle (beside it may sit the export receipt), and no hidden temp file left over.
  const written = await readdir(out);
  expect(written).toContain(`${name}.airlock.tar`);
  expect(written.filter((file) => file.startsWith('.') || file.endsWith('.partial'))).toEqual([]);
  const { code, report, result } = await station.verify(exported.bundlePath);
  expect(code, describeResult(result)).toBe(0);
  expect(report.ok).toBe(true);
  expect(report.problems).toEqual([]);
  expect(report.signers.map((s) => s.fingerprint)).toEqual([station.fingerprint]);
  expect(report.signers[0]?.label).toBe('this station');
  expect(exported.signers.map((s) => s.fingerprint)).toEqual([station.fingerprint]);
  expect(report.bundle.name).toBe(name);
  expect(report.bundle.uuid).toBe(exported.uuid);
  expect(report.bundle.tagmanifestSha256).toBe(exported.tagmanifestSha256);
  expect(report.bundle.files).toBe(exported.files);
  expect(report.bundle.bytes).toBe(exported.bytes);
  const unpacked = await makeTemp('airlock-ev-x-');
  await extractBundle(exported.bundlePath, unpacked);
  return { exported, report, bundle: exported.bundlePath, unpacked };
}

/** What `data/` must hold: each source's files under its base name. */
async function expectedPayload(sources: Record<string, string>): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  for (const [base, abs] of Object.entries(sources)) {
    const digests = await fileDigests(abs).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTDIR') throw error;
      return new Map([['', sha256Of(await readFile(abs))]]);
    });
    for (const [rel, digest] of digests) expected.set(rel === '' ? base : `${base}/${rel}`, digest);
  }
  return expected;
}

async function manifestPaths(unpacked: string, name: string): Promise<string[]> {
  const text = await readFile(join(unpacked, name, 'manifest-sha256.txt'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const match = /^[0-9a-f]{64} {2}(.+)$/u.exec(line);
      if (!match) throw new Error(`manifest line "${line}" is not "<sha256>  <path>"`);
      return match[1] as string;
    });
}

describe('export -> verify round trip', () => {
  it('carries a nested directory tree, byte for byte', async () => {
    const src = join(await makeTemp('airlock-ev-src-'), 'tree');
    const random = Buffer.alloc(300_000);
    for (let i = 0; i < random.length; i += 1) random[i] = (i * 7919 + (i >> 8)) & 0xff;
    await writeTree(src, {
      'top.txt': 'top level\n',
      'a/one.txt': 'one\n',
      'a/b/two.txt': 'two\n',
      'a/b/c/d/e/deep.txt': 'deep down\n',
      'a/b/c/blob.bin': random,
      'z/last.txt': 'last\n',
    });
    const { exported, report, unpacked } = await roundTrip('nested', [src]);
    expect(exported.files).toBe(6);
    expect(exported.bytes).toBe(10 + 4 + 4 + 10 + random.length + 5);
    expect(report.bundle.files).toBe(6);
    expect(report.bundle.bytes).toBe(exported.bytes);
    expect(await fileDigests(join(unpacked, 'nested', 'data'))).toEqual(await expectedPayload({ tree: src }));
    expect((await manifestPaths(unpacked, 'nested')).sort()).toEqual(
      [
        'data/tree/top.txt',
        'data/tree/a/one.txt',
        'data/tree/a/b/two.txt',
        'data/tree/a/b/c/d/e/deep.txt',
        'data/tree/a/b/c/blob.bin',
        'data/tree/z/last.txt',
      ].sort(),
    );
  });

  it('carries names with spaces, NFC and NFD Unicode, %, CR and LF, percent-encoded in the manifest', async () => {
    const src = join(await makeTemp('airlock-ev-src-'), 'names');
    const nfc = 'caf\u00e9 cr\u00e8me.txt'; // é and è precomposed
    const nfd = 're\u0301sume\u0301 nfd.txt'; // e + combining acute
    const names: Record<string, string> = {
      'with space.txt': 'spaces\n',
      [nfc]: 'nfc\n',
      [nfd]: 'nfd\n',
      '100%.txt': 'percent\n',
      'f%0A1.txt': 'a literal percent-zero-A\n',
      'a\nb.txt': 'line feed\n',
      'c\rd.txt': 'carriage return\n',
      'sub dir/\u65e5\u672c\u8a9e.txt': 'japanese\n',
    };
    await writeTree(src, names);
    // The file system keeps both forms as given: the test really has one NFC and one NFD name.
    const onDisk = await readdir(src);
    expect(onDisk).toContain(nfc);
    expect(onDisk).toContain(nfd);
    expect(nfd.normalize('NFC')).not.toBe(nfd);

    const { exported, report, unpacked } = await roundTrip('names', [src]);
    expect(report.bundle.files).toBe(Object.keys(names).length);
    expect(report.bundle.bytes).toBe(Object.values(names).reduce((n, c) => n + Buffer.byteLength(c), 0));
    // Control characters in names are carried, with a warning that default import policy refuses them.
    expect(exported.warnings.some((w) => w.path.endsWith('a\nb.txt'))).toBe(true);
    expect(exported.warnings.some((w) => w.path.endsWith('c\rd.txt'))).toBe(true);

    // GNU tar unpacks exactly the same names (no normalisation, no escaping) and bytes.
    const extractedNames = await readdir(join(unpacked, 'names', 'data', 'names'));
    expect(extractedNames.sort()).toEqual(onDisk.sort());
    expect(await fileDigests(join(unpacked, 'names', 'data'))).toEqual(await expectedPayload({ names: src }));

    // RFC 8493: only CR, LF and % are percent-encoded in manifest paths; the rest is UTF-8 as is.
    const paths = await manifestPaths(unpacked, 'names');
    expect(paths).toContain('data/names/100%25.txt');
    expect(paths).toContain('data/names/f%250A1.txt');
    expect(paths).toContain('data/names/a%0Ab.txt');
    expect(paths).toContain('data/names/c%0Dd.txt');
    expect(paths).toContain('data/names/with space.txt');
    expect(paths).toContain(`data/names/${nfc}`);
    expect(paths).toContain(`data/names/${nfd}`);
    expect(paths).toContain('data/names/sub dir/\u65e5\u672c\u8a9e.txt');
  });

  it('carries a non-ASCII path longer than 100 bytes (pax path record)', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const dirs = [
      '\u00fcberl\u00e4nge-verzeichnis-\u00e4\u00f6\u00fc',
      '\u0435\u0449\u0451-\u043e\u0434\u0438\u043d-\u043a\u0430\u0442\u0430\u043b\u043e\u0433',
    ];
    const file = '\u30d5\u30a1\u30a4\u30eb\u540d\u304c\u3068\u3066\u3082\u9577\u3044\u6587\u66f8.txt';
    const rel = `${dirs.join('/')}/${file}`;
    const src = join(parent, 'long');
    await writeTree(src, { [rel]: 'long unicode path\n' });
    const archivePath = `longpax/data/long/${rel}`;
    expect(Buffer.byteLength(archivePath)).toBeGreaterThan(100);

    const { bundle, report, unpacked } = await roundTrip('longpax', [src]);
    expect(report.bundle.files).toBe(1);
    // The writer used a pax header for the path.
    const bytes = await readFile(bundle);
    expect(bytes.includes(Buffer.from(` path=${archivePath}\n`))).toBe(true);
    expect(await readFile(join(unpacked, 'longpax', 'data', 'long', rel), 'utf8')).toBe('long unicode path\n');
    expect(await manifestPaths(unpacked, 'longpax')).toEqual([`data/long/${rel}`]);
  });

  it('carries a path longer than 100 bytes that holds a newline (GNU long-name record)', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const name = `${'x'.repeat(60)}\n${'y'.repeat(60)}.txt`;
    const src = join(parent, 'longnl');
    await writeTree(src, { [`dir/${name}`]: 'newline in a long name\n', 'short.txt': 'short\n' });
    const archivePath = `longnl/data/longnl/dir/${name}`;
    expect(Buffer.byteLength(archivePath)).toBeGreaterThan(100);

    const { bundle, report, unpacked } = await roundTrip('longnl', [src]);
    expect(report.bundle.files).toBe(2);
    const bytes = await readFile(bundle);
    expect(bytes.includes(Buffer.from('././@LongLink'))).toBe(true);
    expect(bytes.includes(Buffer.from(`${archivePath}\0`))).toBe(true);
    expect(await readdir(join(unpacked, 'longnl', 'data', 'longnl', 'dir'))).toEqual([name]);
    expect(await readFile(join(unpacked, 'longnl', 'data', 'longnl', 'dir', name), 'utf8')).toBe('newline in a long name\n');
    expect((await manifestPaths(unpacked, 'longnl')).sort()).toEqual(
      [`data/longnl/dir/${'x'.repeat(60)}%0A${'y'.repeat(60)}.txt`, 'data/longnl/short.txt'].sort(),
    );
  });

  it('carries empty files, in a tree and as the only selected file', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const src = join(parent, 'empties');
    await writeTree(src, { 'empty-1': '', 'empty-2.txt': '', 'sub/empty-3': '', 'sub/full.txt': '0123456789' });
    const tree = await roundTrip('empties', [src]);
    expect(tree.report.bundle.files).toBe(4);
    expect(tree.report.bundle.bytes).toBe(10);
    expect(await fileDigests(join(tree.unpacked, 'empties', 'data'))).toEqual(await expectedPayload({ empties: src }));
    expect(await readFile(join(parent, 'empties', 'sub', 'empty-3'), 'utf8')).toBe('');

    const lone = join(parent, 'nothing.txt');
    await writeFile(lone, '');
    const single = await roundTrip('just-empty', [lone]);
    expect(single.report.bundle.files).toBe(1);
    expect(single.report.bundle.bytes).toBe(0);
    expect(await manifestPaths(single.unpacked, 'just-empty')).toEqual([`data/nothing.txt`]);
    expect(await readFile(join(single.unpacked, 'just-empty', 'manifest-sha256.txt'), 'utf8')).toBe(`${sha256Of('')}  data/nothing.txt\n`);
  });

  it('puts a single selected file at data/<name>', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const file = join(parent, 'bar.txt');
    await writeFile(file, 'just one file\n');
    const { report, unpacked, bundle } = await roundTrip('single', [file]);
    expect(report.bundle.files).toBe(1);
    expect(report.bundle.bytes).toBe(14);
    expect(await manifestPaths(unpacked, 'single')).toEqual(['data/bar.txt']);
    expect(await readFile(join(unpacked, 'single', 'data', 'bar.txt'), 'utf8')).toBe('just one file\n');
    expect(listTar(bundle).at(-1)).toBe('single/data/bar.txt');
  });

  it('combines two selections (a folder and a file) under data/', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const folder = join(parent, 'foo');
    await writeTree(folder, { 'a.txt': 'a\n', 'sub/b.txt': 'bb\n' });
    const other = await makeTemp('airlock-ev-src-');
    const file = join(other, 'bar.txt');
    await writeFile(file, 'bar\n');
    const { report, unpacked } = await roundTrip('two', [folder, file]);
    expect(report.bundle.files).toBe(3);
    expect(report.bundle.bytes).toBe(2 + 3 + 4);
    expect((await manifestPaths(unpacked, 'two')).sort()).toEqual(['data/bar.txt', 'data/foo/a.txt', 'data/foo/sub/b.txt']);
    expect(await fileDigests(join(unpacked, 'two', 'data'))).toEqual(await expectedPayload({ foo: folder, 'bar.txt': file }));
  });

  it('lists the five tag files first, in the format order, then only payload', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const src = join(parent, 'ordered');
    // Names that sort before the tag files, so the order cannot come from sorting.
    await writeTree(src, { 'AAA.txt': 'a\n', '0-first.txt': '0\n', 'm/n.txt': 'n\n' });
    const { bundle } = await roundTrip('ordered', [src]);
    const members = listTar(bundle);
    expect(members.slice(0, 5)).toEqual(TAG_FILES.map((tag) => `ordered/${tag}`));
    const payload = members.slice(5);
    expect(payload.sort()).toEqual(['ordered/data/ordered/0-first.txt', 'ordered/data/ordered/AAA.txt', 'ordered/data/ordered/m/n.txt']);
  });

  it('works as a process: `airlock export` and `airlock verify` exit 0 and report in plain text', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const src = join(parent, 'proc');
    await writeTree(src, { 'p.txt': 'process level\n' });
    const out = await makeTemp('airlock-ev-out-');
    const exported = await station.spawn(['export', '--out', out, '--name', 'proc', '--passphrase-file', station.passFile, src]);
    expect(exported.code, describeResult(exported)).toBe(0);
    expect(exported.stdout).toContain(`Exported ${join(out, 'proc.airlock.tar')}`);
    const verified = await station.spawn(['verify', join(out, 'proc.airlock.tar')]);
    expect(verified.code, describeResult(verified)).toBe(0);
    expect(verified.stdout).toMatch(/^VERIFIED {2}proc$/mu);
    expect(verified.stdout.replace(/ /gu, '')).toContain(station.fingerprint);
    expect(verified.stdout).toMatch(/^ {2}Files: 1 intact; every file with -v or --json$/mu);
    expect(verified.stdout).toMatch(/^ {2}Station policy: 9 of 9 checks pass$/mu);
    const json = await station.spawn(['verify', '--json', join(out, 'proc.airlock.tar')]);
    expect(json.code).toBe(0);
    expect(parseJson<VerifyJson>(json)).toMatchObject({ ok: true, bundle: { files: 1, bytes: 14 }, problems: [] });
    // Once imported, verify still verifies but names the check that import would now refuse.
    const imported = await station.spawn(['import', join(out, 'proc.airlock.tar'), '--dest', await makeTemp('airlock-ev-dest-')]);
    expect(imported.code, describeResult(imported)).toBe(0);
    const again = await station.spawn(['verify', join(out, 'proc.airlock.tar')]);
    expect(again.code, describeResult(again)).toBe(0);
    expect(again.stdout).toMatch(/^ {2}Station policy: 8 of 9 checks pass$/mu);
    expect(again.stdout).toMatch(/^ {4}FAIL replay \(REPLAY\): .*\(import refuses it; verify only reports it\)$/mu);
    // Five CLI processes, two of them starting a receipt PDF renderer: over a minute at load 25 on two cores.
  }, 240_000);

  it('exports the same tree twice as two distinct bundles that both verify', async () => {
    const parent = await makeTemp('airlock-ev-src-');
    const src = join(parent, 'again');
    await mkdir(src);
    await writeFile(join(src, 'x.txt'), 'x\n');
    const first = await roundTrip('again-1', [src]);
    const second = await roundTrip('again-2', [src]);
    expect(second.exported.uuid).not.toBe(first.exported.uuid);
    expect(second.exported.sequence).toBeGreaterThan(first.exported.sequence);
  });
});
