/**
 * Power cuts (power-cut.ts's model: the disk as written to its device at a seeded instant, the
 * journal replayed) for the commands that change a station's state other than export and import:
 * `keys trust`, `keys untrust`, `keys rotate`, `audit checkpoint`, `quarantine release` and
 * `audit forward` to a JSON-lines sink on the same disk. One command per trial, drawn from the
 * seed; the cut lands between 0.8 of the start-up and 1.05 of that command's time here (both timed
 * once per run: cutInstant). And
 * kill -9 of `quarantine release` at seeded instants (it prints no progress to follow).
 *
 * After the cut, before any command: the trust store, audit-head.json and the forward file parse
 * (nothing partial at a final name). Then the next commands settle (`audit verify`, `quarantine
 * list`, `keys list`, `audit forward`) and: the chain verifies; the trust store and the station
 * key files are the state before the command or the state it said done, and the log has its event
 * exactly when the files show the change; the signed head is not ahead of the database; a release
 * is in place exactly when the entry says released and both events are recorded; every event up to
 * the forwarder's cursor is in the file (at least once, never a gap), and after the settle every
 * event is; no temp file is left in the home after the settle.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { readKey, readPrivateKey } from 'openpgp';
import { homePaths } from '../../electron/core/home/station-home.js';
import { airlock, auditVerify, cloneHome, json, readLedger, type Fixture, type Run } from './harness.js';
import { onCutDisk, runAndCut, sh } from './power-cut.js';
import type { TrialResult } from './scenarios.js';

export const STATE_COMMANDS = ['trust', 'untrust', 'rotate', 'checkpoint', 'release', 'forward'] as const;
export type StateCommand = (typeof STATE_COMMANDS)[number];

/** What every trial starts from besides the template home: two other stations' keys and a bundle the policy quarantines. */
export interface StatePrep {
  other: { file: string; fpr: string };
  third: { file: string; fpr: string };
  exeBundle: string;
  timings: Map<StateCommand, { startup: number; total: number }>;
}

const preps = new WeakMap<Fixture, Promise<StatePrep>>();

async function otherStation(fixture: Fixture, name: string): Promise<{ home: string; file: string; fpr: string }> {
  const home = join(fixture.root, `state-${name}-home`);
  const made = await airlock(home, ['keys', 'generate', '--name', `State ${name}`, '--passphrase-file', fixture.passFile, '--json']);
  if (made.code !== 0) throw new Error(`keys generate (${name}) failed: ${made.stderr}`);
  const fpr = (json<{ key: { fingerprint: string } }>(made) as { key: { fingerprint: string } }).key.fingerprint;
  const file = join(fixture.root, `state-${name}.asc`);
  await writeFile(file, (await airlock(home, ['keys', 'export-public'])).stdout);
  return { home, file, fpr };
}

export function prepare(fixture: Fixture): Promise<StatePrep> {
  let prep = preps.get(fixture);
  if (!prep) {
    prep = (async () => {
      const other = await otherStation(fixture, 'other');
      const third = await otherStation(fixture, 'third');
      const src = join(fixture.root, 'state-exe', 'tool');
      await mkdir(src, { recursive: true });
      await writeFile(join(src, 'setup.exe'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64 * 1024, 7)]));
      await writeFile(join(src, 'readme.txt'), 'a tool\n');
      const out = join(fixture.root, 'state-exe');
      const exported = await airlock(other.home, ['export', '--out', out, '--name', 'tool', '--passphrase-file', fixture.passFile, src]);
      if (exported.code !== 0) throw new Error(`export of the quarantined bundle failed: ${exported.stderr}`);
      return {
        other: { file: other.file, fpr: other.fpr },
        third: { file: third.file, fpr: third.fpr },
        exeBundle: join(out, 'tool.airlock.tar'),
        timings: new Map(),
      };
    })();
    preps.set(fixture, prep);
  }
  return prep;
}

interface Station {
  home: string;
  dest: string;
  siem: string;
  quarantineId: string;
}

