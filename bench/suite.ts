/**
 * The steps for one data set, run in an order that lets later steps reuse earlier outputs (the
 * Airlock bundle feeds write+fsync, both verifiers and both importers), each output removed
 * right after use so disk use stays at about two bundles whatever the set size.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSet } from './data.js';
import { runImportSteps } from './import-steps.js';
import { measure } from './measure.js';
import { opensslDigest, pipelineExport, pipelineVerify, sha256sum, shellLine, warmUp, writeFsync } from './pipelines.js';
import { exitStatus, run, runChecked, type Command } from './proc.js';
import { airlock, type Stations } from './stations.js';

export type StepId =
  'openssl' | 'sha256sum' | 'pipeline-export' | 'write-fsync' | 'airlock-export' | 'airlock-verify' | 'pipeline-verify' | 'airlock-import' | 'pipeline-import';

export const STEP_LABELS: Record<StepId, string> = {
  openssl: 'openssl dgst -sha256',
  sha256sum: 'sha256sum',
  'pipeline-export': 'pipeline export',
  'write-fsync': 'write+fsync alone (dd)',
  'airlock-export': 'airlock export',
  'airlock-verify': 'airlock verify',
  'pipeline-verify': 'pipeline verify',
  'airlock-import': 'airlock import',
  'pipeline-import': 'pipeline import',
};

/** Table order: floors, then export side, then verify side, then import side. */
export const STEP_ORDER: StepId[] = [
  'openssl',
  'sha256sum',
  'pipeline-export',
  'write-fsync',
  'airlock-export',
  'airlock-verify',
  'pipeline-verify',
  'airlock-import',
  'pipeline-import',
];

export interface StepResult {
  id: StepId;
  seconds: number;
  maxRssKiB: number;
  command: string;
}

export interface SetRun {
  steps: StepResult[];
  /** Whether `airlock verify` accepts the hand-made bundle: if not, the pipeline is not doing Airlock's job and the export ratio means little. */
  pipelineBundleAccepted: boolean;
  pipelineBundleProblems: string[];
}

export interface SuiteContext {
  root: string;
  stations: Stations;
  log: (message: string) => void;
}

interface VerifyJson {
  ok?: boolean;
  problems?: { code?: string; message?: string }[];
}

function parseVerify(stdout: string): VerifyJson {
  try {
    return JSON.parse(stdout) as VerifyJson;
  } catch {
    return { ok: false, problems: [{ message: `unreadable verify output: ${stdout.slice(0, 200)}` }] };
  }
}

export async function runSuite(set: DataSet, ctx: SuiteContext): Promise<SetRun> {
  const { root, stations, log } = ctx;
  const name = `bench-${set.dir}`;
  const work = join(root, 'work');
  await mkdir(work, { recursive: true });
  const timeFile = join(work, 'time.txt');
  const steps: StepResult[] = [];

  /** Flushes dirty pages left by earlier work, untimed, so no step pays for another's writeback. */
  const settle = () => runChecked({ argv: ['sync', '-f', root] });
  const step = async (id: StepId, command: Command) => {
    await settle();
    log(`  ${STEP_LABELS[id]} ...`);
    const m = await measure(command, timeFile);
    steps.push({ id, seconds: m.seconds, maxRssKiB: m.maxRssKiB, command: shellLine(command) });
    return m;
  };

  log(`  warm-up read (untimed) ...`);
  await runChecked(warmUp(set));

  await step('openssl', opensslDigest(set));
  await step('sha256sum', sha256sum(set));

  const pipelineBundle = join(work, `${name}.pipeline.tar`);
  const stage = join(work, 'stage');
  await step('pipeline-export', pipelineExport(set, name, stage, pipelineBundle, stations.gnupgHome, stations.gpgKey));
  // Untimed interop check; exit code 1 (bundle rejected) is a finding to report, not a crash.
  const checked = await run(airlock(stations, ['verify', pipelineBundle, '--json']));
  const verdict = parseVerify(checked.stdout);
  const pipelineBundleAccepted = checked.code === 0 && verdict.ok === true;
  const pipelineBundleProblems = (verdict.problems ?? []).map((p) => `${p.code ?? '?'}: ${p.message ?? ''}`);
  if (!pipelineBundleAccepted && pipelineBundleProblems.length === 0) pipelineBundleProblems.push(checked.stderr.trim() || exitStatus(checked));
  await rm(pipelineBundle, { force: true });
  await rm(stage, { recursive: true, force: true });

  const outDir = join(work, 'out');
  await mkdir(outDir, { recursive: true });
  const bundle = join(outDir, `${name}.airlock.tar`);
  await step(
    'airlock-export',
    airlock(stations, ['export', '--out', outDir, '--name', name, '--passphrase-file', stations.passphraseFile, '--json', join(set.base, set.dir)]),
  );

  const copy = join(work, 'copy.tar');
  await step('write-fsync', writeFsync(bundle, copy));
  await rm(copy, { force: true });

  const verified = await step('airlock-verify', airlock(stations, ['verify', bundle, '--json']));
  const verdictAirlock = parseVerify(verified.stdout);
  if (verdictAirlock.ok !== true) throw new Error(`airlock verify did not accept its own bundle: ${verified.stdout.slice(0, 2000)}`);

  const extractDir = join(work, 'extract');
  await step('pipeline-verify', pipelineVerify(bundle, extractDir, name, stations.gnupgHome));
  await rm(extractDir, { recursive: true, force: true });

  await runImportSteps(bundle, name, work, stations, step);
  await rm(outDir, { recursive: true, force: true });

  steps.sort((a, b) => STEP_ORDER.indexOf(a.id) - STEP_ORDER.indexOf(b.id));
  return { steps, pipelineBundleAccepted, pipelineBundleProblems };
}
