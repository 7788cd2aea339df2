import { airlock, type Fixture } from './harness.js';
import { exportTrial, importTrial, mixedTrial, raceExportTrial, raceTrial, type TrialResult } from './scenarios.js';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { random } from './harness.js';
import { cloneHome } from './harness.js';
import { powerCutTrial } from './power-cut.js';
import { fullDiskTrial, type FullDiskWhere } from './full-disk.js';
import { watchKillTrial } from './watch-kill.js';
import { mediaKillTrial } from './media-kill.js';
import { raceHomeTrial } from './race-home.js';
import { powerCutStateTrial, releaseKillTrial } from './power-cut-state.js';
import { crashStateTrial } from './crash-state.js';
import { powerCutWatchTrial } from './power-cut-watch.js';
import { powerCutMediaTrial } from './power-cut-media.js';
import { feedKillTrial, feedPowerCutTrial } from './feed-fault.js';
import { pushKillTrial } from './push-kill.js';
import { twoPersonTrial } from './two-person.js';
import { fullDiskRound2Trial } from './full-disk-round2.js';
import { powerCutTwoPersonTrial } from './power-cut-two-person.js';
import { EXPORT_PHASES, IMPORT_PHASES } from './progress-kill.js';

export const SCENARIOS = [
  'kill-import',
  'kill-export',
  'crash-points',
  'race-two-folders',
  'race-same-folder',
  'import-with-export',
  'race-export-same-name',
  'power-cut-import',
  'power-cut-export',
  'full-disk-import-dest',
  'full-disk-import-home',
  'full-disk-export-out',
  'kill-watch',
  'kill-media-export',
  'race-home',
  'power-cut-state',
  'kill-quarantine-release',
  'crash-state',
  'power-cut-watch',
  'power-cut-media-export',
  'kill-feed-import',
  'power-cut-feed',
  'kill-push',
  'two-person',
  'full-disk-round2',
  'power-cut-two-person',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

// The last two: the instants a staging folder has no owner file (made, not yet owned; emptied, not yet removed).
const CRASH_POINTS = [
  'import-before-rename',
  'import-after-rename',
  'export-before-publish',
  'export-after-publish',
  'staging-after-mkdtemp',
  'staging-before-rmdir',
];

export interface Summary {
  trials: number;
  bad: number;
  results: TrialResult[];
  byScenario: Record<string, ScenarioSummary>;
}

/** One scenario's trials: kills (and how many landed inside the work) or full disks (and how many the run met), as apply. */
export interface ScenarioSummary {
  trials: number;
  bad: number;
  outcomes: Record<string, number>;
  kills: number;
  covered: number;
  redrawn: number;
  fullDisks: number;
  metFullDisk: number;
}

/**
 * A kill trial whose work finished before its kill tested nothing: draw another instant, at most
 * this many in all (a broken invariant is kept whatever the draw).
 */
const MAX_DRAWS = 4;

async function drawn(run: (attempt: number) => Promise<TrialResult>): Promise<TrialResult> {
  let draws = 0;
  let result: TrialResult;
  do {
    result = await run(draws);
    draws += 1;
  } while (result.covered === false && result.bad.length === 0 && draws < MAX_DRAWS);
  return { ...result, draws };
}

/** How long one whole operation takes here, so power cuts (a snapshot at an instant, no progress to follow) spread over all its phases. */
async function timeOnce(fixture: Fixture, kind: 'import' | 'export'): Promise<number> {
  // A fresh place each time: one fixture serves several runs.
  const place = await mkdtemp(join(fixture.root, `timing-${kind}-`));
  const home = await cloneHome(fixture, join(place, 'home'));
  const dir = join(place, 'dir');
  await mkdir(dir);
  const args =
    kind === 'import'
      ? ['import', fixture.bundle, '--dest', dir]
      : ['export', '--out', dir, '--name', 't', '--passphrase-file', fixture.passFile, fixture.source];
  const run = await airlock(home, args);
  if (run.code !== 0) throw new Error(`timing ${kind} failed: ${run.stderr}`);
  return run.ms;
}

/** Outcome text without the instant, for counting. */
function outcomeClass(result: TrialResult): string {
  return result.outcome.replace(/@[^:]*:/u, ':');
}

export async function runScenarios(
  fixture: Fixture,
  options: { scenarios: readonly ScenarioName[]; trials: number; seed: number; log?: (line: string) => void },
): Promise<Summary> {
  const rand = random(options.seed);
  let raceRand: (() => number) | undefined;
  const results: TrialResult[] = [];
  const record = (r: TrialResult): void => {
    results.push(r);
    options.log?.(
      `${r.scenario} #${r.trial}: ${r.outcome}${(r.draws ?? 1) > 1 ? ` [draw ${r.draws}]` : ''}${r.bad.length > 0 ? `  BAD: ${r.bad.join('; ')}` : ''}${r.notes.length > 0 ? `  (${r.notes.join('; ')})` : ''}`,
    );
  };
  const needs = (names: ScenarioName[]): boolean => options.scenarios.some((s) => names.includes(s));
  const importMs = needs(['power-cut-import']) ? await timeOnce(fixture, 'import') : 0;
  const exportMs = needs(['power-cut-export']) ? await timeOnce(fixture, 'export') : 0;
  for (let trial = 0; trial < options.trials; trial += 1) {
    for (const scenario of options.scenarios) {
      // Kills at a seeded point of the child's own progress (progress-kill.ts); each draw one rand().
      if (scenario === 'kill-import')
        record(await drawn((attempt) => importTrial(fixture, trial, { killAt: { phases: IMPORT_PHASES, at: rand() }, attempt }, scenario)));
      else if (scenario === 'kill-export')
        record(await drawn((attempt) => exportTrial(fixture, trial, { killAt: { phases: EXPORT_PHASES, at: rand() }, attempt }, scenario)));
      else if (scenario === 'crash-points') {
        const point = CRASH_POINTS[trial % CRASH_POINTS.length] as string;
        record(
          point.startsWith('import') || point.startsWith('staging')
            ? await importTrial(fixture, trial, { crashAt: point }, scenario)
            : await exportTrial(fixture, trial, { crashAt: point }, scenario),
        );
      } else if (scenario === 'race-two-folders') record(await raceTrial(fixture, trial, false));
      else if (scenario === 'race-same-folder') record(await raceTrial(fixture, trial, true));
      else if (scenario === 'race-export-same-name') record(await raceExportTrial(fixture, trial));
      else if (scenario === 'power-cut-import') record(await powerCutTrial(fixture, trial, 'import', (0.2 + 0.85 * rand()) * importMs));
      else if (scenario === 'power-cut-export') record(await powerCutTrial(fixture, trial, 'export', (0.2 + 0.85 * rand()) * exportMs));
      else if (scenario === 'import-with-export') record(await mixedTrial(fixture, trial));
      else if (scenario === 'kill-watch') record(await drawn(() => watchKillTrial(fixture, trial, rand())));
      else if (scenario === 'kill-media-export') record(await drawn(() => mediaKillTrial(fixture, trial, rand())));
      else if (scenario === 'power-cut-watch') record(await drawn((attempt) => powerCutWatchTrial(fixture, trial, rand(), attempt)));
      else if (scenario === 'power-cut-media-export') record(await drawn((attempt) => powerCutMediaTrial(fixture, trial, rand(), attempt)));
      else if (scenario === 'kill-feed-import') record(await drawn((attempt) => feedKillTrial(fixture, trial, rand(), attempt)));
      else if (scenario === 'power-cut-feed') record(await drawn((attempt) => feedPowerCutTrial(fixture, trial, rand(), attempt)));
      else if (scenario === 'kill-push') record(await drawn((attempt) => pushKillTrial(fixture, trial, rand(), attempt)));
      else if (scenario === 'two-person') record(await drawn((attempt) => twoPersonTrial(fixture, trial, rand(), attempt)));
      // Its own stream of draws (a kill plan per command), so the other scenarios' draws stay those of their seed.
      else if (scenario === 'power-cut-state') {
        // The command once per trial, the instant per draw (a cut after the command finished is drawn again).
        const command = rand();
        record(await drawn((attempt) => powerCutStateTrial(fixture, trial, command, rand(), attempt)));
      } else if (scenario === 'crash-state') record(await crashStateTrial(fixture, trial));
      else if (scenario === 'kill-quarantine-release') record(await drawn((attempt) => releaseKillTrial(fixture, trial, rand(), attempt)));
      else if (scenario === 'race-home') record(await raceHomeTrial(fixture, trial, (raceRand ??= random(options.seed * 7919 + 1))));
      else if (scenario === 'power-cut-two-person') record(await drawn((attempt) => powerCutTwoPersonTrial(fixture, trial, rand(), attempt)));
      else if (scenario === 'full-disk-round2') record(await fullDiskRound2Trial(fixture, trial, rand()));
      else if (scenario.startsWith('full-disk-')) record(await fullDiskTrial(fixture, trial, scenario.slice('full-disk-'.length) as FullDiskWhere, rand()));
    }
  }
  const byScenario: Summary['byScenario'] = {};
  for (const r of results) {
    const s = (byScenario[r.scenario] ??= { trials: 0, bad: 0, outcomes: {}, kills: 0, covered: 0, redrawn: 0, fullDisks: 0, metFullDisk: 0 });
    s.trials += 1;
    if (r.covered !== undefined) s.kills += 1;
    if (r.covered === true) s.covered += 1;
    if (r.metFullDisk !== undefined) s.fullDisks += 1;
    if (r.metFullDisk === true) s.metFullDisk += 1;
    s.redrawn += Math.max(0, (r.draws ?? 1) - 1);
    if (r.bad.length > 0) s.bad += 1;
    const key = outcomeClass(r);
    s.outcomes[key] = (s.outcomes[key] ?? 0) + 1;
  }
  return { trials: results.length, bad: results.filter((r) => r.bad.length > 0).length, results, byScenario };
}

/** What applies to a scenario's trials: ", covered 2/3 (1 re-drawn)" for kills, ", met the full disk 2/3" for full disks, else nothing. */
export function coverageText(s: ScenarioSummary): string {
  const kills = s.kills > 0 ? `, covered ${s.covered}/${s.kills} (${s.redrawn} re-drawn)` : '';
  const disks = s.fullDisks > 0 ? `, met the full disk ${s.metFullDisk}/${s.fullDisks}` : '';
  return `${kills}${disks}`;
}
