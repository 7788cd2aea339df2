import { lstatSync, readdirSync } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import { EntryRegistry, type FileStore } from '../bundle/entry-registry.js';
import { PathTable } from '../verify/path-table.js';
import { SourceList, type SourceFiles } from './source-list.js';
import { PAYLOAD_DIR } from '../bundle/format.js';
import { sortByUtf8 } from '../bundle/utf8-order.js';
import { checkStructuralPath, portabilityFindings } from '../bundle/path-rules.js';
import { describeNonFile } from '../fs/open-regular.js';
import { DefaultLimitTally } from './default-limit-warnings.js';

/** One regular file of the selection, with where it goes in the bag. */
export interface SourceFile {
  absPath: string;
  /** Path inside the bag, e.g. `data/reports/q3.pdf`. */
  bagPath: string;
  size: number;
  mtime: Date;
  /** The scan's exact modification time (mtime is rounded to whole milliseconds): a later change shows against it. */
  mtimeMs: number;
}

export interface SourceScan {
  /** Held compactly (source-list.ts): each file's object is made when it is read. */
  files: SourceList;
  /** Things the operator should know that do not stop the export. */
  warnings: Array<{ path: string; message: string }>;
}

/**
 * Walk the selection without following links. A selected folder `foo` becomes `data/foo/...`,
 * a selected file `bar.txt` becomes `data/bar.txt`. Links and special files stop the scan
 * with an error naming them: nothing is skipped silently. `onFile` sees each file as it is
 * found, in the final order (the export's hashing starts before the walk ends).
 */
