import { opendirSync, rmdirSync, unlinkSync, type Dir } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { errnoOf as code } from '../errors.js';

/** Synchronous removals between two turns of the event loop (progress and cancellation go on). */
const PER_TURN = 1024;

/**
 * `rm -rf` in bounded memory. Node's `fs.rm(dir, { recursive: true })` starts the removal of
 * every entry of a folder at once: for a staging folder of 200,000 files that peaked at 420 MB,
 * for a million at about two gigabytes, just to throw away a rejected import. Here folders are
 * read as streams (opendir), files unlinked one at a time with synchronous calls, depth first,
 * so memory holds folder names (to remove them once empty), never every file.
 * A folder that is gone already is fine (as with `force: true`).
 */
export async function removeTree(root: string): Promise<void> {
  const pending: string[] = [root];
  /** Folders whose contents were removed, to rmdir deepest first. */
  const emptied: string[] = [];
  let done = 0;
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let handle: Dir;
    try {
      handle = opendirSync(dir);
    } catch (error) {
      if (code(error) === 'ENOENT') continue;
      if (code(error) === 'ENOTDIR') {
        unlinkSync(dir);
        continue;
      }
      throw error;
    }
    try {
      for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) pending.push(path);
        else unlinkIfThere(path);
        done += 1;
        if (done % PER_TURN === 0) await nextTurn();
      }
    } finally {
      handle.closeSync();
    }
    emptied.push(dir);
  }
  for (let i = emptied.length - 1; i >= 0; i -= 1) {
    const dir = emptied[i] as string;
    try {
      rmdirSync(dir);
    } catch (error) {
      if (code(error) === 'ENOENT') continue;
      // Something appeared meanwhile (or a read missed an entry): go through it again.
      if (code(error) === 'ENOTEMPTY' || code(error) === 'EEXIST') await removeTree(dir);
      else throw error;
    }
  }
}

function unlinkIfThere(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
}
