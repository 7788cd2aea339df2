/**
 * The many-files section of `npm run bench` (`--only many`): bundles of empty files, where
 * every cost is per file, not per byte. By default 200,000 files (the issue's case) and
 * 999,994, which with the bag's five tag files and its top folder is 1,000,000 archive entries,
 * the default `limits.maxEntries`: the limit must be reachable. Reported, not judged: export,
 * verify and import, each timed once with /usr/bin/time (wall clock, peak RSS). The stated goal
 * (issue #12) is 200,000 files imported well under a minute with peak RSS under 200 MB; the
 * million-entry run shows the memory class.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { measure } from './measure.js';
import { measureWithStalls } from './progress-stall.js';
import { runChecked, type Command } from './proc.js';
import { airlock, type Stations } from './stations.js';

/** Entries of a bag besides its payload files: the top folder and five tag files. */
export const BAG_OVERHEAD_ENTRIES = 6;
export const DEFAULT_MANY_FILES = [200_000, 1_000_000 - BAG_OVERHEAD_ENTRIES];
const PER_FOLDER = 1000;

export interface ManyFilesStep {
  step: 'export' | 'verify' | 'import';
  seconds: number;
  maxRssKiB: number;
  command: string;
  /** Import only: the longest stretch without a progress draw (progress-stall.ts). */
  longestStallSeconds?: number | undefined;
  /** The progress line drawn just before the longest stall. */
  stalledAfter?: string | undefined;
}

export interface ManyFilesRun {
  files: number;
  bundleBytes: number | null;
  steps: ManyFilesStep[];
  /** Why the run stopped early, else null. */
  failed: string | null;
}

export interface ManyFilesOptions {
  root: string;
  stations: Stations;
  counts: readonly number[];
  log: (message: string) => void;
}

/** `files` empty files, PER_FOLDER to a folder, created with synchronous calls (the generator is not what is measured). */
function generateEmptyFiles(dir: string, files: number): void {
  for (let i = 0; i < files; i += 1) {
    const folder = join(dir, `d${String(Math.floor(i / PER_FOLDER)).padStart(4, '0')}`);
    if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    closeSync(openSync(join(folder, `f${String(i % PER_FOLDER).padStart(4, '0')}`), 'wx'));
  }
}

export async function runManyFilesBench(options: ManyFilesOptions): Promise<ManyFilesRun[]> {
  const { root, stations, log } = options;
  const runs: ManyFilesRun[] = [];
  for (const files of options.counts) {
    const work = join(root, `many-${files}`);
    const src = join(work, 'empty');
    const out = join(work, 'out');
    const dest = join(work, 'dest');
    await mkdir(out, { recursive: true });
    await mkdir(dest, { recursive: true });
    log(`  many files: generating ${files} empty files ...`);
    generateEmptyFiles(src, files);
    await runChecked({ argv: ['sync', '-f', work] });
    const run: ManyFilesRun = { files, bundleBytes: null, steps: [], failed: null };
    const bundle = join(out, 'many.airlock.tar');
    const timeFile = join(work, 'time.txt');
    const step = async (name: ManyFilesStep['step'], command: Command): Promise<string> => {
      log(`  many files (${files}): ${name} ...`);
      const m = await measure(command, timeFile);
      run.steps.push({ step: name, seconds: m.seconds, maxRssKiB: m.maxRssKiB, command: command.argv.join(' ') });
      return m.stdout;
    };
    try {
      const exported = JSON.parse(
        await step('export', airlock(stations, ['export', '--out', out, '--name', 'many', '--passphrase-file', stations.passphraseFile, '--json', src])),
      ) as { bundle?: { bundleBytes?: number } };
      run.bundleBytes = exported.bundle?.bundleBytes ?? null;
      await rm(src, { recursive: true, force: true });
      log(`  many files (${files}): verify (--progress, the line watched) ...`);
      const verifyCommand = airlock(stations, ['verify', '--json', bundle]);
      const verified = await measureWithStalls(verifyCommand, timeFile);
      run.steps.push({
        step: 'verify',
        seconds: verified.seconds,
        maxRssKiB: verified.maxRssKiB,
        command: verifyCommand.argv.join(' '),
        longestStallSeconds: verified.longestStallSeconds,
        stalledAfter: verified.stalledAfter,
      });
      log(`  many files (${files}): import (--progress, the line watched) ...`);
      const command = airlock(stations, ['import', '--allow-replay', '--dest', dest, '--json', bundle]);
      const m = await measureWithStalls(command, timeFile);
      run.steps.push({
        step: 'import',
        seconds: m.seconds,
        maxRssKiB: m.maxRssKiB,
        command: command.argv.join(' '),
        longestStallSeconds: m.longestStallSeconds,
        stalledAfter: m.stalledAfter,
      });
    } catch (error) {
      run.failed = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      log(`  many files (${files}): ${run.failed}`);
    }
    runs.push(run);
    await rm(work, { recursive: true, force: true });
  }
  return runs;
}

export function renderManyFilesText(runs: readonly ManyFilesRun[]): string {
  const out = ['== many files: bundles of empty files (reported, not judged; goal: 200,000 imported in well under a minute, peak RSS under 200 MB) =='];
  for (const run of runs) {
    out.push('', `  ${run.files} empty files${run.bundleBytes === null ? '' : `, bundle ${run.bundleBytes} bytes`}`);
    for (const s of run.steps)
      out.push(
        `    ${s.step.padEnd(7)} ${s.seconds.toFixed(2).padStart(8)} s  ${((s.maxRssKiB * 1024) / 1e6).toFixed(1).padStart(7)} MB peak RSS${s.longestStallSeconds === undefined ? '' : `  longest progress stall ${s.longestStallSeconds.toFixed(2)} s (after "${s.stalledAfter ?? '?'}")`}`,
      );
    if (run.failed) out.push(`    stopped: ${run.failed}`);
  }
  return out.join('\n');
}
