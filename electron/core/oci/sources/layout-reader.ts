/**
 * Read access to an OCI image layout on disk (a source folder, or one unpacked from an archive
 * into the export's work folder). Everything in it is hostile: index.json and manifests are
 * bounded in size and parsed against schemas, digests are checked against the grammar before
 * they name a file, blobs must be regular files (no links) of the size their descriptor says.
 * Big blobs are never read here: their bytes are hashed once, by the export's own pass
 * (layout-writer.ts checks that hash against the blob's name).
 */
import { createHash } from 'node:crypto';
import { lstat, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AirlockError, errnoOf } from '../../errors.js';
import { onFirstUse } from '../../on-first-use.js';
import { SHA256_DIGEST } from '../layout-format.js';
import { printable } from './image-reference.js';
import { REGULAR_READ_FLAGS } from '../../fs/open-regular.js';

/** Manifests, indexes and configs above this size are refused before they are parsed. */
export const JSON_BLOB_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The OCI documents' schemas, built when a layout is first read (onFirstUse): every export imports
 * this module, and schemas built at module load made each of them load zod.
 */
function buildSchemas() {
  const PLATFORM = z.object({ os: z.string().min(1).max(64), architecture: z.string().min(1).max(64), variant: z.string().min(1).max(64).optional() });

  const DESCRIPTOR = z.object({
    mediaType: z.string().min(1).max(255),
    digest: z.string().regex(SHA256_DIGEST),
    size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    platform: PLATFORM.optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    artifactType: z.string().max(255).optional(),
  });

  const INDEX_DOC = z.object({ schemaVersion: z.literal(2), mediaType: z.string().optional(), manifests: z.array(DESCRIPTOR).max(10_000) });
  const MANIFEST_DOC = z.object({
    schemaVersion: z.literal(2),
    mediaType: z.string().optional(),
    config: DESCRIPTOR,
    layers: z.array(DESCRIPTOR).max(10_000),
    subject: DESCRIPTOR.optional(),
    artifactType: z.string().optional(),
  });
  const CONFIG_PLATFORM = z.object({
    os: z.string().min(1).max(64).optional(),
    architecture: z.string().min(1).max(64).optional(),
    variant: z.string().max(64).optional(),
  });
  return { descriptor: DESCRIPTOR, index: INDEX_DOC, manifest: MANIFEST_DOC, configPlatform: CONFIG_PLATFORM };
}
type Schemas = ReturnType<typeof buildSchemas>;
const schemas = onFirstUse(buildSchemas);

export type Descriptor = z.infer<Schemas['descriptor']>;
type IndexDoc = z.infer<Schemas['index']>;
type ManifestDoc = z.infer<Schemas['manifest']>;

/** A blob as the bundle will carry it: read from `absPath`, expected to hash to `digest`. */
export interface BlobSource {
  digest: string;
  size: number;
  mediaType: string;
  absPath: string;
}

