/**
 * `oci-archive:FILE[:TAG]` and `docker-archive:FILE`: unpacked (only the names a layout or a
 * `docker save` archive holds) into the export's work folder, then read as an OCI layout. A
 * docker-archive is converted: its config becomes the OCI config, its layer tars become
 * uncompressed OCI layers whose digests are the tars' own: NOT the digests the image had in the
 * registry it came from (that registry held compressed layers), so the pushed manifest's digest
 * differs from the original too (docs/cli.md).
 */
import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { onFirstUse } from '../../on-first-use.js';
import { AirlockError, errnoOf } from '../../errors.js';
import { MEDIA_TYPES, OCI_LAYOUT_CONTENT, REF_NAME_ANNOTATION } from '../layout-format.js';
import { entryBytes, readArchiveFiles, saveEntry, type ArchiveLimits } from './archive-reader.js';
import { printable } from './image-reference.js';
import { JSON_BLOB_MAX_BYTES, LayoutDir } from './layout-reader.js';
import type { ImageWorkDir } from './work-dir.js';
import { openRegular } from '../../fs/open-regular.js';

const IMAGE_ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 100_000, maxBytes: Number.MAX_SAFE_INTEGER };
const BLOB_NAME = /^blobs\/sha256\/([0-9a-f]{64})$/u;

function duplicate(source: string, name: string): AirlockError {
  return new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: the archive holds "${printable(name)}" twice.`);
}

/** An oci-archive unpacked into `work`: the layout's files and blobs only, every other name skipped. */
export async function unpackOciArchive(file: string, source: string, work: ImageWorkDir, count: number, signal?: AbortSignal): Promise<LayoutDir> {
  const dir = await work.subDir(`archive-${count}`);
  await readArchiveFiles(file, source, { gunzip: false, limits: IMAGE_ARCHIVE_LIMITS, signal }, async (name, entry) => {
    const blob = BLOB_NAME.exec(name);
    if (name !== 'oci-layout' && name !== 'index.json' && !blob) return;
    try {
      await saveEntry(entry, join(dir, name));
    } catch (error) {
      if (errnoOf(error) === 'EEXIST') throw duplicate(source, name);
      throw error;
    }
  });
  return new LayoutDir(dir, source);
}

/** Built when a docker archive is first read (onFirstUse): at module load it made every export load zod. */
const dockerManifest = onFirstUse(() =>
  z
    .array(
      z.object({
        Config: z.string().min(1).max(1024),
        RepoTags: z.array(z.string().max(1024)).max(1024).nullable().optional(),
        Layers: z.array(z.string().min(1).max(1024)).max(10_000),
      }),
    )
    .min(1),
);

/**
 * A `docker save` archive (also skopeo's docker-archive) converted to an OCI layout in `work`:
 * manifest.json read in memory (bounded), every other file saved under a neutral name with its
 * digest, then config and layers renamed to `blobs/sha256/<hex>` and a manifest written.
 */
export async function convertDockerArchive(file: string, source: string, work: ImageWorkDir, count: number, signal?: AbortSignal): Promise<LayoutDir> {
  const dir = await work.subDir(`archive-${count}`);
  let manifestJson: Buffer | null = null;
  const saved = new Map<string, { path: string; sha256: string; size: number }>();
  let members = 0;
  // skopeo writes the legacy `<id>/layer.tar` names as links to the real `<hex>.tar`; manifest.json names the real files.
  await readArchiveFiles(file, source, { gunzip: false, limits: IMAGE_ARCHIVE_LIMITS, signal, skipLinks: true }, async (name, entry) => {
    if (name === 'manifest.json') {
      if (manifestJson) throw duplicate(source, name);
      manifestJson = await entryBytes(entry, JSON_BLOB_MAX_BYTES, `${printable(source)}: manifest.json`);
      return;
    }
    if (saved.has(name)) throw duplicate(source, name);
    const path = join(dir, `entry-${members++}`);
    saved.set(name, { path, ...(await saveEntry(entry, path)) });
  });
  if (!manifestJson) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: no manifest.json: not a docker save archive.`);
  let parsed;
  try {
    parsed = dockerManifest().safeParse(JSON.parse((manifestJson as Buffer).toString('utf8')));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: manifest.json is not a docker save manifest.`);
  if (parsed.data.length !== 1) {
    throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(source)}: the archive holds ${parsed.data.length} images; save one image per archive.`);
  }
  const image = parsed.data[0] as z.infer<ReturnType<typeof dockerManifest>>[number];
  const member = (name: string): { path: string; sha256: string; size: number } => {
    const found = saved.get(name.replace(/^(?:\.\/)+/u, ''));
    if (!found)
      throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: manifest.json names "${printable(name)}", which the archive does not hold.`);
    return found;
  };
  const config = member(image.Config);
  if (config.size > JSON_BLOB_MAX_BYTES)
    throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: the image config is over ${JSON_BLOB_MAX_BYTES} bytes.`);
  const layers = [];
  for (const name of image.Layers) {
    const layer = member(name);
    layers.push({
      mediaType: (await isGzip(layer.path)) ? MEDIA_TYPES.ociLayerGzip : MEDIA_TYPES.ociLayerTar,
      digest: `sha256:${layer.sha256}`,
      size: layer.size,
    });
  }
  // Renamed, not copied: the same member named twice (a repeated layer) is moved once.
  const moved = new Set<string>();
  for (const part of [config, ...image.Layers.map(member)]) {
    if (moved.has(part.path)) continue;
    moved.add(part.path);
    await rename(part.path, join(dir, 'blobs', 'sha256', part.sha256));
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, digest: `sha256:${config.sha256}`, size: config.size },
      layers,
    }),
  );
  const manifestHex = createHash('sha256').update(manifest).digest('hex');
  await writeFile(join(dir, 'blobs', 'sha256', manifestHex), manifest, { flag: 'wx', mode: 0o600 });
  const written = { digest: `sha256:${manifestHex}`, size: manifest.length };
  const refName = image.RepoTags?.[0];
  const annotations = refName ? { [REF_NAME_ANNOTATION]: refName } : undefined;
  await writeFile(join(dir, 'oci-layout'), OCI_LAYOUT_CONTENT);
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: written.digest, size: written.size, annotations }],
    }),
  );
  return new LayoutDir(dir, source);
}

async function isGzip(path: string): Promise<boolean> {
  const { handle } = await openRegular(path);
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
