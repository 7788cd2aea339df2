/**
 * The bundle's one OCI image layout (docs/bundle-format.md §15), as payload files: every blob of
 * every image once, read straight from where it lies (a source layout, or the work folder for
 * generated and unpacked ones), plus `oci-layout`, `index.json` and `airlock-images.json`
 * written to the work folder. Blobs a signed receipt says the far registry holds are left out
 * and listed as expected-present. After the export's single hashing pass, `checkHashes` proves
 * each blob hashes to its name and has its descriptor's size: no blob is read twice.
 */
import { lstat } from 'node:fs/promises';
import type { SourceFile } from '../export/source-scan.js';
import { AirlockError } from '../errors.js';
import { imagesFileSchema, type ExpectedPresentBlob, type ImageEntry, type ImagesFile } from './images-file.js';
import {
  blobBagPath,
  IMAGE_MANIFEST_TYPES,
  INDEX_TYPES,
  MEDIA_TYPES,
  OCI_IMAGES_FILE,
  OCI_INDEX_FILE,
  OCI_LAYOUT_CONTENT,
  OCI_LAYOUT_FILE,
  REF_NAME_ANNOTATION,
} from './layout-format.js';
import type { BlobSource } from './sources/layout-reader.js';
import type { ResolvedImage } from './sources/image-selection.js';
import type { ImageWorkDir } from './sources/work-dir.js';

/** Blobs the far registry already holds, by digest (from a verified receipt). */
export type PresentBlobs = ReadonlyMap<string, { size: number; repository: string }>;

export interface LayoutPayload {
  /** Payload files to add to the export's selection. */
  files: SourceFile[];
  descriptor: ImagesFile;
  /** What the bundle's blob files must hash to: bag path to [sha256 hex, size, source path]. */
  expected: ReadonlyMap<string, { sha256: string; size: number; absPath: string }>;
  skipped: { blobs: number; bytes: number };
  storedBlobs: number;
}

/** The ref name an image has in the bundle's index.json: `repository:tag`; none for an image that travels by digest only. */
export function bundleRefName(entry: Pick<ImageEntry, 'repository' | 'tag' | 'digest'>): string | null {
  return entry.tag === null ? null : `${entry.repository}:${entry.tag}`;
}

export async function buildLayoutPayload(images: readonly ResolvedImage[], work: ImageWorkDir, present: PresentBlobs): Promise<LayoutPayload> {
  const targets = new Map<string, string>();
  for (const image of images) {
    const name = bundleRefName(image.entry) ?? `${image.entry.repository}@${image.entry.digest}`;
    const earlier = targets.get(name);
    if (earlier !== undefined && earlier !== image.entry.digest) {
      throw new AirlockError(
        'IMAGE_SOURCE_INVALID',
        `Two images would be pushed as ${name} (${image.entry.source} and another); export them in separate bundles.`,
      );
    }
    targets.set(name, image.entry.digest);
  }

  const blobs = new Map<string, BlobSource>();
  const manifestDigests = new Set<string>();
  for (const image of images) {
    manifestDigests.add(image.top.digest);
    for (const blob of image.blobs) {
      if (INDEX_TYPES.has(blob.mediaType) || IMAGE_MANIFEST_TYPES.has(blob.mediaType)) manifestDigests.add(blob.digest);
      const known = blobs.get(blob.digest);
      if (known && known.size !== blob.size)
        throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${blob.digest} is named with two sizes (${known.size} and ${blob.size}).`);
      if (!known) blobs.set(blob.digest, blob);
    }
  }

  // Only config and layer blobs are left out: manifests are small and the far side needs them to push.
  const expectedPresent: ExpectedPresentBlob[] = [];
  const stored: BlobSource[] = [];
  for (const blob of [...blobs.values()].sort((a, b) => (a.digest < b.digest ? -1 : 1))) {
    const there = present.get(blob.digest);
    if (there && there.size === blob.size && !manifestDigests.has(blob.digest)) {
      expectedPresent.push({ digest: blob.digest, size: blob.size, mediaType: blob.mediaType, repository: there.repository });
    } else {
      stored.push(blob);
    }
  }

  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [
      ...images.map((image) => {
        const refName = bundleRefName(image.entry);
        return refName === null ? { ...image.top } : { ...image.top, annotations: { [REF_NAME_ANNOTATION]: refName } };
      }),
      ...uniqueReferrers(images),
    ],
  };
  const descriptor = imagesFileSchema().parse({ airlockImages: 1, images: images.map((i) => i.entry), expectedPresent });

  const files: SourceFile[] = [];
  const addGenerated = async (bagPath: string, content: string): Promise<void> => {
    const name = bagPath.slice(bagPath.lastIndexOf('/') + 1);
    files.push(await sourceFile(await work.writeFile(name, content), bagPath));
  };
  await addGenerated(OCI_LAYOUT_FILE, OCI_LAYOUT_CONTENT);
  await addGenerated(OCI_INDEX_FILE, JSON.stringify(index));
  await addGenerated(OCI_IMAGES_FILE, `${JSON.stringify(descriptor, null, 2)}\n`);
  const expected = new Map<string, { sha256: string; size: number; absPath: string }>();
  for (const blob of stored) {
    const file = await sourceFile(blob.absPath, blobBagPath(blob.digest));
    if (file.size !== blob.size)
      throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${blob.absPath} has ${file.size} bytes; its descriptor says ${blob.size}.`, { path: blob.absPath });
    files.push(file);
    expected.set(file.bagPath, { sha256: blob.digest.slice('sha256:'.length), size: blob.size, absPath: blob.absPath });
  }
  return {
    files,
    descriptor,
    expected,
    skipped: { blobs: expectedPresent.length, bytes: expectedPresent.reduce((sum, b) => sum + b.size, 0) },
    storedBlobs: stored.length,
  };
}

function uniqueReferrers(images: readonly ResolvedImage[]): ResolvedImage['referrerDescriptors'] {
  const seen = new Set(images.map((i) => i.top.digest));
  const out: ResolvedImage['referrerDescriptors'] = [];
  for (const image of images) {
    for (const referrer of image.referrerDescriptors) {
      if (seen.has(referrer.digest)) continue;
      seen.add(referrer.digest);
      out.push(referrer);
    }
  }
  return out;
}

async function sourceFile(absPath: string, bagPath: string): Promise<SourceFile> {
  const stats = await lstat(absPath);
  if (!stats.isFile()) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${absPath} is not a regular file.`, { path: absPath });
  return { absPath, bagPath, size: stats.size, mtime: stats.mtime, mtimeMs: stats.mtimeMs };
}

/**
 * The export's hashing pass is done: each blob must hash to its own name and have its
 * descriptor's size. Called before anything is signed; a mismatch stops the export (nothing is published).
 */
export function checkBlobHashes(expected: LayoutPayload['expected'], payload: ReadonlyArray<{ bagPath: string; sha256: string; size: number }>): void {
  for (const file of payload) {
    const want = expected.get(file.bagPath);
    if (!want) continue;
    if (want.sha256 !== file.sha256 || want.size !== file.size) {
      throw new AirlockError(
        'IMAGE_SOURCE_CORRUPT',
        `${want.absPath} hashes to sha256:${file.sha256} (${file.size} bytes), not to its name sha256:${want.sha256} (${want.size} bytes).`,
        { path: want.absPath },
      );
    }
  }
}
