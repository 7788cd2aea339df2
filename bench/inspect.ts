/**
 * Content inspection with clamd (issue #16.9): `airlock import` with the station's policy scanning
 * every payload file through clamd (INSTREAM, in the one payload pass), against the same job by
 * hand: the verify+extract pipeline (tar x, gpg --verify, sha256sum -c, sync) and then
 * `clamdscan --stream` over the extracted tree. Target: import with inspection <= 1.1x the two
 * together, i.e. inspection adds no second read of the payload. Plain `airlock import` (no
 * inspection) is measured too, to show what the scan itself costs. One clamd serves both sides,
 * its limits raised above the largest file so neither side is cut short (clamdscan --stream would
 * otherwise say OK for a file it cut at StreamMaxLength: docs/scanner.md), and its cache of clean
 * files off (else the second side to scan the same bytes would find them all cached).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { disposeClamd, startClamd } from '../test/helpers/clamd-process.js';
import { generateLarge, generateSmall, type DataSet } from './data.js';
import { binarySize, ratio, ratioTable, type Ratio } from './format.js';
import { measure } from './measure.js';
import { pipelineImport, shellLine, warmUp } from './pipelines.js';
import { runChecked, type Command } from './proc.js';
import { airlock, airlockAt, type Stations } from './stations.js';

export type InspectStepId = 'airlock-import' | 'airlock-import-inspect' | 'pipeline-import' | 'clamdscan-stream';

const LABELS: Record<InspectStepId, string> = {
  'airlock-import': 'airlock import (no inspection)',
  'airlock-import-inspect': 'airlock import with clamd inspection',
  'pipeline-import': 'pipeline import (tar x, gpg, sha256sum -c, sync)',
  'clamdscan-stream': 'clamdscan --stream of the extracted tree',
};

export interface InspectStep {
  id: InspectStepId;
  seconds: number;
  maxRssKiB: number;
  command: string;
}

export interface InspectSetRun {
  set: 'large' | 'small';
  files: number;
  bytes: number;
  steps: InspectStep[];
  /** Bytes the inspecting import sent to clamd (the whole payload, or the run is not measuring a scan). */
  bytesScanned: number | null;
  ratios: Ratio[];
  failed: string | null;
}

export interface InspectBenchReport {
  runs: InspectSetRun[];
  allTargetsPass: boolean;
}

export interface InspectBenchOptions {
  root: string;
  stations: Stations;
  large: { bytes: number; files: number } | null;
  small: { files: number; size: number } | null;
  log: (message: string) => void;
}

const TARGET = { op: '<=', limit: 1.1 } as const;

interface ImportJson {
  ok?: boolean;
  inspection?: { files?: number; bytesScanned?: number; refused?: number } | null;
}

/** A second home that trusts the bench station's key and scans with `clamdAddress`. */
async function inspectingHome(root: string, stations: Stations, clamdAddress: string, databaseDir: string): Promise<string> {
  const home = join(root, 'airlock-inspect-home');
  const keyFile = join(root, 'station-key.asc');
  await writeFile(keyFile, (await runChecked(airlock(stations, ['keys', 'export-public']))).stdout);
  const listed = JSON.parse((await runChecked(airlock(stations, ['keys', 'list', '--json']))).stdout) as {
    trusted?: Array<{ fingerprint: string; label: string | null }>;
  };
  const station = listed.trusted?.find((k) => k.label === 'this station');
  if (station === undefined) throw new Error('the bench station key is not in its own trust list');
  await runChecked(airlockAt(home, ['keys', 'trust', keyFile, '--fingerprint', station.fingerprint]));
  await writeFile(join(home, 'policy.json'), JSON.stringify({ inspect: { scan: { clamd: clamdAddress, databaseDir, timeoutSeconds: 3600 } } }));
  return home;
}

