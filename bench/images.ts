/**
 * The images section of `npm run bench` (`--only images`; issue #15.8): a ~1 GiB OCI image set
 * (bench/image-set.ts) exported by Airlock from its OCI layout against `skopeo copy --all` into a
 * layout + the hand-made signed bundle (bench/image-pipelines.ts), then Airlock's import with
 * `--push-to` into a fresh local registry against `skopeo copy --all` into another fresh one, then
 * the same import again into the first registry, where every blob is already present.
 * Targets: export <= 0.8x, push <= 1.0x, re-push <= 0.1x the first push, peak RSS < 200 MB for
 * each Airlock command. An Airlock step that cannot run (an engine not built yet, a tool missing)
 * is a row saying why, and its targets count as missed: no data never reads as a pass.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { allPass, binarySize, MB, ratio, ratioTable, table, type Ratio, type Target } from './format.js';
import { inspectDigest, skopeoExport, skopeoPush } from './image-pipelines.js';
import { BENCH_IMAGE_TAGS, buildBenchImageSet } from './image-set.js';
import { measure } from './measure.js';
import { shellLine } from './pipelines.js';
import { run, runChecked, type Command } from './proc.js';
import { startRegistry, type BenchRegistry } from './registry.js';
import { airlock, type Stations } from './stations.js';

export type ImageStepId = 'skopeo-export' | 'airlock-export' | 'airlock-verify' | 'skopeo-push' | 'airlock-push' | 'airlock-repush' | 'skopeo-repush';

export const IMAGE_STEP_LABELS: Record<ImageStepId, string> = {
  'skopeo-export': 'skopeo copy oci: oci: + tar + gpg (+ sha256sum)',
  'airlock-export': 'airlock export --image oci:',
  'airlock-verify': 'airlock verify (part of every import)',
  'skopeo-push': 'skopeo copy --all oci: docker://',
  'airlock-push': 'airlock import --push-to',
  'airlock-repush': 'airlock import --push-to, again (all present)',
  'skopeo-repush': 'skopeo copy --all, again (all present)',
};

export interface ImageStep {
  id: ImageStepId;
  label: string;
  /** null when the step did not run; `notRun` says why. */
  seconds: number | null;
  peakRssMB: number | null;
  command: string;
  notRun: string | null;
}

export interface ImagesBenchReport {
  /** Why the section did not run at all (tools missing), else null. */
  skipped: string | null;
  bytes: number;
  blobs: number;
  layers: number;
  steps: ImageStep[];
  ratios: Ratio[];
  /** What the registry serves for each image Airlock pushed equals the bundle's digest (skopeo inspect --raw). */
  digestsMatch: boolean | null;
  /** Blob bytes the re-push sent (0 when every blob was skipped), from import --json. */
  repushBytesSent: number | null;
  notes: string[];
  allTargetsPass: boolean;
}

export interface ImagesBenchOptions {
  root: string;
  stations: Stations;
  bytes: number;
  log: (message: string) => void;
}

const TARGETS: Record<string, Target> = {
  'export-time-vs-skopeo': { op: '<=', limit: 0.8 },
  'push-time-vs-skopeo': { op: '<=', limit: 1.0 },
  'repush-time-vs-push': { op: '<=', limit: 0.1 },
  'export-peak-rss-mb': { op: '<', limit: 200 },
  'push-peak-rss-mb': { op: '<', limit: 200 },
  'repush-peak-rss-mb': { op: '<', limit: 200 },
};

function missingTools(): string | null {
  const tools = ['skopeo', 'docker-registry', 'gpg', 'tar', 'sha256sum'];
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
  return missing.length > 0 ? `missing ${missing.join(', ')}` : null;
}

interface PushJson {
  ok?: boolean;
  pushes?: { repository?: string; tag?: string | null; digest?: string; outcome?: string; bytesSent?: number }[];
}

function parseJson<T>(stdout: string): T | null {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    return null;
  }
}

/** `registry/PREFIX/REPO:TAG` (or `@DIGEST`) for what Airlock says it pushed; the repository may or may not carry the prefix. */
function pushedReference(host: string, prefix: string, push: NonNullable<PushJson['pushes']>[number]): string {
  const repository = push.repository ?? '';
  const full = repository.startsWith(`${prefix}/`) ? repository : `${prefix}/${repository}`;
  return `docker://${host}/${full}${push.tag ? `:${push.tag}` : `@${push.digest ?? ''}`}`;
}

