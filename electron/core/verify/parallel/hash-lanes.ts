/**
 * The two lanes that hash claimed payload ranges (claim-book.ts): this thread, whose reads run on
 * libuv's thread pool while it hashes, and a worker thread on the other core
 * (workers/range-hash-worker.ts). Each takes the next claim in archive order when it is free, so
 * four equal files go two to each lane; one large file is hashed by one lane (SHA-256 cannot be
 * split), its reads still overlapping its hashing. Both lanes run crypto/range-hash.ts.
 */
import type { Worker } from 'node:worker_threads';
import { WorkerRun } from '../../bundle/worker-run.js';
import { hashRange, rangeBuffers, type RangeBuffers, type RangeCopyTarget, type RangeDigest } from '../../crypto/range-hash.js';
import { AirlockError, toAirlockError } from '../../errors.js';
import { revivedError } from '../../workers/posted-error.js';
import { startWorker } from '../../workers/worker-script.js';
import type { Claim, ClaimBook } from './claim-book.js';
import type { RangeJob, RangeReply } from './range-protocol.js';
import { takeWarmLaneWorker } from './warm-lane-worker.js';

/** Hears of bytes hashed, per claim. */
export type LaneProgress = (claim: Claim, bytes: number) => void;

/** A staged file a claim's bytes are written to as they are hashed (an import's; parallel-payload.ts makes it). */
export interface LaneFile {
  readonly copyTo: RangeCopyTarget;
  /** Called once the lane is done with the descriptor (written, or failed): closes it. */
  close(): Promise<void>;
}

/** The file to write a claim's bytes to, or null to only hash them. */
export type LaneOutput = (claim: Claim) => Promise<LaneFile | null>;

