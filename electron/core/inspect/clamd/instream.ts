/**
 * One file scanned with clamd's `zINSTREAM`: `<length: 4 bytes big-endian><bytes>` chunks, ended by
 * a zero length, then one NUL-terminated reply. The caller writes the file's bytes as the payload
 * pass reads them; writes wait for the socket to drain (backpressure), so a slow clamd slows the
 * pass instead of filling memory. Anything but a complete `stream: OK` after the end marker is not
 * clean: an early reply (clamd stops reading at StreamMaxLength and says so), a dropped
 * connection, a timeout, a cut-off or unknown reply are all errors with their text.
 */
import type { Socket } from 'node:net';
import type { FileScan, ScanVerdict } from '../contract.js';
import { type ClamdEndpoint } from './address.js';
import { ClamdUnavailableError, ReplyReader, awaitReply, connectClamd } from './connection.js';
import { SettledScan } from '../settled-scan.js';
import { classifyScanReply, replyText } from './reply.js';

/** Bytes per INSTREAM chunk: large enough to keep syscalls few, small enough to stay under any StreamMaxLength granularity. */
export const INSTREAM_CHUNK_BYTES = 256 * 1024;
/**
 * Bytes queued for clamd before a write waits for it to catch up. Node's default (16 KiB) would
 * make every chunk wait for a full drain, so clamd would sit idle while the payload pass reads the
 * next chunk; a few MiB keep both busy, and memory bounded per scan.
 */
export const INSTREAM_QUEUE_BYTES = 4 * 1024 * 1024;
const END_OF_STREAM = Buffer.alloc(4);
const INSTREAM_COMMAND = Buffer.from('zINSTREAM\0');
const EMPTY = Buffer.alloc(0);
/** Pieces up to this size are copied into one buffer with their length (and the command): one write instead of a writev of three. */
const COALESCE_BYTES = 64 * 1024;

export class InstreamScan implements FileScan {
  private ended = false;
  /** Whether `zINSTREAM` has gone out (it is sent with the first chunk). */
  private announced = false;
  private aborted = false;
  /** Why the stream cannot be finished (a write stalled past the deadline); null while all is well. */
  private failure: string | null = null;
  private readonly reader: ReplyReader;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.reader = new ReplyReader(socket);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Connect and announce the stream; an unreachable clamd gives a scan whose verdict is `unavailable`. */
  static async open(endpoint: ClamdEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<FileScan> {
    let socket: Socket;
    try {
      socket = await connectClamd(endpoint, Math.min(timeoutMs, 30_000), signal);
    } catch (error) {
      if (error instanceof ClamdUnavailableError) return new SettledScan({ outcome: 'unavailable', detail: error.message });
      return new SettledScan({ outcome: 'error', detail: `connecting to clamd failed: ${replyText(error instanceof Error ? error.message : String(error))}` });
    }
    socket.setNoDelay(true);
    // The command goes out with the first chunk (one write per small file, not three: each write wakes clamd).
    return new InstreamScan(socket, timeoutMs, signal);
  }

  private readonly onAbort = (): void => this.abort();

  async write(chunk: Buffer): Promise<void> {
    for (let offset = 0; offset < chunk.length; offset += INSTREAM_CHUNK_BYTES) {
      // Once clamd has spoken (or the scan is over) more bytes change nothing: the verdict is settled.
      if (this.ended || this.aborted || this.failure !== null || this.reader.settled) return;
      const piece = chunk.subarray(offset, Math.min(chunk.length, offset + INSTREAM_CHUNK_BYTES));
      const command = this.announced ? EMPTY : INSTREAM_COMMAND;
      this.announced = true;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(piece.length, 0);
      if (piece.length <= COALESCE_BYTES) this.socket.write(Buffer.concat([command, length, piece]));
      else {
        this.socket.cork();
        if (command.length > 0) this.socket.write(command);
        this.socket.write(length);
        this.socket.write(piece);
        this.socket.uncork();
      }
      if (this.socket.writableLength > INSTREAM_QUEUE_BYTES) await this.drained();
    }
  }

  /** Resolves when the socket drains, clamd replies or the connection ends; a stall past the deadline fails the scan. */
  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.failure = `clamd stopped reading the stream for ${Math.round(this.timeoutMs / 1000)} s`;
        this.socket.destroy();
        done();
      }, this.timeoutMs);
      this.socket.once('drain', done);
      this.socket.once('close', done);
      void this.reader.wait().then(done);
    });
  }

  async finish(): Promise<ScanVerdict> {
    try {
      if (this.aborted) return { outcome: 'error', detail: 'the scan was cancelled' };
      // Everything queued reaches clamd, and a reply it sent meanwhile is read, before the end
      // marker goes: a reply that was there before the end is early (never clean), not the verdict.
      if (this.socket.writableLength > 0 && !this.reader.settled) await this.drained();
      await new Promise((resolve) => setImmediate(resolve));
      if (this.aborted) return { outcome: 'error', detail: 'the scan was cancelled' };
      if (this.failure !== null) return { outcome: 'error', detail: this.failure };
      if (this.reader.settled) {
        // clamd answered before the end of the stream: a size limit or an error, never a clean verdict.
        const early = await this.reader.wait();
        if (early instanceof Error) return { outcome: 'error', detail: early.message };
        const verdict = classifyScanReply(early);
        return verdict.outcome === 'clean' ? { outcome: 'error', detail: `clamd replied before the end of the stream: ${replyText(early)}` } : verdict;
      }
      this.ended = true;
      this.socket.write(this.announced ? END_OF_STREAM : Buffer.concat([INSTREAM_COMMAND, END_OF_STREAM]));
      this.announced = true;
      const reply = await awaitReply(this.reader, this.timeoutMs, this.signal);
      if (this.aborted) return { outcome: 'error', detail: 'the scan was cancelled' };
      if (reply instanceof Error) return { outcome: 'error', detail: reply.message };
      if (!this.reader.complete) return { outcome: 'error', detail: `clamd's reply was cut off: ${replyText(reply)}` };
      return classifyScanReply(reply);
    } finally {
      this.close();
    }
  }

  abort(): void {
    this.aborted = true;
    this.close();
  }

  private close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.socket.destroy();
  }
}
