/**
 * The race-home scenario's fixture (race-home.ts) and what it reads back: the bundles, the held
 * quarantine entry and the other stations' keys, made once per fixture; the inbox, the released
 * folder, the export sequence numbers and the trust store against the audit log.
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { homePaths } from '../../electron/core/home/station-home.js';
import { readStatusFiles, startWatch, stopWatch, waitUntil } from '../helpers/watch-process.js';
import { airlock, exists, json, type Fixture, type Run } from './harness.js';

export const SECOND = 'rb';
export const QUARANTINED = 'qb';

export interface RaceSet {
  /** A home with the fixture's key, a held quarantine entry (policy denies .exe) and the other key's file. */
  template: string;
  second: string;
  /** Two other stations' public keys, trusted (and one untrusted again) during the race. */
  others: Array<{ file: string; fpr: string }>;
  quarantineId: string;
  quarantinedBytes: Buffer;
}

const prepared = new WeakMap<Fixture, RaceSet>();

async function must(run: Run, what: string): Promise<Run> {
  if (run.code !== 0) throw new Error(`${what} failed (exit ${run.code}): ${run.stdout.slice(0, 300)}${run.stderr.slice(0, 300)}`);
  return run;
}

export async function raceSet(fixture: Fixture): Promise<RaceSet> {
  const known = prepared.get(fixture);
  if (known) return known;
  const root = join(fixture.root, 'race-set');
  const template = join(root, 'template-home');
  await cp(fixture.templateHome, template, { recursive: true });
  const out = join(root, 'bundles');
  await mkdir(out, { recursive: true });
  await must(await airlock(template, ['export', '--out', out, '--name', SECOND, '--passphrase-file', fixture.passFile, fixture.source]), `export ${SECOND}`);
  // A bundle the station's policy refuses for its content: kept in the home's quarantine, released during the race.
  const qsrc = join(root, 'qsrc');
  await mkdir(qsrc);
  const quarantinedBytes = Buffer.from('MZ fault harness tool\n');
  await writeFile(join(qsrc, 'tool.exe'), quarantinedBytes);
  await must(await airlock(template, ['export', '--out', out, '--name', QUARANTINED, '--passphrase-file', fixture.passFile, qsrc]), 'export qb');
  await writeFile(join(template, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions: ['exe'] } } }));
  const refusedDest = join(root, 'refused-dest');
  await mkdir(refusedDest);
  const refused = await airlock(template, ['import', join(out, `${QUARANTINED}.airlock.tar`), '--dest', refusedDest, '--json']);
  const quarantineId = json<{ quarantine?: { id: string } }>(refused)?.quarantine?.id;
  if (refused.code !== 1 || quarantineId === undefined) throw new Error(`the .exe bundle was not quarantined: ${refused.stdout.slice(0, 300)}`);
  const others: RaceSet['others'] = [];
  for (const i of [1, 2]) {
    const other = join(root, `other-home-${i}`);
    await must(await airlock(other, ['keys', 'generate', '--name', `Other Station ${i}`, '--passphrase-file', fixture.passFile]), 'keys generate (other)');
    const file = join(root, `other-${i}.asc`);
    await writeFile(file, (await must(await airlock(other, ['keys', 'export-public']), 'keys export-public')).stdout);
    const listed = json<{ trusted: Array<{ fingerprint: string; role: string | null }> }>(await airlock(other, ['keys', 'list', '--json']));
    const fpr = listed?.trusted.find((k) => k.role === 'station')?.fingerprint;
    if (fpr === undefined) throw new Error('no fingerprint for the other key');
    others.push({ file, fpr });
  }
  const set: RaceSet = { template, second: join(out, `${SECOND}.airlock.tar`), others, quarantineId, quarantinedBytes };
  prepared.set(fixture, set);
  return set;
}

/** The same inbox bookkeeping as watch-kill.ts: bundles not yet settled. */
export async function unsettled(inbox: string): Promise<number> {
  const work = join(inbox, '.airlock-watch');
  let claimed = 0;
  for (const claim of await readdir(work).catch(() => [] as string[])) {
    if ((await readdir(join(work, claim)).catch(() => [] as string[])).some((n) => n.endsWith('.airlock.tar'))) claimed += 1;
  }
  return (await readdir(inbox)).filter((n) => n.endsWith('.airlock.tar')).length + claimed;
}

export async function drainWatch(home: string, inbox: string, dest: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const watch = startWatch(home, inbox, dest, ['--settle', '0']);
  try {
    const pid = watch.child.pid;
    await waitUntil('the watcher running', async () => (await readStatusFiles(home)).some((s) => s.pid === pid && s.state === 'running'), 300_000);
    await waitUntil('the inbox drained', async () => (await unsettled(inbox)) === 0, 300_000);
    const end = await stopWatch(watch);
    return { ...end, out: watch.stdout() + watch.stderr() };
  } finally {
    await stopWatch(watch, 'SIGKILL');
  }
}

/** The quarantined bundle's folder: whole (its one file, exact bytes), absent, or what is wrong. */
export async function releasedState(target: string, bytes: Buffer): Promise<string> {
  if (!(await exists(target))) return 'absent';
  const names = await readdir(target);
  if (names.length === 0) return 'placeholder';
  const file = await readFile(join(target, 'qsrc', 'tool.exe')).catch(() => null);
  return file !== null && file.equals(bytes) ? 'complete' : `partial: ${names.join(', ')}`;
}

export function exportSequences(home: string): { intents: number[]; events: number[] } {
  const db = new Database(homePaths(home).database, { readonly: true, fileMustExist: true });
  try {
    const intents = (db.prepare('SELECT sequence FROM export_intents').all() as Array<{ sequence: number }>).map((r) => r.sequence);
    const events = (db.prepare("SELECT details FROM audit_events WHERE type = 'export' AND outcome = 'ok'").all() as Array<{ details: string }>)
      .map((r) => (JSON.parse(r.details) as { sequence?: number }).sequence)
      .filter((s): s is number => typeof s === 'number');
    return { intents, events };
  } finally {
    db.close();
  }
}

export async function trustedFingerprints(home: string): Promise<string[]> {
  const text = await readFile(homePaths(home).trustStore, 'utf8');
  return (JSON.parse(text) as { signers: Array<{ fingerprint: string }> }).signers.map((k) => k.fingerprint).sort();
}

/** The key-trust and key-untrust events that succeeded, in order, with the fingerprint each names. */
export function keyEvents(home: string): Array<{ type: string; fpr: string }> {
  const db = new Database(homePaths(home).database, { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare("SELECT type, signers FROM audit_events WHERE type IN ('key-trust', 'key-untrust') AND outcome = 'ok' ORDER BY seq").all() as Array<{
        type: string;
        signers: string;
      }>
    ).map((r) => ({ type: r.type, fpr: (JSON.parse(r.signers) as string[])[0] ?? '' }));
  } finally {
    db.close();
  }
}

export const duplicates = (xs: number[]): number[] => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
