/**
 * Runs of small synchronous file operations (page-cached small files cost microseconds each,
 * a thread-pool round trip costs more than the work) give the event loop a turn every few
 * milliseconds, so progress reports and cancellation stay prompt.
 */
export class CooperativeYield {
  private last = performance.now();

  constructor(private readonly everyMs = 8) {}

  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.last < this.everyMs) return;
    this.last = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
