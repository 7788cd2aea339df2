/**
 * Full disks where round 2 writes (issue #12, faults11): the station home (and, for a feed, the
 * scanner's database folder beside it) lives on a small tmpfs, filled so that a seeded amount of
 * space is left, 0 to 384 KiB, half the draws under 96 KiB (where SQLite's WAL, the staged
 * export's files, a key and a checkpoint stop fitting: with 68 KiB to 1.6 MiB free a checkpoint,
 * a prepare, an approve, a rotate and a feed import each fitted in seeds 1-3). Trial `n` runs case `n % 5` of ROUND2_CASES:
 * - `checkpoint`: `audit checkpoint` (the checkpoint row and `audit-head.json`);
 * - `prepare`: `export --prepare` (the staged folder in the home's `staged/`);
 * - `approve`: `approve` of a staged export prepared while there was room;
 * - `rotate`: `keys rotate` (the new key's files, the retired key, the trust store, the setjournal);
 * - `feed`: `feed import` (its staging and the containers in the database folder).
 * The first run must succeed or fail with NO_SPACE and a next step, and leave no owner-marked temp
 * file (`*.partial`) behind. Then the filler is removed, the next command settles (audit verify),
 * and the case's own promise is checked before a retry that must work.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { airlock, auditVerify, json, readLedger, type Fixture, type Run } from './harness.js';
import { checkAfter, prepare as prepareFeed, setUp as setUpFeed } from './feed-fault.js';
import { reviewerKeys } from './two-person.js';
import type { TrialResult } from './scenarios.js';
import { du, fill, freeBytes } from './full-disk.js';

export const ROUND2_CASES = ['checkpoint', 'prepare', 'approve', 'rotate', 'feed'] as const;
export type Round2Case = (typeof ROUND2_CASES)[number];

const NAME = 'staged-full';
/** The most space a trial leaves free; the draw picks 0 to this. */
const MOST_FREE = 384 * 2 ** 10;

type ErrorJson = { ok?: boolean; error?: { code?: string; message?: string; next?: string } };

/** ok, or NO_SPACE with a next step; anything else is a broken promise. */
function verdictOf(run: Run, bad: string[]): string {
  const report = json<ErrorJson>(run);
  if (run.code === 0 && report?.ok !== false) return 'ok';
  const code = report?.error?.code;
  if (code !== 'NO_SPACE') {
    bad.push(`a full disk failed with ${code ?? `exit ${run.code ?? run.signal}`}, not NO_SPACE: ${run.stdout.slice(0, 400)}${run.stderr.slice(0, 400)}`);
    return code ?? `exit ${run.code ?? run.signal}`;
  }
  if (!/[.!]$/u.test((report?.error?.next ?? '').trim())) bad.push(`NO_SPACE without a next step: ${run.stdout.slice(0, 300)}`);
  return 'NO_SPACE';
}

/** Owner-marked temp files (`.NAME.al-….partial`) anywhere under `dir`: a finished run leaves none. */
async function temps(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.name.endsWith('.partial')) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

interface Case {
  /** Puts the home (and what the case needs) under `mnt` while there is room. */
  setUp(mnt: string): Promise<{ home: string; extra?: string }>;
  /** The command that meets the full disk (`extra`: what setUp returned beside the home). */
  args(home: string, extra?: string): Promise<string[]> | string[];
  /** After space is back and the next command settled: the case's promise, then a retry that must work. Returns the outcome text. */
  after(home: string, verdict: string, bad: string[], notes: string[], extra?: string): Promise<string>;
}

function must(run: Run, what: string, bad: string[]): boolean {
  if (run.code === 0) return true;
  bad.push(`${what} failed (exit ${run.code}): ${run.stdout.slice(0, 300)}${run.stderr.slice(0, 300)}`);
  return false;
}

const okEvents = (home: string, type: string): number => readLedger(home).events.filter((e) => e.type === type && e.outcome === 'ok').length;