export async function scanSources(
  selection: readonly string[],
  signal?: AbortSignal,
  onFile?: (file: SourceFile) => void,
  /** Files from outside the selection with their bag paths set (the bundle's OCI layout, issue #15): added after it. */
  extra: readonly SourceFile[] = [],
  /** A heartbeat (docs/channels.md) carries no payload: an empty selection is what it means, not a mistake. */
  allowEmpty = false,
): Promise<SourceScan> {
  const files = new SourceList();
  const warnings: SourceScan['warnings'] = [];
  const registry = new EntryRegistry();
  // The registry's files as UTF-8 bytes, not a Map of strings (issue #18): it lives as long as the walk.
  registry.useStore(new TableStore());
  const tally = new DefaultLimitTally();

  const addFile = (absPath: string, bagPath: string, stats: { size: number; mtime: Date; mtimeMs: number }): void => {
    const structural = checkStructuralPath(bagPath);
    if (!structural.ok) throw new AirlockError('SOURCE_NAME_UNSAFE', `${absPath}: ${structural.reason}.`, { path: absPath });
    const verdict = registry.addFile(bagPath);
    if (!verdict.ok) throw new AirlockError('SOURCE_NAME_CONFLICT', `${verdict.reason}.`, { path: absPath });
    for (const finding of portabilityFindings(bagPath)) {
      warnings.push({ path: absPath, message: `${finding}: stations with the default policy will refuse to import it` });
    }
    const overLimit = tally.add(absPath, bagPath, stats.size);
    if (overLimit) warnings.push(overLimit);
    const file = { absPath, bagPath, size: stats.size, mtime: stats.mtime, mtimeMs: stats.mtimeMs };
    files.add(file);
    onFile?.(file);
  };

  const pause = new CooperativeYield();
  const walk = async (dirAbs: string, dirBag: string): Promise<void> => {
    throwIfAborted(signal);
    let entries;
    try {
      // Synchronous, like the lstat calls below: listing a local folder costs less than a
      // thread-pool round trip, and the yield after each file keeps the event loop responsive.
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (error) {
      throw toAirlockError(error, dirAbs);
    }
    if (entries.length === 0) {
      warnings.push({ path: dirAbs, message: 'empty folder: not carried (bundles carry files only)' });
      return;
    }
    // Byte order of UTF-8 names, so the same selection always yields the same bundle layout.
    for (const entry of sortByUtf8(entries, (e) => e.name)) {
      const childAbs = join(dirAbs, entry.name);
      const childBag = `${dirBag}/${entry.name}`;
      if (entry.name.includes('\uFFFD')) {
        throw new AirlockError('SOURCE_NAME_UNSAFE', `${childAbs}: the name is not valid UTF-8.`, { path: childAbs });
      }
      if (entry.isDirectory()) {
        await walk(childAbs, childBag);
      } else if (entry.isFile()) {
        // Synchronous: a metadata call on a local file costs less than a thread-pool round trip.
        let stats;
        try {
          stats = lstatSync(childAbs);
        } catch (error) {
          throw toAirlockError(error, childAbs);
        }
        if (!stats.isFile()) throw new AirlockError('SOURCE_UNSUPPORTED_TYPE', `${childAbs} changed type during the scan.`, { path: childAbs });
        addFile(childAbs, childBag, stats);
        await pause.maybeYield();
      } else {
        const stats = await lstat(childAbs);
        throw new AirlockError('SOURCE_UNSUPPORTED_TYPE', `${childAbs} is ${describeNonFile(stats)}.`, { path: childAbs });
      }
    }
  };

  for (const selected of selection) {
    throwIfAborted(signal);
    const absPath = resolve(selected);
    const name = basename(absPath);
    if (name === '') throw new AirlockError('SOURCE_NAME_UNSAFE', `${selected}: select a folder below the file system root.`, { path: selected });
    let stats;
    try {
      stats = await lstat(absPath);
    } catch (error) {
      throw toAirlockError(error, absPath);
    }
    if (stats.isDirectory()) await walk(absPath, `${PAYLOAD_DIR}/${name}`);
    else if (stats.isFile()) addFile(absPath, `${PAYLOAD_DIR}/${name}`, stats);
    else throw new AirlockError('SOURCE_UNSUPPORTED_TYPE', `${absPath} is ${describeNonFile(stats)}.`, { path: absPath });
  }
  if (extra.length > 0) reserveLayoutFolder(files);
  for (const file of extra) addFile(file.absPath, file.bagPath, file);
  if (files.length === 0 && !allowEmpty) throw new AirlockError('SOURCE_EMPTY');
  warnings.push(...tally.finish(selection.length === 1 ? resolve(selection[0] as string) : 'the selection'));
  return { files, warnings };
}

/**
 * A bundle with images holds its OCI layout in data/oci/ (docs/bundle-format.md §15): a selected
 * file or folder named `oci` (in any case or Unicode form, as the receiving file system may fold
 * it) would mix with it, so it is refused rather than renamed behind the operator's back.
 */
function reserveLayoutFolder(files: SourceFiles): void {
  const reserved = `${PAYLOAD_DIR}/oci`;
  for (const file of files) {
    const folded = file.bagPath.normalize('NFC').toLowerCase();
    if (folded === reserved || folded.startsWith(`${reserved}/`)) {
      throw new AirlockError(
        'SOURCE_NAME_CONFLICT',
        `${file.absPath} would go to ${file.bagPath}, inside ${reserved}/ where the bundle's images go. Rename the folder "oci", or send it in another bundle.`,
        {
          path: file.absPath,
        },
      );
    }
  }
}

/** A name registry's files in a PathTable (verify/path-table.ts); a path it cannot hold stays in the registry's map. */
class TableStore implements FileStore {
  private readonly table = new PathTable();

  fileAt(key: string): string | undefined {
    const ordinal = this.table.ordinalOfKey(key);
    return ordinal < 0 ? undefined : this.table.pathAt(ordinal);
  }

  take(key: string, path: string): boolean {
    try {
      return this.table.add(path, key) >= 0;
    } catch {
      // A lone surrogate (PathTable keeps UTF-8): the registry's own map holds this one.
      return false;
    }
  }
}