export async function runImagesBench(options: ImagesBenchOptions): Promise<ImagesBenchReport> {
  const { root, stations, log } = options;
  const report: ImagesBenchReport = {
    skipped: null,
    bytes: 0,
    blobs: 0,
    layers: 0,
    steps: [],
    ratios: [],
    digestsMatch: null,
    repushBytesSent: null,
    notes: [],
    allTargetsPass: false,
  };
  const missing = missingTools();
  if (missing) {
    log(`images: skipped (${missing})`);
    return { ...report, skipped: missing };
  }
  const work = join(root, 'images');
  const src = join(work, 'src');
  const timeFile = join(work, 'time.txt');
  const registries: BenchRegistry[] = [];
  const settle = () => runChecked({ argv: ['sync', '-f', root] });
  /** Measures one step; an Airlock step that fails becomes a row saying why instead of ending the section. */
  const step = async (id: ImageStepId, command: Command, mayFail: boolean): Promise<string | null> => {
    await settle();
    log(`  ${IMAGE_STEP_LABELS[id]} ...`);
    try {
      const m = await measure(command, timeFile);
      report.steps.push({
        id,
        label: IMAGE_STEP_LABELS[id],
        seconds: m.seconds,
        peakRssMB: (m.maxRssKiB * 1024) / MB,
        command: shellLine(command),
        notRun: null,
      });
      return m.stdout;
    } catch (error) {
      if (!mayFail) throw error;
      const why = (error instanceof Error ? error.message : String(error)).split('\n').filter(Boolean).slice(0, 3).join(' / ');
      log(`  ${IMAGE_STEP_LABELS[id]}: not run: ${why}`);
      report.steps.push({ id, label: IMAGE_STEP_LABELS[id], seconds: null, peakRssMB: null, command: shellLine(command), notRun: why });
      return null;
    }
  };
  try {
    await mkdir(work, { recursive: true });
    log(`images: building the image set (${binarySize(options.bytes)}) ...`);
    const set = await buildBenchImageSet(src, options.bytes);
    Object.assign(report, { bytes: set.bytes, blobs: set.blobs, layers: set.layers });
    log(`  ${String(set.blobs)} blobs, ${binarySize(set.bytes)}`);
    await runChecked({ argv: ['bash', '-c', 'cat "$1"/blobs/sha256/* > /dev/null', 'bench', src] }); // warm page cache for both sides, untimed

    const stage = join(work, 'stage');
    await mkdir(stage, { recursive: true });
    const handMade = join(work, 'images.pipeline.tar');
    await step('skopeo-export', skopeoExport(src, BENCH_IMAGE_TAGS, stage, 'bench-images', handMade, stations.gnupgHome, stations.gpgKey), false);
    await rm(stage, { recursive: true, force: true });
    await rm(handMade, { force: true });

    const out = join(work, 'out');
    await mkdir(out, { recursive: true });
    const bundle = join(out, 'bench-images.airlock.tar');
    const images = BENCH_IMAGE_TAGS.flatMap((tag) => ['--image', `oci:${src}:${tag}`]);
    const exported = await step(
      'airlock-export',
      airlock(stations, ['export', ...images, '--out', out, '--name', 'bench-images', '--passphrase-file', stations.passphraseFile, '--json']),
      true,
    );

    if (exported !== null) await step('airlock-verify', airlock(stations, ['verify', bundle, '--json']), true);

    const skopeoRegistry = await startRegistry(join(work, 'registry-skopeo'));
    registries.push(skopeoRegistry);
    await step('skopeo-push', skopeoPush(src, BENCH_IMAGE_TAGS, skopeoRegistry.host), false);

    if (exported !== null) {
      const airlockRegistry = await startRegistry(join(work, 'registry-airlock'));
      registries.push(airlockRegistry);
      // No --dest: an images-only bundle pushed as the issue's operator runs it (the station spools what it pushes).
      const importArgs = (again: boolean) => [
        'import',
        bundle,
        '--push-to',
        `${airlockRegistry.host}/bench`,
        '--insecure-registry',
        ...(again ? ['--allow-replay'] : []),
        '--json',
      ];
      const pushed = await step('airlock-push', airlock(stations, importArgs(false)), true);
      const pushes = pushed === null ? null : (parseJson<PushJson>(pushed)?.pushes ?? null);
      if (pushes !== null) report.digestsMatch = await digestsServed(airlockRegistry.host, pushes, report.notes);
      if (pushed === null)
        report.steps.push({
          id: 'airlock-repush',
          label: IMAGE_STEP_LABELS['airlock-repush'],
          seconds: null,
          peakRssMB: null,
          command: '',
          notRun: 'the first push did not run',
        });
      else {
        const again = await step('airlock-repush', airlock(stations, importArgs(true)), true);
        const repushes = again === null ? null : (parseJson<PushJson>(again)?.pushes ?? null);
        if (repushes !== null) report.repushBytesSent = repushes.reduce((sum, p) => sum + (p.bytesSent ?? 0), 0);
      }
    } else {
      for (const id of ['airlock-push', 'airlock-repush'] as const)
        report.steps.push({ id, label: IMAGE_STEP_LABELS[id], seconds: null, peakRssMB: null, command: '', notRun: 'no bundle: airlock export did not run' });
    }
    await step('skopeo-repush', skopeoPush(src, BENCH_IMAGE_TAGS, skopeoRegistry.host), false);
  } finally {
    for (const registry of registries) await registry.stop();
    await rm(work, { recursive: true, force: true });
  }
  report.ratios = imageRatios(report.steps);
  report.allTargetsPass = allPass(report.ratios) && report.digestsMatch === true;
  return report;
}

