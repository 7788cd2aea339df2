/**
 * Where an import that only pushes (`--push-to` without `--dest`) stages its payload: the
 * station's spool, `<home>/spool/push/` (mode 0700). The import commits there like any other
 * (so the ledger, the claim and crash recovery work unchanged) and the folder is removed as soon
 * as the import is recorded. A kill between the commit and the removal leaves a folder no
 * pending claim names: the next push sweeps it. Staging folders of dead imports are swept by the
 * import itself (cleanLeftoverStaging). Nothing here outlives the push, so nothing is flushed to
 * disk (import-bundle.ts `durable: false`), and large blobs of a bundle file are not copied here
 * at all (bundle-blobs.ts).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StationDb } from '../../db/station-db.js';
import { STAGING_PREFIX } from '../../import/staging-owner.js';

export async function pushSpoolDir(spoolRoot: string): Promise<string> {
  const dir = join(spoolRoot, 'push');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Committed spool folders no running import owns: their push ended (or was recorded) already. */
export async function sweepPushSpool(dir: string, db: StationDb): Promise<string[]> {
  const removed: string[] = [];
  const pending = db.prepare("SELECT 1 AS one FROM imports WHERE status = 'pending' AND destination = ?");
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name.startsWith(STAGING_PREFIX)) continue;
    const path = join(dir, entry.name);
    if (pending.get(path) !== undefined) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

export async function removeSpooled(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