/** A home at `root` as every trial starts: the other key trusted, the .exe bundle quarantined, forwarding to `root/siem/audit.jsonl`, part of the log forwarded. */
export async function setUp(fixture: Fixture, prep: StatePrep, root: string): Promise<Station> {
  const home = await cloneHome(fixture, join(root, 'home'));
  const dest = join(root, 'dest');
  const siemDir = join(root, 'siem');
  await mkdir(dest);
  await mkdir(siemDir);
  const siem = join(siemDir, 'audit.jsonl');
  const step = async (args: string[]): Promise<Run> => {
    const run = await airlock(home, args);
    if (run.code !== 0 && !(args[0] === 'import' && run.code === 1)) throw new Error(`set-up ${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
    return run;
  };
  await step(['keys', 'trust', prep.other.file, '--fingerprint', prep.other.fpr, '--label', 'other']);
  await writeFile(join(home, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions: ['exe'] } } }));
  await writeFile(join(home, 'config.json'), JSON.stringify({ forward: { jsonLines: { path: siem } } }));
  await step(['audit', 'forward']);
  const refused = await step(['import', prep.exeBundle, '--dest', dest, '--json']);
  const quarantineId = json<{ quarantine?: { id: string } }>(refused)?.quarantine?.id;
  if (!quarantineId) throw new Error(`the .exe bundle was not quarantined: ${refused.stdout}`);
  // Events after the last forward: a backlog for the forward trials.
  await step(['audit', 'checkpoint', '--passphrase-file', fixture.passFile]);
  return { home, dest, siem, quarantineId };
}

export function commandArgs(fixture: Fixture, prep: StatePrep, station: Station, command: StateCommand): string[] {
  switch (command) {
    case 'trust':
      return ['keys', 'trust', prep.third.file, '--fingerprint', prep.third.fpr, '--label', 'third', '--json'];
    case 'untrust':
      return ['keys', 'untrust', prep.other.fpr, '--json'];
    case 'rotate':
      return ['keys', 'rotate', '--name', 'Rotated Station', '--passphrase-file', fixture.passFile, '--new-passphrase-file', fixture.passFile, '--json'];
    case 'checkpoint':
      return ['audit', 'checkpoint', '--passphrase-file', fixture.passFile, '--json'];
    case 'release':
      return ['quarantine', 'release', station.quarantineId, '--dest', station.dest, '--reason', 'fault harness', '--yes', '--json'];
    case 'forward':
      return ['audit', 'forward', '--json'];
  }
}

/**
 * When to cut `command`: the start-up every command shares (a `keys list` on the same home, timed
 * once per run) is mostly skipped, so the draws spread over the command's own work, which for a
 * keys command is a few percent of its wall time. From 0.8 of the start-up to 1.05 of the command.
 */
async function cutInstant(fixture: Fixture, prep: StatePrep, command: StateCommand, draw: number): Promise<number> {
  let known = prep.timings.get(command);
  if (known === undefined) {
    const root = join(fixture.root, `state-timing-${command}`);
    await mkdir(root);
    const station = await setUp(fixture, prep, root);
    const startup = await airlock(station.home, ['keys', 'list', '--json']);
    const run = await airlock(station.home, commandArgs(fixture, prep, station, command));
    if (run.code !== 0) throw new Error(`timing ${command} failed: ${run.stdout}${run.stderr}`);
    known = { startup: startup.ms, total: run.ms };
    prep.timings.set(command, known);
  }
  const from = Math.min(0.8 * known.startup, 0.8 * known.total);
  return from + draw * (1.05 * known.total - from);
}

interface KeyState {
  /** fingerprint:role:retired, sorted. */
  signers: string[];
  /** The station key's fingerprint (public and private file agreeing), else both. */
  stationKey: string;
}

async function keyState(home: string, bad: string[]): Promise<KeyState> {
  const paths = homePaths(home);
  let signers: string[] = [];
  try {
    const store = JSON.parse(await readFile(paths.trustStore, 'utf8')) as { signers: Array<{ fingerprint: string; role: string | null; retiredAt?: string }> };
    signers = store.signers.map((s) => `${s.fingerprint}:${s.role ?? ''}:${s.retiredAt ? 'retired' : ''}`).sort();
  } catch (error) {
    bad.push(`trust store unreadable: ${(error as Error).message}`);
  }
  const listed = await airlock(home, ['keys', 'list', '--json']);
  if (listed.code !== 0) bad.push(`keys list failed: ${listed.stdout}${listed.stderr}`);
  // The signing key and the public key given out must be one key, and trusted as this station's.
  const pub = await fingerprintOf(paths.stationPublicKey, 'public');
  const priv = await fingerprintOf(paths.stationPrivateKey, 'private');
  if (pub !== priv) bad.push(`the station key files disagree: public ${pub}, private ${priv}`);
  else if (!signers.some((s) => s.startsWith(`${pub}:station:`))) bad.push(`the station key ${pub} is not trusted as this station's`);
  return { signers, stationKey: pub === priv ? pub : `${pub}/${priv}` };
}

async function fingerprintOf(file: string, kind: 'public' | 'private'): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return 'missing';
  try {
    const key = kind === 'public' ? await readKey({ armoredKey: text }) : await readPrivateKey({ armoredKey: text });
    return key.getFingerprint().toUpperCase();
  } catch {
    return `unreadable (${text.length} bytes)`;
  }
}

const same = (a: KeyState, b: KeyState): boolean => a.signers.join() === b.signers.join() && a.stationKey === b.stationKey;

function keyEvents(home: string, type: string): number {
  return readLedger(home).events.filter((e) => e.type === type && e.outcome === 'ok').length;
}

/** The state before the command: the keys, and how many ok events of each key type the log holds. */
interface Before {
  keys: KeyState;
  events: Map<string, number>;
}

export async function stateBefore(home: string): Promise<Before> {
  const bad: string[] = [];
  const keys = await keyState(home, bad);
  if (bad.length > 0) throw new Error(`set-up home not sound: ${bad.join('; ')}`);
  return { keys, events: new Map(['key-trust', 'key-untrust', 'key-generate'].map((t) => [t, keyEvents(home, t)])) };
}

/** Files a killed writer left (owned temp names, receipts' and keys' partials) anywhere in the home after the settle. */
async function leftovers(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && (entry.name.endsWith('.partial') || entry.name.endsWith('.tmp'))) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

function forwardedSeqs(text: string, bad: string[], where: string): Set<number> {
  const seqs = new Set<number>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line === '') return;
    try {
      const seq = (JSON.parse(line) as { event?: { sequence?: number } }).event?.sequence;
      if (typeof seq === 'number') seqs.add(seq);
      else bad.push(`${where}: line ${i + 1} has no event.sequence`);
    } catch {
      // A torn last line is what a cut can leave in an append-only file; the SIEM reads whole lines only. Elsewhere it is partial.
      if (i !== lines.length - 1) bad.push(`${where}: line ${i + 1} is not JSON`);
    }
  });
  return seqs;
}

