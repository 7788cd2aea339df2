/**
 * The export's private work folder for generated image documents (a platform subset index, a
 * converted docker-archive, chart blobs, index.json and the descriptor file) and for blobs
 * unpacked from archives. It sits in the station's spool folder (system disk, mode 0700), is
 * named like an owned temp file (owned-temp.ts) so that the next export removes it when the
 * process that made it was killed, and is removed when the export ends, whatever the outcome.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownedTempPath, parseOwnedTempName, releaseTemp } from '../../fs/owned-temp.js';
import { ownerState } from '../../fs/process-owner.js';
import type { BlobSource } from './layout-reader.js';

const WORK_NAME = 'images-work';

export class ImageWorkDir {
  private constructor(readonly dir: string) {}

  /** A fresh work folder under `parent`; dead ones left there by killed exports are removed first. */
  static async create(parent: string): Promise<ImageWorkDir> {
    await mkdir(parent, { recursive: true, mode: 0o700 });
    await sweepDeadWorkDirs(parent);
    const dir = ownedTempPath(join(parent, WORK_NAME));
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true, mode: 0o700 });
    return new ImageWorkDir(dir);
  }

  /** A sub-folder for one source (an unpacked archive). */
  async subDir(name: string): Promise<string> {
    const path = join(this.dir, name);
    await mkdir(join(path, 'blobs', 'sha256'), { recursive: true, mode: 0o700 });
    return path;
  }

  /** A generated blob (small JSON): written under its digest, once. */
  async writeBlob(bytes: Buffer, mediaType: string): Promise<BlobSource> {
    const hex = createHash('sha256').update(bytes).digest('hex');
    const absPath = join(this.dir, 'blobs', 'sha256', hex);
    await writeFile(absPath, bytes, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    });
    return { digest: `sha256:${hex}`, size: bytes.length, mediaType, absPath };
  }

  /** A generated file of the layout itself (index.json, oci-layout, airlock-images.json). */
  async writeFile(name: string, content: string): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, content, { mode: 0o600, flag: 'wx' });
    return path;
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    releaseTemp(this.dir);
  }
}

/** Work folders whose process is provably gone (killed mid-export): removed, best effort. */
export async function sweepDeadWorkDirs(parent: string): Promise<string[]> {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const parsed = parseOwnedTempName(entry);
    if (parsed?.final !== WORK_NAME || ownerState(parsed.owner) !== 'dead') continue;
    try {
      await rm(join(parent, entry), { recursive: true, force: true });
      removed.push(join(parent, entry));
    } catch {
      // Not ours to remove, or gone meanwhile: a later sweep tries again.
    }
  }
  return removed;
}