/** skopeo inspect --raw of each pushed image: the registry must serve the bytes whose digest the bundle names. */
async function digestsServed(host: string, pushes: NonNullable<PushJson['pushes']>, notes: string[]): Promise<boolean> {
  if (pushes.length === 0) {
    notes.push('airlock import --json listed no pushes');
    return false;
  }
  let all = true;
  for (const push of pushes) {
    const reference = pushedReference(host, 'bench', push);
    const served = await run(inspectDigest(reference));
    const digest = `sha256:${served.stdout.trim()}`;
    if (served.code !== 0 || digest !== push.digest || push.outcome === 'failed') {
      all = false;
      notes.push(`${reference}: registry serves ${digest}, bundle says ${push.digest ?? '?'} (${push.outcome ?? '?'}) ${served.stderr.trim().slice(0, 200)}`);
    }
  }
  return all;
}

function imageRatios(steps: readonly ImageStep[]): Ratio[] {
  const seconds = (id: ImageStepId) => steps.find((s) => s.id === id)?.seconds ?? null;
  const rss = (id: ImageStepId) => steps.find((s) => s.id === id)?.peakRssMB ?? null;
  const quotient = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : a / b);
  const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.max(0, a - b));
  const values: [string, string, number | null][] = [
    ['export-time-vs-skopeo', 'airlock export time / (skopeo copy + tar + gpg) time', quotient(seconds('airlock-export'), seconds('skopeo-export'))],
    ['push-time-vs-skopeo', 'airlock import --push-to time / skopeo push time', quotient(seconds('airlock-push'), seconds('skopeo-push'))],
    ['repush-time-vs-push', 'airlock re-push time / airlock first push time', quotient(seconds('airlock-repush'), seconds('airlock-push'))],
    // Reported, not judged: every import verifies the whole bundle first (never skipped), which a push of nothing new cannot avoid.
    [
      'repush-push-phase-vs-push-phase',
      '(re-push - verify) / (first push - verify): the push phase alone',
      quotient(minus(seconds('airlock-repush'), seconds('airlock-verify')), minus(seconds('airlock-push'), seconds('airlock-verify'))),
    ],
    ['export-peak-rss-mb', 'airlock export peak RSS (MB)', rss('airlock-export')],
    ['push-peak-rss-mb', 'airlock import --push-to peak RSS (MB)', rss('airlock-push')],
    ['repush-peak-rss-mb', 'airlock re-push peak RSS (MB)', rss('airlock-repush')],
  ];
  return values.map(([id, label, value]) => ratio(id, label, value, TARGETS[id] ?? null));
}

export function renderImagesText(report: ImagesBenchReport, withCommands: boolean): string {
  if (report.skipped) return `== images: skipped (${report.skipped}) ==`;
  const out = [
    `== images: 2 images sharing a base layer, ${String(report.layers)} layers, ${String(report.blobs)} blobs, ${binarySize(report.bytes)} (uncompressed layers) ==`,
    '',
    table(
      ['step', 'seconds', 'MB/s', 'peak RSS MB'],
      report.steps.map((s) => [
        s.label,
        s.seconds === null ? 'not run' : s.seconds.toFixed(2),
        s.seconds === null || s.seconds <= 0 ? 'n/a' : (report.bytes / s.seconds / MB).toFixed(1),
        s.peakRssMB === null ? 'n/a' : s.peakRssMB.toFixed(1),
      ]),
      [false, true, true, true],
    ),
    ...report.steps.filter((s) => s.notRun !== null).map((s) => `  not run: ${s.label}: ${s.notRun ?? ''}`),
    '',
    ratioTable(report.ratios, 'ratio', (r) => (r.id.endsWith('-mb') ? 1 : 2)),
    '',
    `  registry serves the digests the bundle names (skopeo inspect --raw): ${report.digestsMatch === null ? 'not checked' : report.digestsMatch ? 'yes' : 'NO'}`,
    `  blob bytes sent by the re-push: ${report.repushBytesSent === null ? 'n/a' : String(report.repushBytesSent)}`,
    ...report.notes.map((n) => `  note: ${n}`),
    '',
    `Images targets: ${report.allTargetsPass ? 'PASS' : 'MISS'}`,
  ];
  if (withCommands) {
    out.push('', '# images');
    for (const s of report.steps) if (s.command) out.push(`## ${s.label}`, s.command);
  }
  return out.join('\n');
}
