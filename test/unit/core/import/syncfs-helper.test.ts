/**
 * The syncfs helper: one small child for every syncfs a staging folder asks for. A stand-in
 * `sync` first on PATH logs each run (its arguments) and exits with the status a file holds, so
 * the tests see each call become exactly one `sync --file-system` of the path, in order, with
 * its own status; the real `sync` is used once at the end.
 */
import { spawn } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SyncfsHelper } from '../../../../electron/core/import/syncfs-helper.js';
import { TempDirs } from '../../../helpers/temp-dirs.js';

const dirs = new TempDirs();
const linux = process.platform === 'linux';
let bin = '';
let log = '';
let statusFile = '';
const originalPath = process.env.PATH;
const helpers: SyncfsHelper[] = [];

/** Each run: its arguments on a line of the log, a message on stderr when it fails, the status the file holds. */
function standInScript(): string {
  return [
    '#!/bin/sh',
    `printf '%s\\n' "$*" >> '${log}'`,
    `status=$(cat '${statusFile}')`,
    'if [ "$status" != 0 ]; then echo "sync: error syncing: stand-in status $status" >&2; fi',
    'exit "$status"',
    '',
  ].join('\n');
}

beforeAll(async () => {
  bin = await dirs.make('airlock-syncfs-bin-');
  log = join(bin, 'log');
  statusFile = join(bin, 'status');
  await writeFile(join(bin, 'sync'), standInScript());
  await chmod(join(bin, 'sync'), 0o755);
});

afterEach(() => {
  process.env.PATH = originalPath;
  for (const helper of helpers.splice(0)) helper.close();
});
afterAll(() => dirs.cleanup());

async function standIn(status: number): Promise<void> {
  await writeFile(statusFile, `${status}\n`);
  await writeFile(log, '');
  process.env.PATH = `${bin}:${originalPath ?? ''}`;
}

function helperOf(path: string): SyncfsHelper {
  const helper = new SyncfsHelper(path);
  helpers.push(helper);
  return helper;
}

async function runs(): Promise<string[]> {
  return (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
}

describe.runIf(linux)('SyncfsHelper', () => {
  it('runs one `sync --file-system -- PATH` per call, in order, and only when called', async () => {
    await standIn(0);
    const path = join(bin, 'a folder with "quotes", $HOME and spaces');
    const helper = helperOf(path);
    expect(await runs()).toEqual([]);
    await helper.sync();
    expect(await runs()).toEqual([`--file-system -- ${path}`]);
    // Calls made together run one after the other, each its own sync.
    await Promise.all([helper.sync(), helper.sync(), helper.sync()]);
    expect(await runs()).toHaveLength(4);
  });

  it('reports a failed sync with what it printed, and the next call by its own status', async () => {
    await standIn(0);
    const helper = helperOf(bin);
    await helper.sync();
    await writeFile(statusFile, '1\n');
    await expect(helper.sync()).rejects.toThrow(/stand-in status 1/u);
    await writeFile(statusFile, '0\n');
    await helper.sync();
    expect(await runs()).toHaveLength(3);
  });

  it('fails a call when `sync` is not there (never a success without a syncfs)', async () => {
    process.env.PATH = join(bin, 'nothing-here');
    const helper = helperOf(bin);
    await expect(helper.sync()).rejects.toThrow();
  });

  it('after close, runs nothing more and fails every later call', async () => {
    await standIn(0);
    const helper = helperOf(bin);
    await helper.sync();
    helper.close();
    await expect(helper.sync()).rejects.toThrow(/closed/u);
    expect(await runs()).toHaveLength(1);
  });

  it('a helper that died fails the call waiting on it and every later one', async () => {
    await standIn(0);
    // A stand-in that kills its parent (the helper's shell) instead of syncing.
    await writeFile(join(bin, 'sync'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nkill -9 $PPID\n`);
    try {
      const helper = helperOf(bin);
      await expect(helper.sync()).rejects.toThrow(/ended/u);
      await expect(helper.sync()).rejects.toThrow(/ended/u);
      expect(await runs()).toHaveLength(1);
    } finally {
      await writeFile(join(bin, 'sync'), standInScript());
    }
  });

  it('an idle helper never keeps the process alive (a process that forgets to close it still exits)', async () => {
    const script = [
      `const { SyncfsHelper } = await import(${JSON.stringify(new URL('../../../../electron/core/import/syncfs-helper.ts', import.meta.url).href)});`,
      `const helper = new SyncfsHelper(${JSON.stringify(bin)});`,
      'await helper.sync();',
      "process.stdout.write('synced');",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the process did not exit with an idle helper'));
      }, 20_000);
      child.on('exit', (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
    expect(out).toBe('synced');
    expect(code).toBe(0);
  });

  it('with the real sync: a syncfs of an existing folder succeeds, of a missing one fails', async () => {
    await helperOf(bin).sync();
    await expect(helperOf(join(bin, 'missing')).sync()).rejects.toThrow();
  });
});
