/**
 * Who made a leftover (a staging folder, a temp file) and whether that process is provably gone.
 * A stamp names one process instance: host, boot, pid and the pid's start time, so a reused
 * pid or a reboot is told apart from the process that wrote the stamp. Only 'dead' entitles a
 * later run to remove what the stamp marks; everything else is left alone.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { threadId } from 'node:worker_threads';
import { errnoOf } from '../errors.js';

export interface ProcessStamp {
  /** First 8 hex digits of SHA-256(hostname): short enough for a file name, enough to tell hosts apart. */
  host: string;
  /** First 8 hex digits of the kernel's boot id; null where the platform has none. */
  boot: string | null;
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22); null where unknown. */
  start: string | null;
  /**
   * The worker thread (worker_threads threadId; 0 for the main thread). The app runs jobs in
   * worker threads of one process: what another thread of this process holds is never 'self'.
   */
  thread: number;
}

export type OwnerState = 'self' | 'alive' | 'dead' | 'unknown';

const HEX8 = /^[0-9a-f]{8}$/u;
const DIGITS = /^\d{1,20}$/u;

function hostTag(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 8);
}

/** The kernel's boot id (Linux), or null: a pid names a process only within one boot. */
export function readBootId(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function bootTag(): string | null {
  const id = readBootId()?.replace(/[^0-9a-f]/gu, '') ?? '';
  return id.length >= 8 ? id.slice(0, 8) : null;
}

/** /proc/PID/stat from field 3 on; the command name (field 2) may hold spaces and parentheses, so cut at its last ')'. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot (field 3 is index 0). */
export function processStartTicks(pid: number): string | null {
  const start = statFields(pid)?.[19];
  return start !== undefined && DIGITS.test(start) ? start : null;
}

let self: ProcessStamp | null = null;

export function currentStamp(): ProcessStamp {
  self ??= { host: hostTag(hostname()), boot: bootTag(), pid: process.pid, start: processStartTicks(process.pid), thread: threadId };
  return self;
}

/**
 * A stamp as a file name part: `al-HOST-BOOT-PID-START-THREAD` (`x` for what the platform does not
 * know). Temp files (owned-temp.ts) and staging folders (import/staging.ts) carry it in their names,
 * so what they are is proven from the moment they exist, with nothing inside them yet.
 */
export function stampTag(stamp: ProcessStamp): string {
  return `al-${stamp.host}-${stamp.boot ?? 'x'}-${stamp.pid}-${stamp.start ?? 'x'}-${stamp.thread}`;
}

/** The pattern of stampTag (five groups: host, boot, pid, start, thread), for names that embed it. */
export const STAMP_TAG_PATTERN = 'al-([0-9a-f]{8})-([0-9a-f]{8}|x)-(\\d{1,10})-(\\d{1,20}|x)-(\\d{1,10})';

/** The stamp from the five groups of STAMP_TAG_PATTERN, or null. */
export function stampFromTag(groups: ArrayLike<string | undefined>): ProcessStamp | null {
  const [host, boot, pid, start, thread] = [groups[0], groups[1], groups[2], groups[3], groups[4]];
  if (host === undefined || boot === undefined || pid === undefined || start === undefined || thread === undefined) return null;
  return parseStamp({ host, boot: boot === 'x' ? null : boot, pid: Number(pid), start: start === 'x' ? null : start, thread: Number(thread) });
}

/** A stamp as read back from a file or a name: the right shape, or null. */
export function parseStamp(value: unknown): ProcessStamp | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v['host'] !== 'string' || !HEX8.test(v['host'])) return null;
  if (v['boot'] !== null && (typeof v['boot'] !== 'string' || !HEX8.test(v['boot']))) return null;
  if (typeof v['pid'] !== 'number' || !Number.isSafeInteger(v['pid']) || v['pid'] <= 0) return null;
  if (v['start'] !== null && (typeof v['start'] !== 'string' || !DIGITS.test(v['start']))) return null;
  if (typeof v['thread'] !== 'number' || !Number.isSafeInteger(v['thread']) || v['thread'] < 0) return null;
  return { host: v['host'], boot: v['boot'], pid: v['pid'], start: v['start'], thread: v['thread'] };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists and belongs to someone else.
    return errnoOf(error) === 'EPERM';
  }
}

/**
 * No such pid, or a process that runs no more code: killed but not yet reaped by its parent
 * (a zombie, 'Z', or dead, 'X').
 */
export function pidGone(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !pidExists(pid)) return true;
  const state = statFields(pid)?.[0];
  return state === 'Z' || state === 'X';
}

/**
 * 'self': this very process (and thread); 'dead': provably gone (an earlier boot of this host, no such pid,
 * or the pid now belongs to a process started at another time); 'alive': may still be running;
 * 'unknown': another host (a shared file system), so nothing can be proven from here.
 */
export function ownerState(stamp: ProcessStamp): OwnerState {
  const me = currentStamp();
  if (stamp.host !== me.host) return 'unknown';
  if (stamp.boot !== null && me.boot !== null && stamp.boot !== me.boot) return 'dead';
  // Another thread of this process is alive as long as this process is.
  if (stamp.pid === me.pid && stamp.start === me.start) return stamp.thread === me.thread ? 'self' : 'alive';
  if (pidGone(stamp.pid)) return 'dead';
  if (stamp.start !== null) {
    const now = processStartTicks(stamp.pid);
    if (now !== null && now !== stamp.start) return 'dead';
  }
  return 'alive';
}
