import type { Worker } from 'node:worker_threads';
import { AirlockError } from '../errors.js';
import { startWorker } from '../workers/worker-script.js';
import { SMALL_FILE_BYTES } from './small-file.js';
import { SmallFileWriter, type SmallFileBatch, type SmallFileReply, type SmallFileRequest, type SmallFileWorkerData } from './small-file-batch.js';

/** A batch goes to the worker at this many files ... */
const BATCH_FILES = 1024;
/** ... or this many bytes (a slot holds one more small file than that, at most). */
const BATCH_BYTES = 1 << 20;
const SLOT_BYTES = BATCH_BYTES + SMALL_FILE_BYTES;
/** Batches filled or being written at once: memory stays at SLOTS x SLOT_BYTES however fast the archive is read. */
const SLOTS = 4;
/**
 * The worker's heap: it holds one batch's paths at a time, so V8's default young generation (up to
 * 3 x 16 MiB of semi-spaces, sized for throughput) is mostly empty pages that count in the import's
 * peak RSS (issue #12's bound: 200,000 empty files under 200 MB). Measured: see design-notes §7.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

/**
 * Staged small files created on the other core. Creating a file is the costliest step of
 * importing a small one (inode, folder entry, journal: about as much system time as the rest of
 * verifying it), and this thread is busy reading, parsing and hashing the archive; so whole,
 * verified small files are queued here and created by a worker thread (workers/small-file-worker.ts)
 * in batches, while this thread goes on with the next entries. Their bytes are copied into slots
 * of one SharedArrayBuffer (no allocation or transfer per batch); when every slot waits for the
 * worker, add() waits too. A bundle with fewer small files than one batch starts no worker: its
 * files are created on this thread by drain().
 *
 * Files are created when their batch is written, not when they are opened, so an open that would
 * meet a name already there (EEXIST) fails later, naming that file. That is only safe where the
 * file system compares names byte for byte: the verify step refuses any two names that are equal
 * exactly, after NFC or after case folding, so on such a file system no two staged names can
 * meet; staging.ts queues only there (fs/name-folding.ts), and elsewhere creates each file when
 * it is opened. Any failure (no space, an I/O error) fails the next add() or drain(), so the
 * import fails before its commit point; nothing is retried into success.
 */
export class SmallFileQueue {
  private worker: Worker | null = null;
  private readonly slots = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
  /** Slots neither filled nor being written; the batch being filled holds `slot`. */
  private readonly free: number[] = Array.from({ length: SLOTS }, (_, i) => i);
  private slot: number | null = null;
  private batch: SmallFileBatch = { paths: [], sizes: [] };
  private used = 0;
  private inFlight = 0;
  private wakers: Array<() => void> = [];
  private failure: Error | null = null;
  private stopped = false;

  /** @param root files are only created below this folder, which exists. */
  constructor(private readonly root: string) {}

  /** Queue the whole file `path` (absolute, below root, checked by the caller); its bytes are copied before this resolves. */
  async add(path: string, chunks: readonly Buffer[]): Promise<void> {
    this.throwIfFailed();
    let size = 0;
    for (const chunk of chunks) size += chunk.length;
    if (size > SMALL_FILE_BYTES) throw new AirlockError('INTERNAL', `${path} is too large to be queued as a small file.`);
    if (this.slot !== null && this.used + size > SLOT_BYTES) await this.post();
    const slot = this.slot ?? (await this.takeSlot());
    const view = this.view(slot);
    for (const chunk of chunks) this.used += chunk.copy(view, this.used);
    this.batch.paths.push(path);
    this.batch.sizes.push(size);
    if (this.batch.paths.length >= BATCH_FILES || this.used >= BATCH_BYTES) await this.post();
  }

  /** Every queued file created (or the first failure thrown). */
  async drain(): Promise<void> {
    this.throwIfFailed();
    if (this.slot !== null) {
      if (this.worker === null) this.writeHere(this.slot);
      else await this.post();
    }
    while (this.inFlight > 0 && this.failure === null) await this.wake();
    this.throwIfFailed();
  }

  /** Stop the worker: no file is created after this resolves (discard() removes the folder next). */
  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
    this.fail(new AirlockError('CANCELLED', 'The staging of small files was stopped.'));
  }

  private view(slot: number): Buffer {
    return Buffer.from(this.slots, slot * SLOT_BYTES, SLOT_BYTES);
  }

  private async takeSlot(): Promise<number> {
    while (this.free.length === 0 && this.failure === null) await this.wake();
    this.throwIfFailed();
    const slot = this.free.shift() as number;
    this.slot = slot;
    return slot;
  }

  /** The batch being filled, written on this thread; a failure is kept, as the worker's would be. */
  private writeHere(slot: number): void {
    try {
      new SmallFileWriter(this.root).writeBatch(this.batch, this.view(slot));
    } catch (error) {
      this.fail(error as Error);
      throw error;
    } finally {
      this.release();
    }
  }

  /** The batch being filled, emptied; its slot is free again. */
  private release(): SmallFileBatch {
    const batch = this.batch;
    if (this.slot !== null) this.free.push(this.slot);
    this.slot = null;
    this.batch = { paths: [], sizes: [] };
    this.used = 0;
    return batch;
  }

  private async post(): Promise<void> {
    const slot = this.slot;
    if (slot === null) return;
    this.throwIfFailed();
    const worker = (this.worker ??= this.startWorker());
    const request: SmallFileRequest = { op: 'batch', slot, root: this.root, batch: this.batch };
    worker.postMessage(request);
    this.inFlight += 1;
    this.slot = null;
    this.batch = { paths: [], sizes: [] };
    this.used = 0;
  }

  private startWorker(): Worker {
    const workerData: SmallFileWorkerData = { slots: this.slots, slotBytes: SLOT_BYTES };
    const worker = startWorker('small-file-worker', { workerData, resourceLimits: WORKER_HEAP });
    worker.on('message', (reply: SmallFileReply) => {
      this.inFlight -= 1;
      this.free.push(reply.slot);
      // The errno code and the file's path, for toAirlockError() to say what happened where.
      if (reply.op === 'failed') this.fail(Object.assign(new Error(reply.message), { code: reply.code, path: reply.path || undefined }));
      this.notify();
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => {
      if (!this.stopped) this.fail(new AirlockError('INTERNAL', 'The worker creating staged files stopped unexpectedly.'));
    });
    return worker;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    // Nothing more is answered after a failure: every waiter wakes to see it.
    this.notify();
  }

  private wake(): Promise<void> {
    return new Promise<void>((resolve) => this.wakers.push(resolve));
  }

  private notify(): void {
    for (const wake of this.wakers.splice(0)) wake();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
