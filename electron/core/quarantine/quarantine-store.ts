/**
 * The station's quarantine (issue #16.5; docs/operator-guide.md, Quarantine): one folder per
 * refused bundle under `<home>/quarantine/<id>/`:
 *
 *   entry.json    the QuarantineEntry (status held | released), rewritten atomically on each change
 *   report.json   the VerifyResult that refused it (its problems are the findings a release may override)
 *   bundle/       the bundle file as it arrived, or a split bundle's parts with the volume index and its .asc
 *   approvals.json   release decisions so far (signed statements, release-approval.ts)
 *   releasing.json   a release under way (its destination), settled on the next read if the process died
 *
 * An entry appears whole or not at all: it is built in an owner-marked temp folder beside it
 * (`.ID.al-...partial`, fs/owned-temp.ts), every file fsynced, then renamed to its id and the
 * parent fsynced (keep-bundle.ts). A folder that does not carry a readable entry.json is not an
 * entry. Leftover temp folders of dead processes are swept on every list and keep.
 */
import { jsonText } from '../../../shared/display-text.js';
import { lstat, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { VerifyResult } from '../../../shared/results.js';
import { AirlockError, errnoOf } from '../errors.js';
import { fsyncDirectory, writeFileDurably, writeTempDurably } from '../fs/durable.js';
import { publishWithoutOverwrite } from '../fs/publish.js';
import { ownedTempPath, parseOwnedTempName, releaseTemp, sweepDeadTemps } from '../fs/owned-temp.js';
import { ownerState } from '../fs/process-owner.js';
import { removeTree } from '../fs/remove-tree.js';
import { parseEntry } from './entry-file.js';
import { assertQuarantineId, isQuarantineId } from './quarantine-id.js';
import { readRegularFile } from '../fs/open-regular.js';

export const ENTRY_FILE = 'entry.json';
export const REPORT_FILE = 'report.json';
export const BUNDLE_DIR = 'bundle';
/** Suffix of the final name a purge gives an entry's folder while it removes it. */
const PURGE_SUFFIX = '.purge';

export interface QuarantineSweep {
  /** Keep temp folders of dead processes, removed. */
  removed: string[];
  /** Ids whose purge a dead process began: the caller decides (purge recorded: finish; else restore). */
  interruptedPurges: Array<{ id: string; path: string }>;
}

export class QuarantineStore {
  constructor(readonly root: string) {}

  dirOf(id: string): string {
    return join(this.root, assertQuarantineId(id));
  }

  async ensureRoot(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  /** Every entry, oldest first. Folders without a readable entry.json are not entries (a damaged one is reported by show). */
  async list(): Promise<QuarantineEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return [];
      throw error;
    }
    const entries: QuarantineEntry[] = [];
    for (const name of names.filter(isQuarantineId).sort()) {
      const entry = await this.readEntryOrNull(name);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  /** The entry `id` names: QUARANTINE_NOT_FOUND for a malformed id, an absent folder or a damaged entry.json. */
  async read(id: string): Promise<QuarantineEntry> {
    const dir = this.dirOf(id);
    const entry = await this.readEntryOrNull(id);
    if (entry) return entry;
    const there = await lstat(dir).catch(() => null);
    throw new AirlockError('QUARANTINE_NOT_FOUND', there ? `${dir} holds no readable ${ENTRY_FILE}.` : `Nothing in ${this.root} has the id ${id}.`, {
      path: dir,
    });
  }

  async readReport(id: string): Promise<VerifyResult> {
    const path = join(this.dirOf(id), REPORT_FILE);
    try {
      return JSON.parse(await readRegularFile(path, 'utf8')) as VerifyResult;
    } catch (error) {
      throw new AirlockError('QUARANTINE_NOT_FOUND', `${path} cannot be read: ${(error as Error).message}`, { path, cause: error });
    }
  }

  /** Replace entry.json atomically (temp, fsync, rename, fsync the folder): a kill leaves the old or the new state. */
  async write(entry: QuarantineEntry): Promise<void> {
    await writeFileDurably(join(this.dirOf(entry.id), ENTRY_FILE), `${jsonText(entry, 2)}\n`, 0o600);
  }

  /** A small JSON file in the entry's folder, written atomically. */
  async writeJson(id: string, file: string, value: unknown): Promise<void> {
    await writeFileDurably(join(this.dirOf(id), file), `${jsonText(value, 2)}\n`, 0o600);
  }

  /**
   * A small JSON file that must not exist yet (a release under way): written to a temp name,
   * fsynced, then linked into place, which fails if the name is taken (OUTPUT_EXISTS).
   */
  async createJson(id: string, file: string, value: unknown): Promise<void> {
    const final = join(this.dirOf(id), file);
    const temp = await writeTempDurably(final, `${jsonText(value, 2)}\n`, 0o600);
    try {
      await publishWithoutOverwrite(temp, final);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      releaseTemp(temp);
      throw error;
    }
  }

  async readJson(id: string, file: string): Promise<unknown> {
    try {
      return JSON.parse(await readRegularFile(join(this.dirOf(id), file), 'utf8')) as unknown;
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return null;
      throw new AirlockError('QUARANTINE_NOT_FOUND', `${join(this.dirOf(id), file)} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Remove a small file of the entry's folder (gone already is fine), durably. */
  async removeFile(id: string, file: string): Promise<void> {
    try {
      await unlink(join(this.dirOf(id), file));
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return;
      throw error;
    }
    await fsyncDirectory(this.dirOf(id));
  }

  /** The file a release verifies: the bundle file, or a split bundle's volume index. */
  async keptBundlePath(id: string): Promise<string> {
    const dir = join(this.dirOf(id), BUNDLE_DIR);
    const names = await readdir(dir).catch(() => [] as string[]);
    const open = names.find((n) => n.endsWith('.airlock-index.json')) ?? names.find((n) => n.endsWith('.airlock.tar'));
    if (open === undefined) throw new AirlockError('QUARANTINE_NOT_FOUND', `${dir} holds no bundle.`, { path: dir });
    return join(dir, open);
  }

  /** A fresh temp folder for a new entry, owner-marked so a kill leaves a leftover the next sweep proves dead. */
  async createTemp(id: string): Promise<string> {
    await this.ensureRoot();
    const temp = ownedTempPath(this.dirOf(id));
    await mkdir(temp, { mode: 0o700 });
    return temp;
  }

  /** Publish a finished, fsynced temp folder under its id; the parent is fsynced so the entry survives a power cut. */
  async publish(temp: string, id: string): Promise<string> {
    const dir = this.dirOf(id);
    // An id is fresh (time + 32 random bits); a clash is refused, never merged.
    if (await lstat(dir).catch(() => null)) throw new AirlockError('OUTPUT_EXISTS', dir, { path: dir });
    await rename(temp, dir);
    releaseTemp(temp);
    await fsyncDirectory(this.root);
    return dir;
  }

  async discardTemp(temp: string): Promise<void> {
    try {
      await removeTree(temp);
    } finally {
      releaseTemp(temp);
    }
  }

  /** Step 1 of a purge: the folder leaves the list in one rename (to an owner-marked name); finishPurge removes it. */
  async beginPurge(id: string): Promise<string> {
    const temp = ownedTempPath(join(this.root, `${assertQuarantineId(id)}${PURGE_SUFFIX}`));
    await rename(this.dirOf(id), temp);
    await fsyncDirectory(this.root);
    return temp;
  }

  async finishPurge(temp: string): Promise<void> {
    try {
      await removeTree(temp);
      await fsyncDirectory(this.root).catch(() => undefined);
    } finally {
      releaseTemp(temp);
    }
  }

  /** An interrupted purge that was never recorded: the entry comes back as it was. */
  async restorePurge(temp: string, id: string): Promise<void> {
    await rename(temp, this.dirOf(id));
    releaseTemp(temp);
    await fsyncDirectory(this.root);
  }

  /**
   * Leftovers of dead processes: a keep's temp folder is removed (the entry never existed); a
   * purge's is handed back to the caller, who knows from the audit log whether it was recorded.
   * A folder whose owner may be alive is left alone.
   */
  async sweep(): Promise<QuarantineSweep> {
    const result: QuarantineSweep = { removed: [], interruptedPurges: [] };
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return result;
    }
    for (const name of names) {
      const parsed = parseOwnedTempName(name);
      if (!parsed) continue;
      const path = join(this.root, name);
      if (ownerState(parsed.owner) !== 'dead') continue;
      const stats = await lstat(path).catch(() => null);
      if (!stats?.isDirectory()) continue;
      if (isQuarantineId(parsed.final)) {
        await removeTree(path).catch(() => undefined);
        result.removed.push(path);
      } else if (parsed.final.endsWith(PURGE_SUFFIX) && isQuarantineId(parsed.final.slice(0, -PURGE_SUFFIX.length))) {
        result.interruptedPurges.push({ id: parsed.final.slice(0, -PURGE_SUFFIX.length), path });
      }
    }
    return result;
  }

  private async readEntryOrNull(id: string): Promise<QuarantineEntry | null> {
    const dir = this.dirOf(id);
    // Only a real folder is an entry: a symbolic link named like an id (planted in the home) would
    // lead a purge's removal, or a release's read, somewhere else.
    const stats = await lstat(dir).catch(() => null);
    if (!stats?.isDirectory()) return null;
    // entry.json is replaced through temp files: a killed writer's leftover goes first.
    await sweepDeadTemps(dir);
    let text: string;
    try {
      text = await readRegularFile(join(dir, ENTRY_FILE), 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return null;
      throw error;
    }
    try {
      const entry = parseEntry(JSON.parse(text));
      return entry && entry.id === id ? entry : null;
    } catch {
      return null;
    }
  }
}
