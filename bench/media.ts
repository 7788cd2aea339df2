/**
 * The removable-media section of `npm run bench` (`--only media`, or with every section when
 * root): export onto a loop-backed ext4 medium with read-back past the page cache, against the
 * pipeline an operator without Airlock would run (tar + gpg + sha256sum onto the medium, sync,
 * then `sha256sum` of the written file to "check" it, which the page cache answers). Target:
 * Airlock's export with read-back at most 0.4x the pipeline's time (issue #18's table, the same
 * limit bench/summary.ts applies).
 *
 * `--fat32-4g` adds the 4 GiB runs: a bundle over 4 GiB exported onto a FAT32 image (mkfs.vfat,
 * mounted through fusefat, which refuses writes past 2 GiB in a file, so parts stay under
 * 2^31 - 512 there) and onto ext4 with FAT's own part size (2^32 - 512; this kernel has no vfat
 * driver), each verified from its first part. They write and read several GiB, so they are not
 * in the default run.
 *
 * Needs root (loop devices, mount). The loop device reads its image with direct I/O
 * (losetup --direct-io=on), so Airlock's O_DIRECT read-back reaches the disk rather than the
 * image file's page cache.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateLarge, type DataSet } from './data.js';
import { binarySize } from './format.js';
import { measure } from './measure.js';
import { pipelineExport, shellLine } from './pipelines.js';
import { runChecked, type Command } from './proc.js';
import { airlock, setUpStations, tearDownStations, type Stations } from './stations.js';

export interface MediaBenchOptions {
  root: string;
  /** Payload of the ext4 run. */
  bytes: number;
  /** Also run the 4 GiB FAT32 part-limit export. */
  fat32Big: boolean;
  log: (message: string) => void;
}

interface MediaStep {
  id: string;
  label: string;
  seconds: number;
  maxRssKiB: number;
  command: string;
}

export interface MediaBenchReport {
  /** Why the section did not run (not root, tools missing), else null. */
  skipped: string | null;
  bytes: number;
  steps: MediaStep[];
  readBack: { method: string; bypassesCache: boolean; seconds: number; bytes: number } | null;
  ratio: { label: string; value: number | null; limit: number; pass: boolean | null };
  /** --fat32-4g: a bundle over 4 GiB onto FAT32 (fusefat) and onto ext4 with FAT's part size. */
  big: BigRun[] | null;
  allTargetsPass: boolean;
}

/** Issue #18's row "export with read-back to a loop device": also the summary's limit (summary.ts). */
export const MEDIA_TARGET = 0.4;
const FAT_PART = 2 ** 32 - 512;
const FUSEFAT_PART = 2 ** 31 - 512;

function prerequisites(fat: boolean): string | null {
  if (process.platform !== 'linux') return 'Linux only';
  if (process.getuid?.() !== 0) return 'needs root (loop devices and mount)';
  const tools = ['losetup', 'mkfs.ext4', 'mount', 'umount', 'dd', 'sha256sum', ...(fat ? ['mkfs.vfat', 'fusefat'] : [])];
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
  return missing.length > 0 ? `missing ${missing.join(', ')}` : null;
}

/** A loop-backed medium; undo() unmounts and detaches it (also after a failure). */
async function medium(root: string, name: string, bytes: number, fs: 'ext4' | 'vfat', undo: Array<() => void>): Promise<string> {
  const image = join(root, `${name}.img`);
  const mountPoint = join(root, name);
  await mkdir(mountPoint, { recursive: true });
  await writeFile(image, '');
  await truncate(image, bytes);
  const device = execFileSync('losetup', ['--find', '--show', '--direct-io=on', image], { encoding: 'utf8' }).trim();
  undo.push(() => {
    spawnSync('losetup', ['-d', device], { stdio: 'ignore' });
    spawnSync('rm', ['-f', image], { stdio: 'ignore' });
  });
  if (fs === 'ext4') {
    execFileSync('mkfs.ext4', ['-q', '-F', '-m', '0', '-L', name.toUpperCase().slice(0, 16), device]);
    execFileSync('mount', [device, mountPoint]);
  } else {
    execFileSync('mkfs.vfat', ['-F', '32', '-n', name.toUpperCase().slice(0, 11), device], { stdio: 'ignore' });
    execFileSync('fusefat', ['-o', 'rw+', device, mountPoint], { stdio: 'ignore' });
  }
  undo.push(() => {
    if (spawnSync('umount', [mountPoint], { stdio: 'ignore' }).status !== 0) spawnSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
  });
  return mountPoint;
}

interface ExportJson {
  bundle: {
    bundleBytes: number;
    media: {
      files: Array<{ path: string; size: number; kind: string }>;
      volumes: Array<{ readBack: { method: string; bypassesCache: boolean; seconds: number; bytes: number } }>;
    };
  };
}

