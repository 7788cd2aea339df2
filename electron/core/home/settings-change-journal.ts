/**
 * The undo journal of a settings save (the app's Settings: station-settings.ts writes config.json,
 * then policy.json, then the station records `settings-change`): home-change-journal.ts with the
 * settings' files, event and lock. A cut between the two writes left the station renamed under the
 * old policy, a cut before the event both files changed, and no event either way (faults8's
 * "left"; docs/design-notes.md, setjournal).
 *
 * The journal is settings-change.json beside config.json; the event `settings-change` with
 * `details.settingsChange`; the lock the settings' one (settingsLockPath).
 */
import { join } from 'node:path';
import { openStationDb, type StationDb } from '../db/station-db.js';
import { journaledHomeChange, settleHomeChangeAtOpen, type HomeChangeKind } from './home-change-journal.js';
import { withHomeFileLock } from './home-file-lock.js';
import type { HomePaths } from './station-home.js';
import { settingsLockPath } from './station-settings.js';

export function settingsChangeJournalPath(paths: HomePaths): string {
  return join(paths.root, 'settings-change.json');
}

export function settingsChangeKind(paths: HomePaths): HomeChangeKind {
  return {
    name: 'settings-change',
    root: paths.root,
    journal: settingsChangeJournalPath(paths),
    files: [paths.config, paths.policy],
    mayRestore: () => false,
    // As writeFileDurably's default, which the save uses.
    modeOf: () => 0o644,
    eventTypes: 'settings-change',
    idKey: 'settingsChange',
    withLock: (settle) => withHomeFileLock(settingsLockPath(paths), settle),
  };
}

/** Run a save (its writes and its event, which must carry `settingsChange: id` in its details) journaled. Call holding the settings' lock. */
export function journaledSettingsChange<T>(paths: HomePaths, db: () => StationDb, change: (id: string) => Promise<T>): Promise<T> {
  return journaledHomeChange(settingsChangeKind(paths), db, [], change);
}

/**
 * At the station's open, before config.json is read (the station's identity comes from it): a
 * journal left behind is settled under the lock. The database is opened only when there is one
 * (one failed open of the journal otherwise), and closed again: the station opens its own later.
 */
export async function settleSettingsChangeAtOpen(paths: HomePaths): Promise<'none' | 'done' | 'undone'> {
  let db: StationDb | null = null;
  try {
    return await settleHomeChangeAtOpen(settingsChangeKind(paths), () => (db ??= openStationDb(paths.database)));
  } finally {
    (db as StationDb | null)?.close();
  }
}
