/**
 * Split bundles in the inbox under kill -9 (issue #17.2, docs/watch.md "Split bundles and kill -9").
 * A split set is claimed by several renames (its index first, then the signature, the parts, the
 * marker), so a kill can land between the claims of two parts; the claim folder is the journal
 * that lets the next start finish the claim. The watcher runs in crash-child.ts, which SIGKILLs
 * it at an exact instant: between the claims of two parts, just before or after an import's
 * commit rename, just before a decided claim moves to accepted/ or quarantine/, or after a seeded
 * number of the watcher's steps; once it is killed from outside while a payload is being staged.
 * The inbox holds good sets, a set whose last part comes "from a second medium" only mid-way, a set
 * with a part missing for good, one with a byte of a part flipped and one with a part cut short.
 * The station also has a medium (a `mediaRoots` folder) holding intact copies of every set, which
 * the watcher must never take parts from. In the end: every good set is in dest exactly once and
 * in accepted/ once; the tampered and short sets are in quarantine/ whole with their reports; the
 * set with a missing part still waits in the inbox, named in `watch --status` with that part;
 * nothing is left in the working folder; the final watcher's counts match what it moved.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../../shared/watch.js';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { inboxFolder, readStatusFiles, settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../../helpers/watch-process.js';

const SEED = Number(process.env.AIRLOCK_WATCH_SPLIT_KILL_SEED ?? 20261217);
const CRASH_CHILD = join(REPO_ROOT, 'test', 'fault', 'crash-child.ts');
const GOOD = ['s1', 's2', 's3'];
const ALL = [...GOOD, 'late', 'gone', 'bad', 'short'];

let root: string;
let station: TestStation;
/** The medium the sets were exported to: intact copies the watcher must never use. */
let stick: string;
let running: WatchChild | null = null;

function filesOf(name: string, files: readonly string[]): { index: string; signature: string; parts: string[] } {
  return {
    index: `${name}.airlock-index.json`,
    signature: `${name}.airlock-index.json.asc`,
    parts: files.filter((f) => f.startsWith(`${name}.airlock.tar.part-`)).sort(),
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-split-kill-'));
  station = await createStation(root, 'Watch Split Kill');
  stick = join(root, 'stick');
  await mkdir(stick);
  await writeFile(join(station.home, 'config.json'), JSON.stringify({ stationName: 'watch-split-kill', mediaRoots: [stick] }));
  for (const [i, name] of ALL.entries()) {
    const src = join(root, 'src', name);
    await mkdir(src, { recursive: true });
    for (let f = 0; f < 4; f += 1) await writeFile(join(src, `f${f}.bin`), Buffer.alloc(100 * 1024, i * 5 + f + 1));
    const result = await station.run(['export', '--to-media', stick, '--name', name, '--part-size', '128K', '--passphrase-file', station.passFile, src]);
    expect(result.code, result.stderr).toBe(0);
  }
}, 400_000);

