/**
 * Full disks: the import's destination, the station home (so the audit database cannot grow) or
 * the export's output folder lives on a size-limited tmpfs, filled with a file of random size
 * before the run. The run must succeed or fail with NO_SPACE (a message and a next step), leave
 * nothing partial at the final name and no staging folder or temp file behind, and record only
 * what happened. Then the filler is removed and the trial goes on as any other (scenarios.ts):
 * the next start agrees with the file system, and a retry succeeds. Linux and root (mount).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, open, readdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { airlock, BUNDLE_NAME, exists, json, type Fixture, type Run } from './harness.js';
import { exportTrial, importTrial, type TrialPlace, type TrialResult } from './scenarios.js';

export type FullDiskWhere = 'import-dest' | 'import-home' | 'export-out';

type ErrorJson = { ok?: boolean; error?: { code?: string; message?: string; next?: string }; problems?: Array<{ code: string; message?: string }> };

/** Bytes an unprivileged writer may still write on the file system holding `path`. */
export async function freeBytes(path: string): Promise<number> {
  const s = await statfs(path);
  return s.bavail * s.bsize;
}

/** A file of `bytes` zeros, or as much of it as fits: a full disk is what the caller asked for. */
/** Writes up to `bytes` of zeros to `path`, stopping quietly at ENOSPC; returns what was written. */
export async function fill(path: string, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(1 << 20);
  const handle = await open(path, 'w');
  let written = 0;
  try {
    while (written < bytes) {
      const n = Math.min(chunk.length, bytes - written);
      try {
        await handle.write(chunk, 0, n);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
        throw error;
      }
      written += n;
    }
  } finally {
    await handle.close();
  }
  return written;
}

/**
 * What a run that hit the full disk may say: ok, NO_SPACE with nothing in place (`inPlace`: the
 * import's folder or the published bundle exists), or RECEIPT_NOT_WRITTEN with it in place.
 */
function checkVerdict(run: Run, inPlace: boolean, bad: string[]): string {
  const report = json<ErrorJson>(run);
  if (run.code === 0 && report?.ok) return 'ok';
  const code = report?.error?.code ?? report?.problems?.[0]?.code;
  if (code === 'RECEIPT_NOT_WRITTEN' || (code === 'NO_SPACE' && inPlace)) {
    if (!inPlace || code === 'NO_SPACE') bad.push(`${code} but the ${inPlace ? 'transfer is' : 'transfer is not'} in place: ${run.stdout.slice(0, 300)}`);
    return code;
  }
  if (code !== 'NO_SPACE') {
    bad.push(`a full disk failed with ${code ?? `exit ${run.code ?? run.signal}`}, not NO_SPACE: ${run.stdout.slice(0, 300)}${run.stderr.slice(0, 300)}`);
    return code ?? 'no code';
  }
  const next = report?.error?.next ?? '';
  if (report?.error && !/[.!]$/u.test(next.trim())) bad.push(`NO_SPACE without a next step: ${run.stdout.slice(0, 300)}`);
  return 'NO_SPACE';
}

/** Debris a finished (not killed) run must not leave in `dir`: staging folders, temp files. */
async function debris(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('.airlock-staging-') || n.endsWith('.partial') || n.includes('.airlock-tmp'));
}

/**
 * `level` in [0, 1): for a destination or output folder the share of its free space filled (the
 * run fits below about a third); for the home what is left free, 0 to 1.5 MiB, where SQLite's
 * WAL, its -shm file and the receipt stop fitting.
 */
export async function fullDiskTrial(fixture: Fixture, trial: number, where: FullDiskWhere, level: number): Promise<TrialResult> {
  const scenario = `full-disk-${where}`;
  const base = join(fixture.root, `${scenario}-${trial}`);
  const mnt = `${base}-mnt`;
  await mkdir(mnt, { recursive: true });
  const bundleBytes = (await stat(fixture.bundle)).size;
  // The disk: the bundle's size and a quarter (so an empty one holds the run) for a destination or
  // output folder; for the home, its copy and 4 MiB (the database, its WAL, the receipts).
  const homeBytes = where === 'import-home' ? await du(fixture.templateHome) : 0;
  const sizeMiB = Math.ceil(((where === 'import-home' ? homeBytes + 4 * 2 ** 20 : bundleBytes * 1.25) + 2 ** 20) / 2 ** 20);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m`, 'tmpfs', mnt]);
  const bad: string[] = [];
  let at = '';
  let firstVerdict = '';
  try {
    const onDisk = where === 'import-home' ? 'home' : 'dir';
    const home = where === 'import-home' ? join(mnt, 'home') : `${base}-home`;
    const dir = where === 'import-home' ? `${base}-dest` : join(mnt, 'dir');
    await cp(fixture.templateHome, home, { recursive: true });
    await mkdir(dir);
    const filler = join(mnt, 'filler.bin');
    const before = await freeBytes(mnt);
    const filled = await fill(filler, where === 'import-home' ? Math.max(0, before - Math.round(level * 1.5 * 2 ** 20)) : Math.round(before * level));
    const place: TrialPlace = {
      home,
      dir,
      first: async (args) => {
        const run = await airlock(home, args);
        const final = where === 'export-out' ? join(dir, 'fx.airlock.tar') : join(dir, BUNDLE_NAME);
        const verdict = checkVerdict(run, await exists(final), bad);
        // The level after the '@', so run-scenarios.ts counts outcomes without it.
        at = `${Math.round((100 * filled) / before)}% of ${onDisk}, ${Math.round((before - filled) / 2 ** 10)} KiB free`;
        firstVerdict = verdict;
        const left = await debris(dir);
        if (left.length > 0) bad.push(`left by the run that hit the full disk: ${left.join(', ')}`);
        // Space again, as an operator frees it before the retry; the rest of the trial is scenarios.ts's.
        await rm(filler, { force: true });
        return run;
      },
    };
    const how = { killAfterMs: 0 };
    const result = where === 'export-out' ? await exportTrial(fixture, trial, how, scenario, place) : await importTrial(fixture, trial, how, scenario, place);
    const temps = (await debris(dir)).filter((n) => n.endsWith('.partial') || n.includes('.airlock-tmp'));
    if (temps.length > 0) bad.push(`temp files left after the retry: ${temps.join(', ')}`);
    // No kill was sent (killAfterMs 0 only marks the instant): what applies is whether the run met the full disk.
    const { covered: _noKill, ...trialResult } = result;
    return {
      ...trialResult,
      outcome: result.outcome.replace(/^[^@]*@0ms/u, `${firstVerdict}@${at}`),
      bad: [...bad, ...result.bad],
      metFullDisk: firstVerdict !== 'ok',
    };
  } finally {
    for (let attempt = 0; attempt < 50 && spawnSync('umount', [mnt]).status !== 0; attempt += 1) spawnSync('sleep', ['0.1']);
    await rm(mnt, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The bytes of the files under `path`, every level down. */
export async function du(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? await du(full) : (await stat(full)).size;
  }
  return total;
}
