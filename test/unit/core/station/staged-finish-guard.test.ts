/**
 * One staged export makes one bundle (faults10: `two-person` kill-finish and race-finish wrote two
 * bundles of one staged export; a discard could go through while a finish was writing). The
 * states a kill or a race leaves are made here directly: the staged folder as a finish killed
 * after publishing left it (the intent settled `exported`), a finish running now (a pending
 * intent whose owner, this process, is alive), an approve killed after its signature and before
 * its event (`crash-approve`: the signature counted and written into the bundle), a prepare killed
 * before its signature.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { currentOwner, ownerColumns } from '../../../../electron/core/recovery/process-owner.js';
import { describeResult, parseJson } from '../../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../../helpers/station.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let operator: TestStation;
let reviewerKey: string;
let reviewerPass: string;
let payload: string;

beforeAll(async () => {
  operator = await createStation(await tempDir('operator-'), 'Operator');
  const reviewer = await createStation(await tempDir('reviewer-'), 'Reviewer');
  reviewerKey = join(reviewer.home, 'keys', 'station-key.private.asc');
  reviewerPass = reviewer.passFile;
  payload = join(await tempDir('payload-'), 'release');
  await mkdir(payload);
  await writeFile(join(payload, 'a.txt'), 'alpha\n');
}, 60_000);

async function prepared(name: string): Promise<{ dir: string; sequence: number }> {
  const result = await operator.run(['export', '--prepare', '--name', name, '--passphrase-file', operator.passFile, '--json', payload]);
  expect(result.code, describeResult(result)).toBe(0);
  const dir = parseJson<{ staged: { stagedDir: string } }>(result).staged.stagedDir;
  const sequence = (JSON.parse(await readFile(join(dir, 'staged.json'), 'utf8')) as { sequence: number }).sequence;
  return { dir, sequence };
}

const approve = (dir: string) => operator.run(['approve', dir, '--key', reviewerKey, '--passphrase-file', reviewerPass, '--yes', '--json']);
const finish = (dir: string, out: string) => operator.run(['export', '--finish', dir, '--out', out, '--passphrase-file', operator.passFile, '--json']);
const errorCode = (result: { stdout: string }): string | undefined => (JSON.parse(result.stdout) as { error?: { code?: string } }).error?.code;

function okEvents(type: string): number {
  const db = new Database(homePaths(operator.home).database, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = ? AND outcome = 'ok'").get(type) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A finish's export intent as recovery/export-intent.ts writes it, owned by this (live) process. */
function intentRow(sequence: number, name: string, path: string, status: 'pending' | 'exported'): void {
  const db = new Database(homePaths(operator.home).database);
  try {
    db.prepare(
      `INSERT INTO export_intents (kind, bundle_name, sequence, station, path, status, operator, details, owner_pid, owner_host, owner_boot, owner_start, started_at)
       VALUES ('folder', ?, ?, 'Operator', ?, ?, 'o', '{}', ?, ?, ?, ?, ?)`,
    ).run(name, sequence, path, status, ...ownerColumns(currentOwner()), new Date().toISOString());
  } finally {
    db.close();
  }
}

