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

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses, so count from its last ')'. */
export function processStartTicks(pid: number): string | null {
  if (process.platform !== 'linux') return null;
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so field 22 is index 19.
  const start = fields[19];
  return start && /^\d+$/u.test(start) ? start : null;
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
 * pid, or the pid now belongs to a process started at another time. Another host's process
 * (a home on a shared disk) is 'unknown' and never reconciled from here.
 */
export function ownerState(owner: ProcessOwner): OwnerState {
  const me = currentOwner();
  if (owner.host !== me.host) return 'unknown';
  if (owner.boot !== null && me.boot !== null && owner.boot !== me.boot) return 'dead';
  if (owner.pid === me.pid && owner.start === me.start) return 'alive';
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || !pidExists(owner.pid)) return 'dead';
  if (owner.start !== null) {
    const now = processStartTicks(owner.pid);
    if (now !== null && now !== owner.start) return 'dead';
  }
  return 'alive';
}
