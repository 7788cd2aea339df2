/**
 * Images and charts of one export (issue #15.1/#15.5): every reference resolved from its source,
 * the bundle's OCI layout assembled (layout-writer.ts), and what the export must add to its
 * payload and check after hashing. The caller removes the work folder when the export ends.
 */
import { lstat } from 'node:fs/promises';
import type { ExportedImages } from '../../../shared/images.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import type { SourceFile } from '../export/source-scan.js';
import { AirlockError, errnoOf, throwIfAborted } from '../errors.js';
import type { ImagesFile } from './images-file.js';
import { buildLayoutPayload, checkBlobHashes, type PresentBlobs } from './layout-writer.js';
import { convertDockerArchive, unpackOciArchive } from './sources/archive-sources.js';
import { readChart } from './sources/chart-source.js';
import { parseImageList, parseImageReference, printable, type ImageReference } from './sources/image-reference.js';
import { selectImage, type ResolvedImage } from './sources/image-selection.js';
import { LayoutDir } from './sources/layout-reader.js';
import { parsePlatform, platformText, type PlatformChoice } from './sources/platform-choice.js';
import { readSkipReceipt } from './sources/skip-receipt.js';
import { ImageWorkDir } from './sources/work-dir.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import type { RegistryClientApi, RegistryEndpoint } from './registry/registry-api.js';
import { createRegistryClient } from './registry/registry-client.js';
import { parseRegistryEndpoint, type EndpointOptions } from './registry/registry-endpoint.js';
import { pullToLayout } from './registry/pull-to-layout.js';
import { readRegularFile } from '../fs/open-regular.js';

export interface ImageSources {
  images?: readonly string[] | undefined;
  imagesFrom?: string | undefined;
  platforms?: readonly string[] | undefined;
  charts?: readonly string[] | undefined;
  skipBlobsIn?: string | undefined;
  /** How docker:// sources' registries are reached: plain HTTP (loopback only), a CA file, credentials. */
  registry?: EndpointOptions | undefined;
}

export interface ImagePayloadOptions {
  /** Where the work folder goes (the station's spool). */
  workParent: string;
  trustedKeys: () => Promise<TrustedKey[]>;
  /** The registry client for docker:// sources (tests give a fake; default: registry-client.ts). */
  openRegistry?: ((endpoint: RegistryEndpoint) => Promise<RegistryClientApi & { close(): Promise<void> }>) | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface ImagePayload {
  files: SourceFile[];
  descriptor: ImagesFile;
  /** After hashing, before signing: each blob hashes to its name (IMAGE_SOURCE_CORRUPT otherwise). */
  check(payload: ReadonlyArray<{ bagPath: string; sha256: string; size: number }>): void;
  skipped: { blobs: number; bytes: number };
  storedBlobs: number;
  /** Remove the work folder (generated documents, unpacked archives). */
  cleanup(): Promise<void>;
}

const LIST_MAX_BYTES = 1024 * 1024;

/** The name a pulled image gets in its work layout (its target comes from the docker:// reference). */
const PULLED_REF_NAME = 'pulled';

/** Whether the request names any image or chart. */
export function hasImageSources(sources: ImageSources): boolean {
  // A receipt alone names no image, but must not be ignored silently: parseImageSources refuses it.
  return (sources.images?.length ?? 0) > 0 || sources.imagesFrom !== undefined || (sources.charts?.length ?? 0) > 0 || sources.skipBlobsIn !== undefined;
}

/** Every reference parsed before anything is opened: a typo fails fast, with its line number for a list file. */
export async function parseImageSources(sources: ImageSources): Promise<{ refs: ImageReference[]; platforms: PlatformChoice[] }> {
  const refs = (sources.images ?? []).map(parseImageReference);
  if (sources.imagesFrom !== undefined) refs.push(...parseImageList(await readList(sources.imagesFrom), sources.imagesFrom));
  const platforms = (sources.platforms ?? []).map(parsePlatform);
  if (sources.skipBlobsIn !== undefined && refs.length === 0 && (sources.charts?.length ?? 0) === 0) {
    throw new AirlockError('USAGE', 'The receipt given to leave blobs out applies to images: name at least one image.');
  }
  return { refs, platforms };
}

async function readList(file: string): Promise<string> {
  try {
    const stats = await lstat(file);
    if (!stats.isFile()) throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(file)} is not a regular file.`, { path: file });
    if (stats.size > LIST_MAX_BYTES)
      throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(file)} is over ${LIST_MAX_BYTES} bytes: not a list of references.`, { path: file });
    return await readRegularFile(file, 'utf8');
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    if (errnoOf(error) === 'ENOENT') throw new AirlockError('IMAGE_NOT_FOUND', `The list file ${printable(file)} does not exist.`, { path: file });
    throw error;
  }
}

