/**
 * The huge section (`--huge-import`, or `--only huge`): one file of `bytes` (20 GiB by default;
 * written block by block with distinct content, so nothing is sparse and nothing compresses)
 * exported to a bundle, then imported with the progress line watched (progress-stall.ts).
 * Issue #18: the import finishes with flat memory and a line that never stalls over 2 s.
 *
 * Disk: the file and the bundle exist together during the export; the file is removed before
 * the import, so the bundle and the imported copy exist together after. About 2 x bytes plus
 * the tag files; the section checks for 2.1 x bytes free under the bench folder first and
 * reports itself skipped (not failed) when the space is not there.
 */
import { statfs, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLarge } from './data.js';
import { binarySize } from './format.js';
import { measure } from './measure.js';
import { measureWithStalls } from './progress-stall.js';
import { runChecked } from './proc.js';
import { airlock, type Stations } from './stations.js';

/** Free space the section needs, as a multiple of the file's size. */
export const HUGE_SPACE_FACTOR = 2.1;

export interface HugeImportRun {
  bytes: number;
  /** Why it did not run (not enough free space), else null. */
  skipped: string | null;
  exportSeconds: number | null;
  importSeconds: number | null;
  longestStallSeconds: number | null;
  /** The progress line drawn just before the longest stall ('start' when the first draw was late). */
  stalledAfter: string | null;
  draws: number | null;
  /** Peak RSS of export and import. */
  maxRssKiB: { export: number; import: number } | null;
}

export async function runHugeImportBench(options: { root: string; stations: Stations; bytes: number; log: (message: string) => void }): Promise<HugeImportRun> {
  const { root, stations, bytes, log } = options;
  const run: HugeImportRun = {
    bytes,
    skipped: null,
    exportSeconds: null,
    importSeconds: null,
    longestStallSeconds: null,
    stalledAfter: null,
    draws: null,
    maxRssKiB: null,
  };
  const fs = await statfs(root);
  const free = fs.bavail * fs.bsize;
  const needed = Math.ceil(bytes * HUGE_SPACE_FACTOR);
  if (free < needed) {
    run.skipped = `needs ${binarySize(needed)} free under the bench folder, ${binarySize(free)} is`;
    log(`  huge import: skipped (${run.skipped})`);
    return run;
  }
  const work = join(root, 'huge');
  const out = join(work, 'out');
  const dest = join(work, 'dest');
  await mkdir(out, { recursive: true });
  await mkdir(dest, { recursive: true });
  const timeFile = join(work, 'time.txt');
  try {
    log(`  huge import: writing one file of ${binarySize(bytes)} ...`);
    const set = await generateLarge(work, 'huge-data', bytes, 1);
    await runChecked({ argv: ['sync', '-f', work] });
    log('  huge import: airlock export ...');
    const exported = await measure(
      airlock(stations, ['export', '--out', out, '--name', 'huge', '--passphrase-file', stations.passphraseFile, '--json', join(set.base, set.dir)]),
      timeFile,
    );
    run.exportSeconds = exported.seconds;
    await rm(join(set.base, set.dir), { recursive: true, force: true });
    await runChecked({ argv: ['sync', '-f', work] });
    log('  huge import: airlock import --progress (the progress line watched) ...');
    const imported = await measureWithStalls(
      airlock(stations, ['import', '--allow-replay', '--dest', dest, '--json', join(out, 'huge.airlock.tar')]),
      timeFile,
    );
    run.importSeconds = imported.seconds;
    run.longestStallSeconds = imported.longestStallSeconds;
    run.stalledAfter = imported.stalledAfter;
    run.draws = imported.draws;
    run.maxRssKiB = { export: exported.maxRssKiB, import: imported.maxRssKiB };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return run;
}

export function renderHugeImportText(run: HugeImportRun): string {
  const head = `== huge: one file of ${binarySize(run.bytes)}, exported then imported with the progress line watched ==`;
  if (run.skipped) return `${head}\n\n  skipped: ${run.skipped}`;
  const mb = (kib: number | undefined) => (kib === undefined ? 'n/a' : ((kib * 1024) / 1e6).toFixed(1));
  return [
    head,
    '',
    `  export ${run.exportSeconds?.toFixed(2) ?? 'n/a'} s, peak RSS ${mb(run.maxRssKiB?.export)} MB`,
    `  import ${run.importSeconds?.toFixed(2) ?? 'n/a'} s, peak RSS ${mb(run.maxRssKiB?.import)} MB; progress drawn ${String(run.draws ?? 0)} times, longest stall ${run.longestStallSeconds?.toFixed(2) ?? 'n/a'} s${run.stalledAfter === null ? '' : ` (after "${run.stalledAfter}")`}`,
  ].join('\n');
}
