/**
 * The `airlock-images.json` a sender would write for a test layout (buildTestLayout), and the bag
 * payload of the whole layout under `data/oci/`, so tests can build image bundles with signedBag()
 * before the export side exists, and then break one thing at a time.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageEntry, ImagesFile } from '../../electron/core/oci/images-file.js';
import type { BagPayloadFile } from './hostile-tar.js';
import type { BuiltImage, BuiltLayout } from './oci-test-image.js';

/** One image's entry, as the graph proves it: size counts every blob reachable from its top descriptor once (referrers not included). */
export async function imageEntryFor(layout: BuiltLayout, image: BuiltImage, repository = `test/${image.refName.split('-')[0]}`): Promise<ImageEntry> {
  const reachable = new Map<string, number>();
  const visit = async (digest: string, size: number): Promise<void> => {
    if (reachable.has(digest)) return;
    reachable.set(digest, size);
    const doc = JSON.parse(await readFile(join(layout.dir, 'blobs', 'sha256', digest.slice(7)), 'utf8')) as {
      manifests?: Array<{ digest: string; size: number }>;
      config?: { digest: string; size: number };
      layers?: Array<{ digest: string; size: number }>;
    };
    for (const child of doc.manifests ?? []) await visit(child.digest, child.size);
    for (const blob of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) reachable.set(blob.digest, blob.size);
  };
  await visit(image.descriptor.digest, image.descriptor.size);
  return {
    kind: 'image',
    source: `oci:/src:${image.refName}`,
    repository,
    tag: image.refName,
    digest: image.descriptor.digest,
    mediaType: image.descriptor.mediaType,
    size: [...reachable.values()].reduce((a, b) => a + b, 0),
    platforms: image.manifests.map((m) => ({
      os: m.platform?.os ?? 'linux',
      architecture: m.platform?.architecture ?? 'amd64',
      ...(m.platform?.variant === undefined ? {} : { variant: m.platform.variant }),
      digest: m.digest,
    })),
    referrers: image.referrers.map((r) => r.digest),
  };
}

export async function imagesFileFor(layout: BuiltLayout): Promise<ImagesFile> {
  const images: ImageEntry[] = [];
  for (const image of layout.images) images.push(await imageEntryFor(layout, image));
  return { airlockImages: 1, images, expectedPresent: [] };
}

/** Every file of the layout as bag payload under data/oci/ (plus airlock-images.json), in bundle order (UTF-8 byte order of the paths). */
export async function layoutPayload(layout: BuiltLayout, imagesFile?: ImagesFile | null): Promise<BagPayloadFile[]> {
  const files: BagPayloadFile[] = [];
  files.push({ path: 'data/oci/oci-layout', content: await readFile(join(layout.dir, 'oci-layout')) });
  files.push({ path: 'data/oci/index.json', content: await readFile(join(layout.dir, 'index.json')) });
  for (const name of (await readdir(join(layout.dir, 'blobs', 'sha256'))).sort())
    files.push({ path: `data/oci/blobs/sha256/${name}`, content: await readFile(join(layout.dir, 'blobs', 'sha256', name)) });
  const descriptor = imagesFile === undefined ? await imagesFileFor(layout) : imagesFile;
  if (descriptor !== null) files.push({ path: 'data/oci/airlock-images.json', content: JSON.stringify(descriptor, null, 2) });
  return files.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
