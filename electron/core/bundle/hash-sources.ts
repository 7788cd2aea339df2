import { AirlockError, toAirlockError } from '../errors.js';
import { hashFile, HASH_CHUNK_BYTES } from '../crypto/sha256.js';
import type { ProgressTracker } from '../jobs/progress-tracker.js';
import type { SourceFile } from './source-scan.js';

export interface HashedSource extends SourceFile {
  sha256: string;
}

/** Files hashed at once: enough to hide per-file open/close latency, few enough to keep memory at a few chunks. */
const CONCURRENCY = 4;

/**
 * The export's first pass: hash every source file, confirming the sizes the scan saw.
 * A file whose size moved since the scan is changing under us, and the export stops.
 */
export async function hashSources(files: readonly SourceFile[], tracker: ProgressTracker, signal?: AbortSignal): Promise<HashedSource[]> {
  const hashed: HashedSource[] = new Array<HashedSource>(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
    for (;;) {
      const index = next;
      next += 1;
      const file = files[index];
      if (!file) return;
      let digest;
      try {
        digest = await hashFile(file.absPath, { buffer, ...(signal ? { signal } : {}), onBytes: (n) => tracker.addBytes(n) });
      } catch (error) {
        throw toAirlockError(error, file.absPath);
      }
      if (digest.size !== file.size) {
        throw new AirlockError('SOURCE_CHANGED', `${file.absPath} was ${file.size} bytes when scanned and ${digest.size} when hashed.`, { path: file.absPath });
      }
      hashed[index] = { ...file, sha256: digest.sha256 };
      tracker.addFiles(1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  return hashed;
}
