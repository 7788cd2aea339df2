/**
 * kill -9 of `airlock watch` at seeded random points (a claim just made, a payload being staged,
 * an import just committed, a report written, a bundle just moved), then a restart, round after
 * round: in the end every bundle dropped in the inbox lies exactly once in accepted/ or
 * quarantine/, every good one is imported exactly once (one ledger row, one ok event, never
 * refused as a replay of itself), nothing is left claimed, and the audit chain verifies.
 * Kill points are observed from outside (kill-points.ts style), so a loaded machine changes
 * when a kill lands, not where. SIGTERM mid-import stops cleanly and the next start finishes it.
 * The watcher's warm receipt renderer (pdf-render-warm.ts) dies with it: after each kill -9 no
 * child of the killed watcher is left.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { isProcessAlive } from '../../helpers/process-alive.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { inboxFolder, readStatusFiles, settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../../helpers/watch-process.js';

const GOOD = 14;
const SEED = Number(process.env.AIRLOCK_WATCH_KILL_SEED ?? 20261203);
let root: string;
let station: TestStation;
const good: Array<{ name: string; bytes: Buffer }> = [];
let bad: Buffer;
let running: WatchChild | null = null;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-kill-'));
  station = await createStation(root, 'Watch Kill');
  const out = join(root, 'out');
  await mkdir(out);
  for (let i = 0; i < GOOD; i += 1) {
    const name = `b${String(i).padStart(2, '0')}`;
    const src = join(root, 'src', name);
    await mkdir(src, { recursive: true });
    // A few files each, so staging takes long enough to be observed now and then.
    for (let f = 0; f < 6; f += 1) await writeFile(join(src, `f${f}.bin`), Buffer.alloc(256 * 1024, i * 7 + f));
    await station.exportBundle(out, name, [src]);
    good.push({ name, bytes: await readFile(join(out, `${name}.airlock.tar`)) });
  }
  // A bundle never dropped whole, with a byte of its last payload file flipped: CHECKSUM_MISMATCH, not a replay.
  const spare = join(root, 'src', 'spare');
  await mkdir(spare, { recursive: true });
  await writeFile(join(spare, 'spare.bin'), Buffer.alloc(256 * 1024, 0x5a));
  await station.exportBundle(out, 'spare', [spare]);
  bad = await readFile(join(out, 'spare.airlock.tar'));
  bad[bad.length - 4096] = bad[bad.length - 4096]! ^ 0xff;
}, 240_000);

afterEach(async () => {
  if (running) await stopWatch(running, 'SIGKILL');
  running = null;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The pids whose parent is `pid` now (the watcher's receipt renderer), from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/u.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // Field 4 is the parent pid; field 2 (the command) may hold spaces and parentheses, so count from its closing one.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === pid) found.push(Number(name));
  }
  return found;
}

async function fill(inbox: string, names: Array<{ name: string; bytes: Buffer }>): Promise<void> {
  for (const { name, bytes } of names) {
    await writeFile(join(inbox, `${name}.airlock.tar`), bytes);
    await writeFile(join(inbox, `${name}.airlock.tar.done`), '');
  }
}

/** Names of bundle folders committed in DEST (not receipts, not staging). */
async function committed(dest: string): Promise<string[]> {
  return (await readdir(dest).catch(() => [] as string[])).filter((n) => !n.startsWith('.') && !n.includes('receipt'));
}

type Point = 'claimed' | 'staging' | 'committed' | 'reported' | 'moved';
const POINTS: Point[] = ['claimed', 'staging', 'committed', 'reported', 'moved'];

/** Whether the kill point has been reached since `base` was taken. */
async function observe(inbox: string, dest: string): Promise<Record<Point, number>> {
  const work = join(inbox, '.airlock-watch');
  const claims = await readdir(work).catch(() => [] as string[]);
  let withBundle = 0;
  let reported = 0;
  for (const claim of claims) {
    const inside = await readdir(join(work, claim)).catch(() => [] as string[]);
    if (inside.some((n) => n.endsWith('.airlock.tar'))) withBundle += 1;
    if (inside.includes('report.json')) reported += 1;
  }
  const destNames = await readdir(dest).catch(() => [] as string[]);
  return {
    claimed: withBundle,
    staging: destNames.filter((n) => n.startsWith('.airlock-staging-')).length,
    committed: (await committed(dest)).length,
    reported,
    moved: (await inboxFolder(inbox, 'accepted')).length + (await inboxFolder(inbox, 'quarantine')).length,
  };
}

