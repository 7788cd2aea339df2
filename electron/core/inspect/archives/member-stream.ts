/**
 * One archive member's bytes on their way to `visit` (issue #16.3; docs/inspection-archives.md). Every
 * chunk is admitted by the walk's limits first (expanded bytes, ratio); at a limit the stream
 * ends early and the source is stopped, so a bomb is never inflated to the end. A damaged
 * source (bad deflate data, a truncated tar) also just ends the stream: the walk turns the
 * outcome into a finding, so `visit` only ever sees a stream that ends, or one destroyed with
 * an AbortError when the operation is cancelled.
 *
 * The walk may peek at the head (to tell a nested archive) before anyone reads; the head is
 * then read again as the stream's first bytes. `visit` may read the stream wholly, partly or
 * not at all: finish() then drains the rest (a tar entry, whose bytes the tar parser must pass)
 * or stops the source (a zip member or gzip stream, which nothing else needs).
 */
import { Readable } from 'node:stream';

/** What a member's bytes come from: a Node stream or node-tar's ReadEntry (a Minipass). */
export interface ChunkSource {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** How a member's bytes ended: all of them, cut at a limit, cut by damage, stopped by the walk, or cancelled. */
export type MemberEnd = { kind: 'end' } | { kind: 'limit' } | { kind: 'error'; error: Error } | { kind: 'stopped' } | { kind: 'aborted' };

/** Bytes the walk looks at to tell a nested archive (0x8006 shows an ISO 9660 volume; see archive-kind.ts). */
export const ARCHIVE_HEAD_BYTES = 0x8006;

export class MemberStream extends Readable {
  private outcome: MemberEnd | null = null;
  private readonly settled: Promise<MemberEnd>;
  private settle!: (end: MemberEnd) => void;
  /** Bytes still arriving are counted and dropped (visit is done with the stream). */
  private discard = false;
  /** Until the first peek or read, chunks are held here (up to the head) so a peek sees the very first bytes. */
  private holding = true;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private waiter: (() => void) | null = null;
  private peeked: Buffer | null = null;
  private readonly onAbort: () => void;
  /** Bytes admitted so far. */
  received = 0;

  constructor(
    private readonly source: ChunkSource & { destroy?: (error?: Error) => unknown },
    /** Counts a chunk against the limits; false: a limit is hit (the caller has recorded the finding). */
    private readonly admit: (bytes: number) => boolean,
    private readonly signal: AbortSignal | undefined,
  ) {
    super({ highWaterMark: 64 * 1024 });
    this.settled = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.onAbort = () => this.end({ kind: 'aborted' }, true);
    // The AbortError is for whoever reads; a stream nobody reads must not crash the process with it.
    this.on('error', () => undefined);
    source.on('data', this.onData);
    source.on('end', this.onEnd);
    source.on('error', this.onError);
    source.pause();
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** How the bytes ended, once they have (null while they are still coming). */
  get ended(): MemberEnd | null {
    return this.outcome;
  }

  /** True when the member's bytes did not all arrive (a limit, damage, a stop or a cancel). */
  get cut(): boolean {
    return this.outcome !== null && this.outcome.kind !== 'end';
  }

  /** The first `length` bytes (fewer when the member is shorter); they stay the stream's first bytes. */
  async peek(length = ARCHIVE_HEAD_BYTES): Promise<Buffer> {
    if (this.peeked) return this.peeked;
    if (!this.holding) throw new Error('peek() after the stream was read');
    if (this.outcome === null && this.pendingLength < length) {
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        this.source.resume();
      });
    }
    this.peeked = Buffer.concat(this.pending).subarray(0, Math.min(length, ARCHIVE_HEAD_BYTES));
    this.release();
    return this.peeked;
  }

  /** Done with the member: drain what is left through the limits (`drain`) or stop the source (`stop`). */
  async finish(mode: 'drain' | 'stop'): Promise<MemberEnd> {
    if (this.outcome === null) {
      this.discard = true;
      this.pending = [];
      if (mode === 'stop') this.end({ kind: 'stopped' }, true);
      else this.source.resume();
    }
    const end = await this.settled;
    if (!this.readableEnded) this.destroy();
    return end;
  }

  override _read(): void {
    if (this.holding) this.release();
    if (this.outcome === null) this.source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The consumer is done early; what remains is for finish() to drain or stop.
    this.discard = true;
    this.pending = [];
    callback(error);
  }

  private release(): void {
    if (!this.holding) return;
    this.holding = false;
    const chunks = this.pending;
    this.pending = [];
    if (this.discard) return;
    for (const chunk of chunks) this.push(chunk);
    if (this.outcome !== null && this.outcome.kind !== 'aborted') this.push(null);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.outcome !== null) return;
    if (!this.admit(chunk.length)) {
      this.end({ kind: 'limit' }, true);
      return;
    }
    this.received += chunk.length;
    if (this.discard) return;
    if (this.holding) {
      this.pending.push(chunk);
      this.pendingLength += chunk.length;
      if (this.pendingLength >= ARCHIVE_HEAD_BYTES) {
        this.source.pause();
        this.wake();
      }
      return;
    }
    if (!this.push(chunk)) this.source.pause();
  };

  private readonly onEnd = (): void => this.end({ kind: 'end' }, false);

  private readonly onError = (error: Error): void => this.end({ kind: 'error', error }, true);

  private wake(): void {
    const wake = this.waiter;
    this.waiter = null;
    wake?.();
  }

  private end(end: MemberEnd, stopSource: boolean): void {
    if (this.outcome !== null) return;
    this.outcome = end;
    this.source.removeListener('data', this.onData);
    this.source.removeListener('end', this.onEnd);
    this.source.removeListener('error', this.onError);
    // A late error from a stopped source must not go unheard (it would crash the process).
    this.source.on('error', () => undefined);
    this.signal?.removeEventListener('abort', this.onAbort);
    if (stopSource) this.source.destroy?.();
    this.wake();
    if (end.kind === 'aborted') this.destroy(Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
    else if (!this.holding && !this.discard) this.push(null);
    this.settle(end);
  }
}