function cursorOf(home: string): number {
  const db = new Database(homePaths(home).database, { readonly: true, fileMustExist: true });
  try {
    const known = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'forward_cursor'").get() !== undefined;
    return known ? ((db.prepare('SELECT MAX(delivered_seq) AS seq FROM forward_cursor').get() as { seq: number | null }).seq ?? 0) : 0;
  } finally {
    db.close();
  }
}

function headSeq(home: string): number {
  const db = new Database(homePaths(home).database, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number | null }).seq ?? 0;
  } finally {
    db.close();
  }
}

function missing(seqs: Set<number>, upTo: number): number[] {
  const gaps: number[] = [];
  for (let seq = 1; seq <= upTo; seq += 1) if (!seqs.has(seq)) gaps.push(seq);
  return gaps;
}

type ReleaseState = 'held' | 'released';

/** The entry against the destination and the log: released exactly when the import is in place and both events are recorded once. */
async function checkRelease(station: Station, bad: string[]): Promise<ReleaseState | 'unknown'> {
  const listed = await airlock(station.home, ['quarantine', 'list', '--json']);
  const entry = json<{ entries: Array<{ id: string; status: string }> }>(listed)?.entries.find((e) => e.id === station.quarantineId);
  if (listed.code !== 0 || !entry) {
    bad.push(`quarantine list failed or lost the entry: ${listed.stdout}${listed.stderr}`);
    return 'unknown';
  }
  // The import's folder; its receipts (NAME.import-receipt.*) lie beside it.
  const placed = (await readdir(station.dest)).filter((n) => !n.startsWith('.') && !n.includes('.import-receipt.'));
  const staging = (await readdir(station.dest)).filter((n) => n.startsWith('.airlock-staging-'));
  if (staging.length > 0) bad.push(`staging left in the destination after the settle: ${staging.join(', ')}`);
  const ledger = readLedger(station.home);
  const releases = ledger.events.filter((e) => e.type === 'quarantine-release' && e.outcome === 'ok').length;
  const imports = ledger.events.filter((e) => e.type === 'import' && e.outcome === 'ok').length;
  const released = entry.status === 'released';
  if (released !== (placed.length === 1)) bad.push(`entry ${entry.status} but the destination holds ${placed.length ? placed.join(', ') : 'nothing'}`);
  if (placed.length === 1 && (await readdir(join(station.dest, placed[0] as string))).length === 0)
    bad.push(`an empty placeholder at ${placed[0]} after the settle`);
  if (releases !== (released ? 1 : 0)) bad.push(`entry ${entry.status} but ${releases} 'quarantine-release ok' event(s)`);
  if (imports !== (released ? 1 : 0)) bad.push(`entry ${entry.status} but ${imports} 'import ok' event(s)`);
  return released ? 'released' : 'held';
}

