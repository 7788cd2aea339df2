import type { Worker } from 'node:worker_threads';
import { AirlockError, toAirlockError } from '../errors.js';

/**
 * One run of a lane's worker thread: `done` settles once, with the first of success, a failure or
 * the cancel signal, and the thread is ended then. `stop()` (another lane failed, or the caller
 * gives up) resolves only once the thread has exited: until then it may still be writing through
 * a descriptor the caller must not close or reuse.
 */
export class WorkerRun {
  readonly done: Promise<void>;
  private settle!: (error?: Error) => void;
  private settled = false;
  private exited: Promise<unknown> = Promise.resolve();
  private readonly onAbort = (): void => this.finish(new AirlockError('CANCELLED'));

  constructor(
    private readonly worker: Worker,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    // A failure is read through `done` by whoever awaits it; never an unhandled rejection.
    this.done.catch(() => undefined);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get isSettled(): boolean {
    return this.settled;
  }

  /** Settle `done` (rejecting with `error` if given) and end the thread; later calls do nothing. */
  finish(error?: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.exited = this.worker.terminate();
    this.settle(error);
  }

  async stop(): Promise<void> {
    this.onAbort();
    await this.exited;
  }
}

/** What a fed worker takes its work from: FileQueue (parallel-hash.ts) has this shape. */
export interface BatchSource {
  /** The next batch of file indices; empty when there is none now (or, once closed, ever). */
  take(): number[];
  readonly isClosed: boolean;
  /** Call `wake` once a batch can be taken or the source is closed. */
  whenReady(wake: () => void): void;
}

/** One result per file of a batch, as a worker posts it. */
export interface BatchResult {
  index: number;
}

export interface FeedOptions<R extends BatchResult> {
  source: BatchSource;
  /** Batches posted before the first answer: the worker should never wait for this thread. */
  inFlight: number;
  /** The message that hands `batch` to the worker. */
  message(batch: number[]): unknown;
  /** Keep one file's result; an error stops the run with it. */
  accept(result: R): Error | null;
  progress: { addBytes(bytes: number): void; addFiles(files: number): void };
  /** Said when the thread ends before its work is done. */
  stoppedUnexpectedly: string;
}

/**
 * Feed a lane's worker from `source` until the source is closed and drained: post batches,
 * take the worker's answers (`{ progress?, results? }`), report progress, and settle the run
 * on the first error, an abort, or when the last batch is answered.
 */
export function feedWorker<R extends BatchResult>(worker: Worker, signal: AbortSignal | undefined, options: FeedOptions<R>): WorkerRun {
  const run = new WorkerRun(worker, signal);
  const { source } = options;
  let inFlight = 0;
  const send = (): void => {
    if (run.isSettled) return;
    const batch = source.take();
    if (batch.length === 0) {
      if (!source.isClosed) source.whenReady(send);
      else if (inFlight === 0) run.finish();
      return;
    }
    inFlight += 1;
    worker.postMessage(options.message(batch));
  };
  worker.on('message', (message: { progress?: number; results?: R[] }) => {
    if (message.progress) options.progress.addBytes(message.progress);
    if (!message.results) return;
    inFlight -= 1;
    for (const result of message.results) {
      const error = options.accept(result);
      if (error) return run.finish(error);
    }
    options.progress.addFiles(message.results.length);
    send();
  });
  worker.on('error', (error) => run.finish(toAirlockError(error)));
  worker.on('exit', () => run.finish(new AirlockError('INTERNAL', options.stoppedUnexpectedly)));
  for (let i = 0; i < options.inFlight; i += 1) send();
  return run;
}
