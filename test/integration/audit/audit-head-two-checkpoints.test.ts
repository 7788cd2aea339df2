/**
 * Hazard: audit-head.json left behind the database by two checkpoints at once. A checkpoint reads
 * the head file and writes its own head only if it is not older; two processes could both read
 * the old head, and the older checkpoint's write land last: the file then vouched for one
 * checkpoint less than the database held (never a false head, but the newest events went
 * unvouched outside the database). The compare and the write now hold the home's file lock
 * (lostupd's leftover). Made deterministic by a barrier: process A is held between its read of
 * the head file and its write while process B checkpoints a newer head.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { homePaths } from '../../../electron/core/home/station-home.js';
import { describeResult, REPO_ROOT } from '../../helpers/cli-runner.js';
import { createStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const CHILD = join(import.meta.dirname, 'checkpoint-at-barrier.ts');

interface Child {
  done: Promise<{ code: number | null; out: string }>;
  exited: () => boolean;
}

function checkpointChild(home: string, passFile: string, barrier: string, started: string): Child {
  const env = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, barrier, started, '--home', home, 'audit', 'checkpoint', '--passphrase-file', passFile, '--json'],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let exited = false;
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      exited = true;
      resolve({ code, out });
    });
  });
  return { done, exited: () => exited };
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('audit-head.json: two checkpoints at once in two processes', () => {
  it('the head file ends at the newest checkpoint, not the one whose write landed last', async () => {
    const station = await createStation(await tempDir('head-'));
    const paths = homePaths(station.home);
    const scratch = await tempDir('barrier-');
    const barrier = join(scratch, 'a');
    const a = checkpointChild(station.home, station.passFile, barrier, '-');
    expect(await until(() => existsSync(`${barrier}.reached`) || a.exited(), 60_000), 'A never reached its read of the head file').toBe(true);
    if (a.exited()) expect.fail(`A ended before its read of the head file: ${(await a.done).out}`);
    // A newer head than A's: one more event (a backup is recorded), then B checkpoints it.
    const backup = await station.run(['keys', 'backup', '--out', join(scratch, 'backup'), '--passphrase-file', station.passFile]);
    expect(backup.code, describeResult(backup)).toBe(0);
    const startedB = join(scratch, 'b-started');
    const b = checkpointChild(station.home, station.passFile, '-', startedB);
    // Without the lock B writes its head now; with it B waits for A. Give B time to get there either way.
    expect(await until(() => existsSync(startedB) || b.exited(), 60_000)).toBe(true);
    await until(b.exited, 4_000);
    await writeFile(`${barrier}.go`, '');
    const [doneA, doneB] = await Promise.all([a.done, b.done]);
    expect(doneA.code, doneA.out).toBe(0);
    expect(doneB.code, doneB.out).toBe(0);
    const seqA = (JSON.parse(doneA.out.trim()) as { checkpoint: { seq: number } }).checkpoint.seq;
    const seqB = (JSON.parse(doneB.out.trim()) as { checkpoint: { seq: number } }).checkpoint.seq;
    expect(seqB).toBeGreaterThan(seqA);
    const db = new Database(paths.database, { readonly: true });
    const newest = (db.prepare('SELECT MAX(event_seq) AS seq FROM audit_checkpoints').get() as { seq: number }).seq;
    db.close();
    expect(newest).toBe(seqB);
    const head = JSON.parse(await readFile(paths.auditHead, 'utf8')) as { seq: number };
    expect(head.seq).toBe(newest);
    const verify = await station.run(['audit', 'verify', '--json']);
    expect(verify.code, describeResult(verify)).toBe(0);
  }, 120_000);
});
