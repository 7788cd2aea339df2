/**
 * An import whose destination fills up after the commit, while its receipt is written: the
 * import is in place and recorded, so the failure says so (RECEIPT_NOT_WRITTEN), not NO_SPACE
 * "not enough free space at the destination ... try again" as if nothing had been imported
 * (found by the fault harness's full-disk-import-dest: 104 KiB free beside a 12 MiB payload).
 * A retry says REPLAY. Needs a tmpfs (root on Linux).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canMountTmpfs } from '../../helpers/tmpfs.js';

const CLI = join(import.meta.dirname, '..', '..', '..', 'bin', 'airlock.mjs');
const PAYLOAD = 4 * 2 ** 20;
let root: string;
let home: string;
let dest: string;
let bundle: string;

function airlock(args: string[]) {
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8' });
}

describe.skipIf(!canMountTmpfs && !process.env['CI'])(
  `a receipt that does not fit after the commit${canMountTmpfs ? '' : ' (skipped: cannot mount a tmpfs here)'}`,
  () => {
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'airlock-receipt-full-'));
      home = join(root, 'home');
      const pass = join(root, 'pass');
      await writeFile(pass, 'receipt full passphrase\n');
      const src = join(root, 'src');
      await mkdir(src);
      await writeFile(join(src, 'one.bin'), Buffer.alloc(PAYLOAD, 7));
      expect(airlock(['keys', 'generate', '--name', 'Receipt Full', '--passphrase-file', pass]).status).toBe(0);
      const out = join(root, 'out');
      await mkdir(out);
      expect(airlock(['export', '--out', out, '--name', 'full', '--passphrase-file', pass, src]).status).toBe(0);
      bundle = join(out, 'full.airlock.tar');
      dest = join(root, 'dest');
      await mkdir(dest);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dest]);
    }, 120_000);

    afterAll(async () => {
      spawnSync('umount', ['-l', dest], { stdio: 'ignore' });
      await rm(root, { recursive: true, force: true });
    });

    it('RECEIPT_NOT_WRITTEN naming the import in place and its audit event; the retry says REPLAY', async () => {
      // Room for the payload and the staging folder's owner file, not for the receipts (JSON, HTML, PDF).
      const free = statfsSync(dest);
      await writeFile(join(dest, '.filler'), Buffer.alloc(free.bavail * free.bsize - PAYLOAD - 24 * 1024));
      const first = airlock(['import', bundle, '--dest', dest, '--json']);
      expect(first.status, first.stdout + first.stderr).toBe(3);
      const error = (JSON.parse(first.stdout) as { error: { code: string; message: string; next: string } }).error;
      expect(error.code).toBe('RECEIPT_NOT_WRITTEN');
      expect(error.message).toContain(`The import is in place at ${join(dest, 'full')} (audit event #`);
      expect(error.next).toMatch(/^Do not repeat the transfer/u);
      expect((await readdir(dest)).filter((n) => !n.startsWith('.') && !n.includes('receipt'))).toEqual(['full']);
      await rm(join(dest, '.filler'));
      const retry = airlock(['import', bundle, '--dest', dest, '--json']);
      expect(JSON.parse(retry.stdout).problems.map((p: { code: string }) => p.code)).toContain('REPLAY');
    }, 120_000);
  },
);
