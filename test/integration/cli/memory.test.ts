/**
 * Memory stays flat with bundle size: exporting and verifying a 2 GiB bundle as real processes,
 * measured with GNU time (`/usr/bin/time -f %M`: peak resident set size in KiB). Verify must stay
 * under 200 MB; the export figure is reported for the record.
 */
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation } from '../../helpers/station.js';
import { TempDirs } from '../../helpers/temp-dirs.js';

const MiB = 1024 * 1024;
const FILES = 4;
const FILE_BYTES = 512 * MiB;
const TOTAL_BYTES = FILES * FILE_BYTES;
const VERIFY_RSS_LIMIT_BYTES = 200 * 1000 * 1000;
const GNU_TIME = '/usr/bin/time';

const dirs = new TempDirs();

afterAll(async () => {
  // About 4 GiB: the payload and the bundle.
  await dirs.cleanup();
});

/** A 1 MiB buffer of pseudo-random bytes (xorshift32), different for each seed. */
function pseudoRandomMiB(seed: number): Buffer {
  const buffer = Buffer.allocUnsafe(MiB);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < MiB; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    buffer.writeUInt32LE(x, i);
  }
  return buffer;
}

/** Writes `bytes` as the same 1 MiB block over and over: fast, and incompressible within a block. */
async function writeRepeating(path: string, bytes: number, seed: number): Promise<void> {
  const block = pseudoRandomMiB(seed);
  const handle = await open(path, 'wx');
  try {
    for (let written = 0; written < bytes; written += block.length) await handle.write(block, 0, Math.min(block.length, bytes - written));
  } finally {
    await handle.close();
  }
}

/** Peak RSS in bytes from the file GNU time wrote with -f %M -o FILE (its last line, KiB). */
async function peakRssBytes(file: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).trim().split('\n');
  const kib = Number(lines.at(-1));
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`GNU time wrote no RSS figure: ${lines.join(' | ')}`);
  return kib * 1024;
}

describe('memory', () => {
  it('exports and verifies a 2 GiB bundle; verify peaks under 200 MB RSS', async () => {
    await stat(GNU_TIME); // GNU time (Debian package "time") must be installed.
    const root = await dirs.make('airlock-mem-');
    const station = await createStation(root, 'Memory Station');
    const src = join(root, 'big');
    await mkdir(src);
    for (let i = 0; i < FILES; i += 1) await writeRepeating(join(src, `part-${i}.bin`), FILE_BYTES, i + 1);
    const out = join(root, 'out');
    await mkdir(out);

    const exportRss = join(root, 'export.rss');
    const exported = await station.spawn(['export', '--out', out, '--name', 'big', '--passphrase-file', station.passFile, '--json', src], {
      wrapper: [GNU_TIME, '-f', '%M', '-o', exportRss],
    });
    expect(exported.code, describeResult(exported)).toBe(0);
    const bundle = join(out, 'big.airlock.tar');
    expect((await stat(bundle)).size).toBeGreaterThan(TOTAL_BYTES);

    const verifyRss = join(root, 'verify.rss');
    const verified = await station.spawn(['verify', '--json', bundle], { wrapper: [GNU_TIME, '-f', '%M', '-o', verifyRss] });
    expect(verified.code, describeResult(verified)).toBe(0);
    const report = parseJson<{ ok: boolean; bundle: { files: number; bytes: number }; signers: Array<{ fingerprint: string }> }>(verified);
    expect(report.ok).toBe(true);
    expect(report.bundle.files).toBe(FILES);
    expect(report.bundle.bytes).toBe(TOTAL_BYTES);
    expect(report.signers.map((s) => s.fingerprint)).toEqual([station.fingerprint]);

    const exportPeak = await peakRssBytes(exportRss);
    const verifyPeak = await peakRssBytes(verifyRss);
    console.log(
      `2 GiB bundle: peak RSS export ${(exportPeak / 1e6).toFixed(1)} MB, verify ${(verifyPeak / 1e6).toFixed(1)} MB (limit for verify ${VERIFY_RSS_LIMIT_BYTES / 1e6} MB)`,
    );
    expect(verifyPeak).toBeLessThan(VERIFY_RSS_LIMIT_BYTES);

    // Free the 4 GiB as soon as the measurement is taken; afterAll removes the rest.
    await rm(src, { recursive: true, force: true });
    await rm(bundle, { force: true });
  }, 300_000);
});
