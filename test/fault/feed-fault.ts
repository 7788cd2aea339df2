/**
 * `feed import` killed (kill -9) or cut (power-cut.ts's model) at a seeded instant of its time
 * here: verifying, staging, checking with sigtool, recording its intent, renaming the containers
 * into the scanner's database folder, removing the superseded one, recording its event. The
 * database folder starts as an installed set (daily.cld 26500, main.cud 100); the feed brings
 * daily.cud 27001 and main.cud 101 (so daily.cld is superseded), as in
 * test/integration/inspect/feed-import-faults.test.ts, whose crash points hit the exact instants.
 * The scanner is a command (`true`): no clamd, nothing to reload.
 *
 * After the kill or cut, before any command: every container in the folder is whole (one of the
 * two versions of its name). Then the next start settles (docs/cli.md "feed import") and: the
 * folder holds the old set with no `feed-import ok` event (none at all, or one failed), the new
 * set with exactly one ok event naming both files, or a mix only with one failed `INTERRUPTED`
 * event whose `installed` and `notInstalled` name exactly what is and is not in place; never more
 * than one event; the chain verifies. Then a retry installs the new set (exit 0) and leaves no
 * staging folder in the database folder.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDatabaseContainer } from '../helpers/clamav-database.js';
import { airlock, auditVerify, cloneHome, json, readLedger, type Fixture, type Run } from './harness.js';
import { onCutDisk, runAndCut, sh } from './power-cut.js';
import type { TrialResult } from './scenarios.js';

export interface FeedPrep {
  /** A home trusting the feed signer with the `feeds` role (each trial clones it). */
  receiver: string;
  bundle: string;
  /** The installed set, a folder to copy. */
  original: string;
  /** name -> SHA-256 of the installed and of the feed's containers. */
  before: Map<string, string>;
  after: Map<string, string>;
  timing?: { startup: number; total: number };
}

const preps = new WeakMap<Fixture, Promise<FeedPrep>>();

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function prepare(fixture: Fixture): Promise<FeedPrep> {
  let prep = preps.get(fixture);
  if (!prep) {
    prep = (async () => {
      const root = join(fixture.root, 'feed-prep');
      const senderHome = join(root, 'sender-home');
      await mkdir(root, { recursive: true });
      const made = await airlock(senderHome, ['keys', 'generate', '--name', 'Feed Sender', '--passphrase-file', fixture.passFile, '--json']);
      const fpr = json<{ key: { fingerprint: string } }>(made)?.key.fingerprint;
      if (made.code !== 0 || !fpr) throw new Error(`keys generate (feed sender) failed: ${made.stderr}`);
      const keyFile = join(root, 'feed-sender.asc');
      await writeFile(keyFile, (await airlock(senderHome, ['keys', 'export-public'])).stdout);
      const src = join(root, 'src');
      await mkdir(src);
      const after = new Map<string, string>();
      for (const [name, version] of [
        ['daily', 27_001],
        ['main', 101],
      ] as const) {
        const bytes = await buildDatabaseContainer({ name, version });
        await writeFile(join(src, `${name}.cud`), bytes);
        after.set(`${name}.cud`, sha(bytes));
      }
      const out = join(root, 'out');
      await mkdir(out);
      const exported = await airlock(senderHome, [
        'export',
        '--out',
        out,
        '--name',
        'clamav-feed',
        '--passphrase-file',
        fixture.passFile,
        join(src, 'daily.cud'),
        join(src, 'main.cud'),
      ]);
      if (exported.code !== 0) throw new Error(`export of the feed failed: ${exported.stderr}`);
      const original = join(root, 'installed');
      await mkdir(original);
      const before = new Map<string, string>();
      for (const [file, name, version] of [
        ['daily.cld', 'daily', 26_500],
        ['main.cud', 'main', 100],
      ] as const) {
        const bytes = await buildDatabaseContainer({ name, version });
        await writeFile(join(original, file), bytes);
        before.set(file, sha(bytes));
      }
      const receiver = await cloneHome(fixture, join(root, 'receiver-home'));
      const trusted = await airlock(receiver, ['keys', 'trust', keyFile, '--fingerprint', fpr, '--role', 'feeds']);
      if (trusted.code !== 0) throw new Error(`keys trust --role feeds failed: ${trusted.stderr}`);
      return { receiver, bundle: join(out, 'clamav-feed.airlock.tar'), original, before, after };
    })();
    preps.set(fixture, prep);
  }
  return prep;
}

