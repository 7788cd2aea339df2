import { collisionKey, parentPaths } from './path-rules.js';

/**
 * A string that holds its own characters. A path cut from a larger string (a manifest line, the
 * manifest's whole text, a tar header) is a V8 "sliced string" that keeps all of the larger one
 * alive: kept for every file, the paths of a 200,000-file manifest held its whole 19 MB text.
 */
export function ownCopy(text: string): string {
  // UTF-8 cannot hold a lone surrogate (Buffer writes U+FFFD instead): such a name (a Windows file
  // name may have one) is copied as UTF-16, exactly, or its folders' keys would not be its own.
  return LONE_SURROGATE.test(text) ? Buffer.from(text, 'utf16le').toString('utf16le') : Buffer.from(text, 'utf8').toString('utf8');
}

const LONE_SURROGATE = /\p{Cs}/u;

/** A refusal names the entry already registered that this one clashes with (`clash`; the same path for an exact repeat). */
export type RegistryVerdict = { ok: true } | { ok: false; reason: string; clash: string };

/**
 * Files registered outside the registry's own map, in a more compact form: the signed manifest's
 * listed files, one bit each (verify holds a million-file manifest once, not again here).
 */
export interface FileStore {
  /** The path of the file registered under collision key `key`, if this store holds one. */
  fileAt(key: string): string | undefined;
  /** Register `path` (key `key`) here; false when this store cannot hold it (the registry's map then does). */
  take(key: string, path: string): boolean;
}

/**
 * Tracks the files and directories of a tree by collision key, so that a second entry
 * with the same name (exactly, after NFC, or after case folding), or a file where a
 * directory must be (or the reverse), is caught before anything lands on disk.
 */
export class EntryRegistry {
  private readonly files = new Map<string, string>();
  private store: FileStore | null = null;
  private readonly directories = new Map<string, string>();
  /** Parent folders (exact spelling) already registered with all their ancestors. */
  private readonly registeredDirectories = new Set<string>();

  /** From now on files `store` can hold are registered there; those registered so far move to it. */
  useStore(store: FileStore): void {
    this.store = store;
    for (const [key, path] of this.files) if (store.take(key, path)) this.files.delete(key);
  }

  addFile(path: string): RegistryVerdict {
    const key = collisionKey(path);
    const clash = this.fileAt(key) ?? this.directories.get(key);
    if (clash !== undefined) return { ok: false, reason: this.describe(path, clash), clash };
    // Files of one folder arrive together: once a parent folder is registered no file can take
    // its key (the check above), so its ancestors need no second look.
    const slash = path.lastIndexOf('/');
    const parentDir = slash > 0 ? path.slice(0, slash) : null;
    if (parentDir !== null && this.registeredDirectories.has(parentDir)) {
      this.keep(key, path);
      return { ok: true };
    }
    // The folders' names are kept: cut from a copy of the path, never from the text the path was
    // cut from (verify's manifest slice, which they would keep alive). Once per folder, not per file.
    const own = ownCopy(path);
    const parents = parentPaths(own);
    for (const parent of parents) {
      const fileClash = this.fileAt(collisionKey(parent));
      if (fileClash !== undefined)
        return { ok: false, reason: `"${path}" needs "${parent}" to be a directory, but it is the file "${fileClash}"`, clash: fileClash };
    }
    this.keep(key, path);
    for (const parent of parents) this.directories.set(collisionKey(parent), parent);
    if (parentDir !== null) this.registeredDirectories.add(own.slice(0, slash));
    return { ok: true };
  }

  addDirectory(path: string): RegistryVerdict {
    const key = collisionKey(path);
    const fileClash = this.fileAt(key);
    if (fileClash !== undefined) return { ok: false, reason: this.describe(path, fileClash), clash: fileClash };
    for (const parent of parentPaths(path)) {
      const parentClash = this.fileAt(collisionKey(parent));
      if (parentClash !== undefined)
        return { ok: false, reason: `"${path}" needs "${parent}" to be a directory, but it is the file "${parentClash}"`, clash: parentClash };
    }
    const existing = this.directories.get(key);
    if (existing !== undefined && existing !== path) return { ok: false, reason: this.describe(path, existing), clash: existing };
    this.directories.set(key, path);
    for (const parent of parentPaths(path)) this.directories.set(collisionKey(parent), parent);
    return { ok: true };
  }

  private fileAt(key: string): string | undefined {
    return this.files.get(key) ?? this.store?.fileAt(key);
  }

  private keep(key: string, path: string): void {
    if (!this.store?.take(key, path)) this.files.set(key, path);
  }

  private describe(path: string, clash: string): string {
    return path === clash ? `"${path}" appears twice` : `"${path}" and "${clash}" name the same file on case-insensitive or normalising file systems`;
  }
}