afterEach(async () => {
  if (running) await stopWatch(running, 'SIGKILL');
  running = null;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `airlock watch` in crash-child.ts: it SIGKILLs itself at `point`. */
function startCrashing(point: string, inbox: string, dest: string): WatchChild {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[key];
  const argv = ['--import', 'tsx', CRASH_CHILD, point, '--home', station.home, 'watch', inbox, '--dest', dest, '--settle', '1', '--rescan', '0.2'];
  const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => Buffer.concat(err).toString('utf8'), ended };
}

/** Names of bundle folders committed in DEST (not receipts, not staging). */
async function committed(dest: string): Promise<string[]> {
  return (await readdir(dest).catch(() => [] as string[])).filter((n) => !n.startsWith('.') && !n.includes('receipt'));
}

/** Claims in the working folder that hold any file of a bundle. */
async function claimsHolding(inbox: string): Promise<number> {
  const work = join(inbox, '.airlock-watch');
  let n = 0;
  for (const claim of await readdir(work).catch(() => [] as string[]))
    if ((await readdir(join(work, claim)).catch(() => [] as string[])).some((f) => f.includes('.airlock'))) n += 1;
  return n;
}

/** Sets not yet settled (in the inbox or in a claim), not counting the one that can never complete. */
async function unsettled(inbox: string): Promise<number> {
  const indexes = (await readdir(inbox)).filter((f) => f.endsWith('.airlock-index.json') && f !== 'gone.airlock-index.json');
  return indexes.length + (await claimsHolding(inbox));
}

describe('airlock watch with split bundles killed at exact instants', () => {
  it(`loses, strands and duplicates nothing; never imports a partial or tampered set (seed ${SEED})`, async () => {
    const inbox = join(root, 'inbox');
    const dest = join(root, 'dest');
    await mkdir(inbox);
    const onStick = await readdir(stick);
    const sets = Object.fromEntries(ALL.map((name) => [name, filesOf(name, onStick)]));
    for (const name of ALL) expect(sets[name]!.parts.length, name).toBeGreaterThanOrEqual(3);
    const copyIn = async (file: string): Promise<void> => writeFile(join(inbox, file), await readFile(join(stick, file)));
    const lateLast = sets.late!.parts.at(-1)!;
    const goneLast = sets.gone!.parts.at(-1)!;
    for (const name of ALL) {
      const set = sets[name]!;
      for (const file of [set.index, set.signature, ...set.parts]) if (file !== lateLast && file !== goneLast) await copyIn(file);
    }
    // A flipped byte inside the second part of "bad" (same size), and the third part of "short" cut by 1000 bytes.
    const badPart = join(inbox, sets.bad!.parts[1]!);
    const bytes = await readFile(badPart);
    bytes[1000] = bytes[1000]! ^ 0xff;
    await writeFile(badPart, bytes);
    const shortPart = join(inbox, sets.short!.parts[2]!);
    await truncate(shortPart, (await readFile(shortPart)).length - 1000);
    // Markers for most sets (taken at once); "s3" and "short" have none (taken once settled).
    for (const name of ['s1', 's2', 'late', 'gone', 'bad']) await writeFile(join(inbox, `${name}.airlock-index.json.done`), '');

    const random = seededRandom(SEED);
    const fixed = ['watch-between-parts', 'import-before-rename', 'import-after-rename', 'staging'];
    const points = [...fixed];
    for (let i = points.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [points[i], points[j]] = [points[j]!, points[i]!];
    }
    // Up to 8 steps: a claim's renames, or a recovered claim's commit, report, outcome and move (each round leaves work for the next).
    points.push(...[0, 1].map(() => `watch-step-${1 + Math.floor(random() * 8)}`));
    // Last: a decided claim not yet moved, so the final watcher must finish and count it.
    points.push('watch-before-finish');
    const landed: string[] = [];
    for (const [round, point] of points.entries()) {
      if (round === 3) {
        // The second medium: the last part of "late" comes now, written under a hidden name and renamed (as rsync does).
        await writeFile(join(inbox, `.${lateLast}.tmp`), await readFile(join(stick, lateLast)));
        await rename(join(inbox, `.${lateLast}.tmp`), join(inbox, lateLast));
      }
      running = point === 'staging' ? startWatch(station.home, inbox, dest, ['--settle', '1']) : startCrashing(point, inbox, dest);
      const child = running;
      let over = false;
      void child.ended.then(() => (over = true));
      // Generous: at a load average of 24 on two cores a tsx child takes 17 s just to start (2 s of CPU).
      const deadline = Date.now() + 180_000;
      while (!over && Date.now() < deadline) {
        if (point === 'staging' && (await readdir(dest).catch(() => [] as string[])).some((n) => n.startsWith('.airlock-staging-'))) break;
        await new Promise((r) => setTimeout(r, 2));
      }
      child.child.kill('SIGKILL');
      const end = await child.ended;
      running = null;
      expect(end.signal, `${point}: ${child.stderr()}`).toBe('SIGKILL');
      if (Date.now() <= deadline) landed.push(point);
    }
    // Every exact instant was reached (a kill that only timed out would prove nothing about it).
    expect(landed).toEqual(points);

    // The last start finishes everything that can be finished.
    const settledBefore = (await inboxFolder(inbox, 'accepted')).length + (await inboxFolder(inbox, 'quarantine')).length;
    running = startWatch(station.home, inbox, dest, ['--settle', '1']);
    await waitUntil('every complete set settled', async () => (await unsettled(inbox)) === 0, 300_000);
    await waitUntil('the status names the set that waits', async () => {
      const status = (await readStatusFiles(station.home)).find((s) => s.pid === running?.child.pid);
      return status?.waiting?.some((w) => w.name === 'gone') === true && status.counts.queued === 0;
    });
    const text = await station.run(['watch', '--status', inbox]);
    expect(text.stdout).toContain(`waiting: split bundle gone for ${goneLast} (missing)`);
    expect(await stopWatch(running)).toEqual({ code: 0, signal: null });
    running = null;

    expect(await settledNames(inbox, 'accepted')).toEqual([...GOOD, 'late'].sort());
    expect(await settledNames(inbox, 'quarantine')).toEqual(['bad', 'short']);
    expect((await committed(dest)).sort()).toEqual([...GOOD, 'late'].sort());
    for (const name of [...GOOD, 'late']) {
      const files = await readdir(join(dest, name, name));
      expect(files.sort(), name).toEqual(['f0.bin', 'f1.bin', 'f2.bin', 'f3.bin']);
    }
    // Quarantined whole: every file of the set, the report naming the part.
    for (const name of ['bad', 'short']) {
      const [folder] = (await inboxFolder(inbox, 'quarantine')).filter((f) => f.startsWith(`${name}.c-`));
      const inside = await readdir(join(inbox, 'quarantine', folder!));
      const set = sets[name]!;
      for (const file of [set.index, set.signature, ...set.parts]) expect(inside, `${name}: ${file}`).toContain(file);
      const report = JSON.parse(await readFile(join(inbox, 'quarantine', folder!, 'report.json'), 'utf8')) as {
        ok: boolean;
        problems?: Array<{ code: string }>;
      };
      expect(report.ok).toBe(false);
      expect(report.problems?.map((p) => p.code) ?? ['recovered without its report'], name).toContain('PART_MISMATCH');
    }
    // Nothing stranded: no claim left, nothing of a settled set in the inbox; the waiting set untouched.
    expect(await readdir(join(inbox, '.airlock-watch'))).toEqual([]);
    const gone = sets.gone!;
    expect((await readdir(inbox)).filter((f) => !['accepted', 'quarantine', 'refused'].includes(f) && f !== '.airlock-watch').sort()).toEqual(
      [gone.index, gone.signature, 'gone.airlock-index.json.done', ...gone.parts.filter((p) => p !== goneLast)].sort(),
    );
    expect(await inboxFolder(inbox, 'refused')).toEqual([]);

    // The final watcher's status: what waits, and counts that match what it moved.
    const status = (await readStatusFiles(station.home)).find((s) => s.inbox === inbox) as WatchStatus;
    expect(status.state).toBe('stopped');
    expect(status.waiting).toEqual([{ name: 'gone', missing: [goneLast], incomplete: [] }]);
    expect(status.counts.queued).toBe(0);
    expect(status.counts.arriving).toBe(2 + gone.parts.length - 1); // index, signature, the parts there
    const settledAfter = (await inboxFolder(inbox, 'accepted')).length + (await inboxFolder(inbox, 'quarantine')).length;
    expect(status.counts.accepted + status.counts.quarantined + status.counts.rejected).toBe(settledAfter - settledBefore);
    expect(status.recent.length).toBe(settledAfter - settledBefore);

    const db = new Database(join(station.home, 'airlock.db'), { readonly: true });
    try {
      const rows = db
        .prepare("SELECT bundle_name AS name, COUNT(*) AS n FROM imports WHERE status = 'imported' GROUP BY bundle_name ORDER BY bundle_name")
        .all() as Array<{ name: string; n: number }>;
      expect(rows).toEqual([...GOOD, 'late'].sort().map((name) => ({ name, n: 1 })));
      expect((db.prepare("SELECT COUNT(*) AS n FROM imports WHERE status = 'pending'").get() as { n: number }).n).toBe(0);
      const okEvents = db.prepare("SELECT bundle_name AS name FROM audit_events WHERE type = 'import' AND outcome = 'ok'").all() as Array<{ name: string }>;
      expect(okEvents.map((e) => e.name).sort()).toEqual([...GOOD, 'late'].sort());
      const replays = db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'import' AND problem_codes LIKE '%REPLAY%'").get() as { n: number };
      expect(replays.n).toBe(0);
    } finally {
      db.close();
    }
    expect((await station.run(['audit', 'verify'])).code).toBe(0);
  }, 1_500_000);
});
