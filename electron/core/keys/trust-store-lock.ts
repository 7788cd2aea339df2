/**
 * The trust store's lock: home-file-lock.ts on keys/trusted-signers.json.lock. `keys trust`,
 * `untrust`, `revoke-import`, `generate` and `rotate` read the store, change it and write it back
 * whole; the lock keeps two at once from losing one (faults7, docs/design-notes.md).
 */
import { homeFileLockPath, withHomeFileLock, type HomeFileHold } from '../home/home-file-lock.js';
import type { HomePaths } from '../home/station-home.js';

export function trustStoreLockPath(paths: HomePaths): string {
  return homeFileLockPath(paths.trustStore);
}

/** Run `change` (read, change, write the store; and its audit event, when the station holds it) under the lock; HOME_FILE_BUSY after 10 s. */
export function withTrustStoreLock<T>(paths: HomePaths, change: (hold: HomeFileHold) => Promise<T>, held?: HomeFileHold): Promise<T> {
  return withHomeFileLock(trustStoreLockPath(paths), change, { held });
}
