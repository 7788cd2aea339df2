/**
 * Temp files that carry their owner in their name: `.FINAL.al-HOST-BOOT-PID-START-THREAD-RAND.partial`
 * (process-owner.ts), so the next run that writes to the same folder can prove a leftover is
 * dead (its writer was killed) and remove it, and never touches a file whose writer may still
 * be running or that someone else named like ours. Files this process still has in hand are
 * kept in `inHand`: a leftover of this very process (a failed write it could not clean up) is
 * removable too, one still being written is not.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { currentStamp, ownerState, STAMP_TAG_PATTERN, stampFromTag, stampTag, type ProcessStamp } from './process-owner.js';

const TEMP_RE = new RegExp(`^\\.(.+)\\.${STAMP_TAG_PATTERN}-[0-9a-f]{8}\\.partial$`, 'u');

const inHand = new Set<string>();

/** A fresh temp name beside `finalPath`, marked with this process as its owner. */
export function ownedTempPath(finalPath: string): string {
  const tag = `${stampTag(currentStamp())}-${randomBytes(4).toString('hex')}`;
  const path = join(dirname(finalPath), `.${basename(finalPath)}.${tag}.partial`);
  inHand.add(path);
  return path;
}

/** The temp file is published or removed (or given up on): a later sweep by this process may remove what is left. */
export function releaseTemp(path: string): void {
  inHand.delete(path);
}

export interface OwnedTempName {
  /** The name the file was to be published under. */
  final: string;
  owner: ProcessStamp;
}

export function parseOwnedTempName(file: string): OwnedTempName | null {
  const m = TEMP_RE.exec(file);
  const owner = m?.[1] ? stampFromTag(m.slice(2)) : null;
  return m?.[1] && owner ? { final: m[1], owner } : null;
}

export interface TempSweep {
  removed: string[];
  /** Temp names whose writer may still be running (or is on another host): left alone. */
  leftAlone: string[];
}

/**
 * Remove the temp files in `dir` whose writer is provably gone. Only regular files of our user
 * named by ownedTempPath are candidates (a symlink or folder of that name is someone else's); a folder
 * that cannot be listed or a file that cannot be removed is skipped: sweeping is best effort
 * and never the reason an operation fails. `accept` narrows the sweep to some final names.
 */
export async function sweepDeadTemps(dir: string, accept: (final: string) => boolean = () => true): Promise<TempSweep> {
  const result: TempSweep = { removed: [], leftAlone: [] };
  const uid = process.getuid?.();
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return result;
  }
  for (const entry of entries) {
    const parsed = parseOwnedTempName(entry);
    if (!parsed || !accept(parsed.final)) continue;
    const path = join(dir, entry);
    const state = ownerState(parsed.owner);
    const dead = state === 'dead' || (state === 'self' && !inHand.has(path));
    if (!dead) {
      result.leftAlone.push(path);
      continue;
    }
    try {
      const stats = await lstat(path);
      if (!stats.isFile() || (uid !== undefined && stats.uid !== uid)) continue;
      await unlink(path);
      result.removed.push(path);
    } catch {
      // Gone meanwhile, or not ours to remove (permissions, a read-only medium): leave it.
    }
  }
  return result;
}
