/**
 * Hazard: an inbox bundle lost to a replay of an import that never happened. A manual `airlock
 * import` of the same bundle holds its claim; the watcher's import is refused as REPLAY ("being
 * imported right now"), and the watcher settled the bundle in quarantine/ as REJECTED. When the
 * manual import then died (kill -9) before its commit, nothing imported the bundle: the inbox had
 * refused a good bundle for good (found by the fault harness's race-home scenario, seed 8 trial 1).
 * Now such a claim waits and is tried again: imported once the other import is gone, or refused
 * as a replay of it if it committed. A try that waits records no audit event (each retry used to
 * record one more "import rejected REPLAY", a refusal that never was: lostupd), and
 * `watch --status` names the bundle and the import it waits for.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { homePaths } from '../../../electron/core/home/station-home.js';
import { CLI_BIN, REPO_ROOT } from '../../helpers/cli-runner.js';
import { createStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import type { WatchStatus } from '../../../shared/watch.js';
import { readStatusFiles, settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../../helpers/watch-process.js';

const tempDir = useTempDirs();
let watch: WatchChild | null = null;
afterEach(async () => {
  if (watch) await stopWatch(watch, 'SIGKILL');
  watch = null;
});

function importEvents(home: string): Array<{ outcome: string; codes: string }> {
  const db = new Database(homePaths(home).database, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT outcome, problem_codes AS codes FROM audit_events WHERE type = 'import' ORDER BY seq").all() as Array<{
      outcome: string;
      codes: string;
    }>;
  } finally {
    db.close();
  }
}

function pendingClaims(home: string): number {
  const db = new Database(homePaths(home).database, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM imports WHERE status = 'pending'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('watch: a bundle that another process is importing right now', () => {
  it('waits while the other import holds it, and imports it once that import died uncommitted', async () => {
    const station = await createStation(await tempDir('station-'));
    const source = join(await tempDir('src-'), 'big');
    await mkdir(source);
    // Large enough that the manual import is still reading when it is stopped.
    await writeFile(join(source, 'payload.bin'), Buffer.alloc(48 * 2 ** 20, 7));
    const out = await tempDir('out-');
    const bundle = (await station.exportBundle(out, 'held', [source])).bundle.bundlePath;
    const inbox = await tempDir('inbox-');
    const dest = await tempDir('dest-');

    const env = { ...process.env };
    for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
    const manual = spawn(process.execPath, [CLI_BIN, '--home', station.home, 'import', bundle, '--dest', dest], { cwd: REPO_ROOT, env, stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => manual.on('exit', (_code, signal) => resolve(signal)));
    let over = false;
    void ended.then(() => (over = true));
    await waitUntil('the manual import holding its claim', () => over || pendingClaims(station.home) > 0, 120_000);
    expect(over, 'the manual import finished before it could be stopped').toBe(false);
    manual.kill('SIGSTOP');

    await copyFile(bundle, join(inbox, 'held.airlock.tar'));
    await writeFile(join(inbox, 'held.airlock.tar.done'), '');
    watch = startWatch(station.home, inbox, dest, ['--settle', '0']);
    const running = watch;
    await waitUntil(
      'the watcher meeting the claim',
      async () => running.stderr().includes('another process is importing this bundle') || (await settledNames(inbox, 'quarantine')).length > 0,
      120_000,
    );
    expect(await settledNames(inbox, 'quarantine')).toEqual([]);
    // Tried at 0, 1 and 3 s: three tries, none of them a refusal on record.
    await waitUntil('the third try', async () => (await readStatusFiles(station.home)).some((s) => (s.importWaits?.[0]?.tries ?? 0) >= 3), 60_000);
    expect(importEvents(station.home).filter((e) => e.outcome === 'rejected')).toEqual([]);
    const status = await station.run(['watch', '--status', inbox, '--json']);
    const [watcher] = (JSON.parse(status.stdout) as { watchers: WatchStatus[] }).watchers;
    expect(watcher?.importWaits).toEqual([
      expect.objectContaining({ name: 'held', other: expect.objectContaining({ pid: manual.pid, destination: join(dest, 'held') }) }),
    ]);
    expect((await station.run(['watch', '--status', inbox])).stdout).toMatch(/waiting: held for import #\d+ \(process \d+/u);

    manual.kill('SIGKILL');
    expect(await ended).toBe('SIGKILL');
    await waitUntil(
      'the bundle settled',
      async () => (await settledNames(inbox, 'accepted')).length + (await settledNames(inbox, 'quarantine')).length > 0,
      120_000,
    );
    expect(await settledNames(inbox, 'accepted')).toEqual(['held']);
    expect(await settledNames(inbox, 'quarantine')).toEqual([]);
    expect((await readdir(join(dest, 'held'))).sort()).toEqual(['big']);
    await waitUntil('its ACCEPTED line', () => /ACCEPTED/u.test(running.stdout()), 60_000);
    // The outcome once: one import ok (the manual import, killed, recorded none), no refusal.
    expect(importEvents(station.home).filter((e) => e.outcome !== 'failed' && e.outcome !== 'cancelled')).toEqual([{ outcome: 'ok', codes: '[]' }]);
    await waitUntil(
      'the wait gone from the status',
      async () => (await readStatusFiles(station.home)).every((s) => (s.importWaits ?? []).length === 0),
      30_000,
    );
  }, 300_000);
});
