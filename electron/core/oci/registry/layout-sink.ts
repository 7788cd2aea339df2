/**
 * Where a pull writes: an OCI image layout directory. A blob is streamed to a temporary name in
 * blobs/sha256/, hashed and counted while written, and renamed to its digest only when both size
 * and digest match (IMAGE_SOURCE_CORRUPT otherwise, and the temporary file is gone). A blob
 * already there at its size is not fetched again: the layout is this station's own, written only
 * this way. index.json is rewritten whole through a temporary file and rename, one writer per
 * layout at a time within the process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AirlockError, errnoOf, toAirlockError } from '../../errors.js';
import { MEDIA_TYPES, OCI_LAYOUT_CONTENT, REF_NAME_ANNOTATION } from '../layout-format.js';

export interface LayoutDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string | undefined } | undefined;
  artifactType?: string | undefined;
  annotations?: Record<string, string> | undefined;
}

export function layoutBlobPath(layoutDir: string, digest: string): string {
  return join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

const TEMP_PREFIX = '.airlock-pull-';

export async function prepareLayout(layoutDir: string): Promise<void> {
  await mkdir(join(layoutDir, 'blobs', 'sha256'), { recursive: true });
  try {
    await writeFile(join(layoutDir, 'oci-layout'), OCI_LAYOUT_CONTENT, { flag: 'wx' });
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw toAirlockError(error, layoutDir);
  }
}

/** True when the layout holds `digest` at `size` already. */
export async function hasLayoutBlob(layoutDir: string, digest: string, size: number): Promise<boolean> {
  try {
    const info = await stat(layoutBlobPath(layoutDir, digest));
    return info.isFile() && info.size === size;
  } catch {
    return false;
  }
}

/** Writes a small blob held in memory (a manifest), checked like any other. */
export async function writeLayoutBytes(layoutDir: string, digest: string, body: Buffer): Promise<void> {
  const actual = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (actual !== digest) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `Manifest ${digest} hashes to ${actual}.`);
  if (await hasLayoutBlob(layoutDir, digest, body.length)) return;
  const temp = join(layoutDir, 'blobs', 'sha256', `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  try {
    await writeFile(temp, body, { flag: 'wx' });
    await rename(temp, layoutBlobPath(layoutDir, digest));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw toAirlockError(error, layoutDir);
  }
}

/**
 * Streams `source` into the layout as `digest`, stopping as soon as it runs past `size`.
 * `onBytes` hears each chunk's length (progress).
 */
export async function writeLayoutBlob(
  layoutDir: string,
  descriptor: { digest: string; size: number },
  source: Readable,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
  /** What a failure of `source` itself (a dropped connection) is: not a file error of the layout. */
  sourceFailure: (error: unknown) => AirlockError,
): Promise<void> {
  const temp = join(layoutDir, 'blobs', 'sha256', `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let written = 0;
  const check = async function* (chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of chunks) {
        written += chunk.length;
        if (written > descriptor.size) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `Blob ${descriptor.digest} is longer than its ${descriptor.size} bytes.`);
        hash.update(chunk);
        onBytes(chunk.length);
        yield chunk;
      }
    } catch (error) {
      throw error instanceof AirlockError ? error : sourceFailure(error);
    }
  };
  // pipeline() rejects with the source's own error before the loop above sees it: note it here.
  let sourceError: unknown;
  source.once('error', (error) => {
    sourceError = error;
  });
  try {
    await pipeline(source, check, createWriteStream(temp, { flags: 'wx' }), { signal });
    const actual = `sha256:${hash.digest('hex')}`;
    if (written !== descriptor.size) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `Blob ${descriptor.digest} is ${written} bytes, not ${descriptor.size}.`);
    if (actual !== descriptor.digest) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `Blob ${descriptor.digest} hashes to ${actual}.`);
    await rename(temp, layoutBlobPath(layoutDir, descriptor.digest));
  } catch (error) {
    source.destroy();
    await unlink(temp).catch(() => undefined);
    if (error instanceof AirlockError) throw error;
    throw sourceError !== undefined && error === sourceError ? sourceFailure(error) : toAirlockError(error, layoutDir);
  }
}

const indexLocks = new Map<string, Promise<unknown>>();

/** Runs `update` on index.json's manifests, one at a time per layout, and writes the result atomically. */
export async function updateLayoutIndex(layoutDir: string, update: (manifests: LayoutDescriptor[]) => LayoutDescriptor[]): Promise<void> {
  const previous = indexLocks.get(layoutDir) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const file = join(layoutDir, 'index.json');
      let manifests: LayoutDescriptor[] = [];
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
        if (typeof parsed !== 'object' || parsed === null || !('manifests' in parsed) || !Array.isArray(parsed.manifests)) {
          throw new AirlockError('IMAGE_SOURCE_CORRUPT', 'The layout index.json has no manifests list.', { path: file });
        }
        manifests = parsed.manifests as LayoutDescriptor[];
      } catch (error) {
        if (errnoOf(error) !== 'ENOENT')
          throw error instanceof SyntaxError ? new AirlockError('IMAGE_SOURCE_CORRUPT', 'The layout index.json is not JSON.', { path: file }) : error;
      }
      const body = JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: update(manifests) });
      const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temp, body, { flag: 'wx' });
        await rename(temp, file);
      } catch (error) {
        await unlink(temp).catch(() => undefined);
        throw toAirlockError(error, layoutDir);
      }
    });
  indexLocks.set(layoutDir, next);
  try {
    await next;
  } finally {
    if (indexLocks.get(layoutDir) === next) indexLocks.delete(layoutDir);
  }
}

/** Adds `entry` to the index: an entry with the same ref name is replaced, an unnamed one with the same digest is not repeated. */
export function withIndexEntry(manifests: LayoutDescriptor[], entry: LayoutDescriptor): LayoutDescriptor[] {
  const name = entry.annotations?.[REF_NAME_ANNOTATION];
  const kept = manifests.filter((m) => {
    const other = m.annotations?.[REF_NAME_ANNOTATION];
    if (name !== undefined) return other !== name;
    return !(other === undefined && m.digest === entry.digest);
  });
  return [...kept, entry];
}
