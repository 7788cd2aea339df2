/**
 * A station home that cannot take a write: full (SQLite says only "disk I/O error" when it
 * cannot grow its -shm file) is NO_SPACE naming the home; read-only is HOME_INVALID saying so.
 * Either way `audit list`, `audit verify` and `audit export` still run, from a private copy of
 * the database, and see every event; nothing of the copy is left behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canMountTmpfs } from '../../helpers/tmpfs.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const CLI = join(REPO, 'bin', 'airlock.mjs');
const canMount = canMountTmpfs;

let root: string;
let home: string;
let pass: string;
let src: string;
let out: string;

function airlock(args: string[]) {
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8' });
}

async function copiesLeft(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((f) => f.startsWith('airlock-audit-read-'));
}

describe.skipIf(!canMount && !process.env['CI'])(`a station home that cannot take a write${canMount ? '' : ' (skipped: cannot mount a tmpfs here)'}`, () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'airlock-full-home-'));
    home = join(root, 'home');
    await mkdir(home);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', home]);
    pass = join(root, 'pass');
    await writeFile(pass, 'full home passphrase\n');
    src = join(root, 'src');
    await mkdir(src);
    await writeFile(join(src, 'a.txt'), 'a\n');
    out = join(root, 'out');
    await mkdir(out);
    expect(airlock(['keys', 'generate', '--name', 'Full Home', '--passphrase-file', pass]).status).toBe(0);
    expect(airlock(['export', '--out', out, '--name', 'before', '--passphrase-file', pass, src]).status).toBe(0);
  }, 120_000);

  afterAll(async () => {
    spawnSync('umount', ['-l', home], { stdio: 'ignore' });
    await rm(root, { recursive: true, force: true });
  });

  it('full: the next export says NO_SPACE for the home, never "disk I/O error" alone; audit list, verify and export still run', async () => {
    const before = await copiesLeft();
    // Fill the home to the last block.
    spawnSync('dd', ['if=/dev/zero', `of=${join(home, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
    const failed = airlock(['export', '--out', out, '--name', 'while-full', '--passphrase-file', pass, '--json', src]);
    expect(failed.status).toBe(3);
    const error = (JSON.parse(failed.stdout) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('NO_SPACE');
    expect(error.message).toContain(`The station home ${home} is full`);

    const list = airlock(['audit', 'list', '--json']);
    expect(list.status, list.stderr).toBe(0);
    const types = (JSON.parse(list.stdout) as { events: Array<{ type: string }> }).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['key-generate', 'export']));
    const verify = airlock(['audit', 'verify']);
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/INTACT/u);
    const exported = airlock(['audit', 'export', '--format', 'json']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('key-generate');
    expect(await copiesLeft()).toEqual(before);
    await rm(join(home, 'filler'));
  }, 120_000);

  it('read-only: audit list and verify run; an export says HOME_INVALID (read-only)', async () => {
    execFileSync('mount', ['-o', 'remount,ro', home]);
    try {
      const list = airlock(['audit', 'list', '--json']);
      expect(list.status, list.stderr).toBe(0);
      const verify = airlock(['audit', 'verify']);
      expect(verify.status, verify.stderr).toBe(0);
      const failed = airlock(['export', '--out', out, '--name', 'while-ro', '--passphrase-file', pass, '--json', src]);
      expect(failed.status).toBe(3);
      const error = (JSON.parse(failed.stdout) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('HOME_INVALID');
      expect(error.message).toContain('read-only');
      expect((await readdir(out)).filter((f) => f.startsWith('while-ro'))).toEqual([]);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', home]);
    }
  }, 120_000);

  it('nearly full: an import is refused with NO_SPACE for the home before its commit, not put in place unrecorded; with space again it imports', async () => {
    const dest = join(root, 'dest-nearly-full');
    await mkdir(dest);
    // Room for the claim (a few pages), not for what the settlement needs (the fault harness's
    // full-disk-import-home found an import put in place with 86 KiB free and its record failing).
    const free = statfsSync(home);
    const filler = join(home, 'filler');
    await writeFile(filler, Buffer.alloc(Math.max(0, free.bavail * free.bsize - 300 * 1024)));
    try {
      const refused = airlock(['import', join(out, 'before.airlock.tar'), '--dest', dest, '--json']);
      expect(refused.status, refused.stdout).toBe(3);
      const error = (JSON.parse(refused.stdout) as { error: { code: string; message: string; next: string } }).error;
      expect(error.code).toBe('NO_SPACE');
      expect(error.message).toContain(`The station home's storage (${home})`);
      expect(error.message).toContain('nothing was imported');
      expect(error.next).toMatch(/\.$/u);
      expect(await readdir(dest)).toEqual([]);
    } finally {
      await rm(filler);
    }
    const imported = airlock(['import', join(out, 'before.airlock.tar'), '--dest', dest, '--json']);
    expect(imported.status, imported.stdout + imported.stderr).toBe(0);
    expect((await readdir(dest)).filter((n) => !n.includes('receipt'))).toEqual(['before']);
    const list = JSON.parse(airlock(['audit', 'list', '--json']).stdout) as { events: Array<{ type: string; outcome: string }> };
    expect(list.events.filter((e) => e.type === 'import').map((e) => e.outcome)).toEqual(['ok', 'failed']); // newest first
  }, 120_000);
});
