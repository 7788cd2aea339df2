import { hostname } from 'node:os';
import { pidGone, processStartTicks, readBootId } from '../fs/process-owner.js';

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

/** The owner's owner_pid, owner_host, owner_boot and owner_start values, in that order: every intent table (imports, export_intents, feed_intents) stores it so. */
export function ownerColumns(owner: ProcessOwner): [pid: number, host: string, boot: string | null, start: string | null] {
  return [owner.pid, owner.host, owner.boot, owner.start];
}

export type OwnerState = 'alive' | 'dead' | 'unknown';

/** The full boot id: the ledger keeps it whole (file names keep a short tag, fs/process-owner.ts). */
export const currentBootId = readBootId;
export { processStartTicks };

let self: ProcessOwner | null = null;

export function currentOwner(): ProcessOwner {
  self ??= { pid: process.pid, host: hostname(), boot: currentBootId(), start: processStartTicks(process.pid) };
  return self;
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
  if (pidGone(owner.pid)) return 'dead';
  if (owner.start !== null) {
    const now = processStartTicks(owner.pid);
    if (now !== null && now !== owner.start) return 'dead';
  }
  return 'alive';
}
