/**
 * Images in a staged two-person export (issue #15): the export's OCI layout is pulled, unpacked or
 * copied at prepare into the staged folder's `oci/`, laid out exactly as `data/oci/` will be in the
 * bundle, so that what the approver reviews and what finish writes are the bytes that were hashed
 * and signed, whatever happens to the sources (a registry re-tagged, a layout folder rewritten)
 * meanwhile. Loading a staged export checks the layout cheaply (each file there, same size, same
 * modification time; the small descriptor and index re-hashed); finish re-hashes every blob as it
 * writes it. A staged layout changed after prepare is STAGED_INVALID, never a bundle.
 */
import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, open, rename } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ExportedImages } from '../../../shared/images.js';
import { sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { describeImages, type ImagePayload } from '../oci/image-payload.js';
import { imagesFileSchema, IMAGES_FILE_MAX_BYTES } from '../oci/images-file.js';
import { OCI_BLOBS_PREFIX, OCI_IMAGES_FILE, OCI_INDEX_FILE, OCI_LAYOUT_DIR } from '../oci/layout-format.js';
import type { HashedSource } from './hash-sources.js';
import type { SourceFile } from './source-scan.js';
import { readRegularFile } from '../fs/open-regular.js';

/** The staged layout's folder inside the staged export (staged.json names it; its absence means: no images). */
export const STAGED_LAYOUT_DIR = 'oci';

/** What a layout file may be called below `data/oci/`: nothing else is read from a staged folder. */
const LAYOUT_FILE_NAME = /^(?:oci-layout|index\.json|airlock-images\.json|blobs\/sha256\/[0-9a-f]{64})$/u;

/** Whether a payload file belongs to the bundle's OCI layout (data/oci/ is reserved for it when images travel). */
export function isLayoutFile(bagPath: string): boolean {
  return bagPath.startsWith(`${OCI_LAYOUT_DIR}/`);
}

/** Where a layout file lies in the staged folder; null for a name no layout file has (a hostile staged.json). */
export function stagedLayoutPath(stagedDir: string, bagPath: string): string | null {
  const rest = bagPath.slice(OCI_LAYOUT_DIR.length + 1);
  if (!isLayoutFile(bagPath) || !LAYOUT_FILE_NAME.test(rest)) return null;
  return join(stagedDir, STAGED_LAYOUT_DIR, ...rest.split('/'));
}

/**
 * Move the export's image payload into `<stagedDir>/oci/`: files the work folder made (pulled,
 * unpacked, generated) are renamed there (the work folder is inside the staged folder, so on the
 * same file system); blobs read from a source layout are copied. Each is flushed to disk. The
 * returned files replace the payload's: the hashing pass then hashes the staged copies. (The
 * staged folder was created empty by this prepare: a file inside it is one the work folder made.)
 */
export async function stageImageLayout(stagedDir: string, payload: ImagePayload, signal?: AbortSignal): Promise<SourceFile[]> {
  const root = join(stagedDir, STAGED_LAYOUT_DIR);
  await mkdir(join(root, 'blobs', 'sha256'), { recursive: true, mode: 0o700 });
  const staged: SourceFile[] = [];
  for (const file of payload.files) {
    throwIfAborted(signal);
    const target = stagedLayoutPath(stagedDir, file.bagPath);
    if (target === null) throw new AirlockError('INTERNAL', `${file.bagPath} is not a file of an OCI image layout.`);
    if (isInside(stagedDir, file.absPath)) await rename(file.absPath, target);
    // A blob of a source layout on this disk: a reflink where the file system offers one, else a kernel copy.
    else await copyFile(file.absPath, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    await flushFile(target);
    const stats = await lstat(target);
    staged.push({ absPath: target, bagPath: file.bagPath, size: stats.size, mtime: stats.mtime, mtimeMs: stats.mtimeMs });
  }
  await fsyncDirectory(join(root, 'blobs', 'sha256'));
  await fsyncDirectory(root);
  return staged;
}

async function flushFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
}

function changed(stagedDir: string, bagPath: string, how: string): AirlockError {
  return new AirlockError('STAGED_INVALID', `${stagedDir}: the staged image layout changed after it was prepared: ${bagPath} ${how}.`, {
    path: stagedDir,
  });
}

/**
 * The cheap check of a staged layout on every load (list, describe, approve, finish): each file
 * is a regular file with the size and modification time it had when hashed, and the descriptor
 * file hashes to what the signed manifest says. Returns what the approver is shown of the images.
 * `payload` carries the signed manifest's checksums (staged.json must match them: checked before).
 */
export async function checkStagedLayout(stagedDir: string, payload: readonly HashedSource[]): Promise<ExportedImages> {
  let storedBlobs = 0;
  let descriptor: HashedSource | undefined;
  for (const file of payload) {
    if (!isLayoutFile(file.bagPath)) continue;
    const path = stagedLayoutPath(stagedDir, file.bagPath);
    if (path === null) throw changed(stagedDir, file.bagPath, 'is not a file an OCI image layout holds');
    const stats = await lstat(path).catch(() => null);
    if (!stats) throw changed(stagedDir, file.bagPath, 'is missing');
    if (!stats.isFile()) throw changed(stagedDir, file.bagPath, 'is no longer a regular file');
    if (stats.size !== file.size) throw changed(stagedDir, file.bagPath, `has ${stats.size} bytes, not ${file.size}`);
    if (stats.mtime.getTime() !== file.mtime.getTime()) throw changed(stagedDir, file.bagPath, 'was modified');
    if (file.bagPath.startsWith(OCI_BLOBS_PREFIX)) storedBlobs += 1;
    if (file.bagPath === OCI_IMAGES_FILE) descriptor = file;
  }
  if (!descriptor || !payload.some((f) => f.bagPath === OCI_INDEX_FILE)) {
    throw changed(stagedDir, OCI_LAYOUT_DIR, 'lacks its index.json or airlock-images.json');
  }
  // Small files, read whole: what the approver is shown must be what the manifest signs.
  for (const small of payload.filter((f) => f.bagPath === OCI_IMAGES_FILE || f.bagPath === OCI_INDEX_FILE)) {
    if (small.size > IMAGES_FILE_MAX_BYTES) throw changed(stagedDir, small.bagPath, `is over ${IMAGES_FILE_MAX_BYTES} bytes`);
    const bytes = await readRegularFile(stagedLayoutPath(stagedDir, small.bagPath) as string);
    if (sha256Hex(bytes) !== small.sha256) throw changed(stagedDir, small.bagPath, 'no longer matches the signed manifest');
  }
  const bytes = await readRegularFile(stagedLayoutPath(stagedDir, descriptor.bagPath) as string);
  let parsed;
  try {
    parsed = imagesFileSchema().parse(JSON.parse(bytes.toString('utf8')));
  } catch {
    throw changed(stagedDir, descriptor.bagPath, 'is not a valid descriptor file');
  }
  return describeImages(parsed, storedBlobs);
}

/**
 * A finish that found a staged layout file changed while re-hashing it (same size and time, other
 * bytes): that is a changed staged export, not a changed source of the operator's.
 */
export function asStagedChange(error: unknown, stagedDir: string): unknown {
  if (!(error instanceof AirlockError) || error.code !== 'SOURCE_CHANGED' || typeof error.path !== 'string') return error;
  const layout = join(stagedDir, STAGED_LAYOUT_DIR);
  if (!isInside(layout, error.path)) return error;
  return changed(stagedDir, `${OCI_LAYOUT_DIR}/${relative(layout, error.path).split(sep).join('/')}`, 'no longer has the bytes that were signed');
}
