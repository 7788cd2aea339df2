/**
 * The fault scenarios, each one trial on a fresh copy of the fixture's home, each returning what
 * happened and every invariant it found broken ("bad"). The invariants, after any crash and the
 * next start: no intent left pending by a dead process; a destination or bundle present exactly
 * when the ledger records it and the audit log has an ok event for it (one, never two); nothing
 * partial; `audit verify` passes; a retry succeeds or says REPLAY / OUTPUT_EXISTS truthfully.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { airlock, auditVerify, BUNDLE_NAME, cloneHome, exists, importState, json, readLedger, type Fixture, type Run } from './harness.js';
import type { ProgressKill } from './progress-kill.js';

export interface TrialResult {
  scenario: string;
  trial: number;
  /** What the trial ended in, e.g. 'killed@812ms: committed, retry REPLAY'. */
  outcome: string;
  bad: string[];
  /** Not a broken promise of this task, but worth a look (e.g. temp files left for a later sweep). */
  notes: string[];
  /** Kill trials: true if the kill landed inside the work, false if the work finished before it. */
  covered?: boolean;
  /** Kill trials: how many instants were drawn (run-scenarios.ts re-draws one that finished first). */
  draws?: number;
  /** Full-disk trials (not kills: nothing is covered or not): true if the first run met the full disk, false if it fitted. */
  metFullDisk?: boolean;
}

/** How a trial's first run is stopped; `attempt` > 0 is a re-draw (its own folders). */
export interface TrialHow {
  killAfterMs?: number;
  crashAt?: string;
  killAt?: ProgressKill;
  attempt?: number;
}

/** The instant in a trial's outcome: the crash point, the progress the kill was sent at, or the time. */
function instant(how: TrialHow, first: Run): string {
  if (how.crashAt) return how.crashAt;
  if (how.killAt) return first.killedAt ?? 'end';
  return `${Math.round(how.killAfterMs ?? 0)}ms`;
}

const tag = (trial: number, how: TrialHow): string => `${trial}${how.attempt ? `-r${how.attempt}` : ''}`;

type ImportJson = { ok?: boolean; problems?: Array<{ code: string }>; error?: { code: string } };

export function importVerdict(run: Run): string {
  const report = json<ImportJson>(run);
  if (run.killed) return 'killed';
  if (run.code === 0 && report?.ok) return 'ok';
  if (report?.problems?.some((p) => p.code === 'REPLAY')) return 'REPLAY';
  if (report?.error?.code) return report.error.code;
  return `exit ${run.code ?? run.signal}`;
}

/** The ledger and audit log against the file system for one import target. */
export async function checkImportRecords(fixture: Fixture, home: string, target: string, bad: string[]): Promise<'absent' | 'complete' | 'placeholder'> {
  const verify = await auditVerify(home);
  if (verify) bad.push(verify);
  const ledger = readLedger(home);
  const state = await importState(fixture, target);
  // An empty placeholder is not an import (the ledger says failed); recovery at the next start removes it,
  // so the destination never shows an import that did not happen.
  if (state === 'placeholder') bad.push('an empty placeholder left at DIR/NAME after the next start');
  else if (state !== 'absent' && state !== 'complete') bad.push(`destination ${state}`);
  const pending = ledger.imports.filter((r) => r.status === 'pending');
  if (pending.length > 0) bad.push(`${pending.length} import claim(s) still pending after the next start`);
  const imported = ledger.imports.filter((r) => r.status === 'imported' && r.destination === target);
  const okEvents = ledger.events.filter((e) => e.type === 'import' && e.outcome === 'ok' && e.details.destination === target);
  const present = state === 'complete';
  if (imported.length !== (present ? 1 : 0)) bad.push(`destination ${present ? 'present' : 'absent'} but ${imported.length} imported ledger row(s)`);
  if (okEvents.length !== (present ? 1 : 0)) bad.push(`destination ${present ? 'present' : 'absent'} but ${okEvents.length} 'import ok' event(s)`);
  const allImported = ledger.imports.filter((r) => r.status === 'imported');
  if (allImported.length > 1) bad.push(`${allImported.length} imports of one bundle recorded`);
  const failedRows = ledger.imports.filter((r) => r.status === 'failed').length;
  const failedEvents = ledger.events.filter((e) => e.type === 'import' && e.outcome !== 'ok').length;
  if (failedEvents < failedRows) bad.push(`${failedRows} failed claims but only ${failedEvents} failed/rejected import events`);
  return present ? 'complete' : state === 'placeholder' ? 'placeholder' : 'absent';
}

