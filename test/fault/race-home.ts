/**
 * Many commands at once on ONE station home, a seeded subset killed with SIGKILL at seeded points
 * of their progress (progress-kill.ts), then the next start settles what the dead left and the
 * invariants are checked: the audit chain verifies; no export sequence number is taken twice;
 * every import target holds a whole import recorded once (one ledger row, one ok event) or
 * nothing, and one bundle is imported once on the station; no staging folder, temp file or
 * inbox claim is left after the settle; every command that failed said a code and exit code of
 * docs/cli.md (SQLITE_BUSY, EEXIST and friends never reach the operator raw); the ledger, the
 * file system and the audit log agree.
 *
 * At once: three imports of the fixture bundle (two into one folder, one into another), a manual
 * import of the bundle a running `watch` inbox holds into the watcher's folder, two exports with
 * default names (sequence numbers), a verify, `keys trust` then `keys untrust` of another key, the
 * audit views (`audit verify`, `audit list`, `audit export`) while events are written, and a
 * quarantine release into the watcher's folder while the inbox writes there.
 */
import { copyFile, cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../helpers/watch-process.js';
import { airlock, auditVerify, BUNDLE_NAME, importState, json, readLedger, type Fixture, type Run } from './harness.js';
import { EXPORT_PHASES, IMPORT_PHASES, type ProgressKill } from './progress-kill.js';
import {
  drainWatch,
  duplicates,
  exportSequences,
  keyEvents,
  QUARANTINED,
  raceSet,
  releasedState,
  SECOND,
  trustedFingerprints,
  unsettled,
} from './race-home-set.js';
import { docCodes, operatorFacingFault } from './race-verdicts.js';
import type { TrialResult } from './scenarios.js';

/** A kill's chance per killable command (the watcher's is 0.5, drawn in raceHomeTrial). */
const KILL_CHANCE = 0.35;
const VERIFY_PHASES = IMPORT_PHASES.slice(0, 3);

type Kind = 'import' | 'export' | 'verify' | 'keys' | 'audit' | 'release';

interface Command {
  label: string;
  kind: Kind;
  /** One command line, or several run one after the other (keys trust then untrust). */
  steps: string[][];
  killAt?: ProgressKill | undefined;
  runs: Run[];
}

/** Seeded: two draws per killable command, whether or not it is killed, so a seed names the same plan whatever came before. */
function killPlan(rand: () => number, phases: ProgressKill['phases']): ProgressKill | undefined {
  const chance = rand();
  const at = rand();
  return chance < KILL_CHANCE ? { phases, at } : undefined;
}

export async function raceHomeTrial(fixture: Fixture, trial: number, rand: () => number): Promise<TrialResult> {
  const set = await raceSet(fixture);
  const bad: string[] = [];
  const notes: string[] = [];
  const place = join(fixture.root, `race-home-${trial}`);
  const home = join(place, 'home');
  await cp(set.template, home, { recursive: true });
  const [d1, d2, dw, inbox, out] = ['dest1', 'dest2', 'dest-watch', 'inbox', 'out'].map((n) => join(place, n)) as [string, string, string, string, string];
  for (const d of [d1, d2, dw, inbox, out]) await mkdir(d);
  await copyFile(set.second, join(inbox, `${SECOND}.airlock.tar`));
  await writeFile(join(inbox, `${SECOND}.airlock.tar.done`), '');

  const A = fixture.bundle;
  const importA = (label: string, dest: string): Command => ({
    label,
    kind: 'import',
    steps: [['import', A, '--dest', dest, '--json']],
    killAt: killPlan(rand, IMPORT_PHASES),
    runs: [],
  });
  const exportCmd = (label: string): Command => ({
    label,
    kind: 'export',
    steps: [['export', '--out', out, '--passphrase-file', fixture.passFile, '--json', fixture.source]],
    killAt: killPlan(rand, EXPORT_PHASES),
    runs: [],
  });
  const commands: Command[] = [
    importA('import-A-d1', d1),
    importA('import-A-d1-again', d1),
    importA('import-A-d2', d2),
    { label: 'import-B-watchdir', kind: 'import', steps: [['import', set.second, '--dest', dw, '--json']], killAt: killPlan(rand, IMPORT_PHASES), runs: [] },
    exportCmd('export-1'),
    exportCmd('export-2'),
    { label: 'verify-A', kind: 'verify', steps: [['verify', '--json', A]], killAt: killPlan(rand, VERIFY_PHASES), runs: [] },
    {
      label: 'keys-1',
      kind: 'keys',
      steps: [
        ['keys', 'trust', set.others[0]!.file, '--fingerprint', set.others[0]!.fpr, '--label', 'race 1', '--json'],
        ['keys', 'untrust', set.others[0]!.fpr, '--json'],
        ['keys', 'trust', set.others[0]!.file, '--fingerprint', set.others[0]!.fpr, '--label', 'race 1', '--json'],
      ],
      runs: [],
    },
    {
      label: 'keys-2',
      kind: 'keys',
      steps: [
        ['keys', 'trust', set.others[1]!.file, '--fingerprint', set.others[1]!.fpr, '--label', 'race 2', '--json'],
        ['keys', 'list', '--json'],
        ['keys', 'untrust', set.others[1]!.fpr, '--json'],
        ['keys', 'trust', set.others[1]!.file, '--fingerprint', set.others[1]!.fpr, '--label', 'race 2', '--json'],
      ],
      runs: [],
    },
    {
      label: 'audit',
      kind: 'audit',
      steps: [
        ['audit', 'verify', '--json'],
        ['audit', 'list', '--limit', '50', '--json'],
        ['audit', 'export', '--format', 'json'],
      ],
      runs: [],
    },
    {
      label: 'release',
      kind: 'release',
      steps: [['quarantine', 'release', set.quarantineId, '--dest', dw, '--reason', 'fault harness race', '--yes', '--json']],
      runs: [],
    },
  ];
  // The watcher: killed at a seeded instant after it starts (it prints no progress), or stopped once its inbox is drained.
  const watchKillMs = rand() < 0.5 ? rand() * 3000 : null;

  const watch: WatchChild = startWatch(home, inbox, dw, ['--settle', '0']);
  let watchKilledEarly = false;
  const watchTimer = watchKillMs === null ? null : setTimeout(() => watch.child.kill('SIGKILL'), watchKillMs);
  try {
    await Promise.all(
      commands.map(async (c) => {
        for (const args of c.steps) c.runs.push(await airlock(home, args, c.killAt ? { killAt: c.killAt } : {}));
      }),
    );
    if (watchKillMs === null) {
      await waitUntil('the inbox drained', async () => (await unsettled(inbox)) === 0 || watch.child.exitCode !== null, 300_000);
      const end = await stopWatch(watch);
      if (end.code !== 0) bad.push(`the watcher ended ${end.code ?? end.signal}: ${watch.stderr().slice(0, 300)}`);
    } else {
      const end = await watch.ended;
      watchKilledEarly = end.signal === 'SIGKILL' && (await settledNames(inbox, 'accepted')).length + (await settledNames(inbox, 'quarantine')).length === 0;
      if (end.signal !== 'SIGKILL') bad.push(`the watcher ended by itself before its kill: ${end.code}`);
    }
  } finally {
    if (watchTimer) clearTimeout(watchTimer);
    await stopWatch(watch, 'SIGKILL');
  }

  // Each finished command: ok, or a code and exit code docs/cli.md gives, never a raw errno or SQLite code.
  const codes = await docCodes();
  for (const c of commands)
    for (const r of c.runs) {
      if (r.killed) continue;
      const fault = operatorFacingFault(r, codes, c.kind === 'audit' && r === c.runs[2]);
      if (fault) bad.push(`${c.label}: ${fault}`);
    }
  const verdict = (c: Command, i = 0): string => {
    const r = c.runs[i];
    if (!r) return 'not run';
    if (r.killed) return 'killed';
    const j = json<{ ok?: boolean; problems?: Array<{ code: string }>; error?: { code: string } }>(r);
    if (r.code === 0) return 'ok';
    return j?.error?.code ?? j?.problems?.map((p) => p.code).join('+') ?? `exit ${r.code}`;
  };
  // What each command may say here: nothing on this home refuses A or B but the replay guard.
  for (const c of commands) {
    c.runs.forEach((r, i) => {
      const v = verdict(c, i);
      if (v === 'killed' || v === 'ok') return;
      if (c.kind === 'import' && (v === 'REPLAY' || v === 'OUTPUT_EXISTS')) return;
      bad.push(`${c.label}: said ${v} (${r.stdout.slice(0, 200)}${r.stderr.slice(0, 200)})`);
    });
  }
  // Each finished import, export and verify names its audit event: it is there, of its type.
  const before = readLedger(home);
  for (const c of commands) {
    const r = c.runs[0];
    if (!r || r.killed || !['import', 'export', 'verify'].includes(c.kind)) continue;
    const j = json<{ auditEvent?: number; bundle?: { auditEvent?: number } }>(r);
    const seq = j?.auditEvent ?? j?.bundle?.auditEvent;
    if (typeof seq !== 'number') continue;
    const e = before.events.find((x) => x.seq === seq);
    if (e?.type !== c.kind) bad.push(`${c.label}: its audit event #${seq} is ${e ? e.type : 'missing'}`);
  }

  // The next start: `audit verify` settles what the dead left; a killed watcher's claim is the next watcher's.
  const verify = await auditVerify(home);
  if (verify) bad.push(`after the race: ${verify}`);
  if (watchKillMs !== null) {
    const restarted = await drainWatch(home, inbox, dw);
    if (restarted.code !== 0) bad.push(`the restarted watcher ended ${restarted.code ?? restarted.signal}: ${restarted.out.slice(0, 300)}`);
  }
  // The places, the ledger and the audit log against each other (after the settle, and again after the retries).
  const places = async (stage: string): Promise<Array<{ name: string; target: string; state: string }>> => {
    const fail = (what: string): number => bad.push(`${stage}: ${what}`);
    const quarantine = await airlock(home, ['quarantine', 'list', '--json']);
    const entry = json<{ entries: Array<{ id: string; status: string }> }>(quarantine)?.entries.find((e) => e.id === set.quarantineId);
    const verified = await auditVerify(home);
    if (verified) fail(verified);
    const ledger = readLedger(home);
    if (ledger.imports.some((r) => r.status === 'pending')) fail('an import claim still pending');
    if (ledger.exports.some((r) => r.status === 'pending')) fail('an export intent still pending');
    // Imports: whole and recorded once, or absent; one bundle imported once on the station.
    const targets: Array<{ name: string; target: string; state: string }> = [];
    for (const [name, target] of [
      ['A/dest1', join(d1, BUNDLE_NAME)],
      ['A/dest2', join(d2, BUNDLE_NAME)],
      ['B/dest-watch', join(dw, SECOND)],
    ] as const)
      targets.push({ name, target, state: await importState(fixture, target) });
    targets.push({ name: 'Q/dest-watch', target: join(dw, QUARANTINED), state: await releasedState(join(dw, QUARANTINED), set.quarantinedBytes) });
    for (const t of targets) {
      if (t.state !== 'complete' && t.state !== 'absent') fail(`${t.name}: ${t.state}`);
      const rows = ledger.imports.filter((r) => r.status === 'imported' && r.destination === t.target).length;
      const ok = ledger.events.filter((e) => e.type === 'import' && e.outcome === 'ok' && e.details.destination === t.target).length;
      const want = t.state === 'complete' ? 1 : 0;
      if (rows !== want || ok !== want) fail(`${t.name} ${t.state} but ${rows} imported row(s), ${ok} 'import ok' event(s)`);
    }
    const aPlaces = targets.slice(0, 2).filter((t) => t.state === 'complete').length;
    if (aPlaces > 1) fail(`A imported into ${aPlaces} folders`);
    const byDest = new Map(targets.map((t) => [t.target, t.state]));
    const elsewhere = ledger.imports.filter((r) => r.status === 'imported' && !byDest.has(r.destination));
    if (elsewhere.length > 0) fail(`import(s) recorded at unexpected places: ${elsewhere.map((r) => r.destination).join(', ')}`);
    const released = byDest.get(join(dw, QUARANTINED));
    if ((entry?.status === 'released') !== (released === 'complete'))
      fail(`quarantine entry ${entry?.status ?? 'missing'} but the release's folder is ${released}`);
    // Exports: a published bundle has one ok event and one exported intent; an ok event names a bundle that is there.
    const published = (await readdir(out)).filter((n) => n.endsWith('.airlock.tar')).map((n) => join(out, n));
    for (const bundle of published) {
      const ok = ledger.events.filter((e) => e.type === 'export' && e.outcome === 'ok' && e.details.bundlePath === bundle).length;
      const rows = ledger.exports.filter((r) => r.path === bundle && r.status === 'exported').length;
      if (ok !== 1 || rows !== 1) fail(`${bundle}: ${ok} 'export ok' event(s), ${rows} exported intent(s)`);
    }
    for (const e of ledger.events.filter((x) => x.type === 'export' && x.outcome === 'ok' && String(x.details.bundlePath).startsWith(out)))
      if (!published.includes(String(e.details.bundlePath))) fail(`'export ok' #${e.seq} names ${String(e.details.bundlePath)}, not there`);
    // Keys: the trust store holds what the template held plus the trusts and minus the untrusts the log records.
    const store = await trustedFingerprints(home);
    const expectedKeys = new Set(templateKeys);
    for (const e of keyEvents(home)) {
      if (e.type === 'key-trust') expectedKeys.add(e.fpr);
      else expectedKeys.delete(e.fpr);
    }
    const keysWant = [...expectedKeys].sort().join();
    if (store.join() !== keysWant) fail(`the trust store holds ${store.join(', ')}; the audit log says ${keysWant}`);
    // No sequence number taken twice (intents: every export that took one; ok events: every published one).
    const seqs = exportSequences(home);
    const twice = [...duplicates(seqs.intents), ...duplicates(seqs.events)];
    if (twice.length > 0) fail(`export sequence number(s) used twice: ${twice.join(', ')}`);
    return targets;
  };

  const templateKeys = await trustedFingerprints(set.template);
  const settled = await places('after the settle');
  const aIn = settled.slice(0, 2).some((t) => t.state === 'complete');
  const bIn = settled[2]?.state === 'complete';
  // The inbox may refuse B as a replay only of an import that stands: refused while nothing imported it, B would be lost to the inbox.
  if (!bIn && (await settledNames(inbox, 'quarantine')).includes(SECOND)) bad.push('the inbox quarantined B while no import of B stands');
  const racePublished = (await readdir(out)).filter((n) => n.endsWith('.airlock.tar')).length;

  // The next command into each folder: it sweeps what a dead predecessor left there, and it does the right thing.
  const retryVerdict = (r: Run): string =>
    r.code === 0
      ? 'ok'
      : (json<{ problems?: Array<{ code: string }>; error?: { code: string } }>(r)
          ?.problems?.map((p) => p.code)
          .join('+') ?? `exit ${r.code}`);
  const retries: Array<[string, string[], string]> = [
    ['A into dest1', ['import', A, '--dest', d1, '--json'], aIn ? 'REPLAY' : 'ok'],
    ['A into dest2', ['import', A, '--dest', d2, '--json'], 'REPLAY'],
    ['B into dest-watch', ['import', set.second, '--dest', dw, '--json'], bIn ? 'REPLAY' : 'ok'],
    ['an export', ['export', '--out', out, '--passphrase-file', fixture.passFile, '--json', fixture.source], 'ok'],
  ];
  const said: string[] = [];
  for (const [what, args, expected] of retries) {
    const r = await airlock(home, args);
    const v = retryVerdict(r);
    said.push(v);
    if (v !== expected) bad.push(`retry of ${what} said ${v}, expected ${expected}: ${r.stderr.slice(0, 200)}`);
  }
  const final = await places('after the retries');
  if (final.slice(0, 2).filter((t) => t.state === 'complete').length !== 1) bad.push('after the retries A is not imported once');
  if (final[2]?.state !== 'complete') bad.push('after the retries B is not imported');

  // Debris after the settle and the next command into each folder: staging, temp files, claims.
  for (const d of [d1, d2, dw]) {
    const left = (await readdir(d)).filter((n) => n.startsWith('.airlock-staging-'));
    if (left.length > 0) bad.push(`staging left in ${d}: ${left.join(', ')}`);
  }
  const hidden = (await readdir(out)).filter((n) => n.startsWith('.'));
  if (hidden.length > 0) bad.push(`export temp files left: ${hidden.join(', ')}`);
  if ((await unsettled(inbox)) !== 0) bad.push('the inbox still holds B or a claim of it');
  const inboxSettled = [...(await settledNames(inbox, 'accepted')), ...(await settledNames(inbox, 'quarantine'))];
  if (inboxSettled.join() !== SECOND) bad.push(`the inbox settled ${inboxSettled.join(', ') || 'nothing'}, expected ${SECOND} once`);
  for (const bundle of (await readdir(out)).filter((n) => n.endsWith('.airlock.tar'))) {
    const checked = await airlock(home, ['verify', '--json', join(out, bundle)]);
    if (checked.code !== 0) bad.push(`${bundle} does not verify: ${checked.stdout.slice(0, 200)}`);
  }

  const killable = commands.filter((c) => c.killAt);
  const landed = killable.filter((c) => c.runs[0]?.killed);
  const watchPart = watchKillMs === null ? 'watch stopped' : `watch killed${watchKilledEarly ? ' before settling' : ' after settling'}`;
  const where = landed.map((c) => `${c.label} ${c.runs[0]?.killedAt ?? ''}`).join(', ');
  const placed = settled.map((t) => `${t.name} ${t.state === 'complete' ? 'in' : t.state}`).join(', ');
  return {
    scenario: 'race-home',
    trial,
    outcome: `${landed.length}/${killable.length} killed, ${watchPart}@${where || 'none'}: ${placed}, ${racePublished} exports, release ${verdict(commands.find((c) => c.kind === 'release') as Command)}; retries ${said.join(' ')}`,
    bad,
    notes,
    ...(killable.length + (watchKillMs === null ? 0 : 1) > 0 ? { covered: landed.length > 0 || watchKilledEarly } : {}),
  };
}
