/**
 * The verified OCI layout of an import, read where it was staged (`<staging>/payload/oci/`).
 * Every byte here was hashed against the signed manifest and the OCI graph was checked before
 * the push starts, so this only reads: the descriptor file, manifest documents (small, bounded)
 * and blob streams from an offset (a resumed upload sends the rest of a blob).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AirlockError } from '../../errors.js';
import { IMAGES_FILE, IMAGES_FILE_MAX_BYTES, type ImagesFile } from '../images-file.js';
import { SHA256_DIGEST } from '../layout-format.js';

/** A manifest or index bigger than this is not pushed (distribution refuses above 4 MiB too). */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

export class StagedLayout {
  constructor(
    /** The staged `data/oci` folder. */
    readonly dir: string,
  ) {}

  blobPath(digest: string): string {
    if (!SHA256_DIGEST.test(digest)) throw new AirlockError('INTERNAL', `Not a sha256 digest: ${digest}`);
    return join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }

  /** Whether the bundle carries the blob (a blob left out as expected-present does not). */
  async hasBlob(digest: string): Promise<boolean> {
    try {
      return (await stat(this.blobPath(digest))).isFile();
    } catch {
      return false;
    }
  }

  async readImagesFile(): Promise<ImagesFile> {
    const bytes = await readFile(join(this.dir, 'airlock-images.json'));
    if (bytes.length > IMAGES_FILE_MAX_BYTES) throw new AirlockError('INTERNAL', 'The verified images descriptor is larger than its limit.');
    const parsed = IMAGES_FILE.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) throw new AirlockError('INTERNAL', `The verified images descriptor does not parse: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  /** A manifest's exact bytes: what is PUT, so the registry computes the digest the bundle signed. */
  async manifestBytes(digest: string): Promise<Buffer> {
    const path = this.blobPath(digest);
    const size = (await stat(path)).size;
    if (size > MANIFEST_MAX_BYTES)
      throw new AirlockError('INTERNAL', `The verified manifest ${digest} is ${size} bytes; at most ${MANIFEST_MAX_BYTES} are pushed.`);
    return readFile(path);
  }

  async readJson(digest: string): Promise<unknown> {
    return JSON.parse((await this.manifestBytes(digest)).toString('utf8')) as unknown;
  }

  open(digest: string, offset: number): Readable {
    return createReadStream(this.blobPath(digest), { start: offset, highWaterMark: 1024 * 1024 });
  }
}
