/**
 * kill -9 of `airlock watch` (the unattended inbox) at a seeded random instant while it works
 * through several bundles and a tampered one, then a restart that drains the inbox. After the
 * kill: nothing half-imported at a final name. After the restart: every bundle dropped lies
 * exactly once in accepted/ or quarantine/ (never lost, nothing left claimed), every good one is
 * imported exactly once (one ledger row, one ok event, no REPLAY of itself), the tampered one is
 * quarantined and not imported, no staging folder is left, and the audit chain verifies.
 * test/integration/watch/watch-kill.test.ts kills at observed points; this one at random instants.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readStatusFiles, settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../helpers/watch-process.js';
import { airlock, auditVerify, cloneHome, importState, readLedger, type Fixture } from './harness.js';
import type { TrialResult } from './scenarios.js';

const GOOD = 3;

export interface WatchBundles {
  /** Bundle name -> its file: fresh exports of the fixture's source (imported as NAME/payload/...). */
  good: Map<string, string>;
  /** A copy of one with a payload byte flipped: CHECKSUM_MISMATCH, quarantined. */
  tampered: string;
  /** How long one watcher takes to drain the inbox here, so kills spread over all of it. */
  drainMs: number;
}

const prepared = new WeakMap<Fixture, WatchBundles>();

export async function bundles(fixture: Fixture): Promise<WatchBundles> {
  const known = prepared.get(fixture);
  if (known) return known;
  const out = join(fixture.root, 'watch-bundles');
  await mkdir(out, { recursive: true });
  const good = new Map<string, string>();
  for (let i = 0; i < GOOD; i += 1) {
    const name = `w${i}`;
    const run = await airlock(fixture.templateHome, ['export', '--out', out, '--name', name, '--passphrase-file', fixture.passFile, fixture.source]);
    if (run.code !== 0) throw new Error(`export ${name} failed: ${run.stderr}`);
    good.set(name, join(out, `${name}.airlock.tar`));
  }
  const run = await airlock(fixture.templateHome, ['export', '--out', out, '--name', 'tampered', '--passphrase-file', fixture.passFile, fixture.source]);
  if (run.code !== 0) throw new Error(`export tampered failed: ${run.stderr}`);
  const tampered = join(out, 'tampered.airlock.tar');
  const bytes = await readFile(tampered);
  // Inside the last payload file (the archive ends with 1 KiB of zeros and its padding).
  const at = bytes.length - 4096;
  bytes[at] = (bytes[at] as number) ^ 0xff;
  await writeFile(tampered, bytes);
  const result: WatchBundles = { good, tampered, drainMs: 0 };
  const place = await mkdtemp(join(fixture.root, 'timing-watch-'));
  const started = performance.now();
  const timing = await drain(fixture, result, place, null);
  if (timing.bad.length > 0) throw new Error(`the timing run of the watcher broke: ${timing.bad.join('; ')}`);
  result.drainMs = performance.now() - started;
  prepared.set(fixture, result);
  return result;
}

/** Bundles not yet settled: in the inbox, or inside a claim folder. */
async function remaining(inbox: string): Promise<number> {
  const work = join(inbox, '.airlock-watch');
  let claimed = 0;
  for (const claim of await readdir(work).catch(() => [] as string[])) {
    const inside = await readdir(join(work, claim)).catch(() => [] as string[]);
    if (inside.some((n) => n.endsWith('.airlock.tar'))) claimed += 1;
  }
  return (await readdir(inbox)).filter((n) => n.endsWith('.airlock.tar')).length + claimed;
}

export async function settled(inbox: string): Promise<number> {
  return (await settledNames(inbox, 'accepted')).length + (await settledNames(inbox, 'quarantine')).length;
}

/** One watcher run until the inbox is drained (or killed after `killAfterMs`), then checks. */
async function drain(
  fixture: Fixture,
  set: WatchBundles,
  place: string,
  kill: { afterSettled: number; ms: number } | null,
): Promise<{ bad: string[]; outcome: string; covered: boolean }> {
  const bad: string[] = [];
  let covered = false;
  const { home, inbox, dest } = await fillPlace(fixture, set, place);
  const names = [...set.good.keys()];
  let outcome = 'not killed';
  let running: WatchChild | null = null;
  try {
    if (kill !== null) {
      running = startWatch(home, inbox, dest, ['--settle', '0']);
      const child = running;
      // The instant counted from the settling of the `afterSettled`th bundle (observed from outside), so a loaded machine moves when the kill lands, not which bundle it hits.
      let over = false;
      void child.ended.then(() => (over = true));
      await waitUntil(`${kill.afterSettled} bundle(s) settled`, async () => over || (await settled(inbox)) >= kill.afterSettled, 300_000);
      const timer = setTimeout(() => child.child.kill('SIGKILL'), kill.ms);
      const end = await child.ended;
      clearTimeout(timer);
      running = null;
      const settledBefore = await settled(inbox);
      outcome = end.signal === 'SIGKILL' ? `killed: ${settledBefore} of ${names.length + 1} settled` : `exit ${end.code ?? end.signal}`;
      // A watcher never ends by itself: a kill after the last bundle settled hit an idle watcher, not its work.
      covered = end.signal === 'SIGKILL' && settledBefore < names.length + 1;
      if (end.signal !== 'SIGKILL') bad.push(`the watcher ended by itself before its kill: ${outcome}`);
      // Right after the kill, before any restart: a final name holds a whole import or nothing (an empty placeholder at most).
      for (const name of [...names, 'tampered']) {
        const state = await importState(fixture, join(dest, name));
        if (state !== 'absent' && state !== 'complete' && state !== 'placeholder') bad.push(`after the kill ${name}: ${state}`);
      }
    }
  } finally {
    if (running) await stopWatch(running, 'SIGKILL');
  }
  await drainAndCheck(fixture, set, home, inbox, dest, bad);
  return { bad, outcome, covered };
}