async function stagingLeft(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('.airlock-staging-'));
}

/** kill -9 an import at `killAfterMs` (or at a crash point), restart, check, retry without --allow-replay, check again. */
/** Where a trial runs and how its first run is made to stop (power-cut.ts runs it on a snapshot). */
export interface TrialPlace {
  home: string;
  dir: string;
  first: (args: string[]) => Promise<Run>;
  /** The export's command line as this place needs it (e.g. --to-media instead of --out), for the first run and the retry. */
  exportArgs?: (args: string[]) => string[];
}

export async function importTrial(fixture: Fixture, trial: number, how: TrialHow, scenario: string, place?: TrialPlace): Promise<TrialResult> {
  const bad: string[] = [];
  const notes: string[] = [];
  const home = place?.home ?? (await cloneHome(fixture, join(fixture.root, `${scenario}-${tag(trial, how)}-home`)));
  const dest = place?.dir ?? join(fixture.root, `${scenario}-${tag(trial, how)}-dest`);
  if (!place) await mkdir(dest);
  const target = join(dest, BUNDLE_NAME);
  const firstArgs = ['import', fixture.bundle, '--dest', dest, '--json'];
  const first = place ? await place.first(firstArgs) : await airlock(home, firstArgs, how);
  const firstVerdict = importVerdict(first);
  if (how.crashAt && !first.killed) bad.push(`crash point ${how.crashAt} not reached (${firstVerdict}): ${first.stderr.slice(0, 300)}`);
  const after = await checkImportRecords(fixture, home, target, bad);
  const recovered = readLedger(home).events.some((e) => e.type === 'import' && e.details.recovered === true);
  const retry = await airlock(home, ['import', fixture.bundle, '--dest', dest, '--json']);
  const retryVerdict = importVerdict(retry);
  const expected = after === 'complete' || firstVerdict === 'ok' ? 'REPLAY' : 'ok';
  if (retryVerdict !== expected)
    bad.push(`retry said ${retryVerdict}, expected ${expected} (destination ${after}): ${retry.stdout.slice(0, 300)}${retry.stderr.slice(0, 300)}`);
  const final = await checkImportRecords(fixture, home, target, bad);
  if (final !== 'complete') bad.push('after the retry the import is not in place');
  const left = await stagingLeft(dest);
  // Every killed run leaves a staging folder that proves whose it is (owner file renamed in before its flush): the retry removes it.
  if (left.length > 0) bad.push(`staging left after the retry: ${left.join(', ')}`);
  return {
    scenario,
    trial,
    outcome: `${first.killed ? 'killed' : firstVerdict}@${instant(how, first)}: ${after}${recovered ? ' (recovered)' : ''}, retry ${retryVerdict}`,
    bad,
    notes,
    ...(how.crashAt ? {} : { covered: first.killed }),
  };
}

export function exportVerdict(run: Run): string {
  const report = json<{ ok?: boolean; error?: { code: string } }>(run);
  if (run.killed) return 'killed';
  if (run.code === 0 && report?.ok) return 'ok';
  return report?.error?.code ?? `exit ${run.code ?? run.signal}`;
}

