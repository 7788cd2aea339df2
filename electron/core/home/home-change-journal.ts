/**
 * An undo journal for a change of the home's files that ends with an audit event: a key change
 * (keys/key-change-journal.ts: the trust store, the station key files) and a settings save
 * (home/settings-change-journal.ts: config.json, policy.json). A change writes its files one after
 * another and records its event last. A power cut or kill -9 between two of those steps left a
 * state no command said done: a file changed with no event for it, or one file new and the other
 * old. Found by the fault harness's crash-state scenario (docs/design-notes.md, faults8 and
 * setjournal).
 *
 * Before its first write, under the kind's lock, a change saves what its files hold now in the
 * kind's journal file (durably: temp, fsync, rename, fsync the folder), with an id its audit event
 * carries (`details[idKey]`). After the event it removes the journal. A journal found later is
 * settled under the same lock: the event with its id recorded means the change is done (the journal
 * goes); no such event means it did not happen, and every file is put back as it was (a file that
 * did not exist is removed). So what is left is the state before with no event, or the state after
 * with its event. Settled by the next change of the kind (under the lock it holds) and by the next
 * open of the station (openStationContext), so no command reads a change that is not on record.
 * An undo, not a redo: the journal holds only what is already on disk.
 */
import { randomUUID } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { StationDb } from '../db/station-db.js';
import { errnoOf } from '../errors.js';
import { fsyncDirectory, writeFileDurably } from '../fs/durable.js';

/** One kind of journaled change: its journal, its files, its event, its lock. */
export interface HomeChangeKind {
  /** Written in the journal and checked when it is read: a journal of another kind is not acted on. */
  readonly name: string;
  /** The home's root: the journal names its files relative to it. */
  readonly root: string;
  readonly journal: string;
  /** The files every change of this kind may write (saved by every change). */
  readonly files: readonly string[];
  /** May a settle write `file` back? (a change's extra files: a rotation's retired copies). */
  mayRestore(file: string): boolean;
  /** The mode a file is put back with. */
  modeOf(file: string): number;
  /** The audit event types a change of this kind records its success as (an SQL LIKE pattern). */
  readonly eventTypes: string;
  /** The field of the event's details that carries the change's id. */
  readonly idKey: string;
  /** Run `settle` under the lock every change of this kind holds. */
  withLock<T>(settle: () => Promise<T>): Promise<T>;
}

interface SavedFile {
  /** Relative to the home. */
  path: string;
  /** The content before the change; null: the file did not exist. */
  content: string | null;
}

interface Journal {
  airlock: string;
  version: 1;
  id: string;
  files: SavedFile[];
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/** Save the files' content now; returns the id the change's audit event must carry. Call holding the kind's lock. */
export async function beginHomeChange(kind: HomeChangeKind, extraFiles: readonly string[] = []): Promise<string> {
  const id = randomUUID();
  const files: SavedFile[] = [];
  for (const file of [...kind.files, ...extraFiles]) files.push({ path: relative(kind.root, file), content: await readOrNull(file) });
  const journal: Journal = { airlock: kind.name, version: 1, id, files };
  await writeFileDurably(kind.journal, `${JSON.stringify(journal)}\n`, 0o600);
  return id;
}

/** The change is recorded: the journal goes. */
export async function endHomeChange(kind: HomeChangeKind): Promise<void> {
  try {
    await unlink(kind.journal);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return;
    throw error;
  }
  await fsyncDirectory(dirname(kind.journal));
}

function parseJournal(kind: HomeChangeKind, text: string): Journal | null {
  try {
    const value = JSON.parse(text) as Partial<Journal>;
    if (value.airlock !== kind.name || value.version !== 1 || typeof value.id !== 'string' || !Array.isArray(value.files)) return null;
    for (const f of value.files)
      if (typeof f?.path !== 'string' || isAbsolute(f.path) || f.path.startsWith('..') || (f.content !== null && typeof f.content !== 'string')) return null;
    return value as Journal;
  } catch {
    return null;
  }
}

function mayRestore(kind: HomeChangeKind, file: string): boolean {
  return kind.files.includes(file) || kind.mayRestore(file);
}

function recorded(kind: HomeChangeKind, db: StationDb, id: string): boolean {
  return (
    db
      .prepare('SELECT 1 FROM audit_events WHERE type LIKE ? AND instr(details, ?) > 0 LIMIT 1')
      .get(kind.eventTypes, `${JSON.stringify(kind.idKey)}:"${id}"`) !== undefined
  );
}

/**
 * Settle a journal left by a change that did not end (killed, power cut, or failed before its
 * event): done if its event is recorded, else every file put back. Call holding the kind's lock
 * (no change is under way then). Returns what it did, for tests and the harness.
 */
export async function settleHomeChangeHeld(kind: HomeChangeKind, db: () => StationDb): Promise<'none' | 'done' | 'undone'> {
  const text = await readOrNull(kind.journal);
  if (text === null) return 'none';
  const journal = parseJournal(kind, text);
  // Written by temp and rename, a journal is whole or absent; one that does not parse, or names a
  // file no change of its kind writes, is not ours to act on (left for the operator to look at).
  if (journal === null || !journal.files.every((f) => mayRestore(kind, join(kind.root, f.path)))) return 'none';
  if (recorded(kind, db(), journal.id)) {
    await endHomeChange(kind);
    return 'done';
  }
  for (const saved of journal.files) {
    const file = join(kind.root, saved.path);
    if (saved.content === null) {
      // Absent already (a rotation cut before it made keys/retired/): nothing to remove, and no folder to fsync.
      const removed = await unlink(file).then(
        () => true,
        (error: unknown) => {
          if (errnoOf(error) !== 'ENOENT') throw error;
          return false;
        },
      );
      if (removed) await fsyncDirectory(dirname(file));
    } else if ((await readOrNull(file)) !== saved.content) {
      await writeFileDurably(file, saved.content, kind.modeOf(file));
    }
  }
  await endHomeChange(kind);
  return 'undone';
}

/** At the station's open: a journal left behind is settled under the lock (one failed open when there is none). */
export async function settleHomeChangeAtOpen(kind: HomeChangeKind, db: () => StationDb): Promise<'none' | 'done' | 'undone'> {
  if ((await readOrNull(kind.journal)) === null) return 'none';
  return kind.withLock(() => settleHomeChangeHeld(kind, db));
}

/** Run `change` (its writes and its event, whose details must carry `[idKey]: id`) journaled. Call holding the kind's lock. */
export async function journaledHomeChange<T>(
  kind: HomeChangeKind,
  db: () => StationDb,
  extraFiles: readonly string[],
  change: (id: string) => Promise<T>,
): Promise<T> {
  await settleHomeChangeHeld(kind, db);
  const id = await beginHomeChange(kind, extraFiles);
  let value: T;
  try {
    value = await change(id);
  } catch (error) {
    // Failed before or while recording: put back unless its event made it in. Never hides the failure.
    await settleHomeChangeHeld(kind, db).catch(() => undefined);
    throw error;
  }
  await endHomeChange(kind).catch(() => settleHomeChangeHeld(kind, db).catch(() => undefined));
  return value;
}