/** A home, an inbox holding the good bundles and the tampered one (each with its `.done` marker) and an empty destination under `place`. */
export async function fillPlace(fixture: Fixture, set: WatchBundles, place: string): Promise<{ home: string; inbox: string; dest: string }> {
  const home = await cloneHome(fixture, join(place, 'home'));
  const inbox = join(place, 'inbox');
  const dest = join(place, 'dest');
  await mkdir(inbox);
  await mkdir(dest);
  for (const [name, file] of [...set.good, ['tampered', set.tampered] as const]) {
    await copyFile(file, join(inbox, `${name}.airlock.tar`));
    await writeFile(join(inbox, `${name}.airlock.tar.done`), '');
  }
  return { home, inbox, dest };
}

/**
 * A watcher (re)started on the place until the inbox is drained, stopped, then the invariants:
 * each bundle once in accepted/ or quarantine/, each good one imported once, the tampered one
 * quarantined, no staging, the chain verifies, nothing pending, no REPLAY of itself.
 */
export async function drainAndCheck(fixture: Fixture, set: WatchBundles, home: string, inbox: string, dest: string, bad: string[]): Promise<void> {
  const names = [...set.good.keys()];
  let running: WatchChild | null = startWatch(home, inbox, dest, ['--settle', '0']);
  try {
    const pid = running.child.pid;
    // Running (its status file says so) before it is stopped: a SIGTERM before its handler is installed kills it by default.
    await waitUntil('the watcher running', async () => (await readStatusFiles(home)).some((s) => s.pid === pid && s.state === 'running'), 300_000);
    await waitUntil('the inbox drained', async () => (await remaining(inbox)) === 0, 300_000);
    const stopped = await stopWatch(running);
    running = null;
    if (stopped.code !== 0) bad.push(`the watcher stopped with ${stopped.code ?? stopped.signal}`);
  } finally {
    if (running) await stopWatch(running, 'SIGKILL');
  }
  const accepted = await settledNames(inbox, 'accepted');
  const quarantined = await settledNames(inbox, 'quarantine');
  if (accepted.join() !== [...names].sort().join()) bad.push(`accepted/ holds ${accepted.join(', ') || 'nothing'}, expected ${names.join(', ')}`);
  if (quarantined.join() !== 'tampered') bad.push(`quarantine/ holds ${quarantined.join(', ') || 'nothing'}, expected tampered`);
  for (const name of names) {
    const state = await importState(fixture, join(dest, name));
    if (state !== 'complete') bad.push(`${name} in DEST: ${state}`);
  }
  if ((await importState(fixture, join(dest, 'tampered'))) !== 'absent') bad.push('the tampered bundle has a folder in DEST');
  const staging = (await readdir(dest)).filter((n) => n.startsWith('.airlock-staging-'));
  if (staging.length > 0) bad.push(`staging left in DEST: ${staging.join(', ')}`);
  const verify = await auditVerify(home);
  if (verify) bad.push(verify);
  const ledger = readLedger(home);
  if (ledger.imports.some((r) => r.status === 'pending')) bad.push('an import claim still pending');
  for (const name of names) {
    const target = join(dest, name);
    const rows = ledger.imports.filter((r) => r.status === 'imported' && r.destination === target).length;
    const ok = ledger.events.filter((e) => e.type === 'import' && e.outcome === 'ok' && e.details.destination === target).length;
    if (rows !== 1 || ok !== 1) bad.push(`${name}: ${rows} imported row(s), ${ok} ok event(s)`);
  }
  if (ledger.imports.filter((r) => r.status === 'imported').length !== names.length) bad.push('imports recorded beyond the good bundles');
  const replays = ledger.events.filter((e) => e.type === 'import' && JSON.stringify(e.details).includes('REPLAY')).length;
  if (replays > 0) bad.push(`${replays} import event(s) mention REPLAY: a bundle refused as a replay of itself`);
}

export async function watchKillTrial(fixture: Fixture, trial: number, fraction: number): Promise<TrialResult> {
  const set = await bundles(fixture);
  // `fraction` picks a bundle (after how many settled) and an instant within one bundle's share of the drain time.
  const count = set.good.size + 1;
  const afterSettled = Math.min(count - 1, Math.floor(fraction * count));
  const ms = (fraction * count - afterSettled) * (set.drainMs / count);
  const place = await mkdtemp(join(fixture.root, `kill-watch-${trial}-`));
  const { bad, outcome, covered } = await drain(fixture, set, place, { afterSettled, ms });
  return { scenario: 'kill-watch', trial, outcome: outcome.replace(/^killed/u, `killed@${afterSettled}+${Math.round(ms)}ms`), bad, notes: [], covered };
}
