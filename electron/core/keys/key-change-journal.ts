/**
 * An undo journal for a change of the station's keys (trust, untrust, revoke-import, generate,
 * rotate, restore). A change writes several files one after another (the trust store; a rotation
 * seven: retired copies, the store, the three key files, the store again) and records its audit
 * event last. A power cut or kill -9 between two of those steps left a state no command said done:
 * the store changed with no event for it, or a rotation half done (the private key new, the public
 * key old; the new station key not yet trusted). Found by the fault harness's crash-state scenario
 * (docs/design-notes.md, faults8).
 *
 * Before its first write, under the trust store's lock, a change saves what the files hold now in
 * keys/key-change.json (durably: temp, fsync, rename, fsync the folder), with an id that its audit
 * event carries (`details.keyChange`). After the event it removes the journal. A journal found
 * later is settled under the same lock: the event with its id recorded means the change is done
 * (the journal goes); no such event means it did not happen, and every file is put back as it was
 * (a file that did not exist is removed). So what is left is the state before with no event, or the
 * state after with its event. Settled by the next key change (under the lock it holds) and by the
 * next open of the station (openStationContext), so no command reads a change that is not on record.
 */
import { randomUUID } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { StationDb } from '../db/station-db.js';
import { errnoOf } from '../errors.js';
import { fsyncDirectory, writeFileDurably } from '../fs/durable.js';
import type { HomePaths } from '../home/station-home.js';
import { withTrustStoreLock } from './trust-store-lock.js';

interface SavedFile {
  /** Relative to the home. */
  path: string;
  /** The content before the change; null: the file did not exist. */
  content: string | null;
}

interface Journal {
  airlock: 'key-change';
  version: 1;
  id: string;
  files: SavedFile[];
}

export function keyChangeJournalPath(paths: HomePaths): string {
  return join(paths.keysDir, 'key-change.json');
}

/** The files every key change may write; a rotation adds its retired copies. */
function keyFiles(paths: HomePaths): string[] {
  return [paths.trustStore, paths.stationPrivateKey, paths.stationPublicKey, paths.stationRevocation];
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/** Save the files' content now; returns the id the change's audit event must carry. Call holding the trust store's lock. */
export async function beginKeyChange(paths: HomePaths, extraFiles: readonly string[] = []): Promise<string> {
  const id = randomUUID();
  const files: SavedFile[] = [];
  for (const file of [...keyFiles(paths), ...extraFiles]) files.push({ path: relative(paths.root, file), content: await readOrNull(file) });
  const journal: Journal = { airlock: 'key-change', version: 1, id, files };
  await writeFileDurably(keyChangeJournalPath(paths), `${JSON.stringify(journal)}\n`, 0o600);
  return id;
}

/** The change is recorded: the journal goes. */
export async function endKeyChange(paths: HomePaths): Promise<void> {
  await removeJournal(paths);
}

async function removeJournal(paths: HomePaths): Promise<void> {
  try {
    await unlink(keyChangeJournalPath(paths));
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw error;
  }
  await fsyncDirectory(paths.keysDir);
}

function parseJournal(text: string): Journal | null {
  try {
    const value = JSON.parse(text) as Partial<Journal>;
    if (value.airlock !== 'key-change' || value.version !== 1 || typeof value.id !== 'string' || !Array.isArray(value.files)) return null;
    for (const f of value.files)
      if (typeof f?.path !== 'string' || isAbsolute(f.path) || f.path.startsWith('..') || (f.content !== null && typeof f.content !== 'string')) return null;
    return value as Journal;
  } catch {
    return null;
  }
}

/** Only the files a key change writes: the trust store, the station key files, a retired key's two files. */
function mayRestore(paths: HomePaths, file: string): boolean {
  if (keyFiles(paths).includes(file)) return true;
  return dirname(file) === join(paths.keysDir, 'retired') && /^[0-9A-F]{40,64}\.(private|revocation)\.asc$/u.test(basename(file));
}

function recorded(db: StationDb, id: string): boolean {
  return db.prepare("SELECT 1 FROM audit_events WHERE type LIKE 'key-%' AND instr(details, ?) > 0 LIMIT 1").get(`"keyChange":"${id}"`) !== undefined;
}

/**
 * Settle a journal left by a change that did not end (killed, power cut, or failed before its
 * event): done if its event is recorded, else every file put back. Call holding the trust store's
 * lock (no change is under way then). Returns what it did, for tests and the harness.
 */
export async function settleKeyChangeHeld(paths: HomePaths, db: () => StationDb): Promise<'none' | 'done' | 'undone'> {
  const text = await readOrNull(keyChangeJournalPath(paths));
  if (text === null) return 'none';
  const journal = parseJournal(text);
  // Written by temp and rename, a journal is whole or absent; one that does not parse, or names a
  // file no key change writes, is not ours to act on (left for the operator to look at).
  if (journal === null || !journal.files.every((f) => mayRestore(paths, join(paths.root, f.path)))) return 'none';
  if (recorded(db(), journal.id)) {
    await removeJournal(paths);
    return 'done';
  }
  for (const saved of journal.files) {
    const file = join(paths.root, saved.path);
    if (saved.content === null) {
      await unlink(file).catch((error: unknown) => {
        if (errnoOf(error) !== 'ENOENT') throw error;
      });
      await fsyncDirectory(dirname(file));
    } else if ((await readOrNull(file)) !== saved.content) {
      await writeFileDurably(file, saved.content, file === paths.stationPublicKey ? 0o644 : 0o600);
    }
  }
  await removeJournal(paths);
  return 'undone';
}

/** At the station's open: a journal left behind is settled under the lock (one failed open when there is none). */
export async function settleKeyChangeAtOpen(paths: HomePaths, db: () => StationDb): Promise<void> {
  if ((await readOrNull(keyChangeJournalPath(paths))) === null) return;
  await withTrustStoreLock(paths, () => settleKeyChangeHeld(paths, db));
}

/** Run `change` (its writes and its event, which must carry `keyChange: id` in its details) journaled. Call holding the trust store's lock. */
export async function journaledKeyChange<T>(
  paths: HomePaths,
  db: () => StationDb,
  extraFiles: readonly string[],
  change: (id: string) => Promise<T>,
): Promise<T> {
  await settleKeyChangeHeld(paths, db);
  const id = await beginKeyChange(paths, extraFiles);
  let value: T;
  try {
    value = await change(id);
  } catch (error) {
    // Failed before or while recording: put back unless its event made it in. Never hides the failure.
    await settleKeyChangeHeld(paths, db).catch(() => undefined);
    throw error;
  }
  await endKeyChange(paths).catch(() => settleKeyChangeHeld(paths, db).catch(() => undefined));
  return value;
}
