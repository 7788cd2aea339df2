/**
 * Power-cut snapshots: the station home and the destination live on an ext4 file system on a
 * loop device; at a random instant the CLI child is frozen (SIGSTOP) and the loop device's image
 * is copied. The copy holds what the file system had written to its device, not what was only
 * in the page cache: what survives a power cut (data not yet written back is lost, fsynced data
 * is kept). The child is then killed, the original unmounted, and the copy (its journal replayed
 * by e2fsck) mounted at the same path, so the next start sees the disk as after the power cut.
 * The CLI runs in its own process group, and the whole group is frozen and killed, as a power cut
 * stops every process: a child it started (the receipt PDF renderer) must not outlive the cut
 * holding a file on the disk (the 15:42 CI's clean-up met such a busy mount: EBUSY).
 * Linux, root and loop devices only (mediaTestPrerequisites in test/helpers/loop-media.ts).
 *
 * The copy is taken while the kernel may still be writing back the frozen process's data, so it
 * approximates an instant snapshot: the ext4 journal (transactions without their commit block are
 * discarded) keeps the metadata consistent; what it tests is the order of our fsyncs.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFile, cp, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, CRASH_CHILD, REPO, type Fixture, type Run } from './harness.js';
import { parseProgressLine, ProgressKillPlan, progressLines, type ProgressKill } from './progress-kill.js';
import { exportTrial, importTrial, type TrialResult } from './scenarios.js';

export function sh(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  return env;
}

export class Disk {
  device = '';

  constructor(
    readonly image: string,
    readonly mountPoint: string,
  ) {}

  attach(): void {
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.device = sh('losetup', ['--find', '--show', this.image]).trim();
        return;
      } catch (error) {
        if (attempt >= 9) throw error;
        spawnSync('sleep', ['0.2']);
      }
    }
  }

  mount(): void {
    sh('mount', ['-t', 'ext4', this.device, this.mountPoint]);
  }

  /** Unmount and detach; a mount that stays busy fails the trial here, naming who holds it, not the suite's clean-up later. */
  release(): void {
    for (let attempt = 0; isMounted(this.mountPoint); attempt += 1) {
      if (spawnSync('umount', [this.mountPoint], { stdio: 'ignore' }).status === 0) break;
      if (attempt >= 50) {
        const holders = spawnSync('fuser', ['-vm', this.mountPoint], { encoding: 'utf8' });
        throw new Error(`${this.mountPoint} stays busy after the trial: ${(holders.stderr ?? '').trim() || 'fuser names nobody'}`);
      }
      spawnSync('sleep', ['0.1']);
    }
    if (this.device) spawnSync('losetup', ['-d', this.device], { stdio: 'ignore' });
    this.device = '';
  }
}

function isMounted(mountPoint: string): boolean {
  return spawnSync('mountpoint', ['-q', mountPoint]).status === 0;
}