/** A receiving home under `root` with the installed set in `root/clamav` named by its policy. */
export async function setUp(prep: FeedPrep, root: string): Promise<{ home: string; databaseDir: string }> {
  const home = join(root, 'home');
  await cp(prep.receiver, home, { recursive: true });
  const databaseDir = join(root, 'clamav');
  await cp(prep.original, databaseDir, { recursive: true });
  const policy = { inspect: { scan: { command: { argv: ['true', '{}'], cleanExitCodes: [0], infectedExitCodes: [1] }, databaseDir } } };
  await writeFile(join(home, 'policy.json'), JSON.stringify(policy));
  return { home, databaseDir };
}

/** How long a feed import takes here and the start-up every command shares, once per fixture. */
async function timing(fixture: Fixture, prep: FeedPrep): Promise<{ startup: number; total: number }> {
  if (prep.timing) return prep.timing;
  const root = join(fixture.root, 'feed-timing');
  await mkdir(root);
  const { home } = await setUp(prep, root);
  const startup = await airlock(home, ['keys', 'list', '--json']);
  const run = await airlock(home, ['feed', 'import', prep.bundle, '--json']);
  if (run.code !== 0) throw new Error(`timing feed import failed: ${run.stdout}${run.stderr}`);
  prep.timing = { startup: startup.ms, total: run.ms };
  return prep.timing;
}

type FolderState = { kind: 'old' | 'new' | 'mix'; files: Map<string, 'old' | 'new'> };

/** The containers in the folder (hidden staging aside), each whole as one of its two versions. */
async function folderState(prep: FeedPrep, dir: string, when: string, bad: string[]): Promise<FolderState> {
  const files = new Map<string, 'old' | 'new'>();
  for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.'))) {
    const digest = sha(await readFile(join(dir, name)));
    if (prep.after.get(name) === digest) files.set(name, 'new');
    else if (prep.before.get(name) === digest) files.set(name, 'old');
    else bad.push(`${when}: ${name} is neither version (partial or foreign)`);
  }
  const is = (set: Map<string, string>, version: 'old' | 'new'): boolean =>
    files.size === set.size && [...set.keys()].every((name) => files.get(name) === version);
  return { kind: is(prep.before, 'old') ? 'old' : is(prep.after, 'new') ? 'new' : 'mix', files };
}

interface FeedEvent {
  outcome: string;
  errorCode: string | null;
  details: { installed?: Array<{ name: string }>; notInstalled?: string[]; recovered?: boolean };
}

/** The invariants after the kill or cut of the first run; returns the outcome text. */
export async function checkAfter(prep: FeedPrep, home: string, databaseDir: string, bad: string[]): Promise<string> {
  await folderState(prep, databaseDir, 'after the cut', bad);
  const verify = await auditVerify(home);
  if (verify) bad.push(verify);
  const state = await folderState(prep, databaseDir, 'after the settle', bad);
  const events = readLedger(home).events.filter((e) => e.type === 'feed-import') as unknown as FeedEvent[];
  const event = events[0];
  const names = (list: Array<{ name: string }> | string[] | undefined): string =>
    (list ?? [])
      .map((x) => (typeof x === 'string' ? x : x.name))
      .sort()
      .join(',');
  if (events.length > 1) bad.push(`${events.length} feed-import events for one run`);
  if (state.kind === 'old' && event?.outcome === 'ok') bad.push('the old set in the folder but a feed-import ok event');
  if (state.kind === 'new' && !(event?.outcome === 'ok' && names(event.details.installed) === 'daily.cud,main.cud'))
    bad.push(
      `the new set in the folder but the event is ${event ? `${event.outcome} ${event.errorCode ?? ''} installed ${names(event.details.installed)}` : 'missing'}`,
    );
  if (state.kind === 'mix') {
    const inPlace = [...state.files].filter(([, v]) => v === 'new').map(([n]) => n);
    const missing = [...prep.after.keys()].filter((n) => state.files.get(n) !== 'new');
    const named =
      event?.outcome === 'failed' &&
      event.errorCode === 'INTERRUPTED' &&
      names(event.details.installed) === inPlace.sort().join(',') &&
      names(event.details.notInstalled) === missing.sort().join(',');
    if (!named)
      bad.push(
        `a mix in the folder (${[...state.files].map(([n, v]) => `${n}:${v}`).join(' ')}) that the audit does not name: ${event ? `${event.outcome} ${event.errorCode ?? ''} installed ${names(event.details.installed)} notInstalled ${names(event.details.notInstalled)}` : 'no event'}`,
      );
  }
  const said = event ? `${event.outcome}${event.errorCode ? ` ${event.errorCode}` : ''}${event.details.recovered ? ' (recovered)' : ''}` : 'no event';
  // The retry installs the new set and sweeps what the dead run staged.
  const retry = await airlock(home, ['feed', 'import', prep.bundle, '--json']);
  if (retry.code !== 0) bad.push(`the retry failed (exit ${retry.code}): ${retry.stdout.slice(0, 300)}${retry.stderr.slice(0, 300)}`);
  if ((await folderState(prep, databaseDir, 'after the retry', bad)).kind !== 'new') bad.push('after the retry the folder does not hold the new set');
  const hidden = (await readdir(databaseDir)).filter((n) => n.startsWith('.'));
  if (hidden.length > 0) bad.push(`left in the database folder after the retry: ${hidden.join(', ')}`);
  const again = await auditVerify(home);
  if (again) bad.push(again);
  return `${state.kind}, ${said}, retry ${retry.code === 0 ? 'ok' : `exit ${retry.code}`}`;
}

