/**
 * Two-person exports (`export --prepare`, `approve`, `export --finish`, `--discard-staged`)
 * killed at a seeded instant, or run two at once on one staged export. Trial `n` runs case
 * `n % 7` of TWO_PERSON_CASES. The promise checked: a staged export is either intact and
 * finishable or gone with an audit trail; never a finished bundle that was not approved, never
 * two bundles of one staged export, never an approval recorded without its signature or the
 * reverse. After each trial the next command (`audit verify`) settles what a killed run left,
 * then `export --finish` is tried again where that makes sense.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { airlock, auditVerify, cloneHome, exists, json, readLedger, type Fixture, type Run } from './harness.js';
import type { TrialResult } from './scenarios.js';

export const TWO_PERSON_CASES = [
  'kill-finish',
  'race-finish',
  'race-finish-discard',
  'race-approvers',
  'kill-approve',
  'kill-prepare',
  'crash-approve',
] as const;
export type TwoPersonCase = (typeof TWO_PERSON_CASES)[number];

export const NAME = 'staged2p';
/** What `export --finish` prints with --progress, in order (it starts at writing: no scan, no hashing pass). */
export const FINISH_PHASES = ['hashing-and-writing', 'signing', 'writing-tag-files', 'syncing', 'writing-receipts'] as const;
/** What `export --prepare` prints (then it signs and saves without a line: a kill at hashing 100% lands there). */
export const PREPARE_PHASES = ['scanning', 'hashing'] as const;

interface Reviewers {
  keys: [string, string];
}
let reviewers: Promise<Reviewers> | null = null;

/** Two reviewers' private key files, made once per fixture (key generation is the slow part). */
export function reviewerKeys(fixture: Fixture): Promise<Reviewers> {
  reviewers ??= (async () => {
    const keys: string[] = [];
    for (const who of ['a', 'b']) {
      const home = join(fixture.root, `reviewer-${who}`);
      const made = await airlock(home, ['keys', 'generate', '--name', `Reviewer ${who.toUpperCase()}`, '--passphrase-file', fixture.passFile]);
      if (made.code !== 0) throw new Error(`reviewer key: ${made.stderr}`);
      keys.push(join(home, 'keys', 'station-key.private.asc'));
    }
    return { keys: keys as [string, string] };
  })();
  return reviewers;
}

export interface Place {
  home: string;
  /** The last audit event of the cloned home before the trial. */
  baseSeq: number;
  staged: string;
  outs: [string, string];
}

async function place(fixture: Fixture, trial: number, attempt: number): Promise<Place> {
  const root = join(fixture.root, `two-person-${trial}-${attempt}`);
  await mkdir(root);
  const home = await cloneHome(fixture, join(root, 'home'));
  const outs: [string, string] = [join(root, 'out1'), join(root, 'out2')];
  for (const out of outs) await mkdir(out);
  const baseSeq = Math.max(0, ...readLedger(home).events.map((e) => e.seq));
  return { home, baseSeq, staged: join(home, 'staged', NAME), outs };
}

export const prepareArgs = (fixture: Fixture): string[] => [
  'export',
  '--prepare',
  '--name',
  NAME,
  '--passphrase-file',
  fixture.passFile,
  '--json',
  fixture.source,
];
export const approveArgs = (fixture: Fixture, p: Place, key: string): string[] => [
  'approve',
  p.staged,
  '--key',
  key,
  '--passphrase-file',
  fixture.passFile,
  '--yes',
  '--json',
];
export const finishArgs = (fixture: Fixture, p: Place, out: string): string[] => [
  'export',
  '--finish',
  p.staged,
  '--out',
  out,
  '--passphrase-file',
  fixture.passFile,
  '--json',
];
export const discardArgs = (): string[] => ['export', '--discard-staged', NAME, '--json'];

export function must(run: Run, what: string): void {
  if (run.code !== 0) throw new Error(`${what} failed (exit ${run.code}): ${run.stderr.slice(0, 400)}`);
}

/** Bundles at a final name in the output folders (a `.partial` is not one). */
async function bundles(p: Place): Promise<string[]> {
  const found: string[] = [];
  for (const out of p.outs) for (const f of await readdir(out)) if (f.endsWith('.airlock.tar')) found.push(join(out, f));
  return found;
}

interface StagedState {
  state: 'absent' | 'ready' | 'invalid' | 'finished';
  signatures: number;
  reason: string | null;
}

export async function stagedState(p: Place): Promise<StagedState> {
  const run = await airlock(p.home, ['export', '--list-staged', '--json']);
  const list = json<{ staged: Array<{ name: string; state: 'ready' | 'invalid' | 'finished'; signatures: number | null; reason: string | null }> }>(run);
  const entry = list?.staged.find((s) => s.name === NAME);
  if (!entry) return { state: 'absent', signatures: 0, reason: null };
  return { state: entry.state, signatures: entry.signatures ?? 0, reason: entry.reason };
}

