import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import type { ProgressTracker } from '../jobs/progress-tracker.js';
import type { SourceFile } from './source-scan.js';
import { HashLane, type LaneResult } from '../bundle/hash-lane.js';
import { FileQueue, sizeChanged, startWorkerLane, type LaneProgress, type WorkerLane } from '../bundle/parallel-hash.js';
import type { PayloadSpool } from './payload-spool.js';

export interface HashedSource extends SourceFile {
  sha256: string;
}

/** Below this much work a second lane costs more to start than it saves. */
const PARALLEL_MIN_FILES = 64;
const PARALLEL_MIN_BYTES = 32 << 20;

/**
 * The export's first pass: hash every source file, confirming the sizes the scan saw. A file
 * whose size moved since the scan is changing under us, and the export stops.
 *
 * Files are added as the scan finds them. Once there is enough work, a worker lane starts on the
 * other core and hashes while the scan is still walking (the scan is mostly lstat calls on this
 * thread); when the scan is done, this thread joins in as the second lane. Small files go into
 * the spool (payload-spool.ts) as they are hashed, when there is one.
 */
export class SourceHasher {
  private readonly queue = new FileQueue();
  private readonly digests: Array<LaneResult | undefined> = [];
  private worker: WorkerLane | null = null;
  private queuedBytes = 0;
  /** Progress made before the hashing phase is reported (while the scan runs), and where to send it after. */
  private early = { bytes: 0, files: 0 };
  private tracker: ProgressTracker | null = null;
  private readonly progress: LaneProgress = {
    addBytes: (n) => (this.tracker ? this.tracker.addBytes(n) : (this.early.bytes += n)),
    addFiles: (n) => (this.tracker ? this.tracker.addFiles(n) : (this.early.files += n)),
  };

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly spool: PayloadSpool | null,
  ) {}

  add(file: SourceFile): void {
    const index = this.queue.files.length;
    this.spool?.assign(index, file.size);
    this.queue.push(file);
    this.queuedBytes += file.size;
    if (!this.worker && (this.queue.files.length >= PARALLEL_MIN_FILES || (this.queuedBytes >= PARALLEL_MIN_BYTES && this.queue.files.length > 1))) {
      this.worker = startWorkerLane(this.queue, this.digests, this.progress, this.signal, this.spool);
    }
  }

  /** The scan is done: hash the rest on both lanes, reporting to `tracker` (and what was done already). */
  async finish(tracker: ProgressTracker): Promise<HashedSource[]> {
    this.queue.close();
    this.tracker = tracker;
    tracker.addBytes(this.early.bytes);
    tracker.addFiles(this.early.files);
    const lanes = [hashLane(this.queue, this.digests, this.progress, this.signal, this.spool)];
    if (this.worker) lanes.push(this.worker.done);
    const settled = await Promise.allSettled(lanes);
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) {
      // The worker may still be writing into the spool: wait until it has exited.
      await this.worker?.stop();
      throw toAirlockError(failure.reason);
    }
    return this.queue.files.map((file, index) => {
      const digest = this.digests[index];
      if (!digest) throw new AirlockError('INTERNAL', `${file.absPath} was not hashed.`);
      if (digest.size !== file.size) throw sizeChanged(file, digest.size);
      return { ...file, sha256: digest.sha256 };
    });
  }

  /** The scan failed: stop the worker lane; resolves once it has exited. */
  async abort(): Promise<void> {
    this.queue.close();
    await this.worker?.stop();
  }
}

/** This thread's lane: the same steps as the worker's (hash-lane.ts), with cancellation between chunks. */
async function hashLane(
  queue: FileQueue,
  out: Array<LaneResult | undefined>,
  tracker: LaneProgress,
  signal: AbortSignal | undefined,
  spool: PayloadSpool | null,
): Promise<void> {
  const lane = new HashLane(spool?.fd ?? null);
  const pause = new CooperativeYield();
  for (let batch = queue.take(); batch.length > 0; batch = queue.take()) {
    for (const index of batch) {
      throwIfAborted(signal);
      const file = queue.files[index] as SourceFile;
      let result: LaneResult | { size: number };
      try {
        result = await lane.hash({ index, path: file.absPath, size: file.size, spool: spool?.offsetOf(index) ?? -1 }, (n) => tracker.addBytes(n), signal);
      } catch (error) {
        throw toAirlockError(error, file.absPath);
      }
      if (!('sha256' in result)) throw sizeChanged(file, result.size);
      out[index] = result;
      if (file.size <= SMALL_FILE_BYTES) tracker.addBytes(file.size);
      tracker.addFiles(1);
      await pause.maybeYield();
    }
  }
  try {
    lane.flush();
  } catch (error) {
    throw toAirlockError(error);
  }
}