/** The invariants after a cut (or kill) of `command` and the settle; returns the outcome text. */
export async function checkAfter(
  fixture: Fixture,
  prep: StatePrep,
  station: Station,
  command: StateCommand,
  before: Before,
  bad: string[],
  notes: string[],
): Promise<string> {
  const paths = homePaths(station.home);
  // Before any command: nothing partial at a final name.
  for (const file of [paths.trustStore, paths.auditHead, join(station.home, 'config.json'), join(station.home, 'policy.json')]) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      JSON.parse(text);
    } catch {
      bad.push(`${file} does not parse after the cut (${text.length} bytes)`);
    }
  }
  const siemBefore = await readFile(station.siem, 'utf8').catch(() => '');
  const cursorAtCut = cursorOf(station.home);
  const atCut = forwardedSeqs(siemBefore, bad, 'forward file after the cut');
  const gapsAtCut = missing(atCut, cursorAtCut);
  if (gapsAtCut.length > 0) bad.push(`the forwarder's cursor says #${cursorAtCut} but the file lacks #${gapsAtCut.slice(0, 5).join(', #')} (a gap)`);
  // The settle: the next commands.
  const verify = await auditVerify(station.home);
  if (verify) bad.push(verify);
  const release = await checkRelease(station, bad);
  const after = await keyState(station.home, bad);
  let outcome = '';
  if (command === 'trust' || command === 'untrust' || command === 'rotate') {
    const type = { trust: 'key-trust', untrust: 'key-untrust', rotate: 'key-generate' }[command];
    const events = keyEvents(station.home, type) - (before.events.get(type) ?? 0);
    const changed = !same(before.keys, after);
    if (changed && events !== 1) bad.push(`the ${command} shows in the files (${after.signers.join(' ')}) but ${events} '${type}' event(s) recorded for it`);
    if (!changed && events !== 0) bad.push(`the ${command} does not show in the files but ${events} '${type}' event(s) recorded for it`);
    if (changed) {
      // The state the command said done: exactly one change, of the kind it makes.
      const added = after.signers.filter((s) => !before.keys.signers.includes(s));
      const removed = before.keys.signers.filter((s) => !after.signers.includes(s));
      const shape =
        command === 'trust'
          ? added.length === 1 && removed.length === 0 && added[0]?.startsWith(prep.third.fpr)
          : command === 'untrust'
            ? added.length === 0 && removed.length === 1 && removed[0]?.startsWith(prep.other.fpr)
            : added.length === 2 &&
              removed.length === 1 &&
              after.stationKey !== before.keys.stationKey &&
              after.signers.some((s) => s.startsWith(`${after.stationKey}:station:`) && !s.endsWith('retired'));
      if (!shape)
        bad.push(
          `the ${command} left a state no command said done: station key ${before.keys.stationKey} -> ${after.stationKey}, signers ${before.keys.signers.join(' ')} -> ${after.signers.join(' ')}`,
        );
    }
    outcome = changed ? 'changed' : 'unchanged';
  } else if (command === 'checkpoint') {
    const db = new Database(paths.database, { readonly: true, fileMustExist: true });
    const newest = (db.prepare('SELECT MAX(event_seq) AS seq FROM audit_checkpoints').get() as { seq: number | null }).seq ?? 0;
    const count = (db.prepare('SELECT COUNT(*) AS n FROM audit_checkpoints').get() as { n: number }).n;
    db.close();
    const head = JSON.parse((await readFile(paths.auditHead, 'utf8').catch(() => null)) ?? '{"seq":0}') as { seq: number };
    if (head.seq > newest) bad.push(`audit-head.json at #${head.seq}, ahead of the database's newest checkpoint #${newest}`);
    if (head.seq < newest) notes.push(`audit-head.json one checkpoint behind the database (#${head.seq} < #${newest}); the next checkpoint moves it on`);
    outcome = `${count} checkpoint(s), head ${head.seq === newest ? 'current' : 'behind'}`;
  } else if (command === 'release') {
    outcome = release;
    if (release === 'held') {
      // A held entry releases afterwards.
      const retry = await airlock(station.home, commandArgs(fixture, prep, station, 'release'));
      if (retry.code !== 0) bad.push(`the release after the cut failed: ${retry.stdout.slice(0, 300)}${retry.stderr.slice(0, 300)}`);
      else if ((await checkRelease(station, bad)) !== 'released') bad.push('the release after the cut did not release');
      outcome += ', retry ok';
    }
  } else if (command === 'forward') {
    outcome = `cursor #${cursorAtCut} of #${headSeq(station.home)}`;
  }
  // Every event reaches the file after the settle: at least once, in order, no gap.
  const settled = await airlock(station.home, ['audit', 'forward', '--json']);
  if (settled.code !== 0) bad.push(`audit forward after the cut failed: ${settled.stdout}${settled.stderr}`);
  const all = forwardedSeqs(await readFile(station.siem, 'utf8').catch(() => ''), bad, 'forward file after the settle');
  const gaps = missing(all, headSeq(station.home) - 0);
  // The forward run's own events (if any) may come after its last delivery: only what the cursor covers must be there.
  const covered = missing(all, cursorOf(station.home));
  if (covered.length > 0) bad.push(`after the settle the file lacks #${covered.slice(0, 5).join(', #')} (cursor #${cursorOf(station.home)})`);
  if (gaps.length > 0 && covered.length === 0) notes.push(`not forwarded yet: #${gaps.join(', #')}`);
  const left = await leftovers(station.home);
  if (left.length > 0) bad.push(`left in the home after the settle: ${left.join(', ')}`);
  return outcome;
}