export async function checkExportRecords(fixture: Fixture, home: string, bundle: string, bad: string[]): Promise<'absent' | 'published'> {
  const verify = await auditVerify(home);
  if (verify) bad.push(verify);
  const ledger = readLedger(home);
  const present = await exists(bundle);
  if (ledger.exports.some((r) => r.status === 'pending')) bad.push('export intent still pending after the next start');
  const okEvents = ledger.events.filter((e) => e.type === 'export' && e.outcome === 'ok' && e.details.bundlePath === bundle);
  if (okEvents.length !== (present ? 1 : 0)) bad.push(`bundle ${present ? 'present' : 'absent'} but ${okEvents.length} 'export ok' event(s)`);
  const rows = ledger.exports.filter((r) => r.path === bundle && r.status === 'exported');
  if (rows.length !== (present ? 1 : 0)) bad.push(`bundle ${present ? 'present' : 'absent'} but ${rows.length} exported intent row(s)`);
  if (present) {
    const verified = await airlock(home, ['verify', '--json', bundle]);
    if (verified.code !== 0) bad.push(`the published bundle does not verify: ${verified.stdout.slice(0, 300)}`);
  }
  return present ? 'published' : 'absent';
}

export async function exportTrial(fixture: Fixture, trial: number, how: TrialHow, scenario: string, place?: TrialPlace): Promise<TrialResult> {
  const bad: string[] = [];
  const notes: string[] = [];
  const home = place?.home ?? (await cloneHome(fixture, join(fixture.root, `${scenario}-${tag(trial, how)}-home`)));
  const out = place?.dir ?? join(fixture.root, `${scenario}-${tag(trial, how)}-out`);
  if (!place) await mkdir(out);
  const name = 'fx';
  const bundle = join(out, `${name}.airlock.tar`);
  const plain = ['export', '--out', out, '--name', name, '--passphrase-file', fixture.passFile, '--json', fixture.source];
  const args = place?.exportArgs?.(plain) ?? plain;
  const first = place ? await place.first(args) : await airlock(home, args, how);
  const firstVerdict = exportVerdict(first);
  if (how.crashAt && !first.killed) bad.push(`crash point ${how.crashAt} not reached (${firstVerdict})`);
  const after = await checkExportRecords(fixture, home, bundle, bad);
  const recovered = readLedger(home).events.some((e) => e.type === 'export' && e.details.recovered === true);
  const retry = await airlock(home, args);
  const retryVerdict = exportVerdict(retry);
  const expected = after === 'published' ? 'OUTPUT_EXISTS' : 'ok';
  if (retryVerdict !== expected) bad.push(`retry said ${retryVerdict}, expected ${expected}: ${retry.stderr.slice(0, 300)}`);
  if ((await checkExportRecords(fixture, home, bundle, bad)) !== 'published') bad.push('after the retry no bundle is published');
  const temps = (await readdir(out)).filter((n) => n.endsWith('.partial'));
  if (temps.length > 0) notes.push(`temp files left: ${temps.join(', ')}`);
  return {
    scenario,
    trial,
    outcome: `${first.killed ? 'killed' : firstVerdict}@${instant(how, first)}: ${after}${recovered ? ' (recovered)' : ''}, retry ${retryVerdict}`,
    bad,
    notes,
    ...(how.crashAt ? {} : { covered: first.killed }),
  };
}

/** Two imports of one bundle at once, into two folders or one: exactly one wins, the other says REPLAY (or OUTPUT_EXISTS). */
export async function raceTrial(fixture: Fixture, trial: number, sameFolder: boolean): Promise<TrialResult> {
  const scenario = sameFolder ? 'race-import-same-folder' : 'race-import-two-folders';
  const bad: string[] = [];
  const home = await cloneHome(fixture, join(fixture.root, `${scenario}-${trial}-home`));
  const dests = sameFolder ? [join(fixture.root, `${scenario}-${trial}-dest`)] : [0, 1].map((i) => join(fixture.root, `${scenario}-${trial}-dest${i}`));
  for (const d of dests) await mkdir(d);
  const runs = await Promise.all([0, 1].map((i) => airlock(home, ['import', fixture.bundle, '--dest', dests[i % dests.length] as string, '--json'])));
  const verdicts = runs.map(importVerdict).sort();
  const allowed = sameFolder
    ? [
        ['OUTPUT_EXISTS', 'ok'],
        ['REPLAY', 'ok'],
      ]
    : [['REPLAY', 'ok']];
  if (!allowed.some((a) => a.join() === verdicts.join()))
    bad.push(`verdicts ${verdicts.join(', ')}: ${runs.map((r) => r.stdout.slice(0, 200) + r.stderr.slice(0, 200)).join(' | ')}`);
  const verify = await auditVerify(home);
  if (verify) bad.push(verify);
  const ledger = readLedger(home);
  const imported = ledger.imports.filter((r) => r.status === 'imported');
  if (imported.length !== 1) bad.push(`${imported.length} imports recorded`);
  const okEvents = ledger.events.filter((e) => e.type === 'import' && e.outcome === 'ok');
  if (okEvents.length !== 1) bad.push(`${okEvents.length} 'import ok' events`);
  let present = 0;
  for (const d of dests) {
    const state = await importState(fixture, join(d, BUNDLE_NAME));
    if (state === 'complete') present += 1;
    else if (state !== 'absent') bad.push(`${d}: ${state}`);
    if ((await readdir(d)).some((n) => n.startsWith('.airlock-staging-'))) bad.push(`${d}: staging left behind`);
  }
  if (present !== 1) bad.push(`${present} destinations hold the import`);
  return { scenario, trial, outcome: verdicts.join(' + '), bad, notes: [] };
}