async function runSet(
  options: InspectBenchOptions,
  which: 'large' | 'small',
  clamd: { address: string; configPath: string; databaseDir: string },
): Promise<InspectSetRun> {
  const { root, stations, log } = options;
  const work = join(root, `inspect-${which}`);
  await mkdir(work, { recursive: true });
  const base = join(work, 'data');
  const set: DataSet =
    which === 'large'
      ? await generateLarge(base, 'large', options.large?.bytes ?? 0, options.large?.files ?? 1)
      : await generateSmall(base, 'small', options.small?.files ?? 1, options.small?.size ?? 1);
  const run: InspectSetRun = { set: which, files: set.files, bytes: set.bytes, steps: [], bytesScanned: null, ratios: [], failed: null };
  const timeFile = join(work, 'time.txt');
  const step = async (id: InspectStepId, command: Command): Promise<string> => {
    log(`  inspect ${which}: ${LABELS[id]} ...`);
    await runChecked(warmUp(set)).catch(() => undefined);
    await runChecked({ argv: ['sync', '-f', work] });
    const m = await measure(command, timeFile);
    run.steps.push({ id, seconds: m.seconds, maxRssKiB: m.maxRssKiB, command: shellLine(command) });
    return m.stdout;
  };
  try {
    log(`  inspect ${which}: ${set.files} files, ${binarySize(set.bytes)}; exporting (not timed) ...`);
    const out = join(work, 'out');
    await mkdir(out);
    const name = `inspect-${which}`;
    await runChecked(
      airlock(stations, ['export', '--out', out, '--name', name, '--passphrase-file', stations.passphraseFile, '--json', join(set.base, set.dir)]),
    );
    const bundle = join(out, `${name}.airlock.tar`);
    const home = await inspectingHome(work, stations, clamd.address, clamd.databaseDir);

    const plainDest = join(work, 'dest-plain');
    await mkdir(plainDest);
    const plain = JSON.parse(await step('airlock-import', airlock(stations, ['import', bundle, '--dest', plainDest, '--json']))) as ImportJson;
    if (plain.ok !== true) throw new Error('airlock import did not import its own bundle');
    await rm(plainDest, { recursive: true, force: true });

    const inspectDest = join(work, 'dest-inspect');
    await mkdir(inspectDest);
    const inspected = JSON.parse(await step('airlock-import-inspect', airlockAt(home, ['import', bundle, '--dest', inspectDest, '--json']))) as ImportJson;
    if (inspected.ok !== true) throw new Error(`airlock import with inspection refused the bundle: ${JSON.stringify(inspected).slice(0, 1500)}`);
    run.bytesScanned = inspected.inspection?.bytesScanned ?? null;
    if (run.bytesScanned !== set.bytes)
      throw new Error(`the inspecting import scanned ${String(run.bytesScanned)} bytes of ${set.bytes}: not a measure of a full scan`);
    await rm(inspectDest, { recursive: true, force: true });

    const pipelineDest = join(work, 'dest-pipeline');
    await step('pipeline-import', pipelineImport(bundle, pipelineDest, name, stations.gnupgHome));
    await step('clamdscan-stream', {
      argv: ['clamdscan', `--config-file=${clamd.configPath}`, '--stream', '--no-summary', '--quiet', join(pipelineDest, name, 'data')],
    });
    await rm(pipelineDest, { recursive: true, force: true });

    const seconds = (id: InspectStepId): number | null => run.steps.find((s) => s.id === id)?.seconds ?? null;
    const inspect = seconds('airlock-import-inspect');
    const byHand = (seconds('pipeline-import') ?? 0) + (seconds('clamdscan-stream') ?? 0);
    const plainPlusScan = (seconds('airlock-import') ?? 0) + (seconds('clamdscan-stream') ?? 0);
    run.ratios = [
      ratio('inspect-vs-pipeline', 'import with inspection / (pipeline import + clamdscan)', inspect === null || byHand <= 0 ? null : inspect / byHand, TARGET),
      ratio(
        'inspect-vs-airlock',
        'import with inspection / (airlock import + clamdscan)',
        inspect === null || plainPlusScan <= 0 ? null : inspect / plainPlusScan,
        null,
      ),
      ratio(
        'scan-cost',
        'import with inspection / airlock import',
        inspect === null || !seconds('airlock-import') ? null : inspect / (seconds('airlock-import') ?? 1),
        null,
      ),
    ];
  } catch (error) {
    run.failed = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    log(`  inspect ${which}: ${run.failed}`);
    run.ratios = [ratio('inspect-vs-pipeline', 'import with inspection / (pipeline import + clamdscan)', null, TARGET)];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return run;
}

export async function runInspectBench(options: InspectBenchOptions): Promise<InspectBenchReport> {
  const largest = Math.max(options.large ? Math.ceil(options.large.bytes / options.large.files) : 0, options.small?.size ?? 0);
  // Limits above the largest file (in MiB, clamd's own unit), so both sides scan every byte.
  const limit = `${Math.max(64, Math.ceil((largest * 1.1) / 1024 / 1024))}M`;
  options.log(`  inspect: starting clamd (StreamMaxLength ${limit}) ...`);
  // DisableCache: clamd keeps the MD5 of every clean file it scanned and skips them next time, so
  // clamdscan, which runs after the inspecting import over the same bytes, would scan nothing at all
  // (measured: 128 MiB in 2.3 s warm against 4.7 s cold). Both sides must scan every byte.
  const clamd = await startClamd({ streamMaxLength: limit, maxScanSize: limit, maxFileSize: limit, extraConfig: ['DisableCache yes'] });
  const runs: InspectSetRun[] = [];
  try {
    const address = { address: clamd.unixAddress, configPath: clamd.configPath, databaseDir: clamd.databaseDir };
    if (options.large) runs.push(await runSet(options, 'large', address));
    if (options.small) runs.push(await runSet(options, 'small', address));
  } finally {
    const log = await clamd.log().catch(() => '');
    if (runs.some((r) => r.failed !== null)) options.log(log.slice(-2000));
    await disposeClamd(clamd);
  }
  return { runs, allTargetsPass: runs.every((r) => r.failed === null && r.ratios.every((x) => x.target === null || x.pass === true)) };
}

export function renderInspectText(report: InspectBenchReport, commands: boolean): string {
  const out = ['== content inspection with clamd (target: import with inspection <= 1.1x pipeline import + clamdscan --stream) =='];
  for (const run of report.runs) {
    out.push(
      '',
      `  ${run.set} set: ${run.files} files, ${binarySize(run.bytes)}${run.bytesScanned === null ? '' : `, ${binarySize(run.bytesScanned)} scanned by Airlock`}`,
    );
    for (const s of run.steps)
      out.push(`    ${LABELS[s.id].padEnd(52)} ${s.seconds.toFixed(2).padStart(8)} s  ${((s.maxRssKiB * 1024) / 1e6).toFixed(1).padStart(7)} MB peak RSS`);
    if (run.failed) out.push(`    stopped: ${run.failed}`);
    out.push('', ratioTable(run.ratios, '    ratio', () => 2).replaceAll('\n', '\n    '));
    if (commands) for (const s of run.steps) out.push(`    $ ${s.command}`);
  }
  return out.join('\n');
}
