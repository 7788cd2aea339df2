import type { Readable } from 'node:stream';

/**
 * One asynchronous read of a Readable in flight at a time (a file source's `_read` is called again
 * while a positional read still runs). A read that fails destroys the stream with its error;
 * `settled()` waits until none runs, so the caller may close the descriptor the reads use.
 */
export class ReadInFlight {
  private reading: Promise<unknown> = Promise.resolve();
  private running = false;

  constructor(private readonly stream: Readable) {}

  get busy(): boolean {
    return this.running;
  }

  start(read: () => Promise<void>): void {
    this.running = true;
    const step = read();
    this.reading = step;
    step.then(
      () => {
        this.running = false;
      },
      (error: unknown) => {
        this.running = false;
        this.stream.destroy(error as Error);
      },
    );
  }

  async settled(): Promise<void> {
    await this.reading.catch(() => undefined);
  }
}