/** The signature packets in a bundle's one .asc (`gpg --list-packets`: the approvers' keys need not be trusted here). */
async function bundleSignatures(bundle: string): Promise<number> {
  const tar = spawnSync('tar', ['-xOf', bundle, `${NAME}/tagmanifest-sha256.txt.asc`]);
  const gnupgHome = await mkdtemp(join(tmpdir(), 'two-person-gpg-'));
  try {
    const packets = spawnSync('gpg', ['--homedir', gnupgHome, '--list-packets'], { input: tar.stdout });
    return (packets.stdout.toString('utf8').match(/^:signature packet:/gmu) ?? []).length;
  } finally {
    await rm(gnupgHome, { recursive: true, force: true });
  }
}

/** The checks every case ends with, after the next command settled what a kill left. */
export async function checkAll(p: Place, bad: string[], notes: string[], approvalsExpected: number | null): Promise<string> {
  const settled = await auditVerify(p.home);
  if (settled) bad.push(settled);
  const ledger = readLedger(p.home);
  // The fixture's home holds its own export's events: only this trial's count.
  const okOf = (type: string): number => ledger.events.filter((e) => e.seq > p.baseSeq && e.type === type && e.outcome === 'ok').length;
  const found = await bundles(p);
  const exports = okOf('export');
  const discards = okOf('export-discard');
  const approvals = okOf('export-approve');
  const staged = await stagedState(p);
  if (found.length > 1) bad.push(`two bundles of one staged export: ${found.join(', ')}`);
  if (found.length !== exports) bad.push(`${found.length} bundle(s) but ${exports} export ok event(s)`);
  if (found.length > 0 && discards > 0) bad.push(`a bundle was written and the staged export recorded discarded`);
  if (found.length === 0 && discards === 0 && staged.state === 'absent' && okOf('export-prepare') > 0)
    bad.push('the staged export is gone with no bundle and no discard event');
  if (approvalsExpected !== null && approvals !== approvalsExpected) notes.push(`${approvals} approval(s), expected ${approvalsExpected}`);
  // The list counts the signatures on record, as approve and finish do (faults11; a kill between a signature and its event leaves a file it does not count).
  if (staged.state === 'ready' && staged.signatures !== 1 + approvals && found.length === 0)
    bad.push(`the list counts ${staged.signatures} signature(s), ${approvals} approval(s) recorded`);
  for (const bundle of found) {
    // One signature is allowed (the sending station does not count; the receiver's policy does), one not on record is not.
    const signers = await bundleSignatures(bundle);
    if (signers !== 1 + approvals) bad.push(`${bundle} carries ${signers} signature(s) but ${approvals} approval(s) are recorded`);
    if (signers < 2) notes.push("finished with the preparer's signature only");
  }
  // A finish cut off after its publish leaves the folder whole: the list says finished (faults11), never ready.
  if (found.length > 0 && staged.state === 'ready') bad.push('a staged export listed ready beside its bundle');
  return `${found.length} bundle(s), staged ${staged.state}${staged.state === 'ready' ? ` (${staged.signatures} sig)` : ''}, events export ${exports} approve ${approvals} discard ${discards}`;
}

export function short(run: Run): string {
  if (run.killed) return 'killed';
  if (run.code === 0) return 'ok';
  const code = /airlock: ([A-Z_]+)/u.exec(run.stderr)?.[1] ?? json<{ error?: { code?: string } }>(run)?.error?.code ?? `exit ${run.code}`;
  return code;
}

