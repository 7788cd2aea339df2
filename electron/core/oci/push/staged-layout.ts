/**
 * The verified OCI layout of an import, read where it was staged (`<staging>/payload/oci/`), and
 * for a push-only import the large blobs left in the bundle file (bundle-blobs.ts). Every byte
 * was hashed against the signed manifest and the OCI graph was checked before the push starts,
 * so this only reads: the descriptor file, manifest documents (small, bounded) and blob streams
 * from an offset (a resumed upload sends the rest of a blob). Blobs read from the bundle are
 * hashed again by the upload before it is closed (registry/blob-upload.ts).
 */
import { createReadStream } from 'node:fs';
import { open as openFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobReader } from '../registry/registry-api.js';
import type { BundleBlobs } from './bundle-blobs.js';
import { AirlockError } from '../../errors.js';
import { imagesFileSchema, IMAGES_FILE_MAX_BYTES, type ImagesFile } from '../images-file.js';
import { SHA256_DIGEST } from '../layout-format.js';

/** A manifest or index bigger than this is not pushed (distribution refuses above 4 MiB too). */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

export class StagedLayout {
  constructor(
    /** The staged `data/oci` folder. */
    readonly dir: string,
    /** Blobs left in the bundle file (a push-only import), or null when every blob is staged. */
    private readonly inBundle: BundleBlobs | null = null,
  ) {}

  blobPath(digest: string): string {
    if (!SHA256_DIGEST.test(digest)) throw new AirlockError('INTERNAL', `Not a sha256 digest: ${digest}`);
    return join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }

  /** Whether the bundle carries the blob (a blob left out as expected-present does not). */
  async hasBlob(digest: string): Promise<boolean> {
    if (this.inBundle?.locate(digest) !== undefined) return true;
    try {
      return (await stat(this.blobPath(digest))).isFile();
    } catch {
      return false;
    }
  }

  async readImagesFile(): Promise<ImagesFile> {
    const bytes = await readFile(join(this.dir, 'airlock-images.json'));
    if (bytes.length > IMAGES_FILE_MAX_BYTES) throw new AirlockError('INTERNAL', 'The verified images descriptor is larger than its limit.');
    const parsed = imagesFileSchema().safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) throw new AirlockError('INTERNAL', `The verified images descriptor does not parse: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  /** A manifest's exact bytes: what is PUT, so the registry computes the digest the bundle signed. */
  async manifestBytes(digest: string): Promise<Buffer> {
    const path = this.blobPath(digest);
    const size = this.inBundle?.locate(digest)?.size ?? (await stat(path)).size;
    if (size > MANIFEST_MAX_BYTES)
      throw new AirlockError('INTERNAL', `The verified manifest ${digest} is ${size} bytes; at most ${MANIFEST_MAX_BYTES} are pushed.`);
    return readFile(path);
  }

  async readJson(digest: string): Promise<unknown> {
    return JSON.parse((await this.manifestBytes(digest)).toString('utf8')) as unknown;
  }

  /** The blob's bytes by position, from the staged file or from its place in the bundle (never a byte past the blob's end). */
  async reader(digest: string): Promise<BlobReader> {
    const path = this.blobPath(digest);
    const bundle = this.inBundle;
    const located = bundle?.locate(digest);
    const handle = await openFile(bundle === null || located === undefined ? path : bundle.bundlePath, 'r');
    const base = located?.offset ?? 0;
    const end = located?.size ?? Number.MAX_SAFE_INTEGER;
    return {
      read: async (buffer, position) => {
        const length = Math.min(buffer.length, end - position);
        if (length <= 0) return 0;
        return (await handle.read(buffer, 0, length, base + position)).bytesRead;
      },
      close: () => handle.close(),
    };
  }

  open(digest: string, offset: number): Readable {
    const path = this.blobPath(digest);
    const bundle = this.inBundle;
    const located = bundle?.locate(digest);
    if (bundle === null || located === undefined) return createReadStream(path, { start: offset, highWaterMark: 1024 * 1024 });
    if (offset >= located.size) return Readable.from([]);
    // `end` is inclusive: never a byte past the blob, whatever follows it in the archive.
    return createReadStream(bundle.bundlePath, { start: located.offset + offset, end: located.offset + located.size - 1, highWaterMark: 1024 * 1024 });
  }
}
