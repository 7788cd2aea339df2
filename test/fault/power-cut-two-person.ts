/**
 * Power cuts (power-cut.ts's model: the disk as written to its device at an instant, the journal
 * replayed) of the two-person commands, the home and both output folders on the cut disk. Trial
 * `n` cuts case `n % 4`: `export --prepare` and `export --finish` at a seeded point of their own
 * progress, `approve` and `--discard-staged` (no progress printed) at a seeded time. Then, as
 * two-person.ts's kills (its checkAll, after `audit verify` settled the replayed disk): a staged
 * export is intact and finishable or gone with an audit trail; never a bundle carrying a signature
 * the log does not show, never two bundles, never a bundle beside a discard; the chain verifies.
 * Then the next step an operator would take must work: prepare again (after discarding what the
 * list shows), approve again, finish again, discard again.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { airlock, cloneHome, readLedger, type Fixture, type Run } from './harness.js';
import { onCutDisk, runAndCut, sh } from './power-cut.js';
import type { TrialResult } from './scenarios.js';
import {
  approveArgs,
  checkAll,
  discardArgs,
  FINISH_PHASES,
  finishArgs,
  must,
  NAME,
  PREPARE_PHASES,
  prepareArgs,
  reviewerKeys,
  short,
  stagedState,
  type Place,
} from './two-person.js';

export const CUT_TWO_PERSON_CASES = ['prepare', 'approve', 'finish', 'discard'] as const;

export async function powerCutTwoPersonTrial(fixture: Fixture, trial: number, at: number, attempt = 0): Promise<TrialResult> {
  const which = CUT_TWO_PERSON_CASES[trial % CUT_TWO_PERSON_CASES.length] as (typeof CUT_TWO_PERSON_CASES)[number];
  const scenario = 'power-cut-two-person';
  const { keys } = await reviewerKeys(fixture);
  return onCutDisk(fixture, `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`, async (disk, snapshot) => {
    const home = await cloneHome(fixture, join(disk.mountPoint, 'home'));
    const outs: [string, string] = [join(disk.mountPoint, 'out1'), join(disk.mountPoint, 'out2')];
    for (const out of outs) await mkdir(out);
    const p: Place = { home, baseSeq: Math.max(0, ...readLedger(home).events.map((e) => e.seq)), staged: join(home, 'staged', NAME), outs };
    const bad: string[] = [];
    const notes: string[] = [];
    if (which !== 'prepare') must(await airlock(home, prepareArgs(fixture)), 'prepare');
    if (which === 'finish' || which === 'discard') must(await airlock(home, approveArgs(fixture, p, keys[0])), 'approve');
    // What was set up is on the device before the cut's run starts, as on a real station.
    sh('sync', ['--file-system', disk.mountPoint]);
    const cutMs = 150 + at * 1500;
    const args = { prepare: prepareArgs(fixture), approve: approveArgs(fixture, p, keys[0]), finish: finishArgs(fixture, p, outs[0]), discard: discardArgs() }[
      which
    ];
    const cutAt = which === 'prepare' ? { phases: PREPARE_PHASES, at } : which === 'finish' ? { phases: FINISH_PHASES, at } : cutMs;
    const first: Run = await runAndCut(disk, snapshot, home, args, cutAt);
    const after = await checkAll(p, bad, notes, null);
    const state = await stagedState(p);
    let next: Run | null = null;
    if (which === 'prepare') {
      if (state.state !== 'absent') must(await airlock(home, discardArgs()), 'discard after a cut prepare');
      // The staged export prepared again is another one (same name, new UUID): its checks count from here.
      p.baseSeq = Math.max(0, ...readLedger(home).events.map((e) => e.seq));
      next = await airlock(home, prepareArgs(fixture));
    } else if (which === 'approve') {
      if (state.state === 'ready' && state.signatures < 2) next = await airlock(home, approveArgs(fixture, p, keys[0]));
    } else if (which === 'discard') {
      if (state.state !== 'absent') next = await airlock(home, discardArgs());
    }
    if (next !== null && next.code !== 0) bad.push(`${which} again after the cut: ${short(next)} ${next.stdout.slice(0, 300)}`);
    // The staged export, where it is still there, finishes (once: a second bundle is checkAll's to catch).
    let finish: Run | null = null;
    if ((await stagedState(p)).state === 'ready') {
      finish = await airlock(home, finishArgs(fixture, p, outs[1]));
      if (finish.code !== 0) bad.push(`finish after the cut: ${short(finish)} ${finish.stdout.slice(0, 300)}`);
    }
    const end = await checkAll(p, bad, notes, null);
    const where = first.killed ? (first.killedAt ?? `${Math.round(cutMs)}ms`) : 'end';
    return {
      scenario,
      trial,
      outcome: `${which} cut@${where}: ${after}; ${next ? `${which} again ${short(next)}; ` : ''}${finish ? `finish ${short(finish)}: ` : ''}${end}`,
      bad,
      notes,
      covered: first.killed,
    };
  });
}