export async function runMediaBench(options: MediaBenchOptions): Promise<MediaBenchReport> {
  const { root, log } = options;
  const empty: MediaBenchReport = {
    skipped: null,
    bytes: options.bytes,
    steps: [],
    readBack: null,
    ratio: { label: 'airlock export --to-media (with read-back) / (pipeline export + sha256sum re-read)', value: null, limit: MEDIA_TARGET, pass: null },
    big: null,
    allTargetsPass: false,
  };
  const missing = prerequisites(options.fat32Big);
  if (missing) {
    log(`media: skipped (${missing})`);
    return { ...empty, skipped: missing };
  }
  const work = join(root, 'media');
  await mkdir(work, { recursive: true });
  // Its own throwaway Airlock home and GNUPGHOME, so this section runs alone (--only media) too.
  const stations = await setUpStations(work);
  const timeFile = join(work, 'time.txt');
  const undo: Array<() => void> = [];
  const steps: MediaStep[] = [];
  const step = async (id: string, label: string, command: Command): Promise<{ seconds: number; stdout: string }> => {
    await runChecked({ argv: ['sync'] });
    log(`  ${label} ...`);
    const m = await measure(command, timeFile);
    steps.push({ id, label, seconds: m.seconds, maxRssKiB: m.maxRssKiB, command: shellLine(command) });
    return m;
  };
  try {
    log(`media: generating ${binarySize(options.bytes)} ...`);
    const set: DataSet = await generateLarge(join(work, 'data'), 'media', options.bytes, 4);
    const mnt = await medium(work, 'stick', Math.ceil(options.bytes * 1.25) + 256 * 1024 * 1024, 'ext4', undo);
    await writeFile(join(stations.airlockHome, 'config.json'), JSON.stringify({ mediaRoots: [mnt] }));
    await runChecked({ argv: ['bash', '-c', 'find "$1" -type f -print0 | xargs -0 cat > /dev/null', 'bench', join(set.base, set.dir)] });

    // The pipeline: write the bundle onto the medium, sync, then re-read it with sha256sum.
    const out = join(mnt, 'bench-media.pipeline.tar');
    const pipeline = pipelineExport(set, 'bench-media', join(work, 'stage'), out, stations.gnupgHome, stations.gpgKey);
    await step('pipeline-export-reread', 'pipeline export + sha256sum re-read', {
      argv: ['bash', '-c', 'set -euo pipefail; out=$1; shift; "$@"; sha256sum "$out" > /dev/null', 'bench', out, ...pipeline.argv],
    });
    await rm(out, { force: true });
    await rm(join(work, 'stage'), { recursive: true, force: true });

    const exported = await step(
      'airlock-export-media',
      'airlock export --to-media (read-back)',
      airlock(stations, [
        'export',
        '--to-media',
        mnt,
        '--name',
        'bench-media',
        '--passphrase-file',
        stations.passphraseFile,
        '--json',
        join(set.base, set.dir),
      ]),
    );
    const result = JSON.parse(exported.stdout) as ExportJson;
    const readBack = result.bundle.media.volumes[0]?.readBack ?? null;
    const bundle = result.bundle.media.files[0]?.path as string;
    // For scale: the same file hashed from the page cache (what the pipeline's "check" reads) and from the disk.
    await step('sha256sum-cached', 'sha256sum of the written bundle (page cache)', { argv: ['sha256sum', bundle] });
    await step('sha256sum-uncached', 'dd iflag=direct | sha256sum (disk)', {
      argv: ['bash', '-c', 'dd if="$1" iflag=direct bs=4M status=none | sha256sum > /dev/null', 'bench', bundle],
    });
    await rm(bundle, { force: true });
    await rm(join(set.base), { recursive: true, force: true });

    const pipelineSeconds = steps.find((s) => s.id === 'pipeline-export-reread')?.seconds ?? 0;
    const airlockSeconds = steps.find((s) => s.id === 'airlock-export-media')?.seconds ?? 0;
    const value = pipelineSeconds > 0 ? airlockSeconds / pipelineSeconds : null;
    const ratio = { ...empty.ratio, value, pass: value === null ? null : value <= MEDIA_TARGET };

    const big = options.fat32Big ? await bigRuns(options, stations, work, undo, timeFile) : null;
    return {
      skipped: null,
      bytes: options.bytes,
      steps,
      readBack,
      ratio,
      big,
      allTargetsPass: ratio.pass === true && (big === null || big.every((r) => r.verified)),
    };
  } finally {
    for (const fn of undo.reverse()) fn();
    await tearDownStations(stations.gnupgHome);
  }
}

interface BigRun {
  label: string;
  bundleBytes: number;
  parts: Array<{ file: string; size: number }>;
  expectedPart: number;
  readBack: { method: string; seconds: number };
  verified: boolean;
  steps: MediaStep[];
}

/**
 * A bundle just over 4 GiB, twice: onto FAT32 through fusefat (which refuses writes past 2 GiB
 * in a file, so parts stay under 2^31 - 512 there), and onto ext4 with --part-size 2^32 - 512,
 * FAT's real part size (no kernel vfat here), each verified from its first part.
 */
