import type { Worker } from 'node:worker_threads';
import { AirlockError } from '../errors.js';

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
