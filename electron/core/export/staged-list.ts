import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AirlockError, errnoOf, toAirlockError } from '../errors.js';
import { loadStagedExport, removeStagedExport } from './staged-bundle.js';

/**
 * The staged two-person exports kept in the home (`<home>/staged/NAME`, where `export --prepare`
 * puts them unless told otherwise), and a safe way to discard one: a prepare that failed half-way
 * left a folder that blocks its name (OUTPUT_EXISTS) until it goes.
 */
export interface StagedEntry {
  name: string;
  dir: string;
  /**
   * ready: signed, can be approved and finished; invalid: incomplete or changed (reason says why);
   * finished: its bundle is out (the station's export intents say so: a finish killed after it
   * published), it can only be discarded (reason names the bundle).
   */
  state: 'ready' | 'invalid' | 'finished';
  reason: string | null;
  files: number | null;
  bytes: number | null;
  signatures: number | null;
  createdAt: string | null;
  /** Who has signed, in order: the first prepared it, a second approved it (null when invalid). */
  signers: Array<{ fingerprint: string; userIds: string[] }> | null;
  /** The bundle's UUID and sequence number (null when invalid): what the audit log and the export intents know it by. */
  uuid: string | null;
  sequence: number | null;
}

export function stagedRoot(homeRoot: string): string {
  return join(homeRoot, 'staged');
}

export async function listStagedExports(homeRoot: string): Promise<StagedEntry[]> {
  const root = stagedRoot(homeRoot);
  // The home's own staged/ folder holds nothing else: a folder without staged.json there is a prepare that failed half-way.
  return listFolder(root, () => true);
}

/**
 * The staged exports in a folder chosen by the operator (`export --list-staged --staging DIR`):
 * DIR itself when it holds staged.json (what `export --prepare --staging DIR` made), else each
 * folder directly inside it that holds staged.json. Other folders there are not staged exports
 * and are not listed (nor offered for discarding).
 */
export async function listStagedIn(dir: string): Promise<StagedEntry[]> {
  const folder = resolve(dir);
  const stats = await stat(folder).catch((error: unknown) => {
    throw toAirlockError(error, folder);
  });
  if (!stats.isDirectory()) throw new AirlockError('NOT_A_FOLDER', `${folder} is not a folder.`, { path: folder });
  if (await holdsStagedJson(folder)) return [await describeEntry(basename(folder), folder)];
  return listFolder(folder, holdsStagedJson);
}

async function holdsStagedJson(dir: string): Promise<boolean> {
  return (await lstat(join(dir, 'staged.json')).catch(() => null))?.isFile() === true;
}

async function listFolder(root: string, isStaged: (dir: string) => Promise<boolean> | boolean): Promise<StagedEntry[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return [];
    throw toAirlockError(error, root);
  }
  const entries: StagedEntry[] = [];
  for (const name of names.sort()) {
    if (name.startsWith(RETIRED_PREFIX)) continue;
    const dir = join(root, name);
    if (!(await lstat(dir)).isDirectory() || !(await isStaged(dir))) continue;
    entries.push(await describeEntry(name, dir));
  }
  return entries;
}

async function describeEntry(name: string, dir: string): Promise<StagedEntry> {
  try {
    const staged = await loadStagedExport(dir);
    return {
      name,
      dir,
      state: 'ready',
      reason: null,
      files: staged.prepared.payload.length,
      bytes: staged.prepared.tags.payloadBytes,
      signatures: staged.signatures.length,
      createdAt: staged.prepared.createdAt.toISOString(),
      signers: staged.signatures.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
      uuid: staged.prepared.tags.uuid,
      sequence: staged.prepared.sequence,
    };
  } catch (error) {
    const reason = error instanceof AirlockError ? error.message : String(error);
    return { name, dir, state: 'invalid', reason, files: null, bytes: null, signatures: null, createdAt: null, signers: null, uuid: null, sequence: null };
  }
}

/**
 * The folder `airlock export --discard-staged NAME|DIR` may remove: a name is looked up in the
 * home's staged/ folder; a path must be a folder holding staged.json (so a typo never removes an
 * arbitrary folder), unless it is directly inside the home's staged/ folder.
 */
export async function resolveDiscardTarget(homeRoot: string, nameOrDir: string): Promise<string> {
  const root = stagedRoot(homeRoot);
  const looksLikeName = !nameOrDir.includes('/') && !nameOrDir.includes('\\') && nameOrDir !== '.' && nameOrDir !== '..';
  const dir = looksLikeName ? join(root, nameOrDir) : resolve(nameOrDir);
  let stats;
  try {
    stats = await lstat(dir);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') {
      throw new AirlockError('NOT_FOUND', `There is no staged export ${looksLikeName ? `named ${nameOrDir} in ${root}` : `at ${dir}`}.`, {
        path: dir,
        data: { reason: 'no-staged-export' },
      });
    }
    throw toAirlockError(error, dir);
  }
  if (!stats.isDirectory()) throw new AirlockError('NOT_A_FOLDER', `${dir} is not a staged export folder.`, { path: dir });
  if (dirname(dir) === root) return dir;
  const marker = await stat(join(dir, 'staged.json')).catch(() => null);
  if (!marker?.isFile()) {
    throw new AirlockError('USAGE', `${dir} holds no staged.json: it is not a staged export, and Airlock removes only those.`, { path: dir });
  }
  return dir;
}

/** The hidden name a staged folder is renamed to before it is removed (never a bundle name: those cannot start with a dot); list skips these, discard sweeps them. */
export const RETIRED_PREFIX = '.retired-';

/**
 * Rename the staged folder out of its name in one step (synchronous: callers run it inside a
 * transaction), so a kill during the removal that follows leaves a hidden folder, never a
 * half-removed staged export under its own name. Returns the new path.
 */
export function retireStagedFolder(dir: string): string {
  const retired = join(dirname(dir), `${RETIRED_PREFIX}${basename(dir)}-${randomBytes(6).toString('hex')}`);
  try {
    renameSync(dir, retired);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT')
      throw new AirlockError('NOT_FOUND', `There is no staged export at ${dir}.`, { path: dir, data: { reason: 'no-staged-export' } });
    throw error;
  }
  return retired;
}

/** Remove what a kill left of earlier removals in this folder (retired staged folders only). */
export async function sweepRetiredStaged(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) if (name.startsWith(RETIRED_PREFIX)) await removeStagedExport(join(parent, name));
}