/** An import and an export of other data on one home at the same time: both succeed, one valid chain. */
export async function mixedTrial(fixture: Fixture, trial: number): Promise<TrialResult> {
  const scenario = 'import-with-export';
  const bad: string[] = [];
  const home = await cloneHome(fixture, join(fixture.root, `${scenario}-${trial}-home`));
  const dest = join(fixture.root, `${scenario}-${trial}-dest`);
  const out = join(fixture.root, `${scenario}-${trial}-out`);
  await mkdir(dest);
  await mkdir(out);
  const [imported, exported] = await Promise.all([
    airlock(home, ['import', fixture.bundle, '--dest', dest, '--json']),
    airlock(home, ['export', '--out', out, '--name', 'mixed', '--passphrase-file', fixture.passFile, '--json', fixture.source]),
  ]);
  const verdicts = [importVerdict(imported), exportVerdict(exported)];
  if (verdicts.join() !== 'ok,ok') bad.push(`import ${verdicts[0]}, export ${verdicts[1]}: ${imported.stderr.slice(0, 200)} ${exported.stderr.slice(0, 200)}`);
  const verify = await auditVerify(home);
  if (verify) bad.push(verify);
  const ledger = readLedger(home);
  if (ledger.imports.some((r) => r.status === 'pending') || ledger.exports.some((r) => r.status === 'pending')) bad.push('intent left pending');
  return { scenario, trial, outcome: `import ${verdicts[0]}, export ${verdicts[1]}`, bad, notes: [] };
}

/** Two exports under one name into one folder at once: one publishes, the other says OUTPUT_EXISTS; both recorded. */
export async function raceExportTrial(fixture: Fixture, trial: number): Promise<TrialResult> {
  const scenario = 'race-export-same-name';
  const bad: string[] = [];
  const home = await cloneHome(fixture, join(fixture.root, `${scenario}-${trial}-home`));
  const out = join(fixture.root, `${scenario}-${trial}-out`);
  await mkdir(out);
  const args = ['export', '--out', out, '--name', 'same', '--passphrase-file', fixture.passFile, '--json', fixture.source];
  const runs = await Promise.all([airlock(home, args), airlock(home, args)]);
  const verdicts = runs.map(exportVerdict).sort();
  if (verdicts.join() !== 'OUTPUT_EXISTS,ok') bad.push(`verdicts ${verdicts.join(', ')}: ${runs.map((r) => r.stderr.slice(0, 200)).join(' | ')}`);
  const bundle = join(out, 'same.airlock.tar');
  await checkExportRecords(fixture, home, bundle, bad);
  const failed = readLedger(home).events.filter((e) => e.type === 'export' && e.outcome === 'failed' && e.errorCode === 'OUTPUT_EXISTS');
  if (failed.length !== 1) bad.push(`${failed.length} failed export events (expected the loser's one)`);
  return { scenario, trial, outcome: verdicts.join(' + '), bad, notes: [] };
}