export class HashLanes {
  private worker: { thread: Worker; run: WorkerRun } | null = null;
  private tried = false;
  private readonly waiting = new Map<number, { claim: Claim; resolve: (digest: RangeDigest) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private lanes: Promise<void>[] = [];
  /** Aborted by close() (the walk ended early: a refusal) or by the caller's cancel: a lane stops within a chunk. */
  private readonly stopper = new AbortController();
  private readonly stop: AbortSignal;

  /**
   * The worker lane starts at the first claim (while the tag files are read), with the worker
   * warmed at the command's start if there is one (warm-lane-worker.ts: booting one here came up
   * well after authentication); a bundle with no large file never starts it.
   */
  constructor(
    private readonly fd: number,
    private readonly book: ClaimBook,
    private readonly progress: LaneProgress,
    private readonly signal: AbortSignal | undefined,
    private readonly output: LaneOutput | null = null,
  ) {
    this.stop = signal ? AbortSignal.any([signal, this.stopper.signal]) : this.stopper.signal;
    book.onFirstClaim(() => this.bootWorker());
  }

  /** Whether the worker lane was started (at the first claim): a bundle with no large file never starts it. */
  get workerTried(): boolean {
    return this.tried;
  }

  /** Start hashing (the book hands out claims only once it is opened). */
  start(): void {
    if (this.lanes.length > 0) return;
    this.lanes = [this.threadLane()];
    if (this.worker) this.lanes.push(this.workerLane(this.worker));
  }

  private bootWorker(): void {
    if (this.tried) return;
    this.tried = true;
    this.worker = this.startWorker();
    if (this.worker && this.lanes.length > 0) this.lanes.push(this.workerLane(this.worker));
  }

  /**
   * Stop both lanes; resolves once no read or write of theirs is in flight: the worker has exited,
   * or it holds no job (every range it was posted is answered, and it answers only once its reads
   * and writes are done), so it touches no descriptor while it exits. Waiting for that exit too cost
   * 15-90 ms at the end of every verification, before the audit event could be written.
   */
  async close(): Promise<void> {
    this.book.close(new AirlockError('CANCELLED'));
    this.stopper.abort();
    if (this.worker !== null && this.waiting.size === 0) this.worker.run.finish();
    else await this.worker?.run.stop();
    for (const { reject } of this.waiting.values()) reject(new AirlockError('CANCELLED'));
    this.waiting.clear();
    await Promise.allSettled(this.lanes);
  }

  private startWorker(): { thread: Worker; run: WorkerRun } | null {
    let thread: Worker;
    try {
      // One warmed at the command's start is already up (warm-lane-worker.ts); otherwise it boots now.
      thread = takeWarmLaneWorker() ?? startWorker('range-hash-worker');
    } catch {
      // A build without the worker: this thread's lane does all of it.
      return null;
    }
    const run = new WorkerRun(thread, this.signal);
    thread.on('message', (reply: RangeReply) => this.receive(reply));
    thread.on('error', (error) => run.finish(toAirlockError(error)));
    thread.on('exit', () => run.finish(new AirlockError('INTERNAL', 'The hashing worker stopped unexpectedly.')));
    return { thread, run };
  }

  private receive(reply: RangeReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    if (reply.progress) this.progress(waiter.claim, reply.progress);
    if (reply.error) waiter.reject(toAirlockError(revivedError(reply.error)));
    else if (reply.digest && reply.read !== undefined) waiter.resolve({ digest: reply.digest, read: reply.read });
    else return;
    this.waiting.delete(reply.id);
  }

  private async threadLane(): Promise<void> {
    const buffers = rangeBuffers();
    let copyBuffers: RangeBuffers | null = null;
    for (let claim = await this.book.nextJob(); claim; claim = await this.book.nextJob()) {
      const job = claim;
      await this.settle(job, () =>
        this.writing(job, (copyTo) =>
          hashRange(this.fd, job.start, job.size, copyTo ? (copyBuffers ??= rangeBuffers(3)) : buffers, {
            onBytes: (bytes) => this.progress(job, bytes),
            signal: this.stop,
            copyTo,
          }),
        ),
      );
    }
  }

  private async workerLane(worker: { thread: Worker; run: WorkerRun }): Promise<void> {
    for (let claim = await this.book.nextJob(); claim; claim = await this.book.nextJob()) {
      const job = claim;
      await this.settle(job, () =>
        this.writing(
          job,
          (copyTo) => this.post(worker, job, copyTo),
          // The worker may still be writing through the descriptor: it is closed only once the thread has exited.
          () => worker.run.stop(),
        ),
      );
    }
  }

  /**
   * Run a lane's hash of `claim`, with the staged file it also writes to when there is one
   * (this.output); the file is closed before the claim settles, so whoever takes the digest finds it whole.
   */
  private async writing(claim: Claim, hash: (copyTo?: RangeCopyTarget) => Promise<RangeDigest>, onFailure?: () => Promise<void>): Promise<RangeDigest> {
    const file = this.output ? await this.output(claim) : null;
    if (file === null) return hash();
    let digest: RangeDigest;
    try {
      digest = await hash(file.copyTo);
    } catch (error) {
      await onFailure?.();
      await file.close().catch(() => undefined);
      throw error;
    }
    await file.close();
    return digest;
  }

  private post(worker: { thread: Worker; run: WorkerRun }, claim: Claim, copyTo?: RangeCopyTarget): Promise<RangeDigest> {
    // Ended (close() may end an idle worker without waiting for its exit): no job may reach it now.
    if (worker.run.isSettled) return Promise.reject(new AirlockError('CANCELLED'));
    const id = this.nextId;
    this.nextId += 1;
    const reply = new Promise<RangeDigest>((resolve, reject) => this.waiting.set(id, { claim, resolve, reject }));
    const job: RangeJob = { id, fd: this.fd, start: claim.start, size: claim.size, copyTo };
    worker.thread.postMessage(job);
    // The worker's end (an error, a cancel, an unexpected exit) fails the range it holds.
    return Promise.race([reply, worker.run.done.then(() => Promise.reject(new AirlockError('CANCELLED')))]);
  }

  /** Settle a claim with its lane's outcome; a lane's failure ends the pass (the walk hears of it when it asks). */
  private async settle(claim: Claim, hash: () => Promise<RangeDigest>): Promise<void> {
    try {
      claim.settle(await hash());
    } catch (error) {
      const failure = this.signal?.aborted ? new AirlockError('CANCELLED') : toAirlockError(error);
      claim.settle(failure);
      this.book.close(failure);
    }
  }
}