/**
 * A signal to the CLI's whole process group: a power cut stops every process at once, the CLI's
 * children too (the receipt PDF renderer reads the station database on the disk being cut).
 */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals | 0): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pid: number | undefined): Promise<void> {
  for (let waited = 0; signalGroup(pid, 0); waited += 50) {
    if (waited > 10_000) throw new Error(`process group ${String(pid)} outlived SIGKILL by 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A disk and the path its snapshot is copied to. */
export interface CutDisk {
  disk: Disk;
  snapshot: string;
}

/** The cut itself: the child's process group frozen, each disk image copied as it is on its device (one power cut for all), the group killed. */
export async function freezeAndCopy(disks: readonly CutDisk[], pid: number | undefined): Promise<void> {
  signalGroup(pid, 'SIGSTOP');
  for (const { disk, snapshot } of disks) await copyFile(disk.image, snapshot);
  signalGroup(pid, 'SIGKILL');
}

/**
 * After the cut: once the group is gone, the original disk is released and the snapshot (its
 * journal replayed by e2fsck) mounted at the same path, so the next start sees the disk as the
 * power cut left it.
 */
export async function mountSnapshot(disk: Disk, snapshot: string, pid: number | undefined): Promise<void> {
  await groupGone(pid);
  disk.release();
  const copy = new Disk(snapshot, disk.mountPoint);
  copy.attach();
  // Exit 1: errors corrected (the journal replayed) is what a power cut leaves.
  const fsck = spawnSync('e2fsck', ['-fy', copy.device], { encoding: 'utf8' });
  if ((fsck.status ?? 8) > 1) throw new Error(`e2fsck of the snapshot failed (${fsck.status}): ${fsck.stdout}`);
  copy.mount();
  disk.device = copy.device;
}

/**
 * A CLI child in its own process group (so a cut reaches the processes it starts), its output
 * collected; with `crashAt`, crash-child.ts runs the CLI and kills it at that point (the cut then
 * comes right after: what a power cut at that instant leaves).
 */
export function spawnCuttable(home: string, args: string[], crashAt?: string): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const argv = crashAt === undefined ? [CLI, '--home', home, ...args] : ['--import', 'tsx', CRASH_CHILD, crashAt, '--home', home, ...args];
  const child = spawn(process.execPath, argv, { cwd: REPO, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  return { child, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => Buffer.concat(err).toString('utf8') };
}

/**
 * Run the CLI; at `cutAfter` (ms, or a point of its own progress: progress-kill.ts, the child
 * then runs with --progress) freeze it (its process group), copy the disk image (and those of
 * `others`, e.g. a medium: one cut for all), kill it. Resolves after each copy is mounted in place
 * of its original; `killedAt` says where a progress-driven cut was sent.
 */
export function runAndCut(
  disk: Disk,
  snapshot: string,
  home: string,
  args: string[],
  cutAfter: number | ProgressKill,
  others: readonly CutDisk[] = [],
  crashAt?: string,
): Promise<Run> {
  const started = performance.now();
  const disks = [{ disk, snapshot }, ...others];
  const plan = typeof cutAfter === 'number' ? null : new ProgressKillPlan(cutAfter);
  return new Promise((resolve, reject) => {
    const { child, stdout, stderr } = spawnCuttable(home, plan ? ['--progress', ...args] : args, crashAt);
    let cutAt: string | null = null;
    let cutting: Promise<void> | null = null;
    let timer: NodeJS.Timeout | null = null;
    const cut = (where: string): void => {
      if (cutAt !== null) return;
      cutAt = where;
      cutting = freezeAndCopy(disks, child.pid);
      cutting.catch(reject);
    };
    if (plan === null) timer = setTimeout(() => cut(`${Math.round(cutAfter as number)}ms`), cutAfter as number);
    else
      child.stderr?.on('data', (c: Buffer) => {
        for (const line of progressLines(c.toString('utf8'))) {
          const sample = cutAt === null ? parseProgressLine(line) : null;
          const decision = sample === null ? null : plan.decide(sample, performance.now());
          if (sample === null || decision === null) continue;
          if (timer) clearTimeout(timer);
          if (decision.kind === 'now') cut(`${sample.phase}${sample.fraction === null ? '' : ` ${Math.round(sample.fraction * 100)}%`}`);
          else timer = setTimeout(() => cut(`${plan.phase} ~${Math.round(plan.fraction * 100)}%`), decision.ms);
        }
      });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      void (async () => {
        if (timer) clearTimeout(timer);
        // A cut under way (the child may have exited between its last line and the freeze) ends first.
        if (cutting !== null) await cutting;
        // Finished before the cut: the cut comes after it, on the same disk.
        else await freezeAndCopy(disks, child.pid);
        for (const one of disks) await mountSnapshot(one.disk, one.snapshot, child.pid);
        const killed = signal === 'SIGKILL';
        resolve({
          code,
          signal,
          stdout: stdout(),
          stderr: stderr(),
          killed,
          ms: performance.now() - started,
          ...(plan ? { killedAt: killed ? cutAt : null } : {}),
        });
      })().catch(reject);
    });
  });
}

export async function powerCutTrial(fixture: Fixture, trial: number, kind: 'import' | 'export', cutAfterMs: number): Promise<TrialResult> {
  return onCutDisk(fixture, `power-cut-${kind}-${trial}`, async (disk, snapshot) => {
    const home = join(disk.mountPoint, 'home');
    const dir = join(disk.mountPoint, 'dir');
    await cp(fixture.templateHome, home, { recursive: true });
    await mkdir(dir);
    // The copied home and the folder are on disk before the run starts, as on a real station.
    sh('sync', ['--file-system', disk.mountPoint]);
    const place = { home, dir, first: (args: string[]) => runAndCut(disk, snapshot, home, args, cutAfterMs) };
    const how = { killAfterMs: cutAfterMs };
    const scenario = `power-cut-${kind}`;
    return kind === 'import' ? await importTrial(fixture, trial, how, scenario, place) : await exportTrial(fixture, trial, how, scenario, place);
  });
}

/** A fresh ext4 disk (160 MiB unless said) on a loop device for `body` (which gets it mounted and the snapshot's path); released and deleted after. */
export async function onCutDisk<T>(fixture: Fixture, name: string, body: (disk: Disk, snapshot: string) => Promise<T>, sizeMiB = 160): Promise<T> {
  const base = join(fixture.root, name);
  const disk = new Disk(`${base}.img`, `${base}-mnt`);
  const snapshot = `${base}-snapshot.img`;
  await mkdir(disk.mountPoint, { recursive: true });
  await writeFile(disk.image, '');
  await truncate(disk.image, sizeMiB * 2 ** 20);
  try {
    disk.attach();
    sh('mkfs.ext4', ['-q', '-F', '-m', '0', disk.device]);
    disk.mount();
    return await body(disk, snapshot);
  } finally {
    disk.release();
    await rm(disk.image, { force: true });
    await rm(snapshot, { force: true });
  }
}
