import { fstatSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { errnoOf } from '../core/index.js';

/**
 * stdout for a CLI whose stdout is a pipe or a socket (`airlock keys list | jq`, a script's
 * subprocess): a Writable that writes each chunk with write(2), as node itself does when stdout is a
 * file (its SyncWriteStream). Node makes process.stdout for a pipe a net.Socket, and loading `net`
 * and opening the pipe handle cost about 4 ms of a `keys list` that prints 450 bytes (docs/
 * design-notes.md, "CLI start-up, round 5"). undefined for anything else (a terminal, a file, no
 * fd 1, Windows): the caller uses process.stdout.
 *
 * Only the first DIRECT_BYTES go out this way: write(2) blocks while the pipe is full, and with it
 * the event loop, so a reader that stops reading (a pager left open) would hold off Ctrl-C until it
 * read again. A pipe holds 64 KiB on Linux, so output this small does not wait on the reader; a
 * larger output (audit export, a long listing) hands the chunk that would pass the limit and every
 * later one to process.stdout, which waits for the reader without blocking, after the bytes
 * written so far, so they stay in order. The same hand-over happens when a pipe whose description
 * another process set non-blocking (a parent sharing its own stdout) refuses a write with EAGAIN.
 * Any other error (EPIPE: the reader went away) fails the write and is emitted as the stream's
 * 'error', as with process.stdout.
 */
export const DIRECT_BYTES = 16 * 1024;

export function pipeStdout(
  fd = 1,
  fallback: () => NodeJS.WritableStream = () => process.stdout,
  write: (fd: number, bytes: Buffer, offset: number, length: number) => number = writeSync,
): Writable | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const stats = fstatSync(fd);
    if (!stats.isFIFO() && !stats.isSocket()) return undefined;
  } catch {
    return undefined;
  }
  let through: NodeJS.WritableStream | null = null;
  let direct = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (through === null && direct + chunk.length > DIRECT_BYTES) through = fallback();
      if (through !== null) {
        through.write(chunk, callback);
        return;
      }
      direct += chunk.length;
      let offset = 0;
      try {
        while (offset < chunk.length) offset += write(fd, chunk, offset, chunk.length - offset);
      } catch (error) {
        if (errnoOf(error) !== 'EAGAIN') {
          callback(error as Error);
          return;
        }
        through = fallback();
        through.write(chunk.subarray(offset), callback);
        return;
      }
      callback();
    },
  });
}
