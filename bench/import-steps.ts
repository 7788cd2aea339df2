/**
 * The import steps of one data set: `airlock import` of the bundle Airlock exported against the
 * same job by hand (extract into the destination, gpg --verify, sha256sum -c, sync). Each side
 * imports into a fresh destination; each imported tree is removed right after it is measured,
 * so at most one copy of the payload is on disk besides the data set and the bundle.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Measurement } from './measure.js';
import { pipelineImport } from './pipelines.js';
import type { Command } from './proc.js';
import { airlock, type Stations } from './stations.js';

export type ImportStepId = 'airlock-import' | 'pipeline-import';

/** Measures one step and records it (suite.ts owns the step list and the settling between steps). */
export type MeasureStep = (id: ImportStepId, command: Command) => Promise<Measurement>;

interface ImportJson {
  ok?: boolean;
  destination?: string | null;
  problems?: { code?: string; message?: string }[];
}

function parseImport(stdout: string): ImportJson {
  try {
    return JSON.parse(stdout) as ImportJson;
  } catch {
    return { ok: false, problems: [{ message: `unreadable import output: ${stdout.slice(0, 200)}` }] };
  }
}

/**
 * `bundle` is an Airlock bundle named `name` that this station has not imported yet (each data
 * set's bundle is imported once, so no --allow-replay). No passphrase: the receipt and the
 * checkpoint stay unsigned, which costs Airlock a warning, not a key unlock per run.
 */
export async function runImportSteps(bundle: string, name: string, work: string, stations: Stations, step: MeasureStep): Promise<void> {
  const airlockDest = join(work, 'import-airlock');
  await mkdir(airlockDest, { recursive: true });
  const imported = await step('airlock-import', airlock(stations, ['import', bundle, '--dest', airlockDest, '--json']));
  const verdict = parseImport(imported.stdout);
  if (verdict.ok !== true || !verdict.destination) throw new Error(`airlock import did not import its own bundle: ${imported.stdout.slice(0, 2000)}`);
  await rm(airlockDest, { recursive: true, force: true });

  const pipelineDest = join(work, 'import-pipeline');
  await step('pipeline-import', pipelineImport(bundle, pipelineDest, name, stations.gnupgHome));
  await rm(pipelineDest, { recursive: true, force: true });
}