/** Bundles not yet settled: in the inbox, or in a claim (a claim folder left empty by a kill holds nothing). */
async function remaining(inbox: string): Promise<number> {
  const work = join(inbox, '.airlock-watch');
  let claimed = 0;
  for (const claim of await readdir(work).catch(() => [] as string[])) {
    if ((await readdir(join(work, claim)).catch(() => [] as string[])).some((n) => n.endsWith('.airlock.tar'))) claimed += 1;
  }
  return (await readdir(inbox)).filter((n) => n.endsWith('.airlock.tar')).length + claimed;
}

describe('airlock watch killed at random points', () => {
  it(`loses and duplicates nothing over several kill -9 rounds (seed ${SEED})`, async () => {
    const inbox = join(root, 'inbox');
    const dest = join(root, 'dest');
    await mkdir(inbox);
    await fill(inbox, good);
    await fill(inbox, [{ name: 'tampered', bytes: bad }]);
    const random = seededRandom(SEED);
    const landed: string[] = [];
    let orphansWatched = 0;
    for (let round = 0; round < 8 && (await remaining(inbox)) > 0; round += 1) {
      const point = POINTS[Math.floor(random() * POINTS.length)]!;
      const base = await observe(inbox, dest);
      running = startWatch(station.home, inbox, dest, ['--settle', '0']);
      const child = running;
      let over = false;
      void child.ended.then(() => (over = true));
      const deadline = Date.now() + 60_000;
      for (;;) {
        const now = await observe(inbox, dest);
        // 'claimed' and 'staging' are states (seen while they last); the others count up.
        const reached =
          point === 'claimed' || point === 'staging' || point === 'reported' ? now[point] > 0 && now.moved >= base.moved : now[point] > base[point];
        if (reached || over || Date.now() > deadline || (await remaining(inbox)) === 0) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      const children = await childrenOf(child.child.pid as number);
      child.child.kill('SIGKILL');
      const end = await child.ended;
      running = null;
      if (end.signal === 'SIGKILL') landed.push(point);
      // Its renderer sees the channel close and exits (it is reparented, not killed: nobody signals it).
      orphansWatched += children.length;
      await waitUntil('the killed watcher’s children gone', () => children.every((pid) => !isProcessAlive(pid)), 30_000);
      if (round === 0) {
        // A killed watcher reads as dead, not running.
        const status = JSON.parse((await station.run(['watch', '--status', '--json'])).stdout) as { watchers: Array<{ state: string }> };
        expect(status.watchers[0]?.state).toBe('dead');
      }
    }
    expect(landed.length).toBeGreaterThanOrEqual(3);
    // A kill after a receipt was written found the warm renderer running (and saw it go).
    if (landed.some((p) => p === 'reported' || p === 'moved')) expect(orphansWatched).toBeGreaterThan(0);
    // The last start finishes everything.
    running = startWatch(station.home, inbox, dest, ['--settle', '0']);
    await waitUntil('the inbox drained', async () => (await remaining(inbox)) === 0, 180_000);
    expect(await stopWatch(running)).toEqual({ code: 0, signal: null });
    running = null;

    const names = good.map((g) => g.name).sort();
    expect(await settledNames(inbox, 'accepted')).toEqual(names);
    expect(await settledNames(inbox, 'quarantine')).toEqual(['tampered']);
    expect((await committed(dest)).sort()).toEqual(names);
    for (const name of names) {
      const files = await readdir(join(dest, name, name));
      expect(files.length).toBe(6);
    }
    const db = new Database(join(station.home, 'airlock.db'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT bundle_name AS name, COUNT(*) AS n FROM imports WHERE status = 'imported' GROUP BY bundle_name ORDER BY bundle_name")
        .all() as Array<{
        name: string;
        n: number;
      }>;
      expect(rows).toEqual(names.map((name) => ({ name, n: 1 })));
      expect((db.prepare("SELECT COUNT(*) AS n FROM imports WHERE status = 'pending'").get() as { n: number }).n).toBe(0);
      const okEvents = db.prepare("SELECT bundle_name AS name FROM audit_events WHERE type = 'import' AND outcome = 'ok'").all() as Array<{ name: string }>;
      expect(okEvents.map((e) => e.name).sort()).toEqual(names);
      const replays = db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'import' AND problem_codes LIKE '%REPLAY%'").get() as { n: number };
      expect(replays.n).toBe(0);
    } finally {
      db.close();
    }
    // Every accepted folder says accepted; its report is the import's (or the recovered record).
    for (const folder of await inboxFolder(inbox, 'accepted')) {
      const outcome = JSON.parse(await readFile(join(inbox, 'accepted', folder, 'outcome.json'), 'utf8')) as { outcome: string };
      expect(outcome.outcome).toBe('accepted');
    }
    expect((await station.run(['audit', 'verify'])).code).toBe(0);
  }, 600_000);

  it('on SIGTERM mid-import cancels the import, leaves the claim whole, writes stopped and exits 0; the next start imports it once', async () => {
    const inbox = join(root, 'inbox-term');
    const dest = join(root, 'dest-term');
    await mkdir(inbox);
    // A bundle large enough that staging is seen.
    const src = join(root, 'src', 'large');
    await mkdir(src, { recursive: true });
    for (let f = 0; f < 8; f += 1) await writeFile(join(src, `big${f}.bin`), Buffer.alloc(16 * 1024 * 1024, f + 1));
    const out = join(root, 'out-term');
    await mkdir(out);
    await station.exportBundle(out, 'large', [src]);
    await fill(inbox, [{ name: 'large', bytes: await readFile(join(out, 'large.airlock.tar')) }]);
    running = startWatch(station.home, inbox, dest, ['--settle', '0']);
    const child = running;
    await waitUntil('staging under way', async () => (await observe(inbox, dest)).staging > 0 || (await committed(dest)).length > 0);
    child.child.kill('SIGTERM');
    expect(await child.ended).toEqual({ code: 0, signal: null });
    running = null;
    const status = (await readStatusFiles(station.home)).find((s) => s.inbox.endsWith('inbox-term'));
    expect(status?.state).toBe('stopped');
    const wasCommitted = (await committed(dest)).includes('large');
    if (!wasCommitted) {
      // Cancelled: nothing half-written in DEST, the bundle still claimed for the next start.
      expect((await readdir(dest)).filter((n) => n.startsWith('.airlock-staging-'))).toEqual([]);
      expect((await readdir(join(inbox, '.airlock-watch'))).length).toBe(1);
    }
    running = startWatch(station.home, inbox, dest, ['--settle', '0']);
    await waitUntil('large accepted', async () => (await settledNames(inbox, 'accepted')).includes('large'), 180_000);
    expect(await stopWatch(running)).toEqual({ code: 0, signal: null });
    running = null;
    expect(await committed(dest)).toEqual(['large']);
    expect((await readdir(join(dest, 'large', 'large'))).length).toBe(8);
  }, 300_000);

  it('killed right after an import committed: the next start finishes the claim from the ledger and removes the dead import’s staging folder', async () => {
    // Found by the fault harness (npm run fault, kill-watch, seed 601 trial 1): the restarted watcher
    // does not import a claim the ledger shows committed, so the sweep an import does first never ran.
    const inbox = join(root, 'inbox-committed');
    const dest = join(root, 'dest-committed');
    await mkdir(inbox);
    await mkdir(dest);
    // A bundle of its own: the other tests import the shared ones into this home (a replay is refused, never committed).
    const src = join(root, 'src', 'fresh');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'fresh.bin'), Buffer.alloc(512 * 1024, 0x3c));
    await station.exportBundle(join(root, 'out'), 'fresh', [src]);
    const fresh = { name: 'fresh', bytes: await readFile(join(root, 'out', 'fresh.airlock.tar')) };
    await fill(inbox, [fresh]);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[key];
    const crashChild = join(REPO_ROOT, 'test', 'fault', 'crash-child.ts');
    const argv = ['--import', 'tsx', crashChild, 'import-after-rename', '--home', station.home, 'watch', inbox, '--dest', dest, '--settle', '0'];
    const crashing = spawn(process.execPath, argv, { cwd: REPO_ROOT, env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => crashing.on('exit', (_code, signal) => resolve(signal)));
    // A watcher that never reaches the commit never ends by itself: stopped here, the test fails below rather than timing out.
    const guard = setTimeout(() => crashing.kill('SIGTERM'), 180_000);
    const end = await exited;
    clearTimeout(guard);
    expect(end).toBe('SIGKILL');
    expect(await committed(dest)).toEqual(['fresh']);
    expect((await readdir(dest)).filter((n) => n.startsWith('.airlock-staging-')).length).toBe(1);
    running = startWatch(station.home, inbox, dest, ['--settle', '0']);
    await waitUntil('the claim finished', async () => (await remaining(inbox)) === 0, 180_000);
    expect(await stopWatch(running)).toEqual({ code: 0, signal: null });
    running = null;
    expect(await settledNames(inbox, 'accepted')).toEqual(['fresh']);
    expect((await readdir(dest)).filter((n) => n.startsWith('.airlock-staging-'))).toEqual([]);
  }, 300_000);
});
