/**
 * Export refusals through the CLI: what the selection may not hold (links, FIFOs, missing
 * paths, colliding names), what the output may not overwrite, and the key and passphrase
 * preconditions. Each refusal has its exit code and error code, names the offending path, and
 * leaves the output folder exactly as it was: no bundle, no hidden .partial temp file.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { currentStamp, processStartTicks } from '../../../electron/core/fs/process-owner.js';
import { describeResult, parseJson, type CliResult } from '../../helpers/cli-runner.js';
import { createStation, stationAt, type ErrorJson, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';
import { writeTree } from '../../helpers/tree-digest.js';

const makeTemp = useTempDirs();
let station: TestStation;

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-err-station-'));
});

/** A fresh, empty output folder. */
async function outDir(): Promise<string> {
  return makeTemp('airlock-err-out-');
}

async function exportJson(out: string, paths: readonly string[], extra: readonly string[] = []): Promise<CliResult> {
  return station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--json', ...extra, ...paths]);
}

/** Exit code, JSON error code (and path), the path named on stderr, and an untouched empty output folder. */
async function expectRefused(result: CliResult, out: string, expected: { exit: number; code: string; path?: string }): Promise<ErrorJson> {
  expect(result.code, describeResult(result)).toBe(expected.exit);
  const json = parseJson<ErrorJson>(result);
  expect(json.ok).toBe(false);
  expect(json.error.code).toBe(expected.code);
  expect(result.stderr).toContain(`airlock: ${expected.code}:`);
  if (expected.path !== undefined) {
    expect(result.stderr).toContain(expected.path);
    expect(json.error.path).toBe(expected.path);
  }
  expect(await readdir(out)).toEqual([]);
  return json;
}

describe('export: what the selection may not hold', () => {
  it('refuses a symbolic link inside a selected folder', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'withlink');
    await writeTree(src, { 'real.txt': 'real\n', 'sub/also.txt': 'also\n' });
    const link = join(src, 'sub', 'link.txt');
    await symlink(join(src, 'real.txt'), link);
    const out = await outDir();
    const json = await expectRefused(await exportJson(out, [src]), out, { exit: 3, code: 'SOURCE_UNSUPPORTED_TYPE', path: link });
    expect(json.error.message).toContain('symbolic link');
  });

  it('refuses a symbolic link to a folder inside a selected folder (links are never followed)', async () => {
    const parent = await makeTemp('airlock-err-src-');
    await writeTree(join(parent, 'elsewhere'), { 'secret.txt': 'not selected\n' });
    const src = join(parent, 'sel');
    await writeTree(src, { 'ok.txt': 'ok\n' });
    const link = join(src, 'dirlink');
    await symlink(join(parent, 'elsewhere'), link);
    const out = await outDir();
    await expectRefused(await exportJson(out, [src]), out, { exit: 3, code: 'SOURCE_UNSUPPORTED_TYPE', path: link });
  });

  it('refuses a symbolic link given directly', async () => {
    const parent = await makeTemp('airlock-err-src-');
    await writeFile(join(parent, 'target.txt'), 'target\n');
    const link = join(parent, 'direct-link.txt');
    await symlink(join(parent, 'target.txt'), link);
    const out = await outDir();
    await expectRefused(await exportJson(out, [link]), out, { exit: 3, code: 'SOURCE_UNSUPPORTED_TYPE', path: link });
  });

  it('refuses a FIFO inside a selected folder, and given directly, without blocking on it', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'withfifo');
    await writeTree(src, { 'a.txt': 'a\n' });
    const fifo = join(src, 'pipe');
    mustRun('mkfifo', [fifo]);
    expect((await stat(fifo)).isFIFO()).toBe(true);
    const out = await outDir();
    const inside = await expectRefused(await exportJson(out, [src]), out, { exit: 3, code: 'SOURCE_UNSUPPORTED_TYPE', path: fifo });
    expect(inside.error.message).toContain('FIFO');
    await expectRefused(await exportJson(out, [fifo]), out, { exit: 3, code: 'SOURCE_UNSUPPORTED_TYPE', path: fifo });
  });

  it('refuses a path that does not exist (NOT_FOUND)', async () => {
    const parent = await makeTemp('airlock-err-src-');
    await writeFile(join(parent, 'exists.txt'), 'here\n');
    const missing = join(parent, 'no-such-file.txt');
    const out = await outDir();
    await expectRefused(await exportJson(out, [join(parent, 'exists.txt'), missing]), out, { exit: 3, code: 'NOT_FOUND', path: missing });
  });

  it('refuses names that collide by letter case (A.txt and a.txt)', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'cases');
    await writeTree(src, { 'A.txt': 'upper\n', 'a.txt': 'lower\n' });
    const out = await outDir();
    const json = await expectRefused(await exportJson(out, [src]), out, { exit: 3, code: 'SOURCE_NAME_CONFLICT' });
    expect(mentionsAll(json, ['A.txt', 'a.txt'])).toBe(true);
  });

  it('refuses names that collide after Unicode normalisation (NFC and NFD of the same name)', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'unicode');
    await writeTree(src, { 'caf\u00e9.txt': 'nfc\n', 'cafe\u0301.txt': 'nfd\n' });
    expect((await readdir(src)).length).toBe(2);
    const out = await outDir();
    await expectRefused(await exportJson(out, [src]), out, { exit: 3, code: 'SOURCE_NAME_CONFLICT' });
  });

  it('refuses two selections with the same base name', async () => {
    const one = await makeTemp('airlock-err-src-');
    const two = await makeTemp('airlock-err-src-');
    await writeFile(join(one, 'report.txt'), 'one\n');
    await writeFile(join(two, 'report.txt'), 'two\n');
    const out = await outDir();
    await expectRefused(await exportJson(out, [join(one, 'report.txt'), join(two, 'report.txt')]), out, { exit: 3, code: 'SOURCE_NAME_CONFLICT' });
  });

  it('refuses a selection that holds no files (SOURCE_EMPTY)', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'hollow');
    await mkdir(join(src, 'empty', 'deeper'), { recursive: true });
    const out = await outDir();
    await expectRefused(await exportJson(out, [src]), out, { exit: 3, code: 'SOURCE_EMPTY' });
  });
});

