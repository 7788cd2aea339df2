/**
 * Source file names Linux allows and a bundle must not carry as they are (invalid UTF-8 bytes in
 * a file or folder name) are refused by export with SOURCE_NAME_UNSAFE, naming nothing partial in
 * the output folder; names it carries with a warning (a newline, control characters) come back
 * byte for byte through verify, and import refuses them by its default name rules, writing
 * nothing; a 255-byte name (the longest ext4 holds) goes through export, verify and import intact.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../helpers/cli-runner.js';
import { createStation, type ErrorJson, type ExportJson, type TestStation } from '../helpers/station.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { snapshotTree } from '../helpers/tree-snapshot.js';

const makeTemp = useTempDirs();
let station: TestStation;

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-srcnames-station-'));
});

const exportJson = (out: string, paths: readonly string[]) => station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--json', ...paths]);

/** A folder `src/sel` holding `names` (raw bytes), each a small file. */
async function selection(names: Buffer[], folder?: Buffer): Promise<string> {
  const sel = join(await makeTemp('airlock-srcnames-src-'), 'sel');
  await mkdir(sel);
  let at = Buffer.from(sel);
  if (folder) {
    at = Buffer.concat([at, Buffer.from('/'), folder]);
    await mkdir(at);
  }
  for (const name of names) await writeFile(Buffer.concat([at, Buffer.from('/'), name]), `content of ${name.toString('hex')}\n`);
  return sel;
}

describe('export: source names with bytes that are not UTF-8', () => {
  it.each([
    ['a lone 0xff byte in a file name', [Buffer.from([0x61, 0xff, 0x2e, 0x74])], undefined],
    ['an overlong encoding of "/" in a file name', [Buffer.from([0x61, 0xc0, 0xaf])], undefined],
    ['a UTF-16 surrogate encoded in UTF-8', [Buffer.from([0x73, 0xed, 0xa0, 0x80])], undefined],
    ['a name cut inside a sequence, next to an honest file', [Buffer.from('ok.txt'), Buffer.from([0x63, 0xc3])], undefined],
    ['a folder name holding 0xfe', [Buffer.from('inside.txt')], Buffer.from([0x64, 0xfe])],
  ])('%s: SOURCE_NAME_UNSAFE, exit 3, the output folder untouched', async (_label, names, folder) => {
    const src = await selection(names, folder);
    const out = await makeTemp('airlock-srcnames-out-');
    const result = await exportJson(out, [src]);
    expect(result.code, describeResult(result)).toBe(3);
    const json = parseJson<ErrorJson>(result);
    expect(json.error.code).toBe('SOURCE_NAME_UNSAFE');
    expect(json.error.message).toContain('not valid UTF-8');
    expect(await readdir(out)).toEqual([]);
  });
});

describe('export: names carried with a warning, refused by import, and a 255-byte name carried intact', () => {
  it('a newline, an escape sequence and a carriage return: exported with warnings; verify reads the names back exactly; import refuses with UNSAFE_PATH and writes nothing', async () => {
    const names = ['new\nline.txt', 'esc\u001b[2J.txt', 'cr\r.txt'];
    const src = await selection(names.map((n) => Buffer.from(n)));
    const out = await makeTemp('airlock-srcnames-out-');
    const exported = await exportJson(out, [src]);
    expect(exported.code, describeResult(exported)).toBe(0);
    const json = parseJson<ExportJson>(exported).bundle;
    expect(json.warnings.filter((w) => w.message.includes('control characters'))).toHaveLength(3);

    const verified = await station.run(['verify', '--json', json.bundlePath]);
    const report = parseJson<{ ok: boolean; files: { listed: Array<{ path: string }> } }>(verified);
    expect(report.ok, describeResult(verified)).toBe(true);
    expect(report.files.listed.map((f) => f.path).sort()).toEqual(names.map((n) => `data/sel/${n}`).sort());
    // The terminal sees the names escaped, never the raw escape sequence.
    const human = await station.run(['verify', '--verbose', json.bundlePath]);
    expect(human.stdout).not.toContain('\u001b');

    const dest = await makeTemp('airlock-srcnames-dest-');
    await writeFile(join(dest, 'earlier.txt'), 'kept\n');
    const before = await snapshotTree(dest);
    const imported = await station.run(['import', '--json', json.bundlePath, '--dest', dest]);
    expect(imported.code, describeResult(imported)).toBe(1);
    expect(parseJson<{ problems: Array<{ code: string }> }>(imported).problems.map((p) => p.code)).toEqual(['UNSAFE_PATH']);
    expect(await snapshotTree(dest)).toEqual(before);
  });

  it('a 255-byte name (multi-byte characters) goes through export, verify and import intact', async () => {
    const longest = `${'\u00e9'.repeat(125)}a.txt`; // 125 x 2 bytes + 5
    expect(Buffer.byteLength(longest)).toBe(255);
    const src = await selection([Buffer.from(longest)]);
    const out = await makeTemp('airlock-srcnames-out-');
    const exported = await exportJson(out, [src]);
    expect(exported.code, describeResult(exported)).toBe(0);
    const bundle = parseJson<ExportJson>(exported).bundle.bundlePath;
    const dest = await makeTemp('airlock-srcnames-dest-');
    const imported = await station.run(['import', '--json', bundle, '--dest', dest]);
    expect(imported.code, describeResult(imported)).toBe(0);
    const landed = await readdir(join(dest, parseJson<{ bundle: { name: string } }>(imported).bundle.name, 'sel'));
    expect(landed).toEqual([longest]);
    expect(await readFile(join(dest, parseJson<{ bundle: { name: string } }>(imported).bundle.name, 'sel', longest), 'utf8')).toBe(
      `content of ${Buffer.from(longest).toString('hex')}\n`,
    );
  });
});
