/**
 * Whose a `.airlock-staging-*` folder is, and the sweep that removes the ones left by a killed
 * import. A folder counts as ours only if it is a real folder (not a symlink) of our user whose
 * owner is proven, by an owner.json of the right shape whose token is the folder's own name
 * suffix, or else by the process stamp in the folder's name (`.airlock-staging-al-…-XXXXXX`, as
 * staging.ts names them: the proof a folder has before anything is in it, and still has after
 * its owner file is removed), and whose owner process is provably gone (fs/process-owner.ts).
 * Anything else is never deleted: a folder that may still be in use is left alone, one Airlock
 * cannot prove it made is reported.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { lstat, open, readdir, rm } from 'node:fs/promises';
import { removeTree } from '../fs/remove-tree.js';
import { dirname, join } from 'node:path';
import { fsyncDirectory } from '../fs/durable.js';
import { releaseRecordedPlaceholder } from './destination-placeholder.js';
import { ownerState, parseStamp, STAMP_TAG_PATTERN, stampFromTag, type ProcessStamp } from '../fs/process-owner.js';

export const STAGING_PREFIX = '.airlock-staging-';
export const OWNER_FILE = 'owner.json';
const MAX_OWNER_BYTES = 16 * 1024;
/** The token (the name after the prefix) of a folder staging.ts made: its maker's stamp and mkdtemp's six characters. */
const STAMPED_TOKEN = new RegExp(`^${STAMP_TAG_PATTERN}-[A-Za-z0-9]{6}$`, 'u');

/** The owner a folder's name states, or null for names of earlier versions (and a user's). */
export function stampInName(token: string): ProcessStamp | null {
  const m = STAMPED_TOKEN.exec(token);
  return m ? stampFromTag(m.slice(1)) : null;
}

/** Staging folders this process is using now: a sweep by this same process leaves them alone. */
export const stagingInUse = new Set<string>();

export interface StagingOwner {
  airlock: 'staging-owner';
  version: 2;
  /** The folder's name after the prefix: binds the file to the folder mkdtemp made for it. */
  token: string;
  owner: ProcessStamp;
  /** For the operator reading it; the proof uses owner.host. */
  hostname: string;
  startedAt: string;
  bundle: string;
}

export interface StagingSweep {
  /** Provably left by a dead import of this station: removed. */
  removed: string[];
  /** Its import may still be running (or runs on another host): left alone. */
  leftAlone: string[];
  /** Named like a staging folder, but nothing proves Airlock made it: left alone. */
  unproven: string[];
  /** Provably left by a dead import, but removing it failed (permissions, I/O): what is left stays. */
  unremovable: string[];
}

/**
 * The owner file, opened without following a symlink or waiting on a FIFO, read with a size
 * bound; null unless it has the right shape.
 */
async function readOwner(dir: string, token: string): Promise<ProcessStamp | null> {
  let text: string;
  try {
    const handle = await open(join(dir, OWNER_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      if (!stats.isFile() || stats.size > MAX_OWNER_BYTES) return null;
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
  return parseOwner(text, token);
}

/** readOwner, synchronously: for recovery, which runs inside a database transaction. */
function readOwnerSync(dir: string, token: string): ProcessStamp | null {
  let text: string;
  try {
    const fd = openSync(join(dir, OWNER_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile() || stats.size > MAX_OWNER_BYTES) return null;
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
  return parseOwner(text, token);
}

/**
 * The empty folder a killed import's commit made at `destination` (its placeholder, recorded in its
 * staging folder), removed now: recovery settles that import as not committed, and an empty folder
 * under the bundle's name would look like an import that happened. Only the placeholder goes (same
 * device and inode as recorded, still empty), only from staging folders whose owner is provably
 * dead; the staging folder itself is swept by the next import into that folder, as before.
 */
export function releaseDeadPlaceholders(destination: string): void {
  const destDir = dirname(destination);
  let names: string[];
  try {
    names = readdirSync(destDir);
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const dir = join(destDir, name);
    try {
      const stats = lstatSync(dir);
      if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) continue;
    } catch {
      continue;
    }
    const token = name.slice(STAGING_PREFIX.length);
    const owner = readOwnerSync(dir, token) ?? stampInName(token);
    if (owner === null || ownerState(owner) !== 'dead') continue;
    releaseRecordedPlaceholder(dir, destDir);
  }
}

function parseOwner(text: string, token: string): ProcessStamp | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v['airlock'] !== 'staging-owner' || v['version'] !== 2 || v['token'] !== token) return null;
  return parseStamp(v['owner']);
}

/**
 * Remove a staging folder so that, stopped at any point, what is left still proves whose it is:
 * everything but the owner file first, then the owner file and the folder in one synchronous
 * step (no JavaScript signal handler runs in between). A kill -9 in that instant leaves an empty
 * folder: its name still proves whose it is (staging.ts), unless an earlier version named it, and
 * then it is reported, never deleted.
 */
export async function removeOwnedDirectory(root: string): Promise<void> {
  for (const name of await readdir(root)) {
    if (name === OWNER_FILE) continue;
    const path = join(root, name);
    // Not fs.rm on the payload folder: it starts the removal of every staged file at once (420 MB for 200,000 files).
    if ((await lstat(path)).isDirectory()) await removeTree(path);
    else await rm(path, { force: true });
  }
  rmSync(join(root, OWNER_FILE), { force: true });
  rmdirSync(root);
}

export async function cleanLeftoverStaging(destDir: string): Promise<StagingSweep> {
  const result: StagingSweep = { removed: [], leftAlone: [], unproven: [], unremovable: [] };
  const uid = process.getuid?.();
  for (const name of await readdir(destDir)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const dir = join(destDir, name);
    const stats = await lstat(dir).catch(() => null);
    if (!stats) continue;
    if (!stats.isDirectory() || (uid !== undefined && stats.uid !== uid)) {
      result.unproven.push(dir);
      continue;
    }
    const token = name.slice(STAGING_PREFIX.length);
    const owner = (await readOwner(dir, token)) ?? stampInName(token);
    if (owner === null) {
      result.unproven.push(dir);
      continue;
    }
    const state = ownerState(owner);
    if (state === 'dead' || (state === 'self' && !stagingInUse.has(dir))) {
      try {
        // The empty folder a killed commit made at DIR/NAME goes first: the record of it goes with the staging folder.
        releaseRecordedPlaceholder(dir, destDir);
        await removeOwnedDirectory(dir);
        result.removed.push(dir);
      } catch {
        // Sweeping is never why an import fails; the owner file goes last, so the next sweep tries again.
        result.unremovable.push(dir);
      }
    } else {
      result.leftAlone.push(dir);
    }
  }
  if (result.removed.length > 0) await fsyncDirectory(destDir);
  return result;
}
