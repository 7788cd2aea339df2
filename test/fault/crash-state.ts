/**
 * The writes of a state command in order up to a point: kill -9 right after the Nth rename of
 * `keys trust`, `keys untrust`, `keys rotate` or `audit checkpoint` (crash-child.ts `rename-N`), and
 * right before a key change removes its journal (`before-journal-unlink`).
 * Each rename is a durable write's last step (its content fsynced before), so what is left is what
 * a power cut after that write leaves, at every step, not where a timed cut happens to land (a
 * keys command's writes take a few milliseconds of its ~0.5 s). The same checks as power-cut-state.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { airlock, type Fixture } from './harness.js';
import { checkAfter, commandArgs, prepare, setUp, stateBefore, type StateCommand } from './power-cut-state.js';
import type { TrialResult } from './scenarios.js';

/**
 * Every step. Rename 1 is the change's journal (keys/key-change.json); then trust and untrust
 * write the store once; rotate writes seven files (retired key and revocation, store, key,
 * revocation, public key, store); a checkpoint writes audit-head.json. `unlink`: the change
 * recorded, its journal not yet removed.
 */
export const CRASH_STATE_POINTS: ReadonlyArray<{ command: StateCommand; at: string }> = [
  ...[1, 2].map((n) => ({ command: 'trust' as const, at: `rename-${n}` })),
  { command: 'trust', at: 'before-journal-unlink' },
  ...[1, 2].map((n) => ({ command: 'untrust' as const, at: `rename-${n}` })),
  { command: 'checkpoint', at: 'rename-1' },
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ command: 'rotate' as const, at: `rename-${n}` })),
  { command: 'rotate', at: 'before-journal-unlink' },
];

export async function crashStateTrial(fixture: Fixture, trial: number): Promise<TrialResult> {
  const prep = await prepare(fixture);
  const { command, at } = CRASH_STATE_POINTS[trial % CRASH_STATE_POINTS.length] as (typeof CRASH_STATE_POINTS)[number];
  const scenario = 'crash-state';
  const root = join(fixture.root, `${scenario}-${trial}`);
  await mkdir(root);
  const station = await setUp(fixture, prep, root);
  const before = await stateBefore(station.home);
  const bad: string[] = [];
  const notes: string[] = [];
  const first = await airlock(station.home, commandArgs(fixture, prep, station, command), { crashAt: at });
  if (!first.killed) bad.push(`${command} ended before ${at} (exit ${first.code}): ${first.stdout.slice(0, 200)}${first.stderr.slice(0, 200)}`);
  const outcome = await checkAfter(fixture, prep, station, command, before, bad, notes);
  return { scenario, trial, outcome: `${command} killed@${at}: ${outcome}`, bad, notes };
}