describe('export: output, name, key and passphrase', () => {
  it('never overwrites an existing bundle (OUTPUT_EXISTS), leaving it byte for byte as it was', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const out = await outDir();
    const existing = join(out, 'taken.airlock.tar');
    await writeFile(existing, 'precious bytes that must survive\n');
    const before = await stat(existing);
    const result = await exportJson(out, [src], ['--name', 'taken']);
    expect(result.code, describeResult(result)).toBe(3);
    expect(parseJson<ErrorJson>(result).error.code).toBe('OUTPUT_EXISTS');
    expect(result.stderr).toContain(existing);
    expect(await readFile(existing, 'utf8')).toBe('precious bytes that must survive\n');
    const after = await stat(existing);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);
    expect(await readdir(out)).toEqual(['taken.airlock.tar']);
  });

  it('a refused export (OUTPUT_EXISTS) still removes the temp file a killed export left there, and only a provably dead one', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const out = await outDir();
    await writeFile(join(out, 'taken.airlock.tar'), 'published by the killed run\n');
    // The name a killed export's temp file has: owner stamp of a process that has exited.
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const me = currentStamp();
    const deadTemp = `.taken.airlock.tar.al-${me.host}-${me.boot ?? 'x'}-${exited.stdout}-12345-0-0badc0de.partial`;
    const liveTemp = `.taken.airlock.tar.al-${me.host}-${me.boot ?? 'x'}-${String(process.ppid)}-${processStartTicks(process.ppid) ?? 'x'}-0-0badc0de.partial`;
    await writeFile(join(out, deadTemp), 'left by a kill -9\n');
    // A live writer's: this test's parent process (the CLI may run in this very process, whose own stamp is 'self').
    await writeFile(join(out, liveTemp), 'a live writer’s\n');
    const result = await exportJson(out, [src], ['--name', 'taken']);
    expect(result.code, describeResult(result)).toBe(3);
    expect(parseJson<ErrorJson>(result).error.code).toBe('OUTPUT_EXISTS');
    expect((await readdir(out)).sort()).toEqual([liveTemp, 'taken.airlock.tar'].sort());
  });

  it.each(['../escape', '.hidden', 'a/b', 'with space', 'semi;colon', 'x'.repeat(101), 'tab\there'])(
    'refuses the bundle name %j with a usage error',
    async (name) => {
      const src = join(await makeTemp('airlock-err-src-'), 'payload');
      await writeTree(src, { 'x.txt': 'x\n' });
      const out = await outDir();
      await expectRefused(await exportJson(out, [src], ['--name', name]), out, { exit: 2, code: 'INVALID_NAME' });
    },
  );

  it('refuses an empty --name with a usage error instead of silently using the default name', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const out = await outDir();
    await expectRefused(await exportJson(out, [src], ['--name', '']), out, { exit: 2, code: 'INVALID_NAME' });
  });

  it('needs a passphrase: without --passphrase-file and with stdin not a terminal, exit 2 PASSPHRASE_REQUIRED', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const out = await outDir();
    const inProcess = await station.run(['export', '--out', out, '--json', src], { stdin: `${'not read from a pipe'}\n` });
    await expectRefused(inProcess, out, { exit: 2, code: 'PASSPHRASE_REQUIRED' });
    // The same as a real process whose stdin is a pipe.
    const spawned = await station.spawn(['export', '--out', out, '--json', src], { stdin: 'correct horse battery staple\n' });
    await expectRefused(spawned, out, { exit: 2, code: 'PASSPHRASE_REQUIRED' });
  });

  it('refuses an empty passphrase file (PASSPHRASE_REQUIRED)', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const out = await outDir();
    const empty = join(await makeTemp('airlock-err-pw-'), 'empty');
    await writeFile(empty, '\n');
    const result = await station.run(['export', '--out', out, '--passphrase-file', empty, '--json', src]);
    await expectRefused(result, out, { exit: 2, code: 'PASSPHRASE_REQUIRED' });
  });

  it('refuses a wrong passphrase (exit 3 PASSPHRASE_WRONG)', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const out = await outDir();
    const wrong = join(await makeTemp('airlock-err-pw-'), 'wrong');
    await writeFile(wrong, 'not the passphrase\n');
    const result = await station.run(['export', '--out', out, '--passphrase-file', wrong, '--json', src]);
    await expectRefused(result, out, { exit: 3, code: 'PASSPHRASE_WRONG' });
  });

  it('refuses to export from a station without a key (exit 3 NO_STATION_KEY)', async () => {
    const root = await makeTemp('airlock-err-nokey-');
    const bare = stationAt(join(root, 'home'), station.passFile);
    const src = join(root, 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const out = await outDir();
    const result = await bare.run(['export', '--out', out, '--passphrase-file', station.passFile, '--json', src]);
    await expectRefused(result, out, { exit: 3, code: 'NO_STATION_KEY' });
  });

  it('refuses an --out folder that does not exist (NOT_FOUND), creating nothing', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const parent = await outDir();
    const missing = join(parent, 'not-there');
    const result = await exportJson(missing, [src]);
    await expectRefused(result, parent, { exit: 3, code: 'NOT_FOUND', path: missing });
  });

  it('Ctrl-C while the bundle is being written: CANCELLED, and no bundle or temp file is left', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await mkdir(src);
    await writeFile(join(src, 'big.bin'), Buffer.alloc(128 * 1024 * 1024, 0x5a));
    const out = await outDir();
    const controller = new AbortController();
    let sawWriting = false;
    const result = await station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--json', src], {
      stderrIsTTY: true,
      signal: controller.signal,
      onStderr: (text) => {
        if (!sawWriting && text.includes('Writing')) {
          sawWriting = true;
          controller.abort();
        }
      },
    });
    expect(sawWriting).toBe(true);
    await expectRefused(result, out, { exit: 3, code: 'CANCELLED' });
  });

  it('treats a missing --out or missing paths as usage errors (exit 2)', async () => {
    const src = join(await makeTemp('airlock-err-src-'), 'payload');
    await writeTree(src, { 'x.txt': 'x\n' });
    const noOut = await station.run(['export', '--passphrase-file', station.passFile, '--json', src]);
    expect(noOut.code, describeResult(noOut)).toBe(2);
    expect(parseJson<ErrorJson>(noOut).error.code).toBe('USAGE');
    const out = await outDir();
    const noPaths = await station.run(['export', '--out', out, '--passphrase-file', station.passFile]);
    expect(noPaths.code, describeResult(noPaths)).toBe(2);
    expect(await readdir(out)).toEqual([]);
  });
});

function mentionsAll(json: ErrorJson, names: readonly string[]): boolean {
  return names.every((name) => json.error.message.includes(name));
}
