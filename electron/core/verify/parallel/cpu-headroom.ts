/**
 * Whether a core is free for a second thread *now*, from what the kernel says (docs/design-notes.md,
 * "Small-file verify: the second core when it is free"). Verify's stream lane (stream-lane.ts) is
 * faster only when its worker gets a core of its own; on a machine whose cores are all taken it
 * adds its work (its start, a second header parse, the hashing) to theirs and is slower. The core
 * count alone could not tell these apart on two cores, so the lane was off there.
 *
 * Two readings, each a few small procfs reads (well under a millisecond):
 * - *Other tasks runnable now* (coreFreeNow): the run queue of /proc/loadavg (its 4th field: every
 *   runnable task on the machine, this reader included) less this process's own runnable threads
 *   (/proc/self/task/N/stat, state R). Room for one more thread only if fewer than `cores - 1`
 *   others are runnable (on two cores: none). Measured on this project's shared two-core machine
 *   (design note): every time it said so, the next second had most of a core idle.
 * - *Waiting for a CPU since then* (StallMark, stillFree): /proc/pressure/cpu's "some total", the
 *   microseconds in which some task waited for a CPU, read again ~0.1-0.2 s later, when the lane
 *   would start: the share of that interval. The run queue is one instant, and on a machine shared
 *   by bursty jobs it is often empty for a moment between their bursts; the interval is this
 *   command's own start-up, so unlike "some avg10" (ten seconds) or the load average (a minute,
 *   and tasks waiting on the disk) it does not remember the steps that ran just before it (the
 *   bench's export and write), and unlike them it sees a single busy process: with this process's
 *   main thread and its warm worker both running, one more runnable task means one always waits.
 * Without /proc/pressure/cpu or /proc/loadavg (not Linux, a kernel without PSI): null, and the
 * caller keeps its rule by core count.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Reads a procfs file as text, or null if it cannot be read. Injectable for tests. */
export type ProcReader = (path: string) => string | null;

/** Lists a procfs folder, or null. Injectable for tests. */
export type ProcLister = (path: string) => string[] | null;

/**
 * A share of the interval at or above this, some task waiting for a CPU: no core was free. Under
 * the other helpers' load it read 0.99; this process's own threads add some on their own (V8's
 * four helpers took turns on the one spare core, each waiting 45-98 ms in the first ~230 ms under
 * `chrt -f`), so the line sits well above that (design note).
 */
export const STALL_BUSY_SHARE = 0.6;

/** An interval shorter than this says too little (the kernel's clock, a burst): the first reading stands. */
export const STALL_MIN_INTERVAL_MS = 20;

/** "some total" (µs) of /proc/pressure/cpu and when it was read (ms, monotonic). */
export interface StallMark {
  readonly totalUs: number;
  readonly atMs: number;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return null;
  }
}

function listDir(path: string): string[] | null {
  try {
    return readdirSync(path);
  } catch {
    return null;
  }
}

/** The state letter of a /proc/.../stat line (after the command name in parentheses, which may hold spaces and parentheses). */
function taskState(stat: string): string | undefined {
  return stat[stat.lastIndexOf(')') + 2];
}

/** This process's runnable threads now (at least the one reading). */
function ownRunnable(read: ProcReader, list: ProcLister): number {
  let own = 0;
  for (const task of list('/proc/self/task') ?? []) {
    const stat = read(`/proc/self/task/${task}/stat`);
    if (stat !== null && taskState(stat) === 'R') own += 1;
  }
  return Math.max(own, 1);
}

/** "some total" of /proc/pressure/cpu now, or null. */
export function stallMark(read: ProcReader = readText, now: () => number = performance.now.bind(performance)): StallMark | null {
  const pressure = read('/proc/pressure/cpu');
  const total = pressure === null ? null : /^some .*\btotal=(\d+)/mu.exec(pressure)?.[1];
  return total ? { totalUs: Number(total), atMs: now() } : null;
}

/**
 * Whether a core is free for one more thread of this process now: fewer than `cores - 1` other
 * tasks runnable (see the module comment); null if the kernel does not say. Reads this process's
 * threads only when the run queue holds more than this reader alone: that scan is most of the
 * cost (~0.4-1 ms at load 9; the two files ~0.05-0.3 ms).
 */
export function coreFreeNow(cores: number, read: ProcReader = readText, list: ProcLister = listDir): boolean | null {
  if (cores < 2) return false;
  if (read('/proc/pressure/cpu') === null) return null;
  const loadavg = read('/proc/loadavg');
  const queue = loadavg === null ? null : /^\S+ \S+ \S+ (\d+)\//u.exec(loadavg)?.[1];
  if (!queue) return null;
  const runnable = Number(queue);
  if (runnable - 1 <= cores - 2) return true;
  return runnable - ownRunnable(read, list) <= cores - 2;
}

/**
 * Whether no task waited for a CPU for STALL_BUSY_SHARE or more of the time since `mark`; the
 * mark's own answer (true) when the interval is too short to say, or the file cannot be read now.
 */
export function stillFree(mark: StallMark, read: ProcReader = readText, now: () => number = performance.now.bind(performance)): boolean {
  const later = stallMark(read, now);
  if (later === null) return true;
  const intervalMs = later.atMs - mark.atMs;
  if (intervalMs < STALL_MIN_INTERVAL_MS) return true;
  return (later.totalUs - mark.totalUs) / 1000 / intervalMs < STALL_BUSY_SHARE;
}