function cases(fixture: Fixture): Record<Round2Case, Case> {
  const pass = fixture.passFile;
  const prepareArgs = ['export', '--prepare', '--name', NAME, '--passphrase-file', pass, '--json', fixture.source];
  const staged = (home: string): string => join(home, 'staged', NAME);
  const listed = async (home: string): Promise<{ state: string; signatures: number } | null> => {
    const run = await airlock(home, ['export', '--list-staged', '--json']);
    const entry = json<{ staged: Array<{ name: string; state: string; signatures: number | null }> }>(run)?.staged.find((s) => s.name === NAME);
    return entry ? { state: entry.state, signatures: entry.signatures ?? 0 } : null;
  };
  /** A finish into a folder off the full disk: the staged export is finishable. */
  const finish = async (home: string, bad: string[]): Promise<string> => {
    const out = join(home, '..', '..', `${NAME}-out-${process.hrtime.bigint()}`);
    await mkdir(out);
    const run = await airlock(home, ['export', '--finish', staged(home), '--out', out, '--passphrase-file', pass, '--json']);
    const done = must(run, 'export --finish after space was freed', bad);
    await rm(out, { recursive: true, force: true });
    return done ? 'finish ok' : `finish exit ${run.code}`;
  };
  // The ok events of the command's type in the home before the trial (the fixture's home holds its own).
  let before = 0;
  return {
    checkpoint: {
      setUp: async (mnt) => {
        const home = join(mnt, 'home');
        await cp(fixture.templateHome, home, { recursive: true });
        return { home };
      },
      args: () => ['audit', 'checkpoint', '--passphrase-file', pass, '--json'],
      after: async (home, verdict, bad) => {
        const retry = await airlock(home, ['audit', 'checkpoint', '--passphrase-file', pass, '--json']);
        must(retry, 'audit checkpoint after space was freed', bad);
        const again = await auditVerify(home);
        if (again) bad.push(`after the retry: ${again}`);
        return `${verdict}, retry ${retry.code === 0 ? 'ok' : `exit ${retry.code}`}`;
      },
    },
    prepare: {
      setUp: async (mnt) => {
        const home = join(mnt, 'home');
        await cp(fixture.templateHome, home, { recursive: true });
        before = okEvents(home, 'export-prepare');
        return { home };
      },
      args: () => prepareArgs,
      after: async (home, verdict, bad) => {
        const entry = await listed(home);
        const recorded = okEvents(home, 'export-prepare') - before;
        if (verdict === 'ok' && entry?.state !== 'ready') bad.push(`prepare said ok but the staged export is ${entry?.state ?? 'absent'}`);
        if (verdict !== 'ok' && entry !== null) bad.push(`prepare failed (${verdict}) but left the staged export at its name, listed ${entry.state}`);
        if ((entry?.state === 'ready') !== (recorded === 1)) bad.push(`staged export ${entry?.state ?? 'absent'} with ${recorded} export-prepare ok events`);
        let retry = 'no retry';
        if (entry === null) {
          const run = await airlock(home, prepareArgs);
          retry = must(run, 'export --prepare after space was freed', bad) ? 'prepare ok' : `prepare exit ${run.code}`;
        }
        return `${verdict}, ${entry?.state ?? 'absent'}, ${retry}, ${await finish(home, bad)}`;
      },
    },
    approve: {
      setUp: async (mnt) => {
        const home = join(mnt, 'home');
        await cp(fixture.templateHome, home, { recursive: true });
        const bad: string[] = [];
        if (!must(await airlock(home, prepareArgs), 'export --prepare (with room)', bad)) throw new Error(bad.join('; '));
        before = okEvents(home, 'export-approve');
        return { home, extra: (await reviewerKeys(fixture)).keys[0] };
      },
      args: (home, key) => ['approve', staged(home), '--key', key ?? '', '--passphrase-file', pass, '--yes', '--json'],
      after: async (home, verdict, bad, _notes, key) => {
        const recorded = okEvents(home, 'export-approve') - before;
        const entry = await listed(home);
        if (entry?.state !== 'ready') bad.push(`after a full disk at approve the staged export is ${entry?.state ?? 'absent'}, not ready`);
        if (verdict === 'ok' && recorded !== 1) bad.push(`approve said ok with ${recorded} export-approve ok events`);
        if (verdict !== 'ok' && recorded !== 0) bad.push(`approve failed (${verdict}) with ${recorded} export-approve ok events`);
        let retry = 'no retry';
        if (verdict !== 'ok') {
          const run = await airlock(home, ['approve', staged(home), '--key', key ?? '', '--passphrase-file', pass, '--yes', '--json']);
          retry = must(run, 'approve after space was freed', bad) ? 'approve ok' : `approve exit ${run.code}`;
        }
        return `${verdict}, ${retry}, ${await finish(home, bad)}`;
      },
    },
    rotate: {
      setUp: async (mnt) => {
        const home = join(mnt, 'home');
        await cp(fixture.templateHome, home, { recursive: true });
        before = okEvents(home, 'key-generate');
        return { home };
      },
      args: () => ['keys', 'rotate', '--name', 'Fault Station (rotated)', '--passphrase-file', pass, '--new-passphrase-file', pass, '--json'],
      after: async (home, verdict, bad) => {
        const rotated = okEvents(home, 'key-generate') - before;
        if (verdict === 'ok' && rotated !== 1) bad.push(`rotate said ok with ${rotated} key-generate ok events`);
        if (verdict !== 'ok' && rotated !== 0) bad.push(`rotate failed (${verdict}) with ${rotated} key-generate ok events`);
        // The station has one key it can sign with: a checkpoint is a signature by the current key.
        const sign = await airlock(home, ['audit', 'checkpoint', '--passphrase-file', pass, '--json']);
        must(sign, `audit checkpoint (signing) after the ${verdict} rotate`, bad);
        let retry = 'no retry';
        if (verdict !== 'ok') {
          const run = await airlock(home, [
            'keys',
            'rotate',
            '--name',
            'Fault Station (rotated)',
            '--passphrase-file',
            pass,
            '--new-passphrase-file',
            pass,
            '--json',
          ]);
          retry = must(run, 'keys rotate after space was freed', bad) ? 'rotate ok' : `rotate exit ${run.code}`;
          must(await airlock(home, ['audit', 'checkpoint', '--passphrase-file', pass, '--json']), 'audit checkpoint after the retried rotate', bad);
        }
        return `${verdict}, sign ${sign.code === 0 ? 'ok' : `exit ${sign.code}`}, ${retry}`;
      },
    },
    feed: {
      setUp: async (mnt) => {
        const { home, databaseDir } = await setUpFeed(await prepareFeed(fixture), mnt);
        return { home, extra: databaseDir };
      },
      args: async () => ['feed', 'import', (await prepareFeed(fixture)).bundle, '--json'],
      after: async (home, verdict, bad, _notes, databaseDir) => `${verdict}, ${await checkAfter(await prepareFeed(fixture), home, databaseDir ?? '', bad)}`,
    },
  };
}