function instant(known: { startup: number; total: number }, draw: number): number {
  const from = Math.min(0.8 * known.startup, 0.8 * known.total);
  return from + draw * (1.05 * known.total - from);
}

/** kill -9 of `feed import` at a seeded instant (`draw` in [0, 1)) between 0.8 of the start-up and 1.05 of its time here. */
export async function feedKillTrial(fixture: Fixture, trial: number, draw: number, attempt = 0): Promise<TrialResult> {
  const prep = await prepare(fixture);
  const killAfterMs = instant(await timing(fixture, prep), draw);
  const scenario = 'kill-feed-import';
  const root = join(fixture.root, `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`);
  await mkdir(root);
  const { home, databaseDir } = await setUp(prep, root);
  const bad: string[] = [];
  const first: Run = await airlock(home, ['feed', 'import', prep.bundle, '--json'], { killAfterMs });
  if (!first.killed && first.code !== 0) bad.push(`feed import failed before the kill: ${first.stdout.slice(0, 300)}${first.stderr.slice(0, 300)}`);
  const outcome = await checkAfter(prep, home, databaseDir, bad);
  return { scenario, trial, outcome: `${first.killed ? 'killed' : 'ok'}@${Math.round(killAfterMs)}ms: ${outcome}`, bad, notes: [], covered: first.killed };
}

/**
 * The instants of the install (crash-child.ts's points: before the first rename, after each of the
 * two): a timed cut rarely lands there (a few milliseconds of a second's run), so every other
 * power-cut-feed trial is cut right after the child is killed at one of them, in turn.
 */
const INSTALL_POINTS = ['feed-before-install', 'feed-after-rename-1', 'feed-after-rename-2'];

/**
 * A power cut of `feed import` (home and database folder on the cut disk): even trials at a seeded
 * instant, as feedKillTrial's; odd trials right after a kill at the next of INSTALL_POINTS (the
 * image copied then holds what had reached the device: a power cut at that instant).
 */
export async function feedPowerCutTrial(fixture: Fixture, trial: number, draw: number, attempt = 0): Promise<TrialResult> {
  const prep = await prepare(fixture);
  const point = trial % 2 === 1 ? (INSTALL_POINTS[((trial - 1) / 2) % INSTALL_POINTS.length] as string) : undefined;
  // A crash point is reached, not timed: the timer is out of the way.
  const cutAfterMs = point === undefined ? instant(await timing(fixture, prep), draw) : 10 * 60_000;
  const scenario = 'power-cut-feed';
  return onCutDisk(fixture, `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`, async (disk, snapshot) => {
    const { home, databaseDir } = await setUp(prep, disk.mountPoint);
    sh('sync', ['--file-system', disk.mountPoint]);
    const bad: string[] = [];
    const first = await runAndCut(disk, snapshot, home, ['feed', 'import', prep.bundle, '--json'], cutAfterMs, [], point);
    if (point !== undefined && !first.killed) bad.push(`crash point ${point} not reached (exit ${first.code}): ${first.stderr.slice(0, 300)}`);
    if (!first.killed && first.code !== 0) bad.push(`feed import failed before the cut: ${first.stdout.slice(0, 300)}${first.stderr.slice(0, 300)}`);
    const outcome = await checkAfter(prep, home, databaseDir, bad);
    const at = point ?? `${Math.round(cutAfterMs)}ms`;
    return { scenario, trial, outcome: `${first.killed ? 'cut' : 'ok'}@${at}: ${outcome}`, bad, notes: [], covered: first.killed };
  });
}
