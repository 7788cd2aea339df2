import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { hashFile, HASH_CHUNK_BYTES, sha256 } from '../crypto/sha256.js';
import { readSmallFileSync, SMALL_FILE_BYTES, smallFileScratch } from '../fs/read-small-file.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import type { ProgressTracker } from '../jobs/progress-tracker.js';
import type { SourceFile } from './source-scan.js';
import { FileQueue, runWorkerLane, type LaneResult } from './parallel-hash.js';
import { SpoolAppender, type PayloadSpool } from './payload-spool.js';

export interface HashedSource extends SourceFile {
  sha256: string;
}

function sizeChanged(file: SourceFile, actual: number): AirlockError {
  return new AirlockError('SOURCE_CHANGED', `${file.absPath} was ${file.size} bytes when scanned and ${actual} when hashed.`, { path: file.absPath });
}

/** Below this much work a second lane costs more to start than it saves. */
const PARALLEL_MIN_FILES = 64;
const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * The export's first pass: hash every source file, confirming the sizes the scan saw. A file
 * whose size moved since the scan is changing under us, and the export stops. Large selections
 * are hashed in two lanes (this thread and a worker) taking batches from one queue.
 */
export async function hashSources(files: readonly SourceFile[], tracker: ProgressTracker, signal?: AbortSignal, spool: PayloadSpool | null = null): Promise<HashedSource[]> {
  const digests: Array<LaneResult | undefined> = new Array<LaneResult | undefined>(files.length);
  const queue = new FileQueue(files);
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const parallel = files.length >= PARALLEL_MIN_FILES || (totalBytes >= PARALLEL_MIN_BYTES && files.length > 1);
  const lanes = [hashLane(queue, digests, tracker, signal, spool)];
  if (parallel) lanes.push(runWorkerLane(queue, digests, tracker, signal, spool));
  const settled = await Promise.allSettled(lanes);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw toAirlockError(failure.reason);
  return files.map((file, index) => {
    const digest = digests[index];
    if (!digest) throw new AirlockError('INTERNAL', `${file.absPath} was not hashed.`);
    if (digest.size !== file.size) throw sizeChanged(file, digest.size);
    return { ...file, sha256: digest.sha256 };
  });
}

/** This thread's lane: small files read whole (into the spool's run when there is a spool), large ones streamed. */
async function hashLane(queue: FileQueue, out: Array<LaneResult | undefined>, tracker: ProgressTracker, signal: AbortSignal | undefined, spool: PayloadSpool | null): Promise<void> {
  const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
  const scratch = smallFileScratch();
  const appender = spool ? new SpoolAppender(spool) : null;
  const pause = new CooperativeYield();
  for (let batch = queue.take(); batch.length > 0; batch = queue.take()) {
    for (const index of batch) {
      throwIfAborted(signal);
      const file = queue.files[index] as SourceFile;
      try {
        if (file.size <= SMALL_FILE_BYTES) {
          const spooled = appender !== null && spool?.has(index) === true;
          const read = readSmallFileSync(file.absPath, file.size, spooled ? appender.slot(index, file.size) : scratch);
          if ('actualSize' in read) throw sizeChanged(file, read.actualSize);
          out[index] = { sha256: sha256().update(read.bytes).digest('hex'), size: file.size };
          if (spooled) appender.commit(file.size);
          tracker.addBytes(file.size);
          await pause.maybeYield();
        } else {
          out[index] = await hashFile(file.absPath, { buffer, ...(signal ? { signal } : {}), onBytes: (n) => tracker.addBytes(n) });
        }
      } catch (error) {
        throw toAirlockError(error, file.absPath);
      }
      tracker.addFiles(1);
    }
  }
  try {
    appender?.flush();
  } catch (error) {
    throw toAirlockError(error);
  }
}