describe('a staged export is finished once', () => {
  it('a finish killed after publishing: finishing again elsewhere or approving is STAGED_FINISHED; discard clears it', async () => {
    const { dir, sequence } = await prepared('once-killed');
    expect((await approve(dir)).code).toBe(0);
    // What a kill after the publishing rename leaves once the next command settled it: the staged folder whole, its
    // finish's intent 'exported' (recovered). The real kill is the fault harness's two-person kill-finish.
    const first = await tempDir('out1-');
    intentRow(sequence, 'once-killed', join(first, 'once-killed.airlock.tar'), 'exported');
    // The list says so (faults11): not `ready`, which finish and approve refuse, but finished, naming the bundle.
    const listed = parseJson<{ staged: Array<{ name: string; state: string; reason: string }> }>(await operator.run(['export', '--list-staged', '--json']));
    expect(listed.staged.find((s) => s.name === 'once-killed')).toMatchObject({
      state: 'finished',
      reason: expect.stringContaining(join(first, 'once-killed.airlock.tar')),
    });
    const human = await operator.run(['export', '--list-staged']);
    expect(human.stdout).toMatch(/once-killed {2}FINISHED: .*\n.*--discard-staged once-killed/u);

    const second = await tempDir('out2-');
    const again = await finish(dir, second);
    expect(again.code, describeResult(again)).toBe(3);
    expect(errorCode(again)).toBe('STAGED_FINISHED');
    expect(await readdir(second)).toEqual([]);
    const late = await approve(dir);
    expect(errorCode(late)).toBe('STAGED_FINISHED');
    expect(okEvents('export-approve')).toBe(1);

    const discarded = await operator.run(['export', '--discard-staged', 'once-killed', '--json']);
    expect(discarded.code, describeResult(discarded)).toBe(0);
    const list = parseJson<{ staged: Array<{ name: string }> }>(await operator.run(['export', '--list-staged', '--json']));
    expect(list.staged.map((s) => s.name)).not.toContain('once-killed');
    expect((await readdir(join(operator.home, 'staged'))).filter((n) => n.includes('once-killed'))).toEqual([]);
  });

  it('while a finish is running: a second finish and a discard are refused, and the staged export stays', async () => {
    const { dir, sequence } = await prepared('once-running');
    expect((await approve(dir)).code).toBe(0);
    // A finish of this staged export running now: its pending intent, owned by a live process (this one).
    const out = await tempDir('running-');
    intentRow(sequence, 'once-running', join(out, 'once-running.airlock.tar'), 'pending');
    const discardsBefore = okEvents('export-discard');

    const other = await tempDir('other-');
    const second = await finish(dir, other);
    expect(errorCode(second), describeResult(second)).toBe('STAGED_FINISHED');
    expect(await readdir(other)).toEqual([]);
    const discard = await operator.run(['export', '--discard-staged', 'once-running', '--json']);
    expect(errorCode(discard), describeResult(discard)).toBe('STAGED_FINISHED');
    expect(okEvents('export-discard')).toBe(discardsBefore);
    const list = parseJson<{ staged: Array<{ name: string; state: string }> }>(await operator.run(['export', '--list-staged', '--json']));
    expect(list.staged.find((s) => s.name === 'once-running')?.state).toBe('ready');
  });

  it('a signature whose approval was never recorded (approve killed between the two) does not count; its signer approves again', async () => {
    const { dir } = await prepared('once-unrecorded');
    expect((await approve(dir)).code).toBe(0);
    // The kill came after the signature was durable, before its event: the event is not there.
    const db = new Database(homePaths(operator.home).database);
    db.prepare("DELETE FROM audit_events WHERE type = 'export-approve' AND bundle_name = 'once-unrecorded'").run();
    db.close();
    // Two signature files, one on record: the list counts what finish would carry (faults11).
    expect((await readdir(join(dir, 'signatures'))).filter((n) => !n.endsWith('.pub.asc'))).toHaveLength(2);
    const listed = parseJson<{ staged: Array<{ name: string; signatures: number; signers: Array<{ fingerprint: string }> }> }>(
      await operator.run(['export', '--list-staged', '--json']),
    );
    const entry = listed.staged.find((s) => s.name === 'once-unrecorded');
    expect(entry?.signatures).toBe(1);
    expect(entry?.signers.map((x) => x.fingerprint)).toEqual([operator.fingerprint]);
    const again = await approve(dir);
    expect(again.code, describeResult(again)).toBe(0);
    const signed = parseJson<{ staged: { signatures: Array<{ fingerprint: string }> } }>(again).staged.signatures;
    expect(signed).toHaveLength(2);
    expect(signed[0]?.fingerprint).toBe(operator.fingerprint);
  });

  it('a prepare killed before its own signature leaves nothing an approver may sign', async () => {
    const { dir } = await prepared('once-unsigned');
    // Killed between staged.json and the preparer's signature: the signatures folder is made, empty.
    for (const name of await readdir(join(dir, 'signatures'))) await rm(join(dir, 'signatures', name));
    const approved = await approve(dir);
    expect(errorCode(approved), describeResult(approved)).toBe('STAGED_INVALID');
    const list = parseJson<{ staged: Array<{ name: string; state: string; reason: string }> }>(await operator.run(['export', '--list-staged', '--json']));
    expect(list.staged.find((s) => s.name === 'once-unsigned')).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/nobody has signed/u) });
  });

  it('an approval or a prepare the log cannot take (a full home) leaves no signature and no staged folder behind', async () => {
    // The log refuses the ok event as a full home's would (the fault harness's full-disk-round2 fills a real one).
    const refuse = (type: string): void => {
      const db = new Database(homePaths(operator.home).database);
      db.exec(
        `CREATE TRIGGER refuse_ok BEFORE INSERT ON audit_events WHEN NEW.type = '${type}' AND NEW.outcome = 'ok' BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
      );
      db.close();
    };
    const allow = (): void => {
      const db = new Database(homePaths(operator.home).database);
      db.exec('DROP TRIGGER refuse_ok');
      db.close();
    };
    const { dir } = await prepared('once-refused');
    refuse('export-approve');
    const refused = await approve(dir);
    allow();
    expect(refused.code, describeResult(refused)).toBe(3);
    expect((await readdir(join(dir, 'signatures'))).filter((n) => !n.endsWith('.pub.asc'))).toHaveLength(1);
    const again = await approve(dir);
    expect(again.code, describeResult(again)).toBe(0);
    expect(parseJson<{ staged: { signatures: unknown[] } }>(again).staged.signatures).toHaveLength(2);

    refuse('export-prepare');
    const prepare = await operator.run(['export', '--prepare', '--name', 'once-unprepared', '--passphrase-file', operator.passFile, '--json', payload]);
    allow();
    expect(prepare.code, describeResult(prepare)).toBe(3);
    expect(await readdir(join(operator.home, 'staged'))).not.toContain('once-unprepared');
    await prepared('once-unprepared');
  });

  it('an approval recorded after a finish read the signatures: the finish writes nothing and says so; run again it carries it', async () => {
    const { dir } = await prepared('once-raced');
    expect((await approve(dir)).code).toBe(0);
    // What the finish read if the approve wrote its signature and event just after the finish's load: the preparer's
    // signature only, the approval on record. (The interleaving itself is two processes; this is its state.)
    const files = await readdir(join(dir, 'signatures'));
    const approval = files.filter((n) => n.startsWith('02-'));
    const saved = await Promise.all(approval.map(async (n) => [n, await readFile(join(dir, 'signatures', n))] as const));
    for (const n of approval) await rm(join(dir, 'signatures', n));
    const out = await tempDir('raced-');
    const raced = await finish(dir, out);
    expect(raced.code, describeResult(raced)).toBe(3);
    expect(JSON.parse(raced.stdout)).toMatchObject({ error: { code: 'STAGED_INVALID', message: expect.stringMatching(/recorded after this finish read/u) } });
    expect(await readdir(out)).toEqual([]);
    for (const [n, bytes] of saved) await writeFile(join(dir, 'signatures', n), bytes);
    const again = await finish(dir, out);
    expect(again.code, describeResult(again)).toBe(0);
    expect(parseJson<{ bundle: { signers: unknown[] } }>(again).bundle.signers).toHaveLength(2);
  });
});
