/**
 * An export whose output folder fills up after the bundle is published, while its receipt is
 * written (another writer took the space: the export keeps 1 MiB free beside the bundle, so its
 * own receipts fit). The bundle is out and on record, so the failure says so (RECEIPT_NOT_WRITTEN,
 * "do not repeat the transfer"), not NO_SPACE "... try again", which would make a second bundle of
 * the same files. The import's twin is test/integration/import/receipt-not-written.test.ts.
 * Needs a tmpfs (root on Linux).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statfsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAirlock } from '../../helpers/cli-runner.js';
import { canMountTmpfs } from '../../helpers/tmpfs.js';

let root: string;
let home: string;
let pass: string;
let src: string;
let out: string;

describe.skipIf(!canMountTmpfs && !process.env['CI'])(
  `an export whose receipt does not fit after the bundle is out${canMountTmpfs ? '' : ' (skipped: cannot mount a tmpfs here)'}`,
  () => {
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'airlock-export-receipt-full-'));
      home = join(root, 'home');
      pass = join(root, 'pass');
      await writeFile(pass, 'export receipt full passphrase\n');
      src = join(root, 'src');
      await mkdir(src);
      await writeFile(join(src, 'one.bin'), Buffer.alloc(2 * 2 ** 20, 7));
      expect((await runAirlock(['--home', home, 'keys', 'generate', '--name', 'Receipt Full', '--passphrase-file', pass])).code).toBe(0);
      out = join(root, 'out');
      await mkdir(out);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', out]);
    }, 120_000);

    afterAll(async () => {
      spawnSync('umount', ['-l', out], { stdio: 'ignore' });
      await rm(root, { recursive: true, force: true });
    });

    it('RECEIPT_NOT_WRITTEN naming the bundle that is out and its audit event, and no receipt file left half-written', async () => {
      let filled = false;
      const result = await runAirlock(['--home', home, 'export', '--out', out, '--name', 'full', '--passphrase-file', pass, '--progress', '--json', src], {
        stderrIsTTY: true,
        // The receipts phase starts once the bundle is published: another writer takes every free byte now.
        onStderr: (text) => {
          if (filled || !/receipt/iu.test(text)) return;
          filled = true;
          const free = statfsSync(out);
          writeFileSync(join(out, '.filler'), Buffer.alloc(Math.max(0, free.bavail * free.bsize - 4096)));
        },
      });
      expect(filled, result.stderr).toBe(true);
      expect(result.code, result.stdout + result.stderr).toBe(3);
      const error = (JSON.parse(result.stdout) as { error: { code: string; message: string; next: string } }).error;
      expect(error.code).toBe('RECEIPT_NOT_WRITTEN');
      expect(error.message).toContain(`The export is complete at ${join(out, 'full.airlock.tar')} (audit event #`);
      expect(error.next).toMatch(/^Do not repeat the transfer/u);
      // The bundle stays; no receipt file and no temp file is left at a name.
      expect((await readdir(out)).filter((n) => n !== '.filler').sort()).toEqual(['full.airlock.tar']);
      const verified = await runAirlock(['--home', home, 'verify', '--json', join(out, 'full.airlock.tar')]);
      expect(verified.code, verified.stdout).toBe(0);
    }, 120_000);
  },
);
