/**
 * The undo journal of a change of the station's keys (trust, untrust, revoke-import, generate,
 * rotate, restore): home/home-change-journal.ts with the keys' files, event and lock. A change
 * writes several files one after another (the trust store; a rotation seven: retired copies, the
 * store, the three key files, the store again) and records its audit event last; a cut between
 * two of those steps left the store changed with no event, or a rotation half done (the private
 * key new, the public key old). Found by crash-state (docs/design-notes.md, faults8).
 *
 * The journal is keys/key-change.json (0600 in the 0700 keys/, as the key files themselves: it
 * holds the encrypted private key as stored); the event is any `key-*` with `details.keyChange`;
 * the lock is the trust store's.
 */
import { basename, dirname, join } from 'node:path';
import type { StationDb } from '../db/station-db.js';
import {
  beginHomeChange,
  endHomeChange,
  journaledHomeChange,
  settleHomeChangeAtOpen,
  settleHomeChangeHeld,
  type HomeChangeKind,
} from '../home/home-change-journal.js';
import type { HomePaths } from '../home/station-home.js';
import { withTrustStoreLock } from './trust-store-lock.js';

export function keyChangeJournalPath(paths: HomePaths): string {
  return join(paths.keysDir, 'key-change.json');
}

function keyChange(paths: HomePaths): HomeChangeKind {
  return {
    name: 'key-change',
    root: paths.root,
    journal: keyChangeJournalPath(paths),
    // Every key change may write these; a rotation adds its retired copies.
    files: [paths.trustStore, paths.stationPrivateKey, paths.stationPublicKey, paths.stationRevocation],
    mayRestore: (file) => dirname(file) === join(paths.keysDir, 'retired') && /^[0-9A-F]{40,64}\.(private|revocation)\.asc$/u.test(basename(file)),
    modeOf: (file) => (file === paths.stationPublicKey ? 0o644 : 0o600),
    eventTypes: 'key-%',
    idKey: 'keyChange',
    withLock: (settle) => withTrustStoreLock(paths, settle),
  };
}

/** Save the files' content now; returns the id the change's audit event must carry. Call holding the trust store's lock. */
export function beginKeyChange(paths: HomePaths, extraFiles: readonly string[] = []): Promise<string> {
  return beginHomeChange(keyChange(paths), extraFiles);
}

/** The change is recorded: the journal goes. */
export function endKeyChange(paths: HomePaths): Promise<void> {
  return endHomeChange(keyChange(paths));
}

/** Settle a journal a key change left (done if its event is recorded, else every file put back). Call holding the trust store's lock. */
export function settleKeyChangeHeld(paths: HomePaths, db: () => StationDb): Promise<'none' | 'done' | 'undone'> {
  return settleHomeChangeHeld(keyChange(paths), db);
}

/** At the station's open: a journal left behind is settled under the lock (one failed open when there is none). */
export async function settleKeyChangeAtOpen(paths: HomePaths, db: () => StationDb): Promise<void> {
  await settleHomeChangeAtOpen(keyChange(paths), db);
}

/** Run `change` (its writes and its event, which must carry `keyChange: id` in its details) journaled. Call holding the trust store's lock. */
export function journaledKeyChange<T>(paths: HomePaths, db: () => StationDb, extraFiles: readonly string[], change: (id: string) => Promise<T>): Promise<T> {
  return journaledHomeChange(keyChange(paths), db, extraFiles, change);
}
