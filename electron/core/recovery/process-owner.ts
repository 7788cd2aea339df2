import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who holds an intent (an import claim or an export intent): enough to tell, from another
 * process or after a reboot, whether that process can still be running. A pid alone is not
 * enough: pids are reused, across reboots at once. On Linux the boot id and the process's start
 * time (clock ticks since boot, /proc/PID/stat field 22) pin one process of one boot; elsewhere
 * only the pid is checked (a reused pid then keeps an intent pending until that process ends).
 */
export interface ProcessOwner {
  pid: number;
  host: string;
  boot: string | null;
  start: string | null;
}

export type OwnerState = 'alive' | 'dead' | 'unknown';

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function currentBootId(): string | null {
  if (process.platform !== 'linux') return null;
  return readText('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** /proc/PID/stat from field 3 on; the command name (field 2) may hold spaces and parentheses, so cut at its last ')'. */
function statFields(pid: number): string[] | null {
  if (process.platform !== 'linux') return null;
  const stat = readText(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
export function processStartTicks(pid: number): string | null {
  // Field 3 (state) is index 0, so field 22 is index 19.
  const start = statFields(pid)?.[19];
  return start && /^\d+$/u.test(start) ? start : null;
}

/** A killed process its parent has not reaped yet still has a pid: a zombie ('Z') or dead ('X') one runs no more code. */
function isZombie(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state === 'Z' || state === 'X';
}

let self: ProcessOwner | null = null;

export function currentOwner(): ProcessOwner {
  self ??= { pid: process.pid, host: hostname(), boot: currentBootId(), start: processStartTicks(process.pid) };
  return self;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * 'dead' only when that process provably cannot be running: another boot of this host, no such
 * pid, a zombie, or the pid now belongs to a process started at another time. Another host's process
 * (a home on a shared disk) is 'unknown' and never reconciled from here.
 */
export function ownerState(owner: ProcessOwner): OwnerState {
  const me = currentOwner();
  if (owner.host !== me.host) return 'unknown';
  if (owner.boot !== null && me.boot !== null && owner.boot !== me.boot) return 'dead';
  if (owner.pid === me.pid && owner.start === me.start) return 'alive';
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || !pidExists(owner.pid) || isZombie(owner.pid)) return 'dead';
  if (owner.start !== null) {
    const now = processStartTicks(owner.pid);
    if (now !== null && now !== owner.start) return 'dead';
  }
  return 'alive';
}