function corrupt(source: string, why: string, path?: string): AirlockError {
  return new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: ${why}`, { path, data: { reference: printable(source) } });
}

export class LayoutDir {
  readonly dir: string;
  constructor(
    dir: string,
    /** The reference as the operator gave it, for messages. */
    readonly source: string,
  ) {
    this.dir = resolve(dir);
  }

  blobPath(digest: string): string {
    if (!SHA256_DIGEST.test(digest)) throw corrupt(this.source, `"${printable(digest)}" is not a sha256 digest.`);
    return join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }

  /** index.json: the layout's entry point. A folder without one is not a layout (IMAGE_NOT_FOUND). */
  async readIndex(): Promise<IndexDoc> {
    const path = join(this.dir, 'index.json');
    const layout = await this.readSmall(join(this.dir, 'oci-layout'), 4096).catch((error: unknown) => {
      if (error instanceof AirlockError && error.code === 'IMAGE_NOT_FOUND') {
        throw new AirlockError('IMAGE_NOT_FOUND', `${printable(this.source)}: ${this.dir} holds no OCI image layout (no oci-layout file).`, { path: this.dir });
      }
      throw error;
    });
    if (!/"imageLayoutVersion"\s*:\s*"1\.0\.0"/u.test(layout.toString('utf8'))) throw corrupt(this.source, 'oci-layout does not say imageLayoutVersion 1.0.0.');
    return this.parse(await this.readSmall(path, JSON_BLOB_MAX_BYTES), schemas().index, 'index.json');
  }

  /** A manifest or index blob: size and digest checked against its descriptor, then parsed. */
  async readManifest(descriptor: Descriptor): Promise<{ kind: 'index'; doc: IndexDoc } | { kind: 'manifest'; doc: ManifestDoc }> {
    const bytes = await this.readBlob(descriptor);
    const value = this.json(bytes, descriptor.digest);
    if (typeof value === 'object' && value !== null && 'manifests' in value)
      return { kind: 'index', doc: this.parse(bytes, schemas().index, descriptor.digest) };
    return { kind: 'manifest', doc: this.parse(bytes, schemas().manifest, descriptor.digest) };
  }

  /** The platform an image's config states (for single-platform images, which carry it nowhere else). */
  async readConfigPlatform(descriptor: Descriptor): Promise<{ os: string; architecture: string; variant?: string | undefined } | null> {
    if (descriptor.size > JSON_BLOB_MAX_BYTES) return null;
    const bytes = await this.readBlob(descriptor);
    const parsed = schemas().configPlatform.safeParse(this.json(bytes, descriptor.digest));
    if (!parsed.success || !parsed.data.os || !parsed.data.architecture) return null;
    return { os: parsed.data.os, architecture: parsed.data.architecture, variant: parsed.data.variant || undefined };
  }

  /** A Helm chart config's `name` and `version` (Chart.yaml as JSON), or null when it has no such strings. */
  async readChartMeta(descriptor: Descriptor): Promise<{ name: string; version: string } | null> {
    if (descriptor.size > JSON_BLOB_MAX_BYTES) return null;
    const meta = this.json(await this.readBlob(descriptor), descriptor.digest) as { name?: unknown; version?: unknown } | null;
    return typeof meta?.name === 'string' && typeof meta.version === 'string' ? { name: meta.name, version: meta.version } : null;
  }

  /** A blob for the bundle: present, a regular file, of the descriptor's size. Its bytes are not read here. */
  async statBlob(descriptor: Descriptor): Promise<BlobSource> {
    const absPath = this.blobPath(descriptor.digest);
    let stats;
    try {
      stats = await lstat(absPath);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw corrupt(this.source, `blob ${descriptor.digest} is missing from the layout.`, absPath);
      throw error;
    }
    if (!stats.isFile()) throw corrupt(this.source, `blob ${descriptor.digest} is not a regular file (a link or folder).`, absPath);
    if (stats.size !== descriptor.size)
      throw corrupt(this.source, `blob ${descriptor.digest} has ${stats.size} bytes; its descriptor says ${descriptor.size}.`, absPath);
    return { digest: descriptor.digest, size: descriptor.size, mediaType: descriptor.mediaType, absPath };
  }

  private async readBlob(descriptor: Descriptor): Promise<Buffer> {
    if (descriptor.size > JSON_BLOB_MAX_BYTES)
      throw corrupt(
        this.source,
        `${descriptor.digest} (${descriptor.mediaType}) is ${descriptor.size} bytes, over the ${JSON_BLOB_MAX_BYTES}-byte limit for manifests and configs.`,
      );
    const blob = await this.statBlob(descriptor);
    const bytes = await this.readSmall(blob.absPath, JSON_BLOB_MAX_BYTES);
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (bytes.length !== descriptor.size || actual !== descriptor.digest)
      throw corrupt(this.source, `blob ${descriptor.digest} does not match its digest (it hashes to ${actual}).`, blob.absPath);
    return bytes;
  }

  /** A small file, refused above `max` bytes; links are not followed. */
  private async readSmall(path: string, max: number): Promise<Buffer> {
    let handle;
    try {
      const stats = await lstat(path);
      if (!stats.isFile()) throw corrupt(this.source, `${path} is not a regular file.`, path);
      if (stats.size > max) throw corrupt(this.source, `${path} is ${stats.size} bytes, over the ${max}-byte limit.`, path);
      // Non-blocking: a file swapped for a FIFO since the lstat reads as short, never waits (fs/open-regular.ts).
      handle = await open(path, REGULAR_READ_FLAGS);
      const buffer = Buffer.alloc(stats.size);
      const { bytesRead } = await handle.read(buffer, 0, stats.size, 0);
      return buffer.subarray(0, bytesRead);
    } catch (error) {
      if (error instanceof AirlockError) throw error;
      if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR')
        throw new AirlockError('IMAGE_NOT_FOUND', `${printable(this.source)}: ${path} does not exist.`, { path });
      throw error;
    } finally {
      await handle?.close();
    }
  }

  private json(bytes: Buffer, what: string): unknown {
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch {
      throw corrupt(this.source, `${what} is not valid JSON.`);
    }
  }

  private parse<T>(bytes: Buffer, schema: z.ZodType<T>, what: string): T {
    const parsed = schema.safeParse(this.json(bytes, what));
    if (!parsed.success)
      throw corrupt(
        this.source,
        `${what} is not a valid OCI document: ${parsed.error.issues[0]?.message ?? 'schema mismatch'} at ${parsed.error.issues[0]?.path.join('.') ?? ''}.`,
      );
    return parsed.data;
  }
}
