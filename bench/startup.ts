/**
 * The startup section (`--only startup`): how long a command that does almost nothing takes,
 * `airlock keys list` on the bench's station, i.e. what loading the CLI costs every command.
 * Timed RUNS times under /usr/bin/time (wall clock at its 0.01 s resolution, peak RSS); the
 * median is the figure, as one slow start on a shared machine says little.
 */
import { join } from 'node:path';
import { measure } from './measure.js';
import { shellLine } from './pipelines.js';
import { airlock, type Stations } from './stations.js';

export const STARTUP_RUNS = 7;

export interface StartupRun {
  command: string;
  seconds: number[];
  medianSeconds: number;
  maxRssKiB: number;
}

export async function runStartupBench(options: { root: string; stations: Stations; log: (message: string) => void }): Promise<StartupRun> {
  const { root, stations, log } = options;
  const command = airlock(stations, ['keys', 'list', '--json']);
  const timeFile = join(root, 'startup-time.txt');
  log(`  airlock keys list, ${String(STARTUP_RUNS)} runs (after one untimed) ...`);
  await measure(command, timeFile); // the first run pays for a cold page cache of the bundle and node_modules
  const seconds: number[] = [];
  let maxRssKiB = 0;
  for (let i = 0; i < STARTUP_RUNS; i += 1) {
    const m = await measure(command, timeFile);
    seconds.push(m.seconds);
    maxRssKiB = Math.max(maxRssKiB, m.maxRssKiB);
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  return { command: shellLine(command), seconds, medianSeconds: sorted[Math.floor(sorted.length / 2)] ?? 0, maxRssKiB };
}