export async function prepareImagePayload(sources: ImageSources, options: ImagePayloadOptions): Promise<ImagePayload> {
  const { refs, platforms } = await parseImageSources(sources);
  const present: PresentBlobs =
    sources.skipBlobsIn === undefined ? new Map() : (await readSkipReceipt(sources.skipBlobsIn, await options.trustedKeys())).present;
  const work = await ImageWorkDir.create(options.workParent);
  try {
    const images: ResolvedImage[] = [];
    for (const [count, ref] of refs.entries()) {
      throwIfAborted(options.signal);
      images.push(await resolveReference(ref, count, platforms, work, { ...options, registry: sources.registry }));
    }
    for (const chart of sources.charts ?? []) {
      throwIfAborted(options.signal);
      images.push(await readChart(chart, work, options.signal));
    }
    const layout = await buildLayoutPayload(images, work, present);
    return {
      files: layout.files,
      descriptor: layout.descriptor,
      check: (payload) => checkBlobHashes(layout.expected, payload),
      skipped: layout.skipped,
      storedBlobs: layout.storedBlobs,
      cleanup: () => work.remove(),
    };
  } catch (error) {
    await work.remove();
    throw error;
  }
}

async function resolveReference(
  ref: ImageReference,
  count: number,
  platforms: PlatformChoice[],
  work: ImageWorkDir,
  options: ImagePayloadOptions & { registry?: EndpointOptions | undefined },
): Promise<ResolvedImage> {
  switch (ref.transport) {
    case 'oci': {
      const stats = await lstat(ref.dir).catch(() => null);
      if (!stats) throw new AirlockError('IMAGE_NOT_FOUND', `${printable(ref.text)}: the folder ${printable(ref.dir)} does not exist.`, { path: ref.dir });
      if (!stats.isDirectory())
        throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(ref.text)}: ${printable(ref.dir)} is not a folder (an archive? write oci-archive:).`, {
          path: ref.dir,
        });
      return selectImage(new LayoutDir(ref.dir, ref.text), { tag: ref.tag, platforms, namePath: ref.dir, work });
    }
    case 'oci-archive': {
      const layout = await unpackOciArchive(ref.file, ref.text, work, count, options.signal);
      return selectImage(layout, { tag: ref.tag, platforms, namePath: ref.file, work });
    }
    case 'docker-archive': {
      const layout = await convertDockerArchive(ref.file, ref.text, work, count, options.signal);
      return selectImage(layout, { tag: null, platforms, namePath: ref.file, work });
    }
    case 'docker': {
      const endpoint = parseRegistryEndpoint(ref.host, options.registry ?? {});
      const destDir = await work.subDir(`pull-${count}`);
      const client = await (options.openRegistry ?? createRegistryClient)(endpoint);
      const tracker = new ProgressTracker(options.onProgress);
      tracker.startPhase('pulling-images');
      let bytesSeen = 0;
      try {
        await pullToLayout(client, ref.repository, ref.digest ?? ref.tag ?? '', {
          platforms: platforms.length === 0 ? 'all' : platforms.map(platformText),
          layoutDir: destDir,
          refName: PULLED_REF_NAME,
          signal: options.signal,
          onProgress: (progress) => {
            tracker.addBytes(progress.bytesDone - bytesSeen);
            bytesSeen = progress.bytesDone;
          },
        });
      } finally {
        tracker.flush();
        await client.close();
      }
      return selectImage(new LayoutDir(destDir, ref.text), {
        tag: PULLED_REF_NAME,
        platforms,
        namePath: ref.repository,
        target: { repository: ref.repository, tag: ref.tag },
        work,
      });
    }
  }
}

/** The export summary's view of the images (what the bundle's descriptor file says, and what was left out). */
export function exportedImages(payload: ImagePayload): ExportedImages {
  return describeImages(payload.descriptor, payload.storedBlobs);
}

/** The same view from a descriptor file alone (a staged two-person export, whose work folder is long gone). */
export function describeImages(descriptor: ImagesFile, storedBlobs: number): ExportedImages {
  const images = descriptor.images;
  return {
    images: images.map(({ chartImages: _chartImages, ...image }) => ({
      ...image,
      platforms: image.platforms.map((p) => ({ os: p.os, architecture: p.architecture, variant: p.variant, digest: p.digest })),
    })),
    chartImages: images
      .filter((i) => i.kind === 'chart' && (i.chartImages?.length ?? 0) > 0)
      .map((i) => ({ chart: `${i.repository}:${i.tag ?? ''}`, images: i.chartImages ?? [] })),
    storedBlobs,
    skippedBlobs: descriptor.expectedPresent.length,
    skippedBytes: descriptor.expectedPresent.reduce((sum, b) => sum + b.size, 0),
  };
}