async function bigRuns(options: MediaBenchOptions, stations: Stations, work: string, undo: Array<() => void>, timeFile: string): Promise<BigRun[]> {
  const { log } = options;
  const bytes = 4 * 1024 ** 3 + 64 * 1024 ** 2;
  log(`media: 4 GiB runs: generating ${binarySize(bytes)} in one file ...`);
  const set = await generateLarge(join(work, 'big-data'), 'over4g', bytes, 1);
  const runs: BigRun[] = [];
  const targets: Array<{ label: string; fs: 'vfat' | 'ext4'; extra: string[]; expectedPart: number }> = [
    { label: 'FAT32 via fusefat', fs: 'vfat', extra: [], expectedPart: FUSEFAT_PART },
    { label: 'ext4, --part-size 2^32-512 (FAT32 part size)', fs: 'ext4', extra: ['--part-size', String(FAT_PART)], expectedPart: FAT_PART },
  ];
  for (const target of targets) {
    const mnt = await medium(
      work,
      target.fs === 'vfat' ? 'fatstick' : 'bigext4',
      target.fs === 'vfat' ? 10 * 1024 ** 3 : bytes + 512 * 1024 ** 2,
      target.fs,
      undo,
    );
    await writeFile(join(stations.airlockHome, 'config.json'), JSON.stringify({ mediaRoots: [mnt] }));
    const steps: MediaStep[] = [];
    const timed = async (id: string, label: string, command: Command): Promise<string> => {
      log(`  ${label} ...`);
      const m = await measure(command, timeFile);
      steps.push({ id, label, seconds: m.seconds, maxRssKiB: m.maxRssKiB, command: shellLine(command) });
      return m.stdout;
    };
    const result = JSON.parse(
      await timed(
        `${target.fs}-export`,
        `airlock export --to-media (${target.label}, read-back)`,
        airlock(stations, [
          'export',
          '--to-media',
          mnt,
          '--name',
          'over4g',
          '--passphrase-file',
          stations.passphraseFile,
          '--json',
          ...target.extra,
          join(set.base, set.dir),
        ]),
      ),
    ) as ExportJson;
    const parts = result.bundle.media.files.filter((f) => f.kind === 'part').map((f) => ({ file: f.path, size: f.size }));
    let verified = true;
    await timed(`${target.fs}-verify`, 'airlock verify from the first part', airlock(stations, ['verify', '--json', parts[0]?.file ?? ''])).catch(() => {
      verified = false;
      return '';
    });
    for (const f of await readdir(mnt)) if (f.startsWith('over4g')) await rm(join(mnt, f), { force: true });
    const rb = result.bundle.media.volumes[0]?.readBack;
    runs.push({
      label: target.label,
      bundleBytes: result.bundle.bundleBytes,
      parts,
      expectedPart: target.expectedPart,
      readBack: { method: rb?.method ?? '?', seconds: rb?.seconds ?? 0 },
      verified: verified && parts[0]?.size === target.expectedPart,
      steps,
    });
  }
  await rm(set.base, { recursive: true, force: true });
  return runs;
}

export function renderMediaText(report: MediaBenchReport): string {
  const out = ['== media: export onto a loop-backed ext4 medium with read-back =='];
  if (report.skipped) return [...out, '', `  skipped: ${report.skipped}`].join('\n');
  out.push('', `  payload ${binarySize(report.bytes)} in 4 files; loop device with direct I/O; each step timed once with /usr/bin/time`, '');
  const width = Math.max(...report.steps.map((s) => s.label.length));
  for (const s of report.steps)
    out.push(
      `  ${s.label.padEnd(width)}  ${s.seconds.toFixed(2).padStart(7)} s  ${(report.bytes / s.seconds / 1e6).toFixed(1).padStart(7)} MB/s  ${((s.maxRssKiB * 1024) / 1e6).toFixed(1).padStart(6)} MB RSS`,
    );
  if (report.readBack)
    out.push(
      '',
      `  read-back inside the export: ${report.readBack.method}${report.readBack.bypassesCache ? ' (past the page cache)' : ' (cache NOT bypassed)'}, ${binarySize(report.readBack.bytes)} in ${report.readBack.seconds.toFixed(2)} s`,
    );
  const r = report.ratio;
  out.push('', `  ${r.label}: ${r.value === null ? 'n/a' : r.value.toFixed(2)}  (target <= ${r.limit})  ${r.pass === true ? 'PASS' : 'MISS'}`);
  for (const run of report.big ?? []) {
    out.push('', `== media: a bundle over 4 GiB, ${run.label} (--fat32-4g) ==`, '');
    for (const s of run.steps) out.push(`  ${s.label}  ${s.seconds.toFixed(2)} s`);
    out.push(`  bundle ${run.bundleBytes} bytes -> ${run.parts.map((p) => `${p.file.split('/').pop() ?? ''} (${p.size})`).join(', ')}`);
    out.push(
      `  first part ${run.parts[0]?.size === run.expectedPart ? 'is' : 'is NOT'} ${run.expectedPart} bytes; read-back ${run.readBack.method} in ${run.readBack.seconds.toFixed(1)} s; verified from the first part: ${run.verified ? 'yes' : 'NO'}`,
    );
  }
  out.push('', `Media targets: ${report.allTargetsPass ? 'PASS' : 'MISS'}`);
  return out.join('\n');
}