export async function fullDiskRound2Trial(fixture: Fixture, trial: number, level: number): Promise<TrialResult> {
  const which = ROUND2_CASES[trial % ROUND2_CASES.length] as Round2Case;
  const scenario = 'full-disk-round2';
  const mnt = join(fixture.root, `${scenario}-${trial}-mnt`);
  await mkdir(mnt, { recursive: true });
  const sizeMiB = Math.ceil((await du(fixture.templateHome)) / 2 ** 20) + 8;
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', mnt]);
  const bad: string[] = [];
  const notes: string[] = [];
  try {
    const c = cases(fixture)[which];
    const { home, extra } = await c.setUp(mnt);
    const args = await c.args(home, extra);
    // Squared: half the draws leave under a quarter of MOST_FREE, where most of these commands stop fitting.
    const leave = Math.round(level * level * MOST_FREE);
    const filler = join(mnt, 'filler.bin');
    await fill(filler, Math.max(0, (await freeBytes(mnt)) - leave));
    const free = await freeBytes(mnt);
    const first = await airlock(home, args);
    const verdict = verdictOf(first, bad);
    const left = (await temps(mnt)).filter((p) => !p.endsWith('filler.bin'));
    if (left.length > 0) bad.push(`temp files left by the run that met the full disk: ${left.join(', ')}`);
    await rm(filler, { force: true });
    const settled = await auditVerify(home);
    if (settled) bad.push(`after space was freed: ${settled}`);
    const outcome = await c.after(home, verdict, bad, notes, extra);
    return { scenario, trial, outcome: `${which} ${verdict}@${Math.round(free / 1024)} KiB free: ${outcome}`, bad, notes, metFullDisk: verdict !== 'ok' };
  } finally {
    for (let attempt = 0; attempt < 50 && spawnSync('umount', [mnt]).status !== 0; attempt += 1) spawnSync('sleep', ['0.1']);
    await rm(mnt, { recursive: true, force: true }).catch(() => undefined);
  }
}
