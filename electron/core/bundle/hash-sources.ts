import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { hashFile, HASH_CHUNK_BYTES, sha256 } from '../crypto/sha256.js';
import { readSmallFileSync, SMALL_FILE_BYTES, smallFileScratch } from '../fs/read-small-file.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import type { ProgressTracker } from '../jobs/progress-tracker.js';
import type { SourceFile } from './source-scan.js';

export interface HashedSource extends SourceFile {
  sha256: string;
}

function sizeChanged(file: SourceFile, actual: number): AirlockError {
  return new AirlockError('SOURCE_CHANGED', `${file.absPath} was ${file.size} bytes when scanned and ${actual} when hashed.`, { path: file.absPath });
}

/**
 * The export's first pass: hash every source file, confirming the sizes the scan saw.
 * A file whose size moved since the scan is changing under us, and the export stops.
 */
export async function hashSources(files: readonly SourceFile[], tracker: ProgressTracker, signal?: AbortSignal): Promise<HashedSource[]> {
  const hashed: HashedSource[] = [];
  const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  const scratch = smallFileScratch();
  const pause = new CooperativeYield();
  for (const file of files) {
    throwIfAborted(signal);
    let digest: string;
    try {
      if (file.size <= SMALL_FILE_BYTES) {
        const read = readSmallFileSync(file.absPath, file.size, scratch);
        if ('actualSize' in read) throw sizeChanged(file, read.actualSize);
        digest = sha256().update(read.bytes).digest('hex');
        tracker.addBytes(file.size);
        await pause.maybeYield();
      } else {
        const result = await hashFile(file.absPath, { buffer, ...(signal ? { signal } : {}), onBytes: (n) => tracker.addBytes(n) });
        if (result.size !== file.size) throw sizeChanged(file, result.size);
        digest = result.sha256;
      }
    } catch (error) {
      throw toAirlockError(error, file.absPath);
    }
    hashed.push({ ...file, sha256: digest });
    tracker.addFiles(1);
  }
  return hashed;
}