export async function twoPersonTrial(fixture: Fixture, trial: number, at: number, attempt = 0): Promise<TrialResult> {
  const which = TWO_PERSON_CASES[trial % TWO_PERSON_CASES.length] as TwoPersonCase;
  const scenario = 'two-person';
  const { keys } = await reviewerKeys(fixture);
  const p = await place(fixture, trial, attempt);
  const bad: string[] = [];
  const notes: string[] = [];
  let covered: boolean | undefined;
  let what: string;
  if (which === 'kill-prepare') {
    const first = await airlock(p.home, prepareArgs(fixture), { killAt: { phases: PREPARE_PHASES, at } });
    covered = first.killed;
    const after = await checkAll(p, bad, notes, 0);
    // A killed prepare leaves a folder the operator can list and discard; then the name is free.
    const state = await stagedState(p);
    if (state.state === 'ready' && state.signatures === 0) bad.push('a killed prepare left a staged export listed ready with no signature');
    if (state.state !== 'absent') must(await airlock(p.home, discardArgs()), 'discard after a killed prepare');
    const again = await airlock(p.home, prepareArgs(fixture));
    if (again.code !== 0) bad.push(`prepare after the kill and a discard: ${short(again)}`);
    what = `prepare killed@${first.killedAt ?? 'end'}: ${after}; again ${short(again)}`;
    return { scenario, trial, outcome: `${which} ${what}`, bad, notes, covered };
  }
  must(await airlock(p.home, prepareArgs(fixture)), 'prepare');
  if (which === 'race-approvers') {
    const [a, b] = await Promise.all([airlock(p.home, approveArgs(fixture, p, keys[0])), airlock(p.home, approveArgs(fixture, p, keys[1]))]);
    const ok = [a, b].filter((r) => r.code === 0).length;
    const after = await checkAll(p, bad, notes, ok);
    const finished = await airlock(p.home, finishArgs(fixture, p, p.outs[0]));
    if (finished.code !== 0) bad.push(`finish after two approvals: ${short(finished)}`);
    what = `approvers ${short(a)}/${short(b)}: ${after}; finish ${short(finished)}: ${await checkAll(p, bad, notes, ok)}`;
    return { scenario, trial, outcome: `${which} ${what}`, bad, notes };
  }
  if (which === 'crash-approve') {
    // Right after approve's second durable write (rename-2: the signature itself, its key before it), before its event.
    const first = await airlock(p.home, approveArgs(fixture, p, keys[0]), { crashAt: 'rename-2' });
    if (!first.killed) bad.push(`approve ended before rename-2 (exit ${first.code}): ${first.stderr.slice(0, 200)}`);
    const after = await checkAll(p, bad, notes, null);
    const finished = await airlock(p.home, finishArgs(fixture, p, p.outs[0]));
    what = `approve killed@rename-2: ${after}; finish ${short(finished)}: ${await checkAll(p, bad, notes, null)}`;
    return { scenario, trial, outcome: `${which} ${what}`, bad, notes };
  }
  if (which === 'kill-approve') {
    // approve prints no progress: killed at a seeded share of one approve's time here (about a second).
    const ms = 150 + at * 1500;
    const first = await airlock(p.home, approveArgs(fixture, p, keys[0]), { killAfterMs: ms });
    covered = first.killed;
    const after = await checkAll(p, bad, notes, null);
    const state = await stagedState(p);
    const next = state.signatures >= 2 ? null : await airlock(p.home, approveArgs(fixture, p, keys[0]));
    const finished = await airlock(p.home, finishArgs(fixture, p, p.outs[0]));
    if (finished.code !== 0) bad.push(`finish after the killed approval${next ? ' and its retry' : ''}: ${short(finished)}`);
    what = `approve killed@${first.killed ? `${Math.round(ms)}ms` : 'end'}: ${after}; ${next ? `approve again ${short(next)}; ` : ''}finish ${short(finished)}: ${await checkAll(p, bad, notes, null)}`;
    return { scenario, trial, outcome: `${which} ${what}`, bad, notes, covered };
  }
  must(await airlock(p.home, approveArgs(fixture, p, keys[0])), 'approve');
  if (which === 'kill-finish') {
    const first = await airlock(p.home, finishArgs(fixture, p, p.outs[0]), { killAt: { phases: FINISH_PHASES, at } });
    covered = first.killed;
    const after = await checkAll(p, bad, notes, 1);
    // The operator finishes again elsewhere (the first medium looked wrong): one bundle at most.
    const again = await airlock(p.home, finishArgs(fixture, p, p.outs[1]));
    const published = after.startsWith('1 bundle');
    if (!published && again.code !== 0 && (await exists(p.staged))) bad.push(`finish again after a kill that published nothing: ${short(again)}`);
    what = `finish killed@${first.killedAt ?? 'end'}: ${after}; again ${short(again)}: ${await checkAll(p, bad, notes, 1)}`;
    return { scenario, trial, outcome: `${which} ${what}`, bad, notes, covered };
  }
  if (which === 'race-finish') {
    const [a, b] = await Promise.all([airlock(p.home, finishArgs(fixture, p, p.outs[0])), airlock(p.home, finishArgs(fixture, p, p.outs[1]))]);
    if (a.code !== 0 && b.code !== 0) bad.push(`neither finish succeeded: ${short(a)}/${short(b)}`);
    what = `finishes ${short(a)}/${short(b)}: ${await checkAll(p, bad, notes, 1)}`;
    return { scenario, trial, outcome: `${which} ${what}`, bad, notes };
  }
  // race-finish-discard: the discard starts a seeded moment after the finish.
  const finishing = airlock(p.home, finishArgs(fixture, p, p.outs[0]));
  await new Promise((r) => setTimeout(r, at * 1200));
  const [f, d] = await Promise.all([finishing, airlock(p.home, discardArgs())]);
  what = `finish ${short(f)}, discard@${Math.round(at * 1200)}ms ${short(d)}: ${await checkAll(p, bad, notes, 1)}`;
  if (f.code === 0 && d.code === 0) bad.push('both the finish and the discard succeeded');
  if (f.code !== 0 && d.code !== 0) bad.push(`neither the finish nor the discard succeeded: ${short(f)}/${short(d)}`);
  return { scenario, trial, outcome: `${which} ${what}`, bad, notes };
}