/** One power cut of one seeded command; `drawCommand` and `drawInstant` in [0, 1). */
export async function powerCutStateTrial(fixture: Fixture, trial: number, drawCommand: number, drawInstant: number, attempt = 0): Promise<TrialResult> {
  const prep = await prepare(fixture);
  const command = STATE_COMMANDS[Math.floor(drawCommand * STATE_COMMANDS.length)] as StateCommand;
  const cutAfterMs = await cutInstant(fixture, prep, command, drawInstant);
  const scenario = 'power-cut-state';
  return onCutDisk(fixture, `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`, async (disk, snapshot) => {
    const station = await setUp(fixture, prep, disk.mountPoint);
    const before = await stateBefore(station.home);
    sh('sync', ['--file-system', disk.mountPoint]);
    const bad: string[] = [];
    const notes: string[] = [];
    const first = await runAndCut(disk, snapshot, station.home, commandArgs(fixture, prep, station, command), cutAfterMs);
    const said = first.killed ? 'cut' : first.code === 0 ? 'ok' : `exit ${first.code}`;
    if (!first.killed && first.code !== 0) bad.push(`${command} failed before the cut: ${first.stdout.slice(0, 300)}${first.stderr.slice(0, 300)}`);
    const outcome = await checkAfter(fixture, prep, station, command, before, bad, notes);
    return { scenario, trial, outcome: `${command} ${said}@${Math.round(cutAfterMs)}ms: ${outcome}`, bad, notes, covered: first.killed };
  });
}

/** kill -9 of `quarantine release` at a seeded instant of its time here; the release's invariants, then a retry if still held. */
export async function releaseKillTrial(fixture: Fixture, trial: number, drawInstant: number, attempt = 0): Promise<TrialResult> {
  const prep = await prepare(fixture);
  const killAfterMs = await cutInstant(fixture, prep, 'release', drawInstant);
  const scenario = 'kill-quarantine-release';
  const root = join(fixture.root, `${scenario}-${trial}${attempt ? `-r${attempt}` : ''}`);
  await mkdir(root);
  const station = await setUp(fixture, prep, root);
  const before = await stateBefore(station.home);
  const bad: string[] = [];
  const notes: string[] = [];
  const first = await airlock(station.home, commandArgs(fixture, prep, station, 'release'), { killAfterMs });
  if (!first.killed && first.code !== 0) bad.push(`release failed before the kill: ${first.stdout.slice(0, 300)}${first.stderr.slice(0, 300)}`);
  const outcome = await checkAfter(fixture, prep, station, 'release', before, bad, notes);
  return { scenario, trial, outcome: `${first.killed ? 'killed' : 'ok'}@${Math.round(killAfterMs)}ms: ${outcome}`, bad, notes, covered: first.killed };
}
